"""The simulator speaks like the real appliances of its firmware era, variable by variable.

For every published real answer of a profile's era, the simulator is asked the same variables
at eight moments of a day (night included). Every variable both know must come back with the
same type prefix as in that era (lists: the same length and item types), and with a sign the
real answers show for it: no negative value where real ones are never negative, no -0.0
where they never send it, +0.0 where they send -0.0, and no positive value where they are
only negative.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ..real_answers import ANSWERS, FIXTURES, items, load, meaning, protocol, provenance
from .conftest import SimFactory
from .support import Client

# The firmware era of each real answer, from the protocol in its provenance row (the fixture
# README): firmware before 0825 answers plain HTTP (and has the STATISTIC totals), 0825 and
# later only HTTPS. A new real answer gets its era with its provenance row.
PROTOCOLS = {stem: protocol(row) for stem, row in provenance().items()}
BEFORE_0825 = {stem for stem, protocol in PROTOCOLS.items() if protocol == "http"}
FROM_0825 = {stem for stem, protocol in PROTOCOLS.items() if protocol == "https"}
ERAS = {"legacy": BEFORE_0825, "v3-0826": FROM_0825, "v3-npu2411": FROM_0825}
# Local midnight (UTC+1) on midsummer's day, then every three hours.
MIDNIGHT = datetime(2026, 6, 20, 23, 0, tzinfo=UTC)
MOMENTS = 8

type Name = tuple[str, str]


def test_every_real_answer_belongs_to_an_era() -> None:
    assert {path.stem for path in ANSWERS} == BEFORE_0825 | FROM_0825
    assert not BEFORE_0825 & FROM_0825


def _era(profile: str) -> list[Path]:
    return [path for path in ANSWERS if path.stem in ERAS[profile]]


def _sign(raw: str) -> str | None:
    """The sign class of one value: +, -, +0, -0; None for strings and non-values."""
    value = meaning(raw)
    if isinstance(value, str) or value is None:
        return None
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "+0"
    return "+" if value > 0 else "-"


def _values(raw: Any) -> list[str]:
    """The typed strings of a scalar or a list (up to an end marker)."""
    return items(raw) if isinstance(raw, list) else [raw]


def _prefix(raw: str) -> str:
    prefix, sep, _ = raw.partition("_")
    return prefix if sep else raw


def _real_signs(paths: list[Path]) -> dict[Name, set[str]]:
    """Every sign class the real answers of an era show, per variable."""
    signs: dict[Name, set[str]] = defaultdict(set)
    for path in paths:
        for section, variables in load(path).items():
            for name, raw in variables.items():
                for item in _values(raw):
                    sign = _sign(item) if isinstance(item, str) else None
                    if sign is not None:
                        signs[section, name].add(sign)
    return signs


def _sign_mismatch(simulated: str, real: set[str]) -> bool:
    """Tell whether a simulated sign contradicts what the real answers show."""
    if simulated in ("-", "-0"):
        return simulated not in real
    if simulated == "+0":
        return "-0" in real and "+0" not in real
    return bool(real) and real <= {"-", "-0", "+0"} and "-" in real


def _has(section: Any, name: str) -> bool:
    return (
        isinstance(section, dict)
        and "OBJECT_NOT_FOUND" not in section
        and name in section
        and section[name] != "VARIABLE_NOT_FOUND"
    )


def _compare(real: dict[str, Any], simulated: dict[str, Any], where: str) -> list[str]:
    """Type mismatches between one real answer and the simulator's answer to it."""
    problems = []
    for section, variables in real.items():
        for name, raw in variables.items():
            if not (_has(variables, name) and _has(simulated.get(section), name)):
                continue
            mine = simulated[section][name]
            label = f"{where} {section}.{name}"
            if isinstance(raw, list) != isinstance(mine, list):
                problems.append(f"{label}: list {raw} against {mine}")
                continue
            real_items, my_items = _values(raw), _values(mine)
            if len(real_items) != len(my_items):
                problems.append(f"{label}: {len(real_items)} items against {len(my_items)}")
            real_types = {_prefix(item) for item in real_items}
            my_types = {_prefix(item) for item in my_items}
            if real_types != my_types:
                problems.append(f"{label}: type {sorted(real_types)} against {sorted(my_types)}")
    return problems


@pytest.mark.parametrize("profile", ["legacy", "v3-0826", "v3-npu2411"])
async def test_simulator_answers_like_the_real_answers_of_its_era(
    make_sim: SimFactory, make_client: Any, profile: str
) -> None:
    sim = await make_sim(profile, start=MIDNIGHT)
    client: Client = make_client(sim)
    paths = _era(profile)
    # Types per era; signs are conventions of the measurement, so every real answer counts
    # (some variables appear in a single answer of an era).
    signs = _real_signs(ANSWERS)
    problems: list[str] = []
    compared: set[Name] = set()
    for moment in range(MOMENTS):
        for path in paths:
            real = load(path)
            # A read of the same variables (write answers too: the simulator writes nothing
            # here); FACTORY first gives the session cookie where the profile needs one.
            request = {"FACTORY": {"DEVICE_ID": ""}} | {
                section: dict.fromkeys(variables, "") for section, variables in real.items()
            }
            simulated = await client.read(request)
            where = f"{path.stem} at +{moment * 3}h:"
            problems += _compare(real, simulated, where)
            for section, variables in real.items():
                for name in variables:
                    if not (_has(variables, name) and _has(simulated.get(section), name)):
                        continue
                    compared.add((section, name))
                    for item in _values(simulated[section][name]):
                        sign = _sign(item)
                        if sign is not None and _sign_mismatch(sign, signs[section, name]):
                            problems.append(
                                f"{where} {section}.{name}: {item} is {sign}, real answers "
                                f"show {sorted(signs[section, name])}"
                            )
        sim.advance(3 * 3600)
    assert not problems, "\n".join(dict.fromkeys(problems))
    # The comparison covers what the integration reads.
    assert {
        ("ENERGY", "GUI_INVERTER_POWER"),
        ("ENERGY", "GUI_BAT_DATA_FUEL_CHARGE"),
        ("ENERGY", "STAT_STATE"),
        ("PV1", "MPP_POWER"),
    } <= compared
    if profile == "legacy":
        assert {
            ("STATISTIC", "CURRENT_STATE"),
            ("STATISTIC", "MEASURE_TIME"),
            ("BMS", "CHARGED_ENERGY"),
            ("BMS", "CYCLES"),
            ("PV1", "POWER_RATIO"),
            ("PV1", "P_TOTAL"),
        } <= compared
    else:
        assert {("PV1", "POWER_RATIO"), ("RTC", "UTC_OFFSET"), ("RTC", "WEB_TIME")} <= compared


async def test_pv_is_negative_zero_in_the_dark(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826", start=MIDNIGHT)
    answer = await make_client(sim).read(
        {"ENERGY": {"GUI_INVERTER_POWER": ""}, "PV1": {"MPP_POWER": "", "P_TOTAL": ""}}
    )
    assert answer["ENERGY"]["GUI_INVERTER_POWER"] == "fl_80000000"
    assert answer["PV1"]["MPP_POWER"] == ["fl_00000000"] * 3
    assert answer["PV1"]["P_TOTAL"] == "fl_00000000"


async def test_a_full_battery_reads_just_below_100(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826", start=MIDNIGHT + timedelta(hours=6))
    sim.advance(9 * 3600)  # a midsummer day fills the battery by the afternoon
    assert sim.truth.soc == 100.0
    answer = await make_client(sim).read({"ENERGY": {"GUI_BAT_DATA_FUEL_CHARGE": ""}})
    assert answer["ENERGY"]["GUI_BAT_DATA_FUEL_CHARGE"] == "fl_42C7FFFF"


async def test_a_request_with_a_stray_brace_is_answered(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    request = (FIXTURES / "40-issue-hasenec3-2020-11-wallbox.request.txt").read_bytes()
    with pytest.raises(ValueError):
        json.loads(request)
    reply = await client.post(None, raw=request)
    assert reply.status == 200
    assert list(reply.json()) == ["WALLBOX"]


async def test_a_section_asked_twice_answers_the_last_request_in_the_first_place(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    name = "31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed"
    request = (FIXTURES / f"{name}.request.json").read_bytes()
    reply = await client.post(None, raw=request)
    real = load(FIXTURES / f"{name}.json")
    answer = reply.json()
    assert next(iter(answer)) == next(iter(real)) == "PV1"
    assert set(answer["PV1"]) == set(real["PV1"]) == {"MPP_CUR", "MPP_VOL", "MPP_POWER"}
