"""Binary sensors: whether a car is connected to each of the appliance's wallboxes."""

from __future__ import annotations

# Defined in binary_sensor/const.py since 2025.x and re-exported without __all__; Home
# Assistant 2025.6 defines it in the package itself: this import works on both.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
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


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SenecConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create one "car connected" sensor per wallbox the appliance has."""
    coordinator = entry.runtime_data
    snapshot = coordinator.data
    count = slot_count(EV_CONNECTED_SOURCE, len(snapshot.wallbox_ev_connected), snapshot)
    async_add_entities(
        SenecEvConnected(coordinator, index) for index in coordinator.wallbox_slots if index < count
    )


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
