"""Base entity: one device per appliance, names from translations."""

from __future__ import annotations

from homeassistant.helpers.device_registry import (
    CONNECTION_NETWORK_MAC,
    DeviceInfo,
    format_mac,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

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
        firmware = identity.application_version
        if identity.npu_image_version:
            firmware = f"{firmware or '?'} (NPU {identity.npu_image_version})"
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
            sw_version=firmware,
            configuration_url=f"{client.scheme or 'https'}://{client.host}/",
        )
