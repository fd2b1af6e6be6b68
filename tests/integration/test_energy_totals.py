"""The six Energy-dashboard totals in a running Home Assistant, against the simulator's truth."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..simulator.support import f32
from .clock import poll

# entity id -> the simulator's ground-truth counter it must follow
TOTALS = {
    "sensor.senec_home_grid_import": "grid_imported",
    "sensor.senec_home_grid_export": "grid_exported",
    "sensor.senec_home_solar_production": "pv_generated",
    "sensor.senec_home_battery_charged": "battery_charged",
    "sensor.senec_home_battery_discharged": "battery_discharged",
    "sensor.senec_home_house_consumption": "house_consumed",
}


def totals(hass: HomeAssistant) -> dict[str, float]:
    """The six totals as Home Assistant shows them."""
    return {entity_id: float(hass.states.get(entity_id).state) for entity_id in TOTALS}


def truth_since_start(simulator: Simulator) -> dict[str, float]:
    """The ground truth since the simulator started, per total entity."""
    since = simulator.truth.since_start
    return {entity_id: getattr(since, name) for entity_id, name in TOTALS.items()}


# A winter day on which every flow happens: the battery charges and fills around noon
# (export), and empties in the night (import).
ALL_FLOWS_DAY = datetime(2026, 2, 4, 9, 0, tzinfo=UTC)


async def test_a_simulated_day_integrates_within_one_percent_of_the_truth(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> None:
    freezer.move_to(ALL_FLOWS_DAY)
    async with Simulator(profile="v3-0826", seed=1, start=ALL_FLOWS_DAY) as simulator:
        entry = MockConfigEntry(
            domain=DOMAIN, data={CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme}
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        before = truth_since_start(simulator)
        # 24 hours polled at the default interval of 10 s.
        for _ in range(8640):
            await poll(hass, simulator, freezer)
        after = truth_since_start(simulator)
    shown = totals(hass)
    for entity_id in TOTALS:
        expected = after[entity_id] - before[entity_id]
        assert expected > 1.0, entity_id  # every flow really happened that day
        assert shown[entity_id] == pytest.approx(expected, rel=0.01), entity_id
        state = hass.states.get(entity_id)
        assert state.attributes["source"] == "integrated"


async def test_with_a_wallbox_the_energy_dashboard_adds_up_over_a_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> None:
    """Solar + import + discharge = house + wallbox + export + charge, within 1 %.

    The appliance's house power leaves the wallbox out, so the dashboard balances only with
    the wallbox total as a consumer of its own.
    """
    freezer.move_to(ALL_FLOWS_DAY)
    async with Simulator(
        profile="v3-0826", seed=1, start=ALL_FLOWS_DAY, wallbox="evening"
    ) as simulator:
        entry = MockConfigEntry(
            domain=DOMAIN, data={CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme}
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        for _ in range(8640):
            await poll(hass, simulator, freezer)
        car = simulator.truth.wallbox_charged
    shown = totals(hass)
    wallbox = float(hass.states.get("sensor.senec_home_wallbox_energy").state)
    assert car > 5.0  # the car charged that evening
    assert wallbox == pytest.approx(car, rel=0.01)
    sources = (
        shown["sensor.senec_home_solar_production"]
        + shown["sensor.senec_home_grid_import"]
        + shown["sensor.senec_home_battery_discharged"]
    )
    sinks = (
        shown["sensor.senec_home_house_consumption"]
        + wallbox
        + shown["sensor.senec_home_grid_export"]
        + shown["sensor.senec_home_battery_charged"]
    )
    assert sources == pytest.approx(sinks, rel=0.01)
    # Without the wallbox it would not add up: the car is a large part of that day.
    assert sources - (sinks - wallbox) > 0.05 * sources


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_appliance_counters_are_followed_where_the_firmware_has_them(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    for _ in range(30):
        await poll(hass, simulator, freezer)
    truth = simulator.truth
    shown = totals(hass)
    for entity_id, name in TOTALS.items():
        # The appliance's float32 counter, shown to the watt-hour (rounded up).
        expected = f32(getattr(truth, name))
        assert shown[entity_id] == wh_up(expected), entity_id
        assert hass.states.get(entity_id).attributes["source"] == "appliance"


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
@pytest.mark.parametrize("fault", ["totals_zero", "totals_lower", "nan"])
async def test_glitching_appliance_totals_never_decrease(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    fault: str,
) -> None:
    await poll(hass, simulator, freezer)
    last = totals(hass)
    simulator.set_fault(fault, count=2)
    for _ in range(6):
        await poll(hass, simulator, freezer)
        now = totals(hass)
        assert all(now[e] >= last[e] for e in TOTALS), (fault, now, last)
        last = now
    truth = simulator.truth
    for entity_id, name in TOTALS.items():
        assert last[entity_id] == wh_up(f32(getattr(truth, name)))


@pytest.mark.parametrize("simulator", ["v3-npu2411"], indirect=True)
async def test_no_energy_is_added_across_an_outage(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    for _ in range(3):
        await poll(hass, simulator, freezer)
    before = totals(hass)
    await simulator.reboot()
    # Half an hour without answers (the coordinator backs off meanwhile).
    for _ in range(30):
        await poll(hass, simulator, freezer, seconds=60)
    assert hass.states.get("sensor.senec_home_grid_import").state == "unavailable"
    await simulator.finish_reboot()
    truth_back = truth_since_start(simulator)
    for _ in range(40):
        await poll(hass, simulator, freezer)
        if hass.states.get("sensor.senec_home_grid_import").state != "unavailable":
            break
    first = totals(hass)
    assert first == before  # the first poll after the outage bridges nothing
    await poll(hass, simulator, freezer)
    await poll(hass, simulator, freezer)
    after = totals(hass)
    truth_now = truth_since_start(simulator)
    for entity_id in TOTALS:
        # Only what happened after the appliance came back is counted.
        assert after[entity_id] - before[entity_id] <= (
            truth_now[entity_id] - truth_back[entity_id] + 1e-3
        ), entity_id


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_totals_survive_a_restart_and_continue(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    for _ in range(60):
        await poll(hass, simulator, freezer)
    before = totals(hass)
    assert before["sensor.senec_home_solar_production"] > 0
    assert before["sensor.senec_home_house_consumption"] > 0
    assert await hass.config_entries.async_unload(setup_integration.entry_id)
    await hass.async_block_till_done()
    await poll(hass, simulator, freezer)  # a quick restart
    assert await hass.config_entries.async_setup(setup_integration.entry_id)
    await hass.async_block_till_done()
    restored = totals(hass)
    assert all(restored[e] >= before[e] for e in TOTALS)
    for _ in range(10):
        await poll(hass, simulator, freezer)
    after = totals(hass)
    assert all(after[e] >= restored[e] for e in TOTALS)
    assert (
        after["sensor.senec_home_solar_production"] > restored["sensor.senec_home_solar_production"]
    )
    assert {hass.states.get(e).attributes["source"] for e in TOTALS} == {"integrated"}


def wh_up(kwh: float) -> float:
    """A total as the integration shows it: to the watt-hour, rounded up."""
    return math.ceil(kwh * 1000) / 1000
