"""Set-up, unload and retry of the config entry, on every simulator profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import WebServer, router_page

PROFILES = ["legacy", "v3-0826", "v3-npu2411"]


@pytest.mark.parametrize("simulator", PROFILES, indirect=True)
async def test_load_and_unload(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator, serial: str
) -> None:
    entry = setup_integration
    assert entry.state is ConfigEntryState.LOADED
    # The entry's devices: a call that every supported Home Assistant has.
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert (DOMAIN, serial) in device.identifiers
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


async def test_removing_the_entry_deletes_its_stored_totals(
    hass: HomeAssistant, setup_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    key = f"{DOMAIN}.{setup_integration.entry_id}.energy"
    assert await hass.config_entries.async_unload(setup_integration.entry_id)
    assert hass_storage[key]["data"]["solar_energy"]["source"] == "integrated"
    await hass.config_entries.async_remove(setup_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_stored_totals_are_loaded_at_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}.energy"] = {
        "version": 1,
        "key": f"{DOMAIN}.{config_entry.entry_id}.energy",
        "data": {"house_energy": {"value": 1234.5, "source": "integrated"}},
    }
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(hass.states.get("sensor.senec_home_house_consumption").state) >= 1234.5


async def test_setup_retries_when_the_address_is_no_senec(
    hass: HomeAssistant, web_server: WebServer
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_HOST: await web_server(router_page)})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "is not a SENEC.Home" in (entry.reason or "")


async def test_another_appliance_at_the_address_is_refused(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme},
        unique_id="9999999999999999999999999",
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "Another SENEC.Home" in (entry.reason or "")
    assert not hass.states.async_all("sensor")


async def test_changed_options_reload_the_entry_other_updates_do_not(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    entry = setup_integration
    first = entry.runtime_data
    hass.config_entries.async_update_entry(entry, title="Garage battery")
    await hass.async_block_till_done()
    assert entry.runtime_data is first
    hass.config_entries.async_update_entry(entry, options={CONF_SCAN_INTERVAL: 60})
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not first
    assert entry.runtime_data.update_interval == timedelta(seconds=60)
