"""The entities: a snapshot of all of them per profile, availability, and the log lines."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from senec_simulator import Simulator

PROFILES = ["legacy", "v3-0826", "v3-npu2411"]


@pytest.fixture(autouse=True)
def only_sensors() -> Iterator[None]:
    """Load the sensor platform alone: the snapshots are of sensors (switch: test_switch)."""
    with patch("custom_components.senec_home.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("simulator", PROFILES, indirect=True)
async def test_all_entities(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, setup_integration.entry_id)


@pytest.mark.parametrize("simulator", PROFILES, indirect=True)
async def test_enabled_entities_by_default(
    hass: HomeAssistant, setup_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    entries = er.async_entries_for_config_entry(entity_registry, setup_integration.entry_id)
    enabled = {entry.unique_id.split("_", 1)[1] for entry in entries if not entry.disabled_by}
    # What the Energy dashboard and a first look at the device need is on by default.
    assert {
        "system_state",
        "solar_power",
        "house_power",
        "grid_power",
        "battery_power",
        "battery_soc",
        "grid_imported_energy",
        "grid_exported_energy",
        "solar_energy",
        "battery_charged_energy",
        "battery_discharged_energy",
        "house_energy",
    } <= enabled
    assert "battery_voltage" not in enabled
    assert "module_1_cycles" not in enabled


async def test_values_match_the_appliance(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator
) -> None:
    truth = simulator.truth
    assert float(hass.states.get("sensor.senec_home_solar_power").state) == pytest.approx(
        truth.pv_power, abs=0.5
    )  # shown to the watt
    assert float(hass.states.get("sensor.senec_home_battery_state_of_charge").state) == (
        pytest.approx(truth.soc, abs=0.5)
    )  # shown to the percent
    grid_import = float(hass.states.get("sensor.senec_home_grid_import_power").state)
    grid_export = float(hass.states.get("sensor.senec_home_grid_export_power").state)
    assert grid_import - grid_export == pytest.approx(truth.grid_power, abs=5.01)
    assert min(grid_import, grid_export) == 0.0
    state = hass.states.get("sensor.senec_home_system_state")
    assert state.attributes["code"] == truth.state
    assert state.state in state.attributes["options"]


async def test_unavailable_while_down_logged_once_each_way(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = setup_integration.runtime_data
    caplog.set_level(logging.INFO, logger="custom_components.senec_home")
    simulator.set_fault("http_504")
    intervals = []
    for _ in range(4):
        freezer.tick(coordinator.update_interval)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        intervals.append(coordinator.update_interval)
    assert hass.states.get("sensor.senec_home_house_power").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.senec_home_grid_import").state == STATE_UNAVAILABLE
    # Back-off: the interval doubles while the appliance struggles, up to a ceiling.
    assert intervals == [timedelta(seconds=s) for s in (20, 40, 80, 160)]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "HTTP 504" in errors[0].getMessage()

    simulator.clear_faults()
    for _ in range(2):
        freezer.tick(coordinator.update_interval)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("sensor.senec_home_house_power").state != STATE_UNAVAILABLE
    assert coordinator.update_interval == timedelta(seconds=10)
    recovered = [r for r in caplog.records if "recovered" in r.getMessage()]
    assert len(recovered) == 1


async def test_an_unknown_state_code_shows_unknown_and_keeps_the_code(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state_override = 200  # a code newer firmware might add
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get("sensor.senec_home_system_state")
    assert state.state == STATE_UNKNOWN
    assert state.attributes["code"] == 200
    assert hass.states.get("sensor.senec_home_house_power").state != STATE_UNAVAILABLE
