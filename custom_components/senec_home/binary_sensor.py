"""Binary sensors: a firmware update on offer, and a car connected to each wallbox."""

from __future__ import annotations

# Defined in binary_sensor/const.py since 2025.x and re-exported without __all__; Home
# Assistant 2025.6 defines it in the package itself: this import works on both.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SenecConfigEntry, SenecCoordinator
from .entity import SenecEntity, slot_count

PARALLEL_UPDATES = 0

# WALLBOX.EV_CONNECTED: u8 flag per slot (08-gem-2024-08-23-ev-connected.json,
# 18-collector-2025-07-24-ev-connected-1.json).
EV_CONNECTED_SOURCE = ("WALLBOX", "EV_CONNECTED")
EV_CONNECTED = BinarySensorEntityDescription(
    key="ev_connected",
    translation_key="wallbox_ev_connected",
    device_class=BinarySensorDeviceClass.PLUG,
)


# SYS_UPDATE.UPDATE_AVAILABLE: u8 flag, 0 in the full dump of corpus file 29. A binary sensor
# of device class update, not Home Assistant's update platform: an update entity's state comes
# from comparing the installed with the latest version, and the appliance tells neither which
# version is on offer nor lets anyone install it (SENEC's servers start updates).
UPDATE_AVAILABLE_SOURCE = ("SYS_UPDATE", "UPDATE_AVAILABLE")
FIRMWARE_UPDATE = BinarySensorEntityDescription(
    key="firmware_update",
    translation_key="firmware_update",
    device_class=BinarySensorDeviceClass.UPDATE,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SenecConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the firmware update sensor and one "car connected" sensor per wallbox."""
    coordinator = entry.runtime_data
    snapshot = coordinator.data
    entities: list[BinarySensorEntity] = []
    if UPDATE_AVAILABLE_SOURCE in snapshot.answered:
        entities.append(SenecFirmwareUpdate(coordinator))
    count = slot_count(EV_CONNECTED_SOURCE, len(snapshot.wallbox_ev_connected), snapshot)
    entities.extend(
        SenecEvConnected(coordinator, index) for index in coordinator.wallbox_slots if index < count
    )
    async_add_entities(entities)


class SenecFirmwareUpdate(SenecEntity, BinarySensorEntity):
    """On while SENEC offers the appliance a firmware update (or installs one)."""

    entity_description = FIRMWARE_UPDATE

    def __init__(self, coordinator: SenecCoordinator) -> None:
        """Bind to the appliance."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.identity.serial}_firmware_update"
        coordinator.register_sources(self._attr_unique_id, frozenset({UPDATE_AVAILABLE_SOURCE}))

    @property
    def is_on(self) -> bool | None:
        """True while an update is offered, None when the appliance sent no value."""
        return self.coordinator.data.update_available


class SenecEvConnected(SenecEntity, BinarySensorEntity):
    """Whether a car is plugged into wallbox ``index``."""

    entity_description = EV_CONNECTED

    def __init__(self, coordinator: SenecCoordinator, index: int) -> None:
        """Bind to wallbox slot ``index`` (0-based)."""
        super().__init__(coordinator)
        self._index = index
        number = str(index + 1)
        self._attr_translation_placeholders = {"number": number}
        self._attr_unique_id = f"{coordinator.identity.serial}_wallbox_{number}_ev_connected"
        coordinator.register_sources(self._attr_unique_id, frozenset({EV_CONNECTED_SOURCE}))

    @property
    def is_on(self) -> bool | None:
        """True while a car is connected, None when the appliance sent no value."""
        values = self.coordinator.data.wallbox_ev_connected
        return values[self._index] if self._index < len(values) else None
