"""Base entity: one device per appliance, names from translations."""

from __future__ import annotations

from homeassistant.helpers.device_registry import (
    CONNECTION_NETWORK_MAC,
    DeviceInfo,
    format_mac,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Snapshot
from .api.requests import MODULE_LETTERS
from .const import DOMAIN
from .coordinator import SenecCoordinator


class SenecEntity(CoordinatorEntity[SenecCoordinator]):
    """An entity of the SENEC appliance device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SenecCoordinator) -> None:
        """Attach the entity to the appliance's device."""
        super().__init__(coordinator)
        identity = coordinator.identity
        client = coordinator.client
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, identity.serial)},
            # The MAC lets Home Assistant's DHCP watcher recognise the appliance at a new
            # address (the manifest's registered_devices matcher).
            connections=(
                {(CONNECTION_NETWORK_MAC, format_mac(identity.mac))} if identity.mac else set()
            ),
            manufacturer="SENEC",
            model=identity.model,
            model_id=None if identity.system_type is None else str(identity.system_type),
            name="SENEC.Home",
            serial_number=identity.serial,
            sw_version=identity.firmware,
            configuration_url=f"{client.scheme or 'https'}://{client.host}/",
        )


def list_sources(source: tuple[str, str], index: int) -> frozenset[tuple[str, str]]:
    """Return the variable a slot's entity shows: ``{letter}`` becomes the module letter."""
    section, name = source
    if "{letter}" in name:
        name = name.format(letter=MODULE_LETTERS[index])
    return frozenset({(section, name)})


def slot_count(source: tuple[str, str], length: int, snapshot: Snapshot) -> int:
    """Return how many slots of a list the appliance has.

    A plain list has as many as the answer holds, when the appliance answers it at all; a
    per-module variable (``{letter}``) counts the modules up to the last one answered.
    """
    section, name = source
    if "{letter}" not in name:
        return length if source in snapshot.answered else 0
    answered = [
        index
        for index, letter in enumerate(MODULE_LETTERS)
        if (section, name.format(letter=letter)) in snapshot.answered
    ]
    return min(length, answered[-1] + 1) if answered else 0
