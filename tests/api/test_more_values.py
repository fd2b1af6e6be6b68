"""Temperatures, grid meter, modules and wallboxes: what the snapshot makes of them."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.senec_home.api import (
    WALLBOX_STATES,
    Snapshot,
    decode_answer,
    encode_value,
    wallbox_state_key,
)


def snapshot(answer: dict[str, dict[str, Any]]) -> Snapshot:
    return Snapshot.from_answer(decode_answer(answer), answer)


def fl(value: float) -> str:
    return encode_value(value, "fl")


@pytest.mark.parametrize(
    ("reading", "shown"),
    [(-155.0, None), (-126.0, None), (-40.0, -40.0), (36.5, 36.5), (100.0, 100.0), (101.0, None)],
)
def test_temperatures_outside_the_plausible_range_are_no_value(
    reading: float, shown: float | None
) -> None:
    data = snapshot(
        {"TEMPMEASURE": {"MCU_TEMP": fl(reading), "BATTERY_TEMP": fl(reading), "CASE_TEMP": fl(0)}}
    )
    assert data.mcu_temperature == shown
    assert data.battery_temperature == shown
    assert data.case_temperature == 0.0


def test_a_disabled_grid_meter_is_known_as_such() -> None:
    meter = {"P_AC": [fl(-300), fl(100), fl(50)], "FREQ": fl(50.02)}
    assert snapshot({"PM1OBJ1": {**meter, "ENABLED": "u8_01"}}).grid_meter_enabled
    assert snapshot({"PM1OBJ1": meter}).grid_meter_enabled  # not asked: enabled
    disabled = snapshot({"PM1OBJ1": {**meter, "ENABLED": "u8_00"}})
    assert not disabled.grid_meter_enabled
    assert disabled.phase_power == (-300.0, 100.0, 50.0)


def test_cells_keep_plausible_readings_per_module_letter() -> None:
    data = snapshot(
        {
            "BMS": {
                # Module A answered, B not asked, C with an empty slot's zeros and a glitch.
                "CELL_VOLTAGES_MODULE_A": ["u1_0CE4", "u1_0CF0", "u1_0CDA"],
                "CELL_VOLTAGES_MODULE_C": ["u1_0000", "u1_FFFF", "u1_0D00"],
                "CELL_TEMPERATURES_MODULE_A": ["i8_19", "i8_F6", "i8_9C"],
            }
        }
    )
    assert data.cell_voltages == ((3300.0, 3312.0, 3290.0), None, (3328.0,))
    # i8: 25, -10 and -100 degC; -100 is out of range.
    assert data.cell_temperatures == ((25.0, -10.0),)


def _wallbox(**variables: list[str]) -> Snapshot:
    return snapshot({"WALLBOX": variables})


def test_a_wallbox_is_where_the_hardware_type_says() -> None:
    # As a full V3 answer with one wallbox shows it.
    data = _wallbox(
        HW_TYPE=["u8_14", "u8_00", "u8_00", "u8_00"],
        SERIAL_NUMBER=["st_123456", "st_", "st_", "st_"],
        STATE=["u8_F4", "u8_00", "u8_00", "u8_00"],
        APPARENT_CHARGING_POWER=[fl(0), fl(0), fl(0), fl(0)],
    )
    assert data.wallboxes == (0,)
    assert data.wallbox_state[0] == 0xF4
    assert wallbox_state_key(0xF4) == "upstream_timeout"


def test_a_wallbox_by_serial_number_when_no_hardware_type_is_answered() -> None:
    data = _wallbox(SERIAL_NUMBER=["st_", "st_98765", "st_", "st_"])
    assert data.wallboxes == (1,)


def test_without_type_or_serial_a_charging_or_plugged_slot_is_a_wallbox() -> None:
    charging = _wallbox(APPARENT_CHARGING_POWER=[fl(20514.3), fl(0), fl(0), fl(0)])
    assert charging.wallboxes == (0,)
    assert charging.wallbox_total_power == pytest.approx(20514.3, rel=1e-6)
    plugged = _wallbox(EV_CONNECTED=["u8_00", "u8_00", "u8_01", "u8_00"])
    assert plugged.wallboxes == (2,)
    assert plugged.wallbox_ev_connected == (False, False, True, False)
    idle = _wallbox(
        APPARENT_CHARGING_POWER=[fl(0)] * 4, EV_CONNECTED=["u8_00"] * 4, L1_USED=["u8_00"] * 4
    )
    assert idle.wallboxes == ()
    assert idle.wallbox_total_power == 0.0


def test_phases_used_count_the_set_flags() -> None:
    data = _wallbox(
        L1_USED=["u8_01", "u8_01", "u8_00", "u8_00"],
        L2_USED=["u8_01", "u8_00", "u8_00", "u8_00"],
        L3_USED=["u8_01", "u8_00", "u8_00", "VARIABLE_NOT_FOUND"],
    )
    assert data.wallbox_phases_used == (3, 1, 0, None)


def test_unknown_wallbox_state_codes_keep_their_number() -> None:
    data = _wallbox(STATE=["u8_77", "u8_C2", "u8_00", "u8_00"])
    assert data.wallbox_state[:2] == (0x77, 0xC2)
    assert wallbox_state_key(0x77) is None
    assert wallbox_state_key(0xC2) == "charging"
    assert len(set(WALLBOX_STATES.values())) == len(WALLBOX_STATES)


def test_a_negative_charging_power_is_none_of_the_cars_business() -> None:
    data = _wallbox(APPARENT_CHARGING_POWER=[fl(-3.0), fl(0), fl(0), fl(0)])
    assert data.wallbox_power[0] == 0.0
