"""Set-up, unload and retry of the config entry, on every simulator profile."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.const import DOMAIN
from senec_simulator import Simulator

PROFILES = ["legacy", "v3-0826", "v3-npu2411"]


@pytest.mark.parametrize("simulator", PROFILES, indirect=True)
async def test_load_and_unload(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator, serial: str
) -> None:
    entry = setup_integration
    assert entry.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, serial), entry.entry_id)
    assert device is not None
    assert device.manufacturer == "SENEC"
    assert device.serial_number == serial
    assert device.configuration_url == f"{simulator.scheme}://{simulator.host}/"
    assert device.sw_version
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


@pytest.mark.parametrize("simulator", PROFILES, indirect=True)
async def test_setup_retries_while_the_appliance_is_down(
    hass: HomeAssistant, config_entry: MockConfigEntry, simulator: Simulator
) -> None:
    await simulator.reboot()
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    await simulator.finish_reboot()
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
