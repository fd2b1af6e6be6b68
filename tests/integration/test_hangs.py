"""An appliance that does not answer: one hang is ridden out, a hang that lasts is an outage.

A timeout is a timer, and timers never come due on the frozen clock the other integration
tests use; so here Home Assistant runs on the real clock, the client's timeout is cut to
a fraction of a second, and each update is started directly (as the interval timer does).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import SenecClient
from custom_components.senec_home.coordinator import SenecCoordinator
from senec_simulator import Simulator

LOGGER = "custom_components.senec_home"
#: The client's timeout here (the real one is 10 s).
TIMEOUT_S = 0.3
#: How long a hung request is held by the simulator: well past the timeout.
HANG_S = 3.0


@pytest.fixture
def frozen_at_simulator_start() -> None:
    """Leave Home Assistant's clock running (instead of freezing it at the simulator's start)."""


@pytest.fixture
async def coordinator(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator
) -> AsyncIterator[SenecCoordinator]:
    """The running coordinator, its client with a short timeout, so a hang costs 0.3 s."""
    coordinator: SenecCoordinator = setup_integration.runtime_data
    await coordinator.client.close()
    coordinator.client = SenecClient(simulator.host, scheme=simulator.scheme, timeout=TIMEOUT_S)
    yield coordinator
    await coordinator.client.close()


def logged(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    """The integration's log messages at exactly `level`."""
    return [
        r.getMessage() for r in caplog.records if r.name.startswith(LOGGER) and r.levelno == level
    ]


async def test_one_hang_is_ridden_out(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    unavailable_states: list[str],
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    simulator.advance(10)
    simulator.set_fault("hang", count=1, seconds=HANG_S)
    asked = simulator.request_count
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.last_update_success
    assert simulator.request_count - asked == 2
    assert unavailable_states == []
    assert float(hass.states.get("sensor.senec_home_house_power").state) == pytest.approx(
        simulator.truth.house_power,
        abs=0.5,  # shown to the watt
    )
    assert any("did not answer in time" in message for message in logged(caplog, logging.DEBUG))
    assert [
        r for r in caplog.records if r.name.startswith(LOGGER) and r.levelno > logging.DEBUG
    ] == []


async def test_a_lasting_hang_is_declared_once_asking_twice_per_interval(
    hass: HomeAssistant,
    coordinator: SenecCoordinator,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    unavailable_states: list[str],
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    simulator.set_fault("hang", seconds=HANG_S)
    asked = []
    intervals = []
    for _ in range(3):
        before = simulator.request_count
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        asked.append(simulator.request_count - before)
        intervals.append(coordinator.update_interval.total_seconds())
    assert hass.states.get("sensor.senec_home_house_power").state == STATE_UNAVAILABLE
    assert asked == [2, 2, 2]
    assert intervals == [20, 40, 80]
    errors = logged(caplog, logging.ERROR) + logged(caplog, logging.WARNING)
    assert len(errors) == 1
    assert "did not answer in time" in errors[0]
    assert unavailable_states.count("sensor.senec_home_house_power") == 1

    simulator.clear_faults()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.senec_home_house_power").state != STATE_UNAVAILABLE
    assert coordinator.update_interval.total_seconds() == 10
    assert [m for m in logged(caplog, logging.INFO) if "recovered" in m] != []
    assert len(logged(caplog, logging.INFO)) == 1
