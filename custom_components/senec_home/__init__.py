"""The SENEC.Home integration: a SENEC.Home V2.1 / V3 battery over its local lala.cgi."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from .coordinator import SenecConfigEntry, SenecCoordinator, energy_store

PLATFORMS: list[Platform] = [Platform.SENSOR, Platform.SWITCH]


async def async_setup_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> bool:
    """Connect to the appliance, then create its entities."""
    coordinator = SenecCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> bool:
    """Remove the entities; keep the energy totals on disk for the next start."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_save()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> None:
    """Delete the stored energy totals when the user removes the appliance."""
    await energy_store(hass, entry.entry_id).async_remove()
