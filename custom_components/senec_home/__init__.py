"""The SENEC.Home integration: a SENEC.Home V2.1 / V3 battery over its local lala.cgi."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .coordinator import SenecConfigEntry, SenecCoordinator, energy_store

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> bool:
    """Connect to the appliance, then create its entities."""
    coordinator = SenecCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    _remove_gone_slots(hass, coordinator)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated(entry)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _async_options_updated(
    entry: SenecConfigEntry,
) -> Callable[[HomeAssistant, SenecConfigEntry], Coroutine[Any, Any, None]]:
    """Return an update listener that reloads the entry when its options changed.

    An update listener rather than OptionsFlowWithReload, which older Home Assistant
    releases (2025.6 among them) do not have. Other updates (a new address from the config
    flow) reload the entry themselves: reloading for them too would reload twice.
    """
    options = dict(entry.options)

    async def reload_if_options_changed(hass: HomeAssistant, entry: SenecConfigEntry) -> None:
        if dict(entry.options) != options:
            await hass.config_entries.async_reload(entry.entry_id)

    return reload_if_options_changed


async def async_unload_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> bool:
    """Remove the entities; keep the energy totals on disk for the next start."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_save()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: SenecConfigEntry) -> None:
    """Delete the stored energy totals when the user removes the appliance."""
    await energy_store(hass, entry.entry_id).async_remove()


def _remove_gone_slots(hass: HomeAssistant, coordinator: SenecCoordinator) -> None:
    """Remove the entities of battery modules and wallboxes the appliance no longer has.

    Modules get swapped and wallboxes removed: their entities would otherwise stay behind as
    broken (unavailable) entities. Unique ids of slots are ``<serial>_<group>_<n>_<key>``.
    """
    registry = er.async_get(hass)
    prefix = f"{coordinator.identity.serial}_"
    keep = {
        "module": set(range(1, (coordinator.identity.modules_configured or 0) + 1)),
        "wallbox": {index + 1 for index in coordinator.wallbox_slots},
    }
    for entity in er.async_entries_for_config_entry(registry, coordinator.config_entry.entry_id):
        group, _, rest = entity.unique_id.removeprefix(prefix).partition("_")
        number = rest.partition("_")[0]
        if group in keep and number.isdigit() and int(number) not in keep[group]:
            registry.async_remove(entity.entity_id)
