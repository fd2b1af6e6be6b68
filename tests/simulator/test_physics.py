"""The simulated house is physically consistent, bounded and reproducible."""

from __future__ import annotations

import math
from dataclasses import astuple, fields
from datetime import UTC, datetime, timedelta

import pytest

from senec_simulator import Energies, Simulator, Truth

SUMMER = datetime(2026, 6, 21, 0, 0, tzinfo=UTC)
WINTER = datetime(2026, 12, 21, 0, 0, tzinfo=UTC)
COUNTERS = [f.name for f in fields(Energies)]
LIMITS = {"legacy": (5000.0, 2500.0, 2500.0), "v3-0826": (7500.0, 2500.0, 3750.0)}


def sample(sim: Simulator, step: float, count: int) -> list[Truth]:
    """Advance in steps and return the truth after each one."""
    out = []
    for _ in range(count):
        sim.advance(step)
        out.append(sim.truth)
    return out


@pytest.mark.parametrize("start", [SUMMER, WINTER])
def test_energy_balance_holds_at_every_sample(start: datetime) -> None:
    sim = Simulator("v3-0826", seed=3, start=start)
    for t in sample(sim, 97.3, 900):
        assert t.house_power == pytest.approx(t.pv_power - t.battery_power + t.grid_power, abs=1e-9)


def test_counters_only_grow_over_a_day() -> None:
    sim = Simulator("legacy", seed=1, start=SUMMER)
    first = sim.truth
    previous = first
    for t in sample(sim, 60, 24 * 60):
        for name in COUNTERS:
            assert getattr(t, name) >= getattr(previous, name), name
        previous = t
    for name in ("pv_generated", "house_consumed", "grid_exported", "battery_charged"):
        assert getattr(previous, name) > getattr(first, name) + 1, name


def test_counters_are_exact_integrals_of_the_reported_powers() -> None:
    """Summing power x 1 s over each second gives the counters, import and export split."""
    sim = Simulator("v3-0826", seed=2, start=SUMMER + timedelta(hours=5))
    before = sim.truth.since_start
    sums = dict.fromkeys(COUNTERS, 0.0)
    for _ in range(3600):
        t = sim.truth
        sums["pv_generated"] += t.pv_power
        sums["house_consumed"] += t.house_power
        sums["grid_imported"] += max(t.grid_power, 0.0)
        sums["grid_exported"] += max(-t.grid_power, 0.0)
        sums["battery_charged"] += max(t.battery_power, 0.0)
        sums["battery_discharged"] += max(-t.battery_power, 0.0)
        sim.advance(1.0)
    after = sim.truth.since_start
    for name in COUNTERS:
        delta = getattr(after, name) - getattr(before, name)
        assert delta == pytest.approx(sums[name] / 3_600_000, rel=1e-9, abs=1e-12), name
    assert sums["pv_generated"] > 0


def test_fractional_steps_integrate_like_whole_ones() -> None:
    coarse = Simulator("v3-0826", seed=4, start=SUMMER + timedelta(hours=9, seconds=0.4))
    fine = Simulator("v3-0826", seed=4, start=SUMMER + timedelta(hours=9, seconds=0.4))
    coarse.advance(1800)
    for _ in range(7200):
        fine.advance(0.25)
    a, b = coarse.truth, fine.truth
    assert b.now == a.now
    for name in COUNTERS:
        assert getattr(b.since_start, name) == pytest.approx(getattr(a.since_start, name))
    assert b.soc == pytest.approx(a.soc)
    assert b.battery_power == a.battery_power


def test_lifetime_counters_are_offsets_plus_integrals() -> None:
    sim = Simulator("legacy", seed=5, start=SUMMER)
    sim.advance(3 * 3600 + 0.5)
    t = sim.truth
    for name in COUNTERS:
        assert getattr(t, name) == getattr(t.offsets, name) + getattr(t.since_start, name)
    o = t.offsets
    assert o.house_consumed == pytest.approx(
        o.pv_generated
        - o.battery_charged
        + o.battery_discharged
        + o.grid_imported
        - o.grid_exported
    )
    assert o.pv_generated > 1000


@pytest.mark.parametrize("profile", ["legacy", "v3-0826"])
@pytest.mark.parametrize("start", [SUMMER, WINTER])
def test_battery_stays_within_capacity_and_power_limits(profile: str, start: datetime) -> None:
    capacity, max_charge, max_discharge = LIMITS[profile]
    sim = Simulator(profile, seed=1, start=start)
    truths = sample(sim, 120, 3 * 720)
    for t in truths:
        assert 0.0 <= t.soc <= 100.0
        assert -max_discharge <= t.battery_power <= max_charge
    socs = [t.soc for t in truths]
    assert max(socs) - min(socs) > 20, "the battery should actually be used"
    stored_change = (truths[-1].soc - truths[0].soc) / 100 * capacity / 1000
    charged = truths[-1].battery_charged - truths[0].battery_charged
    discharged = truths[-1].battery_discharged - truths[0].battery_discharged
    # Losses: what goes in minus what comes out is more than what stays inside.
    assert charged - discharged > stored_change


def test_summer_fills_the_battery_and_exports_winter_empties_it_and_imports() -> None:
    summer = sample(Simulator("legacy", seed=1, start=SUMMER), 120, 2 * 720)
    assert any(t.soc == 100.0 and t.state == 13 and t.grid_power < 0 for t in summer)
    winter = sample(Simulator("legacy", seed=1, start=WINTER), 120, 2 * 720)
    assert any(t.soc == 0.0 and t.state == 15 and t.grid_power > 0 for t in winter)


def test_state_codes_match_the_situation() -> None:
    sim = Simulator("v3-0826", seed=2, start=WINTER)
    seen = set()
    for t in sample(sim, 150, 3 * 576):
        seen.add(t.state)
        if t.battery_power > 0.5:
            assert t.state == 14
        elif t.battery_power < -0.5:
            assert t.state == (17 if t.pv_power > 0 else 16)
        elif t.soc == 100.0 and t.pv_power > t.house_power:
            assert t.state == 13
        elif t.soc == 0.0 and t.pv_power < t.house_power:
            assert t.state == 15
        else:
            assert t.state == 21
    assert {13, 14, 15, 16, 17} <= seen


def test_pv_follows_the_sun() -> None:
    sim = Simulator("v3-0826", seed=1, start=SUMMER)
    day = sample(sim, 60, 1440)
    by_hour = {t.now.hour: t for t in day if t.now.minute == 0}
    assert by_hour[0].pv_power == 0.0
    assert math.copysign(1, by_hour[0].pv_power) == -1, "night reads -0.0"
    assert by_hour[22].pv_power == 0.0
    summer_peak = max(t.pv_power for t in day)
    three_days = day + sample(sim, 60, 2880)
    assert 5000 <= max(t.pv_power for t in three_days) <= 8000, "a clear day peaks at 5-8 kW"
    noon = max(day, key=lambda t: t.pv_power).now
    assert 9 <= noon.hour <= 13
    winter = sample(Simulator("v3-0826", seed=1, start=WINTER), 60, 1440)
    winter_peak = max(t.pv_power for t in winter)
    assert 0 < winter_peak < summer_peak / 2
    assert sum(t.pv_power > 0 for t in winter) < sum(t.pv_power > 0 for t in day) * 0.6


def test_house_has_a_base_load_and_appliance_peaks() -> None:
    sim = Simulator("v3-0826", seed=1, start=SUMMER)
    loads = [t.house_power for t in sample(sim, 30, 2880)]
    assert 200 <= min(loads) <= 450
    assert max(loads) > 1800
    assert sorted(loads)[len(loads) // 2] < 700, "appliances run for minutes, not all day"


def test_same_seed_same_house_other_seed_other_house() -> None:
    def run(seed: int) -> list[tuple[object, ...]]:
        sim = Simulator("v3-0826", seed=seed, start=SUMMER)
        return [astuple(t) for t in sample(sim, 1800, 48)]

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_a_day_does_not_depend_on_when_the_simulator_started() -> None:
    early = Simulator("v3-0826", seed=1, start=SUMMER)
    late = Simulator("v3-0826", seed=1, start=SUMMER + timedelta(hours=11))
    early.advance(12 * 3600)
    late.advance(3600)
    assert early.now == late.now
    assert early.truth.pv_power == late.truth.pv_power
    assert early.truth.house_power == late.truth.house_power


def test_clock_only_moves_forward() -> None:
    sim = Simulator("legacy", start=SUMMER)
    with pytest.raises(ValueError, match="forward"):
        sim.advance(-1)
    sim.advance(90.5)
    assert sim.now == SUMMER + timedelta(seconds=90.5)
    assert sim.truth.now == sim.now


@pytest.mark.parametrize("car", ["evening", "surplus"])
def test_a_charging_car_is_outside_the_house_power_and_the_day_balances(car: str) -> None:
    sim = Simulator("v3-0826", seed=2, start=SUMMER, wallbox=car)
    charged_while_sunny = 0.0
    for t in sample(sim, 60, 24 * 60):
        # House + wallbox + battery = PV + grid at every moment; the house leaves the car out.
        assert t.house_power + t.wallbox_power == pytest.approx(
            t.pv_power - t.battery_power + t.grid_power, abs=1e-9
        )
        assert 0 <= t.wallbox_power <= 11_000
        assert t.wallbox_power == 0 or t.ev_connected
        if t.wallbox_power > 0 and t.pv_power > 0:
            charged_while_sunny += t.wallbox_power
    end = sim.truth
    since = end.since_start
    assert end.wallbox_charged > 5.0  # the car took at least 5 kWh that day
    sources = since.pv_generated + since.grid_imported + since.battery_discharged
    sinks = since.house_consumed + end.wallbox_charged + since.grid_exported + since.battery_charged
    assert sources == pytest.approx(sinks, rel=1e-9)
    if car == "surplus":
        assert charged_while_sunny > 0


def test_without_a_car_the_wallbox_stays_empty() -> None:
    sim = Simulator("v3-0826", seed=2, start=SUMMER)
    for t in sample(sim, 600, 144):
        assert t.wallbox_power == 0
        assert not t.ev_connected
    assert sim.truth.wallbox_charged == 0
