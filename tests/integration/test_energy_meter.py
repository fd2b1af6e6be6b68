"""The six lifetime totals: appliance counters or integrated power, and never decreasing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.senec_home.api import Snapshot, decode_answer, encode_value
from custom_components.senec_home.energy import EnergyMeter, Source, Total

STAT_NAMES = {
    Total.GRID_IMPORT: "LIVE_GRID_IMPORT",
    Total.GRID_EXPORT: "LIVE_GRID_EXPORT",
    Total.SOLAR: "LIVE_PV_GEN",
    Total.BATTERY_CHARGE: "LIVE_BAT_CHARGE",
    Total.BATTERY_DISCHARGE: "LIVE_BAT_DISCHARGE",
    Total.HOUSE: "LIVE_HOUSE_CONS",
}


def snap(
    *,
    grid: float = 0.0,
    pv: float = 0.0,
    battery: float = 0.0,
    house: float = 0.0,
    totals: dict[Total, float] | None = None,
) -> Snapshot:
    """A snapshot decoded from an answer with these powers (W) and totals (kWh)."""
    energy = {
        "GUI_GRID_POW": encode_value(grid, "fl"),
        "GUI_INVERTER_POWER": encode_value(pv, "fl"),
        "GUI_BAT_DATA_POWER": encode_value(battery, "fl"),
        "GUI_HOUSE_POW": encode_value(house, "fl"),
    }
    statistic = {STAT_NAMES[t]: encode_value(v, "fl") for t, v in (totals or {}).items()}
    return Snapshot.from_answer(decode_answer({"ENERGY": energy, "STATISTIC": statistic}), {})


# The six totals the appliance counts itself on older firmware (not the wallbox).
COUNTED = tuple(STAT_NAMES)


def all_totals(value: float) -> dict[Total, float]:
    """The same reading for every total the appliance counts."""
    return dict.fromkeys(COUNTED, value)


def test_integrates_power_with_the_trapezoid_rule() -> None:
    meter = EnergyMeter(max_gap=60)
    meter.update(snap(grid=1000, pv=0, battery=-500, house=1500), 0)
    meter.update(snap(grid=3000, pv=0, battery=-500, house=3500), 10)
    # (1000 + 3000) / 2 W for 10 s = 20 000 J = 0.00555.. kWh
    assert meter.value(Total.GRID_IMPORT) == pytest.approx(20_000 / 3_600_000)
    assert meter.value(Total.GRID_EXPORT) == 0.0
    assert meter.value(Total.BATTERY_DISCHARGE) == pytest.approx(5_000 / 3_600_000)
    assert meter.value(Total.BATTERY_CHARGE) == 0.0
    assert meter.value(Total.HOUSE) == pytest.approx(25_000 / 3_600_000)
    assert meter.source(Total.HOUSE) is Source.INTEGRATED


def test_export_and_charge_come_from_negative_and_positive_signs() -> None:
    meter = EnergyMeter(max_gap=60)
    meter.update(snap(grid=-3600, pv=5000, battery=1000), 0)
    meter.update(snap(grid=-3600, pv=5000, battery=1000), 3600 / 100)
    assert meter.value(Total.GRID_EXPORT) == pytest.approx(0.036)
    assert meter.value(Total.GRID_IMPORT) == 0.0
    assert meter.value(Total.SOLAR) == pytest.approx(0.05)
    assert meter.value(Total.BATTERY_CHARGE) == pytest.approx(0.01)


def test_no_energy_is_invented_across_a_long_outage() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=2000), 0)
    meter.update(snap(house=2000), 10)
    before = meter.value(Total.HOUSE)
    meter.update(snap(house=2000), 10 + 3600)  # an hour without answers
    assert meter.value(Total.HOUSE) == before
    meter.update(snap(house=2000), 3620)  # and counting resumes afterwards
    assert meter.value(Total.HOUSE) == pytest.approx(before + 2000 * 10 / 3_600_000)


def test_a_missing_power_reading_bridges_from_the_last_good_one() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=3600), 0)
    meter.update(snap(house=math.nan), 10)
    assert meter.value(Total.HOUSE) == 0.0
    meter.update(snap(house=3600), 20)
    assert meter.value(Total.HOUSE) == pytest.approx(3600 * 20 / 3_600_000)


def test_follows_the_appliance_counters_where_the_firmware_has_them() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=500, totals=all_totals(1000.0)), 0)
    assert meter.value(Total.HOUSE) == 1000.0
    assert meter.source(Total.HOUSE) is Source.APPLIANCE
    meter.update(snap(house=500, totals=all_totals(1000.2)), 10)
    assert meter.value(Total.HOUSE) == pytest.approx(1000.2)


@pytest.mark.parametrize("glitch", [0.0, math.nan, 999.0, 5e6])
def test_appliance_glitches_never_move_a_total(glitch: float) -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(totals=all_totals(1000.0)), 0)
    meter.update(snap(totals=all_totals(glitch)), 10)
    assert all(meter.value(total) == 1000.0 for total in COUNTED)
    assert all(meter.source(total) is Source.APPLIANCE for total in COUNTED)
    meter.update(snap(totals=all_totals(1000.25)), 20)
    assert all(meter.value(total) == 1000.25 for total in COUNTED)


def test_an_implausible_jump_is_ignored_unless_it_lasts() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(totals=all_totals(1000.0)), 0)
    # 0.5 kWh in 10 s would be 180 kW: no home system moves that.
    meter.update(snap(totals=all_totals(1000.5)), 10)
    assert meter.value(Total.SOLAR) == 1000.0
    # After an hour without polls the same step is plausible.
    meter.update(snap(totals=all_totals(1002.0)), 3610)
    assert meter.value(Total.SOLAR) == 1002.0


def test_a_lasting_counter_reset_is_followed_without_decreasing() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(totals=all_totals(1000.0)), 0)
    for step, reading in enumerate((5.0, 5.1, 5.2, 5.3), start=1):
        meter.update(snap(totals=all_totals(reading)), step * 10)
        assert meter.value(Total.GRID_IMPORT) >= 1000.0
    # Three lower readings in a row rebase; the fourth counts its 0.1 kWh on top.
    assert meter.value(Total.GRID_IMPORT) == pytest.approx(1000.1)


def test_source_changes_keep_the_total_continuous() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=3600, totals=all_totals(500.0)), 0)
    # Firmware update: STATISTIC is gone. Two polls hold (could be a glitch), the
    # third hands over to integration, which counts from that interval on.
    for second in (10, 20):
        meter.update(snap(house=3600), second)
        assert meter.value(Total.HOUSE) == 500.0
        assert meter.source(Total.HOUSE) is Source.APPLIANCE
    meter.update(snap(house=3600), 30)
    assert meter.source(Total.HOUSE) is Source.INTEGRATED
    assert meter.value(Total.HOUSE) == pytest.approx(500.01)
    meter.update(snap(house=3600), 40)
    assert meter.value(Total.HOUSE) == pytest.approx(500.02)
    # The counters come back (lower than our total): we continue from our own value.
    meter.update(snap(house=3600, totals=all_totals(200.0)), 50)
    assert meter.source(Total.HOUSE) is Source.APPLIANCE
    assert meter.value(Total.HOUSE) == pytest.approx(500.02)
    meter.update(snap(house=3600, totals=all_totals(200.2)), 60)
    assert meter.value(Total.HOUSE) == pytest.approx(500.22)


def test_state_survives_a_restart_and_bad_stored_data_is_ignored() -> None:
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=3600, totals={Total.GRID_IMPORT: 42.0}), 0)
    meter.update(snap(house=3600, totals={Total.GRID_IMPORT: 42.2}), 10)
    restored = EnergyMeter(max_gap=50)
    restored.restore(meter.as_dict())
    assert restored.as_dict() == meter.as_dict()
    restored.update(snap(house=3600, totals={Total.GRID_IMPORT: 42.4}), 20)
    assert restored.value(Total.GRID_IMPORT) == pytest.approx(42.4)
    assert restored.value(Total.HOUSE) == pytest.approx(0.02)

    broken = EnergyMeter(max_gap=50)
    broken.restore({"house_energy": {"value": "x", "source": "nonsense"}, "solar_energy": 3})
    broken.restore(None)
    assert broken.value(Total.HOUSE) is None
    assert broken.source(Total.HOUSE) is Source.INTEGRATED


_READING = st.one_of(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.just(math.nan),
    st.just(0.0),
    st.none(),
)
_POWER = st.one_of(st.floats(min_value=-20_000, max_value=20_000), st.just(math.nan))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_POWER, _READING, st.floats(min_value=0.1, max_value=400)),
        min_size=1,
        max_size=40,
    )
)
def test_no_sequence_of_readings_ever_decreases_a_total(
    polls: list[tuple[float, float | None, float]],
) -> None:
    meter = EnergyMeter(max_gap=50)
    now, last = 0.0, dict.fromkeys(Total, 0.0)
    for power, reading, elapsed in polls:
        now += elapsed
        totals = {} if reading is None else all_totals(reading)
        meter.update(snap(grid=power, pv=power, battery=power, house=power, totals=totals), now)
        for total in COUNTED:
            value = meter.value(total)
            assert value is not None
            assert math.isfinite(value)
            assert value >= last[total]
            last[total] = value


def test_counters_that_stay_at_zero_hand_over_to_integration() -> None:
    # A 0 is "no reading", not a counter reset: when it lasts, the power readings take over
    # (from the value already shown), rather than following a counter that restarts at 0.
    meter = EnergyMeter(max_gap=50)
    meter.update(snap(house=3600, totals=all_totals(1000.0)), 0)
    for step in range(1, 4):
        meter.update(snap(house=3600, totals=all_totals(0.0)), step * 10)
        assert meter.value(Total.HOUSE) >= 1000.0
    assert meter.source(Total.HOUSE) is Source.INTEGRATED
    assert meter.value(Total.HOUSE) == pytest.approx(1000.01)  # 3.6 kW for the last 10 s
    meter.update(snap(house=3600, totals=all_totals(0.0)), 40)
    assert meter.value(Total.HOUSE) == pytest.approx(1000.02)


def test_totals_stored_before_the_wallbox_total_existed_load_unchanged() -> None:
    """The stored format only gained a key: the previous release's file loads as it is."""
    previous = EnergyMeter(max_gap=50)
    previous.update(snap(house=3600, pv=1800), 0)
    previous.update(snap(house=3600, pv=1800), 10)
    stored = previous.as_dict()
    stored.pop(Total.WALLBOX.value)  # what the previous release wrote
    meter = EnergyMeter(max_gap=50)
    meter.restore(stored)
    assert meter.value(Total.HOUSE) == pytest.approx(0.01)
    assert meter.value(Total.SOLAR) == pytest.approx(0.005)
    assert meter.value(Total.WALLBOX) is None
    # The wallbox total starts at 0 and only counts what the wallbox charges from then on.
    charging = Snapshot.from_answer(
        decode_answer({"WALLBOX": {"APPARENT_CHARGING_POWER": [encode_value(11000.0, "fl")]}}),
        {},
    )
    meter.update(charging, 20)
    meter.update(charging, 30)
    assert meter.value(Total.WALLBOX) == pytest.approx(11000 * 10 / 3_600_000)
    assert meter.value(Total.HOUSE) == pytest.approx(0.01)
