"""The split power sensors and the bounded readings, value by value.

The README promises: the split sensors (grid import/export, battery charge/discharge) are
never negative, and readings within 5 W of zero count as zero, so an idle battery does not
flicker between charging and discharging. Readings outside what is physically possible
(a state of charge above 100 %) are no value, never a number on a graph.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.senec_home.api import Snapshot, decode_answer, encode_value
from custom_components.senec_home.sensor import SENSORS, SenecSensorEntityDescription

DESCRIPTIONS: dict[str, SenecSensorEntityDescription] = {d.key: d for d in SENSORS}


def snapshot(**energy: float) -> Snapshot:
    """A snapshot decoded from an answer with these `ENERGY` floats (and `PV1.POWER_RATIO`)."""
    ratio = energy.pop("POWER_RATIO", None)
    answer: dict[str, dict[str, str]] = {
        "ENERGY": {name: encode_value(value, "fl") for name, value in energy.items()}
    }
    if ratio is not None:
        answer["PV1"] = {"POWER_RATIO": encode_value(ratio, "fl")}
    return Snapshot.from_answer(decode_answer(answer), {})


def value(key: str, data: Snapshot) -> object:
    """What the sensor `key` shows for `data`."""
    return DESCRIPTIONS[key].value_fn(data)


@pytest.mark.parametrize(
    ("watts", "charge", "discharge"),
    [
        (0.0, 0.0, 0.0),
        (3.0, 0.0, 0.0),  # idle noise
        (-4.5, 0.0, 0.0),
        (5.0, 0.0, 0.0),  # "within 5 W" includes 5 W
        (-5.0, 0.0, 0.0),
        (5.5, 5.5, 0.0),
        (-6.0, 0.0, 6.0),
        (2500.0, 2500.0, 0.0),
        (-1800.0, 0.0, 1800.0),
    ],
)
def test_battery_charge_and_discharge_power(watts: float, charge: float, discharge: float) -> None:
    data = snapshot(GUI_BAT_DATA_POWER=watts)
    assert value("battery_charge_power", data) == pytest.approx(charge)
    assert value("battery_discharge_power", data) == pytest.approx(discharge)
    # The signed sensor keeps the reading as it is, noise included.
    assert value("battery_power", data) == pytest.approx(watts)


@pytest.mark.parametrize(
    ("watts", "imported", "exported"),
    [
        (4.0, 0.0, 0.0),
        (-2.0, 0.0, 0.0),
        (12.0, 12.0, 0.0),
        (-3200.0, 0.0, 3200.0),
    ],
)
def test_grid_import_and_export_power(watts: float, imported: float, exported: float) -> None:
    data = snapshot(GUI_GRID_POW=watts)
    assert value("grid_import_power", data) == pytest.approx(imported)
    assert value("grid_export_power", data) == pytest.approx(exported)
    assert value("grid_power", data) == pytest.approx(watts)


def test_split_sensors_have_no_value_when_the_reading_is_missing() -> None:
    data = snapshot()
    for key in ("grid_import_power", "grid_export_power"):
        assert value(key, data) is None
    for key in ("battery_charge_power", "battery_discharge_power"):
        assert value(key, data) is None


@pytest.mark.parametrize(
    ("fuel", "shown"),
    [(0.0, 0.0), (57.25, 57.25), (100.0, 100.0), (100.5, None), (-1.0, None), (255.0, None)],
)
def test_state_of_charge_is_a_percentage_or_no_value(fuel: float, shown: float | None) -> None:
    assert value("battery_soc", snapshot(GUI_BAT_DATA_FUEL_CHARGE=fuel)) == shown


@pytest.mark.parametrize(
    ("volts", "shown"), [(0.0, 0.0), (51.3, pytest.approx(51.3)), (1000.5, None), (-2.0, None)]
)
def test_battery_voltage_outside_what_is_possible_is_no_value(volts: float, shown: object) -> None:
    assert value("battery_voltage", snapshot(GUI_BAT_DATA_VOLTAGE=volts)) == shown


@pytest.mark.parametrize(("ratio", "shown"), [(70.0, 70.0), (100.0, 100.0), (180.0, None)])
def test_export_limit_is_a_percentage_or_no_value(ratio: float, shown: float | None) -> None:
    assert value("export_limit", snapshot(POWER_RATIO=ratio)) == shown


@pytest.mark.parametrize("stamp", [1_782_000_000, 1_782_000_000_000])
def test_measure_time_in_seconds_or_milliseconds(stamp: int) -> None:
    answer = {"STATISTIC": {"MEASURE_TIME": encode_value(stamp, "u6")}}
    data = Snapshot.from_answer(decode_answer(answer), {})
    assert data.measure_time == 1_782_000_000
    shown = DESCRIPTIONS["measure_time"].value_fn(data)
    assert isinstance(shown, datetime)
    assert shown.timestamp() == 1_782_000_000
