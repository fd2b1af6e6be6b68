"""Every published real answer through the codec and the models, and the facts they show.

The expected values come from :func:`tests.real_answers.meaning` (``struct`` and ``int`` on
the raw strings), not from the codec under test.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from custom_components.senec_home.api import NoValue, Reason, Snapshot, decode_answer, parse_answer
from custom_components.senec_home.api.codec import Value

from ..real_answers import (
    ANSWERS,
    FIXTURES,
    answer_ids,
    answered,
    is_negative_zero,
    items,
    load,
    meaning,
    protocol,
    provenance,
)


def _snapshot(name: str) -> tuple[dict[str, Any], Snapshot]:
    """Load one fixture by file name and build the snapshot from it."""
    path = FIXTURES / name
    raw = load(path)
    return raw, Snapshot.from_answer(parse_answer(path.read_bytes()), raw)


def _same(decoded: Value, raw: str) -> bool:
    """Tell whether one decoded value is the independent meaning of ``raw``."""
    expected = meaning(raw)
    if expected is None:
        return isinstance(decoded, NoValue) and decoded.raw == raw
    if isinstance(expected, float):
        return (
            isinstance(decoded, float)
            and decoded == expected
            and math.copysign(1.0, decoded) == math.copysign(1.0, expected)
        )
    return type(decoded) is type(expected) and decoded == expected


def test_every_answer_has_its_provenance_and_every_provenance_its_answer() -> None:
    table = provenance()
    assert {path.stem for path in ANSWERS} == set(table)
    assert len(table) >= 27
    for stem, row in table.items():
        assert row["source"], stem
        assert protocol(row) in ("http", "https"), stem


@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
def test_every_value_decodes_to_its_meaning(path: Path) -> None:
    raw = load(path)
    answer = parse_answer(path.read_bytes())
    assert list(answer) == list(raw)
    for section, variables in raw.items():
        if "OBJECT_NOT_FOUND" in variables:
            # The appliance has no such section at all: it decodes empty.
            assert answer[section] == {}, section
            continue
        assert list(answer[section]) == list(variables), section
        for name, value in variables.items():
            decoded = answer[section][name]
            if isinstance(value, list):
                assert isinstance(decoded, tuple)
                kept = items(value)
                assert len(decoded) == len(kept), f"{section}.{name}"
                for item, item_raw in zip(decoded, kept, strict=True):
                    assert _same(item, item_raw), f"{section}.{name}: {item!r} for {item_raw}"
            else:
                assert _same(decoded, value), f"{section}.{name}: {decoded!r} for {value}"


@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
def test_no_snapshot_value_is_negative_zero(path: Path) -> None:
    raw = load(path)
    snapshot = Snapshot.from_answer(parse_answer(path.read_bytes()), raw)
    for field in dataclasses.fields(snapshot):
        value = getattr(snapshot, field.name)
        values = value if isinstance(value, tuple) else (value,)
        assert not any(is_negative_zero(v) for v in values), field.name
    for total in dataclasses.astuple(snapshot.totals):
        assert not is_negative_zero(total)


@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
def test_the_snapshot_knows_which_variables_the_appliance_has(path: Path) -> None:
    raw = load(path)
    snapshot = Snapshot.from_answer(parse_answer(path.read_bytes()), raw)
    expected = {
        (section, name)
        for section, variables in raw.items()
        for name in variables
        if answered(raw, section, name)
    }
    assert snapshot.answered == expected


def test_night_pv_is_sent_as_negative_zero_and_published_as_zero() -> None:
    for name in (
        "05-gem-2023-09-08-first-https-0825-negzero.json",
        "24-lehmann-2021-12-v3duo-0811-energy.json",
    ):
        raw, snapshot = _snapshot(name)
        assert raw["ENERGY"]["GUI_INVERTER_POWER"] == "fl_80000000"
        assert snapshot.pv_power == 0.0
        assert math.copysign(1.0, snapshot.pv_power) == 1.0


def test_module_energies_are_milliwatt_hours() -> None:
    raw, snapshot = _snapshot("12-collector-2021-10-05-statistic-bms-wallbox-charging.json")
    charged_mwh = sum(int(v[3:], 16) for v in raw["BMS"]["CHARGED_ENERGY"])
    discharged_mwh = sum(int(v[3:], 16) for v in raw["BMS"]["DISCHARGED_ENERGY"])
    # The snapshot has Wh per module.
    assert sum(v or 0 for v in snapshot.module_charged_energy) == pytest.approx(charged_mwh / 1000)
    charged_kwh = sum(v or 0 for v in snapshot.module_charged_energy) / 1000
    discharged_kwh = sum(v or 0 for v in snapshot.module_discharged_energy) / 1000
    assert charged_kwh == pytest.approx(1284.6, abs=0.1)
    assert discharged_kwh == pytest.approx(discharged_mwh / 1e6)
    # About 95 % of the appliance's own battery totals: the modules count on the DC side.
    assert snapshot.totals.battery_charge is not None
    assert snapshot.totals.battery_discharge is not None
    assert 0.9 < charged_kwh / snapshot.totals.battery_charge < 1.0
    assert 0.9 < discharged_kwh / snapshot.totals.battery_discharge < 1.0
    assert snapshot.module_cycles == (63.0, 65.0, 66.0, 63.0)


def test_p_total_has_the_opposite_sign_of_the_inverter_power() -> None:
    _, snapshot = _snapshot("12-collector-2021-10-05-statistic-bms-wallbox-charging.json")
    assert snapshot.pv_power == pytest.approx(843.0, abs=0.01)
    assert snapshot.pv_p_total == -snapshot.pv_power


def test_house_power_leaves_the_wallbox_out() -> None:
    raw, snapshot = _snapshot("12-collector-2021-10-05-statistic-bms-wallbox-charging.json")
    wallbox = meaning(raw["WALLBOX"]["APPARENT_CHARGING_POWER"][0])
    assert isinstance(wallbox, float)
    assert snapshot.grid_power is not None
    assert snapshot.pv_power is not None
    assert snapshot.battery_power is not None
    assert snapshot.house_power is not None
    supply = snapshot.grid_power + snapshot.pv_power - snapshot.battery_power
    assert supply == pytest.approx(snapshot.house_power + wallbox, rel=0.001)
    _, later = _snapshot("15-collector-2023-09-24-house-zero-wallbox-charging.json")
    assert later.house_power == 0.0


def test_state_of_charge_near_full_and_empty() -> None:
    assert _snapshot("02-gem-2023-02-26-soc100-mpp.json")[1].battery_soc == 100.0
    assert _snapshot("03-gem-2023-08-17-soc99.99-last-statistic.json")[1].battery_soc == (
        pytest.approx(99.99999, abs=1e-5)
    )
    winter = _snapshot("07-gem-2023-12-11-0826-soc0-winter.json")[1]
    assert winter.battery_soc == 0.0
    assert winter.battery_voltage == pytest.approx(45.93, abs=0.01)


def test_an_offline_battery_reads_zero_everywhere() -> None:
    _, snapshot = _snapshot("14-collector-2022-03-09-battery-all-zero.json")
    assert (
        snapshot.battery_soc,
        snapshot.battery_voltage,
        snapshot.battery_current,
        snapshot.battery_power,
    ) == (0.0, 0.0, 0.0, 0.0)
    assert snapshot.statistic_state == 70


def test_statistic_types_before_0825() -> None:
    _, snapshot = _snapshot("01-gem-2022-11-13-statistic-http.json")
    assert snapshot.statistic_state == 14
    # i3 unix seconds, UTC: the second the answer was recorded.
    assert snapshot.measure_time == datetime(2022, 11, 13, 8, 30, 5, tzinfo=UTC).timestamp()
    duo_raw, duo = _snapshot("27-lehmann-2021-12-v3duo-0811-statistic.json")
    assert duo.measure_time == datetime(2021, 12, 3, 6, 31, 1, tzinfo=UTC).timestamp()
    assert duo.statistic_state == 15
    assert duo.totals.battery_charge == meaning(duo_raw["STATISTIC"]["LIVE_BAT_CHARGE_MASTER"])
    assert duo.totals.house_consumption == meaning(duo_raw["STATISTIC"]["LIVE_HOUSE_CONS"])


def test_power_ratio_is_u3_before_0825_and_float_after() -> None:
    old_raw, old = _snapshot("12-collector-2021-10-05-statistic-bms-wallbox-charging.json")
    new_raw, new = _snapshot("06-gem-2023-09-29-power-ratio-float.json")
    assert old_raw["PV1"]["POWER_RATIO"] == "u3_00000064"
    assert new_raw["PV1"]["POWER_RATIO"] == "fl_42C80000"
    assert old.export_limit == new.export_limit == 100.0


def test_statistic_variable_not_found_on_current_firmware() -> None:
    _, snapshot = _snapshot("31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json")
    assert not snapshot.totals.available
    assert snapshot.statistic_state is None
    assert ("STATISTIC", "CURRENT_STATE") not in snapshot.answered
    assert ("ENERGY", "GUI_INVERTER_POWER") in snapshot.answered
    assert len(snapshot.mpp_power) == 3


def test_rtc_utc_offset_is_i3_minutes() -> None:
    summer = decode_answer(load(FIXTURES / "04-gem-2023-08-27-appversion-3824.json"))
    winter = decode_answer(load(FIXTURES / "07-gem-2023-12-11-0826-soc0-winter.json"))
    assert summer["RTC"]["UTC_OFFSET"] == 120
    assert winter["RTC"]["UTC_OFFSET"] == 60


def test_u6_values_and_wide_lists() -> None:
    statistic = decode_answer(load(FIXTURES / "27-lehmann-2021-12-v3duo-0811-statistic.json"))[
        "STATISTIC"
    ]
    assert statistic["LIVE_WB_ENERGY"] == (0, 0, 0, 0)
    assert statistic["STAT_SUM_E_PU"] == (0,) * 6
    assert statistic["LIVE_PU_ENERGY"] == (0.0,) * 6


# What the published answers show but none of the 24 files happens to contain (see the
# fixture README): the codec copes with each.


def test_arrays_of_different_lengths_end_markers_and_empty_strings_in_one_section() -> None:
    answer = decode_answer(
        {
            "S": {
                "THREE": ["fl_00000000", "fl_3F800000", "fl_40000000"],
                "FOUR": ["u8_01", "u8_00", "u8_00", "u8_00"],
                "NAMES": ["st_a", "st_", "st_END_OF_ARRAY", "st_", "st_"],
                "EMPTY": "st_",
                "UNSET": "u1_FFFF",
            }
        }
    )["S"]
    assert answer["THREE"] == (0.0, 1.0, 2.0)
    assert answer["FOUR"] == (1, 0, 0, 0)
    assert answer["NAMES"] == ("a", "")
    assert answer["EMPTY"] == ""
    assert answer["UNSET"] == NoValue(Reason.UNSET, "u1_FFFF")


def test_a_duplicate_key_keeps_the_last_value() -> None:
    answer = parse_answer(
        b'{"PV1":{"POWER_RATIO":"u3_00000064"},"PV1":{"MPP_POWER":["fl_00000000"]}}'
    )
    assert answer == {"PV1": {"MPP_POWER": (0.0,)}}
