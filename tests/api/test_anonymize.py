"""Identifying values replaced inside raw answers, each keeping its type prefix and length."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from custom_components.senec_home.api import NoValue, decode_answer
from custom_components.senec_home.api.anonymize import anonymize_answer, identifying

from ..real_answers import ANSWERS, FIXTURES, answer_ids, load

FULL_DUMP = FIXTURES / "29-nihaf-2022-10-v3-full-dump.json"

# Every identifying variable of the published full dump, and what it holds there.
IDENTIFYING_IN_THE_DUMP = {
    ("BAT1", "SERIAL"),
    ("BMS", "SERIAL"),
    ("BMS", "SN"),
    ("PV1", "INTERNAL_MD_SERIAL"),
    ("PV1", "INV_SERIAL"),
    ("WALLBOX", "SERIAL_NUMBER"),
    ("WALLBOX", "SERIAL_NUMBER_INTERNAL"),
    ("WALLBOX", "UID"),
    ("WIZARD", "MAC_ADDRESS_BYTES"),
    ("WIZARD", "GENERATION_METER_SN"),
    ("WIZARD", "HEATPUMP_METER_SN"),
    ("WIZARD", "POWER_METER_SERIAL"),
    ("WIZARD", "SENEC_METER_SN"),
    *(("WIZARD", f"SETUP_WALLBOX_SERIAL{n}") for n in range(4)),
    *(("WIZARD", f"SETUP_PV_INV_IP{n}") for n in range(6)),
    ("LOG", "USERNAME"),
    ("LOG", "PASSWORD"),
}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _same_form(before: str, after: str) -> bool:
    """Same type prefix and length, and zero or empty exactly where it was."""
    prefix, sep, payload = before.partition("_")
    if not sep:
        return after == before
    empty = payload in ("", "END_OF_ARRAY") or set(payload) == {"0"}
    return (
        after.partition("_")[0] == prefix
        and len(after) == len(before)
        and (after == before if empty else True)
    )


def test_the_dump_identifies_by_exactly_these_variables() -> None:
    dump = orjson.loads(FULL_DUMP.read_bytes())
    found = {
        (section, name)
        for section, variables in dump.items()
        for name in variables
        if identifying(name)
    }
    assert found == IDENTIFYING_IN_THE_DUMP
    assert identifying("DEVICE_ID")
    assert identifying("IP_ADDRESS")
    assert not identifying("USER_REBOOT_DEVICE")
    assert not identifying("APPLICATION_HASH")


def test_identifying_values_keep_their_form_and_the_rest_is_untouched() -> None:
    dump = orjson.loads(FULL_DUMP.read_bytes())
    anonymous = anonymize_answer(dump)
    changed = set()
    for section, variables in dump.items():
        assert list(anonymous[section]) == list(variables)
        for name, value in variables.items():
            after = anonymous[section][name]
            if (section, name) not in IDENTIFYING_IN_THE_DUMP:
                assert after == value, f"{section}.{name}"
                continue
            assert len(_items(after)) == len(_items(value))
            for item_before, item_after in zip(_items(value), _items(after), strict=True):
                assert _same_form(item_before, item_after), (section, name, item_before)
                if item_after != item_before:
                    changed.add((section, name))
    # Everything the dump holds that is not empty or zero was replaced.
    assert changed == {
        ("BAT1", "SERIAL"),
        ("BMS", "SN"),
        ("PV1", "INTERNAL_MD_SERIAL"),
        ("WALLBOX", "SERIAL_NUMBER"),
        ("WIZARD", "MAC_ADDRESS_BYTES"),
        ("WIZARD", "SETUP_WALLBOX_SERIAL0"),
    }
    # The original is left as it was.
    assert dump == orjson.loads(FULL_DUMP.read_bytes())


def test_sentinels_and_odd_values_of_identifying_variables() -> None:
    answer = {
        "FACTORY": {"DEVICE_ID": "VARIABLE_NOT_FOUND", "SERIAL": "MALFORMED_VALUE"},
        "WIZARD": {"SETUP_PV_INV_IP0": "u3_C0A8B217", "UNSET_SN": "u1_FFFF"},
        "NET": {"IP_ADDRESS": 3232281111, "GATEWAY": "st_192.168.178.1"},
        "ODD": {"SECTION": "OBJECT_NOT_FOUND"},
        "LIST": ["st_192.168.178.23"],
    }
    assert anonymize_answer(answer) == {
        "FACTORY": {"DEVICE_ID": "VARIABLE_NOT_FOUND", "SERIAL": "MALFORMED_VALUE"},
        "WIZARD": {"SETUP_PV_INV_IP0": "u3_00000001", "UNSET_SN": "u1_FFFF"},
        "NET": {"IP_ADDRESS": "**REDACTED**", "GATEWAY": "st_000.000.000.0"},
        "ODD": {"SECTION": "OBJECT_NOT_FOUND"},
        "LIST": ["st_000.000.000.00"],
    }


def test_addresses_in_any_text_are_replaced() -> None:
    answer = {
        "SYS": {
            "NOTE": "st_upload to 10.0.0.17 failed",
            "PEER": "st_14:1F:BA:21:22:10",
            "VERSION": "st_HMI: 3.16.20 PU: 4.3.10",
        }
    }
    assert anonymize_answer(answer) == {
        "SYS": {
            "NOTE": "st_upload to 00.0.0.00 failed",
            "PEER": "st_00:0X:XX:00:00:00",
            "VERSION": "st_HMI: 3.16.20 PU: 4.3.10",
        }
    }


@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
def test_every_real_answer_decodes_the_same_way_once_anonymized(path: Path) -> None:
    raw = load(path)
    decoded, anonymous = decode_answer(raw), decode_answer(anonymize_answer(raw))
    for section, variables in decoded.items():
        for name, value in variables.items():
            after = anonymous[section][name]
            if not identifying(name):
                assert after == value
            elif isinstance(value, NoValue):
                assert isinstance(after, NoValue)
            else:
                assert type(after) is type(value)
