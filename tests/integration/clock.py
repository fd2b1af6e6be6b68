"""Time passing for the integration tests: both clocks at once, then the coordinator's poll."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from senec_simulator import Simulator


async def poll(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, seconds: float = 10
) -> None:
    """Let ``seconds`` pass on both clocks and let the coordinator poll when due.

    A restart of the appliance that ends on the way is over before Home Assistant polls.
    """
    simulator.advance(seconds)
    await simulator.settle()
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
