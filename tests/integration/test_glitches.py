"""Single glitches are ridden out by one retry; an appliance that is really gone is declared.

Real appliances answer now and then with malformed or truncated JSON, an empty body, an
HTTP 500/504 error page from their nginx, a reset connection, or not at all; the next
request usually works. The retry runs within the same update, so a ridden-out glitch
leaves no trace a user sees: no unavailable flap, nothing above DEBUG in the log, one
energy sample.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.senec_home.coordinator import SenecCoordinator
from custom_components.senec_home.energy import Total
from senec_simulator import Simulator

LOGGER = "custom_components.senec_home"
#: Each kind of glitch that answers at once, as the simulator's fault (hangs: test_hangs.py).
GLITCHES: dict[str, dict[str, float]] = {
    "malformed": {},
    "truncated": {},
    "empty": {},
    "http_500": {},
    "http_504": {},
    "reset": {},
}


@pytest.fixture
def coordinator(setup_integration: MockConfigEntry) -> SenecCoordinator:
    """The running coordinator."""
    coordinator: SenecCoordinator = setup_integration.runtime_data
    return coordinator


async def next_update(
    hass: HomeAssistant, coordinator: SenecCoordinator, freezer: FrozenDateTimeFactory
) -> None:
    """Let the current poll interval pass and the coordinator update once."""
    freezer.tick(coordinator.update_interval)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    """The integration's log records at exactly `level`."""
    return [r for r in caplog.records if r.name.startswith(LOGGER) and r.levelno == level]


@pytest.mark.parametrize(("fault", "params"), GLITCHES.items())
async def test_a_single_glitch_is_ridden_out_unseen(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    unavailable_states: list[str],
    fault: str,
    params: dict[str, float],
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    simulator.advance(10)
    simulator.set_fault(fault, count=1, **params)
    asked = simulator.request_count
    await next_update(hass, coordinator, freezer)
    # The retry's answer is shown: the values moved on with the simulator's clock.
    assert coordinator.last_update_success
    assert unavailable_states == []
    assert float(hass.states.get("sensor.senec_home_house_power").state) == pytest.approx(
        simulator.truth.house_power,
        abs=0.5,  # shown to the watt
    )
    assert simulator.request_count - asked == 2
    # Logged for whoever debugs, nowhere else; the interval stays as it was.
    assert any("asking once more" in r.getMessage() for r in records(caplog, logging.DEBUG))
    assert not [r for r in caplog.records if r.name.startswith(LOGGER) and r.levelno > 10]
    assert coordinator.update_interval == timedelta(seconds=10)


async def test_a_clean_poll_asks_once(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    asked = simulator.request_count
    await next_update(hass, coordinator, freezer)
    assert simulator.request_count - asked == 1


@pytest.mark.parametrize("fault", ["http_500", "truncated", "empty"])
async def test_two_failures_in_a_row_are_an_outage_logged_once_each_way(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    unavailable_states: list[str],
    fault: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    simulator.set_fault(fault, count=2)
    await next_update(hass, coordinator, freezer)
    assert not coordinator.last_update_success
    assert hass.states.get("sensor.senec_home_house_power").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.senec_home_grid_import").state == STATE_UNAVAILABLE
    errors = records(caplog, logging.ERROR) + records(caplog, logging.WARNING)
    assert len(errors) == 1
    expected = {"http_500": "HTTP 500", "truncated": "malformed JSON", "empty": "empty answer"}
    assert expected[fault] in errors[0].getMessage()

    await next_update(hass, coordinator, freezer)
    assert coordinator.last_update_success
    assert hass.states.get("sensor.senec_home_house_power").state != STATE_UNAVAILABLE
    # Each entity went unavailable once and came back; one line each way.
    assert "sensor.senec_home_house_power" in unavailable_states
    assert len(set(unavailable_states)) == len(unavailable_states)
    assert len(records(caplog, logging.ERROR) + records(caplog, logging.WARNING)) == 1
    back = records(caplog, logging.INFO)
    assert len(back) == 1
    assert "recovered" in back[0].getMessage()


async def test_a_rebooting_appliance_is_declared_and_back_off_is_capped(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await simulator.reboot()
    intervals = []
    for _ in range(7):
        await next_update(hass, coordinator, freezer)
        intervals.append(coordinator.update_interval.total_seconds())
    assert hass.states.get("sensor.senec_home_house_power").state == STATE_UNAVAILABLE
    # Doubling from 10 s, never beyond five minutes.
    assert intervals == [20, 40, 80, 160, 300, 300, 300]
    await simulator.finish_reboot()
    await next_update(hass, coordinator, freezer)
    assert hass.states.get("sensor.senec_home_house_power").state != STATE_UNAVAILABLE
    assert coordinator.update_interval == timedelta(seconds=10)
    # The next outage starts backing off from the beginning again.
    simulator.set_fault("http_500", count=2)
    await next_update(hass, coordinator, freezer)
    assert coordinator.update_interval == timedelta(seconds=20)


async def test_energy_is_bridged_across_five_intervals_at_most(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    counter = coordinator.meter.counters[Total.HOUSE]
    # One failed update: 30 s between two answers, three intervals: bridged (trapezoid).
    simulator.set_fault("http_500", count=2)
    value, power, when = counter.value, counter.sample_power, counter.sample_time
    assert value is not None
    assert power is not None
    assert when is not None
    for _ in range(2):
        await next_update(hass, coordinator, freezer)
    assert counter.sample_time == when + 30
    assert counter.sample_power is not None
    assert counter.value == pytest.approx(value + (power + counter.sample_power) / 2 * 30 / 3.6e6)
    # Two failed updates: 70 s, more than five intervals: nothing is made up for the gap.
    simulator.set_fault("http_500", count=4)
    value, when = counter.value, counter.sample_time
    for _ in range(3):
        await next_update(hass, coordinator, freezer)
    assert counter.sample_time == when + 70
    assert counter.value == value


async def test_a_ridden_out_glitch_is_one_energy_sample(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    counter = coordinator.meter.counters[Total.HOUSE]
    start_time, start_power, start_value = (
        counter.sample_time,
        counter.sample_power,
        counter.value,
    )
    assert start_time is not None
    assert start_power is not None
    assert start_value is not None
    simulator.advance(10)
    simulator.set_fault("truncated", count=1)
    await next_update(hass, coordinator, freezer)
    # One sample, 10 s after the last one, from the retry's answer: the trapezoid between them.
    assert counter.sample_time == start_time + 10
    assert counter.sample_power == coordinator.data.house_power
    assert counter.value == pytest.approx(
        start_value + (start_power + counter.sample_power) / 2 * 10 / 3_600_000, rel=1e-9
    )
