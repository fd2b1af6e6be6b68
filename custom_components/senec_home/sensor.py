"""Sensors: every value of the poll, the split power flows, and the six energy totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import SYSTEM_STATES, Snapshot, state_key
from .coordinator import SenecConfigEntry, SenecCoordinator
from .energy import Total
from .entity import SenecEntity

PARALLEL_UPDATES = 0

# Split power flows ignore readings this close to zero (W): the appliance reports a few
# watts of noise on an idle battery or grid.
DEADBAND = 5.0

type StateValue = float | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class SenecSensorEntityDescription(SensorEntityDescription):
    """A sensor of the appliance: how to read it, and the variable it comes from.

    ``source`` (section, variable) decides whether the entity exists: it does when the
    appliance answers that variable at all, whatever the value in the first poll.
    """

    value_fn: Callable[[Snapshot], StateValue]
    source: tuple[str, str]


def _split(value: float | None, sign: int) -> float | None:
    """Return one direction of a signed power, 0 inside the deadband."""
    if value is None:
        return None
    part = value * sign
    return part if part > DEADBAND else 0.0


def _timestamp(seconds: float | None) -> datetime | None:
    """Turn unix seconds into an aware datetime."""
    return None if seconds is None else dt_util.utc_from_timestamp(seconds)


def _power(
    key: str,
    source: tuple[str, str],
    value_fn: Callable[[Snapshot], float | None],
    **kwargs: Any,
) -> SenecSensorEntityDescription:
    """Describe a power sensor in watts (``kwargs`` override the defaults)."""
    defaults: dict[str, Any] = {
        "translation_key": key,
        "device_class": SensorDeviceClass.POWER,
        "native_unit_of_measurement": UnitOfPower.WATT,
        "state_class": SensorStateClass.MEASUREMENT,
        "suggested_display_precision": 0,
    }
    return SenecSensorEntityDescription(
        key=key, source=source, value_fn=value_fn, **(defaults | kwargs)
    )


STATE_OPTIONS = list(SYSTEM_STATES.values())
_PV = ("ENERGY", "GUI_INVERTER_POWER")
_GRID = ("ENERGY", "GUI_GRID_POW")
_BATTERY = ("ENERGY", "GUI_BAT_DATA_POWER")

SENSORS: tuple[SenecSensorEntityDescription, ...] = (
    SenecSensorEntityDescription(
        key="system_state",
        translation_key="system_state",
        device_class=SensorDeviceClass.ENUM,
        options=STATE_OPTIONS,
        value_fn=lambda data: state_key(data.system_state),
        source=("ENERGY", "STAT_STATE"),
    ),
    SenecSensorEntityDescription(
        key="statistic_state",
        translation_key="statistic_state",
        device_class=SensorDeviceClass.ENUM,
        options=STATE_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: state_key(data.statistic_state),
        source=("STATISTIC", "CURRENT_STATE"),
    ),
    SenecSensorEntityDescription(
        key="measure_time",
        translation_key="measure_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: _timestamp(data.measure_time),
        source=("STATISTIC", "MEASURE_TIME"),
    ),
    _power("solar_power", _PV, lambda data: data.pv_power),
    _power("house_power", ("ENERGY", "GUI_HOUSE_POW"), lambda data: data.house_power),
    _power("grid_power", _GRID, lambda data: data.grid_power),
    _power("grid_import_power", _GRID, lambda data: _split(data.grid_power, 1)),
    _power("grid_export_power", _GRID, lambda data: _split(data.grid_power, -1)),
    _power("battery_power", _BATTERY, lambda data: data.battery_power),
    _power("battery_charge_power", _BATTERY, lambda data: _split(data.battery_power, 1)),
    _power("battery_discharge_power", _BATTERY, lambda data: _split(data.battery_power, -1)),
    SenecSensorEntityDescription(
        key="battery_soc",
        translation_key="battery_soc",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda data: data.battery_soc,
        source=("ENERGY", "GUI_BAT_DATA_FUEL_CHARGE"),
    ),
    SenecSensorEntityDescription(
        key="battery_voltage",
        translation_key="battery_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.battery_voltage,
        source=("ENERGY", "GUI_BAT_DATA_VOLTAGE"),
    ),
    SenecSensorEntityDescription(
        key="battery_current",
        translation_key="battery_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.battery_current,
        source=("ENERGY", "GUI_BAT_DATA_CURRENT"),
    ),
    SenecSensorEntityDescription(
        key="hours_of_operation",
        translation_key="hours_of_operation",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.hours_of_operation,
        source=("ENERGY", "STAT_HOURS_OF_OPERATION"),
    ),
    SenecSensorEntityDescription(
        key="export_limit",
        translation_key="export_limit",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.export_limit,
        source=("PV1", "POWER_RATIO"),
    ),
    _power(
        "pv_p_total",
        ("PV1", "P_TOTAL"),
        lambda data: data.pv_p_total,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
    SenecSensorEntityDescription(
        key="design_capacity",
        translation_key="design_capacity",
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.design_capacity,
        source=("FACTORY", "DESIGN_CAPACITY"),
    ),
    _power(
        "max_charge_power",
        ("FACTORY", "MAX_CHARGE_POWER_DC"),
        lambda data: data.max_charge_power,
        state_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    _power(
        "max_discharge_power",
        ("FACTORY", "MAX_DISCHARGE_POWER_DC"),
        lambda data: data.max_discharge_power,
        state_class=None,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)


@dataclass(frozen=True, kw_only=True)
class SenecListSensorEntityDescription(SensorEntityDescription):
    """A value the appliance reports per battery module or per MPP tracker."""

    values_fn: Callable[[Snapshot], tuple[float | None, ...]]
    group: str  # "module" or "mpp": the unique id is <serial>_<group>_<n>_<key>
    source: tuple[str, str]


_MODULE_ENERGY: Any = {
    "device_class": SensorDeviceClass.ENERGY,
    # The appliance counts milliwatt-hours (see Snapshot.from_answer); the snapshot has Wh.
    # Kept as Wh (shown as kWh) so the registry entries of earlier versions stay valid.
    "native_unit_of_measurement": UnitOfEnergy.WATT_HOUR,
    "suggested_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    "state_class": SensorStateClass.TOTAL_INCREASING,
    "suggested_display_precision": 1,
    "entity_category": EntityCategory.DIAGNOSTIC,
    "entity_registry_enabled_default": False,
}

MODULE_SENSORS: tuple[SenecListSensorEntityDescription, ...] = (
    SenecListSensorEntityDescription(
        key="charged_energy",
        translation_key="module_charged_energy",
        group="module",
        values_fn=lambda data: data.module_charged_energy,
        source=("BMS", "CHARGED_ENERGY"),
        **_MODULE_ENERGY,
    ),
    SenecListSensorEntityDescription(
        key="discharged_energy",
        translation_key="module_discharged_energy",
        group="module",
        values_fn=lambda data: data.module_discharged_energy,
        source=("BMS", "DISCHARGED_ENERGY"),
        **_MODULE_ENERGY,
    ),
    SenecListSensorEntityDescription(
        key="cycles",
        translation_key="module_cycles",
        group="module",
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.module_cycles,
        source=("BMS", "CYCLES"),
    ),
)

TRACKER_SENSORS: tuple[SenecListSensorEntityDescription, ...] = (
    SenecListSensorEntityDescription(
        key="power",
        translation_key="mpp_power",
        group="mpp",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        values_fn=lambda data: data.mpp_power,
        source=("PV1", "MPP_POWER"),
    ),
    SenecListSensorEntityDescription(
        key="voltage",
        translation_key="mpp_voltage",
        group="mpp",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.mpp_voltage,
        source=("PV1", "MPP_VOL"),
    ),
    SenecListSensorEntityDescription(
        key="current",
        translation_key="mpp_current",
        group="mpp",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.mpp_current,
        source=("PV1", "MPP_CUR"),
    ),
)


TOTALS: tuple[SensorEntityDescription, ...] = tuple(
    SensorEntityDescription(
        key=total.value,
        translation_key=total.value,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
    )
    for total in Total
)


def _slots(description: SenecListSensorEntityDescription, snapshot: Snapshot) -> int:
    """Return how many modules or trackers the appliance answers this variable for."""
    if description.source not in snapshot.answered:
        return 0
    return len(description.values_fn(snapshot))


def _entities(coordinator: SenecCoordinator, snapshot: Snapshot) -> list[SensorEntity]:
    """Every sensor of a variable this appliance answers, and the six totals.

    The first poll's values do not matter: a NaN, a malformed value or a state code this
    version does not know yet gives an entity whose state is unknown until a good poll.
    Only a variable the appliance does not have (``VARIABLE_NOT_FOUND``, a section that is
    ``OBJECT_NOT_FOUND`` or empty, a key missing from the answer) gives no entity.
    """
    entities: list[SensorEntity] = [
        SenecSensor(coordinator, description)
        for description in SENSORS
        if description.source in snapshot.answered
    ]
    # Module lists always have four slots; only the configured modules are real.
    configured = coordinator.identity.modules_configured or 0
    for descriptions, limit in ((MODULE_SENSORS, configured), (TRACKER_SENSORS, None)):
        slots = {description.key: _slots(description, snapshot) for description in descriptions}
        count = max(slots.values())
        entities.extend(
            SenecListSensor(coordinator, description, index)
            for index in range(count if limit is None else min(limit, count))
            for description in descriptions
            if index < slots[description.key]
        )
    entities.extend(SenecTotalSensor(coordinator, description) for description in TOTALS)
    return entities


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SenecConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors of the values this appliance reports."""
    coordinator = entry.runtime_data
    async_add_entities(_entities(coordinator, coordinator.data))


class SenecSensor(SenecEntity, SensorEntity):
    """A value read from the appliance."""

    entity_description: SenecSensorEntityDescription

    def __init__(
        self, coordinator: SenecCoordinator, description: SenecSensorEntityDescription
    ) -> None:
        """Bind the description to the appliance."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.identity.serial}_{description.key}"

    @property
    def native_value(self) -> StateValue:
        """The current value, None when the appliance sent none."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Keep the raw code of a state the integration does not know yet."""
        if self.entity_description.device_class is not SensorDeviceClass.ENUM:
            return None
        snapshot = self.coordinator.data
        code = (
            snapshot.system_state
            if self.entity_description.key == "system_state"
            else snapshot.statistic_state
        )
        return {"code": code}


class SenecListSensor(SenecEntity, SensorEntity):
    """A value of one battery module or one MPP tracker."""

    entity_description: SenecListSensorEntityDescription

    def __init__(
        self,
        coordinator: SenecCoordinator,
        description: SenecListSensorEntityDescription,
        index: int,
    ) -> None:
        """Bind the description to slot ``index`` (0-based) of the appliance's list."""
        super().__init__(coordinator)
        self.entity_description = description
        self._index = index
        number = str(index + 1)
        self._attr_translation_placeholders = {"number": number}
        self._attr_unique_id = (
            f"{coordinator.identity.serial}_{description.group}_{number}_{description.key}"
        )

    @property
    def native_value(self) -> float | None:
        """The value of this module or tracker, None when the slot is missing."""
        values = self.entity_description.values_fn(self.coordinator.data)
        return values[self._index] if self._index < len(values) else None


class SenecTotalSensor(SenecEntity, SensorEntity):
    """One of the six lifetime energy totals; never decreases."""

    def __init__(self, coordinator: SenecCoordinator, description: SensorEntityDescription) -> None:
        """Bind the total to the appliance."""
        super().__init__(coordinator)
        self.entity_description = description
        self._total = Total(description.key)
        self._attr_unique_id = f"{coordinator.identity.serial}_{description.key}"

    @property
    def native_value(self) -> float | None:
        """The total in kWh."""
        value = self.coordinator.meter.value(self._total)
        return None if value is None else round(value, 4)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Say whether the appliance counts or the integration integrates."""
        return {"source": self.coordinator.meter.source(self._total).value}
