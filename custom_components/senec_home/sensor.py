"""Sensors: every value of the poll, the split power flows, and the six energy totals."""

from __future__ import annotations

import math
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
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import (
    SYSTEM_STATES,
    UPDATE_STATES,
    WALLBOX_STATES,
    Snapshot,
    state_key,
    update_state_key,
    wallbox_state_key,
)
from .coordinator import SenecConfigEntry, SenecCoordinator
from .energy import Total
from .entity import SenecEntity, list_sources, slot_count

PARALLEL_UPDATES = 0

# Split power flows ignore readings this close to zero (W): the appliance reports a few
# watts of noise on an idle battery or grid.
DEADBAND = 5.0
# Steps of the published energy totals per kWh: to the watt-hour.
TOTAL_STEPS = 1000

type StateValue = float | int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class SenecSensorEntityDescription(SensorEntityDescription):
    """A sensor of the appliance: how to read it, and the variable it comes from.

    ``source`` (section, variable) decides whether the entity exists: it does when the
    appliance answers that variable at all, whatever the value in the first poll.
    """

    value_fn: Callable[[Snapshot], StateValue]
    source: tuple[str, str]
    #: For a state sensor: the raw code, kept as an attribute for codes not known yet.
    code_fn: Callable[[Snapshot], int | None] | None = None


def _split(value: float | None, sign: int) -> float | None:
    """Return one direction of a signed power, 0 inside the deadband."""
    if value is None:
        return None
    part = value * sign
    return part if part > DEADBAND else 0.0


def published(value: StateValue, description: SensorEntityDescription) -> StateValue:
    """Round a number to the precision it is shown with; never -0.

    The appliance's floats carry digits far below what its meters resolve and what the
    entity shows, and Home Assistant records a new state whenever the number changes: a
    change no one can see would cost a state write and a database row at every poll. Where
    the entity is shown in another unit than it reports (Wh as kWh), it is left as it is.
    """
    digits = description.suggested_display_precision
    if type(value) is not float or digits is None or description.suggested_unit_of_measurement:
        return value
    if digits == 0:
        return round(value)  # an integer: "1907 W", never "-0"
    return round(value, digits) + 0.0


def published_total(kwh: float) -> float:
    """Round an energy total up to the watt-hour.

    Up, not to the nearest: an earlier release published four decimals, and a total that
    read 1.2344 kWh before an update must not read 1.234 after it. Home Assistant takes
    any decrease of a ``total_increasing`` sensor as a dip (a warning in the log, and the
    dip subtracted from the hour's statistics). Rounding up keeps every total at or above
    what it was at any precision, and is monotonic like the meter behind it.
    """
    return math.ceil(kwh * TOTAL_STEPS) / TOTAL_STEPS


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


def _temperature(
    key: str,
    name: str,
    value_fn: Callable[[Snapshot], float | None],
    **kwargs: Any,
) -> SenecSensorEntityDescription:
    """Describe a ``TEMPMEASURE`` temperature in degC."""
    defaults: dict[str, Any] = {
        "translation_key": key,
        "device_class": SensorDeviceClass.TEMPERATURE,
        "native_unit_of_measurement": UnitOfTemperature.CELSIUS,
        "state_class": SensorStateClass.MEASUREMENT,
        "suggested_display_precision": 1,
    }
    return SenecSensorEntityDescription(
        key=key, source=("TEMPMEASURE", name), value_fn=value_fn, **(defaults | kwargs)
    )


def _version(
    key: str, source: tuple[str, str], value_fn: Callable[[Snapshot], StateValue]
) -> SenecSensorEntityDescription:
    """Describe a version of the appliance's software: diagnostic, disabled by default."""
    return SenecSensorEntityDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=value_fn,
        source=source,
    )


STATE_OPTIONS = list(SYSTEM_STATES.values())
# Codes 4 and 7 share a key: each option once, in code order.
UPDATE_STATE_OPTIONS = list(dict.fromkeys(UPDATE_STATES.values()))
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
        code_fn=lambda data: data.system_state,
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
        code_fn=lambda data: data.statistic_state,
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
    _temperature("battery_temperature", "BATTERY_TEMP", lambda data: data.battery_temperature),
    _temperature("case_temperature", "CASE_TEMP", lambda data: data.case_temperature),
    _temperature(
        "mcu_temperature",
        "MCU_TEMP",
        lambda data: data.mcu_temperature,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
    SenecSensorEntityDescription(
        key="grid_frequency",
        translation_key="grid_frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.grid_frequency,
        source=("PM1OBJ1", "FREQ"),
    ),
    _power(
        "grid_meter_power",
        ("PM1OBJ1", "P_TOTAL"),
        lambda data: data.grid_meter_power,
        entity_registry_enabled_default=False,
    ),
    _power(
        "meter2_power",
        ("PM1OBJ2", "P_TOTAL"),
        lambda data: data.meter2_power,
    ),
    SenecSensorEntityDescription(
        key="spare_capacity",
        translation_key="spare_capacity",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.spare_capacity,
        source=("BAT1", "SPARE_CAPACITY"),
    ),
    # Firmware and updates (WIZARD, SYS_UPDATE): read in the hourly poll. The device shows the
    # firmware line (MCU revision and NPU image); these show the other versions and how far
    # an update is.
    SenecSensorEntityDescription(
        key="update_state",
        translation_key="update_state",
        device_class=SensorDeviceClass.ENUM,
        options=UPDATE_STATE_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: update_state_key(data.update_state),
        source=("SYS_UPDATE", "FSM_STATE"),
        code_fn=lambda data: data.update_state,
    ),
    _version("gui_version", ("WIZARD", "INTERFACE_VERSION"), lambda d: d.interface_version),
    _version("npu_version", ("SYS_UPDATE", "NPU_VER"), lambda d: d.npu_version),
    _version(
        "npu_image_version", ("SYS_UPDATE", "NPU_IMAGE_VERSION"), lambda d: d.npu_image_version
    ),
)


@dataclass(frozen=True, kw_only=True)
class SenecListSensorEntityDescription(SensorEntityDescription):
    """A value the appliance reports per battery module, MPP tracker, phase or wallbox.

    ``source`` decides whether the entity of a slot exists; a ``{letter}`` in its variable
    name stands for the module letter (``CELL_VOLTAGES_MODULE_{letter}``: module 1 is A).
    ``extra_sources`` are further variables the value needs.
    """

    values_fn: Callable[[Snapshot], tuple[StateValue, ...]]
    group: str  # "module", "mpp", "phase", "wallbox": the unique id is <serial>_<group>_<n>_<key>
    source: tuple[str, str]
    extra_sources: tuple[tuple[str, str], ...] = ()
    code_fn: Callable[[Snapshot], tuple[int | None, ...]] | None = None


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


def _spread(values: tuple[float, ...] | None) -> tuple[float, float, float] | None:
    """Return (minimum, maximum, maximum - minimum) of one module's cells."""
    if not values:
        return None
    low, high = min(values), max(values)
    return low, high, round(high - low, 3)


def _per_module(
    cells: Callable[[Snapshot], tuple[tuple[float, ...] | None, ...]], part: int
) -> Callable[[Snapshot], tuple[float | None, ...]]:
    """Return a reader of one part (min, max, spread) of each module's cells."""

    def read(data: Snapshot) -> tuple[float | None, ...]:
        spreads = (_spread(values) for values in cells(data))
        return tuple(None if spread is None else spread[part] for spread in spreads)

    return read


_CELL: Any = {
    "group": "module",
    "state_class": SensorStateClass.MEASUREMENT,
    "entity_category": EntityCategory.DIAGNOSTIC,
    "entity_registry_enabled_default": False,
}
_CELL_VOLTAGE: Any = _CELL | {
    "device_class": SensorDeviceClass.VOLTAGE,
    "native_unit_of_measurement": UnitOfElectricPotential.MILLIVOLT,
    "suggested_display_precision": 0,
    "source": ("BMS", "CELL_VOLTAGES_MODULE_{letter}"),
}
_CELL_TEMPERATURE: Any = _CELL | {
    "device_class": SensorDeviceClass.TEMPERATURE,
    "native_unit_of_measurement": UnitOfTemperature.CELSIUS,
    "suggested_display_precision": 0,
    "source": ("BMS", "CELL_TEMPERATURES_MODULE_{letter}"),
}

MODULE_SENSORS += (
    SenecListSensorEntityDescription(
        key="soc",
        translation_key="module_soc",
        group="module",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        values_fn=lambda data: data.module_soc,
        source=("BMS", "SOC"),
    ),
    SenecListSensorEntityDescription(
        key="soh",
        translation_key="module_soh",
        group="module",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        values_fn=lambda data: data.module_soh,
        source=("BMS", "SOH"),
    ),
    SenecListSensorEntityDescription(
        key="cell_voltage_min",
        translation_key="module_cell_voltage_min",
        values_fn=_per_module(lambda data: data.cell_voltages, 0),
        **_CELL_VOLTAGE,
    ),
    SenecListSensorEntityDescription(
        key="cell_voltage_max",
        translation_key="module_cell_voltage_max",
        values_fn=_per_module(lambda data: data.cell_voltages, 1),
        **_CELL_VOLTAGE,
    ),
    SenecListSensorEntityDescription(
        key="cell_voltage_spread",
        translation_key="module_cell_voltage_spread",
        values_fn=_per_module(lambda data: data.cell_voltages, 2),
        **_CELL_VOLTAGE,
    ),
    SenecListSensorEntityDescription(
        key="cell_temperature_min",
        translation_key="module_cell_temperature_min",
        values_fn=_per_module(lambda data: data.cell_temperatures, 0),
        **_CELL_TEMPERATURE,
    ),
    SenecListSensorEntityDescription(
        key="cell_temperature_max",
        translation_key="module_cell_temperature_max",
        values_fn=_per_module(lambda data: data.cell_temperatures, 1),
        **_CELL_TEMPERATURE,
    ),
    SenecListSensorEntityDescription(
        key="cell_temperature_spread",
        translation_key="module_cell_temperature_spread",
        values_fn=_per_module(lambda data: data.cell_temperatures, 2),
        # A difference: kelvin, no device class (degC to degF would add 32).
        **(_CELL_TEMPERATURE | {"device_class": None, "native_unit_of_measurement": "K"}),
    ),
)

PHASE_SENSORS: tuple[SenecListSensorEntityDescription, ...] = (
    SenecListSensorEntityDescription(
        key="power",
        translation_key="phase_power",
        group="phase",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        values_fn=lambda data: data.phase_power,
        source=("PM1OBJ1", "P_AC"),
    ),
    SenecListSensorEntityDescription(
        key="voltage",
        translation_key="phase_voltage",
        group="phase",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.phase_voltage,
        source=("PM1OBJ1", "U_AC"),
    ),
    SenecListSensorEntityDescription(
        key="current",
        translation_key="phase_current",
        group="phase",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.phase_current,
        source=("PM1OBJ1", "I_AC"),
    ),
)

METER2_SENSORS: tuple[SenecListSensorEntityDescription, ...] = (
    SenecListSensorEntityDescription(
        key="power",
        translation_key="meter2_phase_power",
        group="meter2_phase",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        values_fn=lambda data: data.meter2_phase_power,
        source=("PM1OBJ2", "P_AC"),
    ),
)

WALLBOX_STATE_OPTIONS = list(WALLBOX_STATES.values())


def _wallbox_current(phase: int) -> SenecListSensorEntityDescription:
    """Describe the charging current of one phase (1-3) of each wallbox."""
    return SenecListSensorEntityDescription(
        key=f"l{phase}_current",
        translation_key=f"wallbox_l{phase}_current",
        group="wallbox",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        values_fn=lambda data: (
            data.wallbox_phase_current[phase - 1] if data.wallbox_phase_current else ()
        ),
        source=("WALLBOX", f"L{phase}_CHARGING_CURRENT"),
    )


WALLBOX_SENSORS: tuple[SenecListSensorEntityDescription, ...] = (
    SenecListSensorEntityDescription(
        key="power",
        translation_key="wallbox_power",
        group="wallbox",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        values_fn=lambda data: data.wallbox_power,
        source=("WALLBOX", "APPARENT_CHARGING_POWER"),
    ),
    SenecListSensorEntityDescription(
        key="state",
        translation_key="wallbox_state",
        group="wallbox",
        device_class=SensorDeviceClass.ENUM,
        options=WALLBOX_STATE_OPTIONS,
        values_fn=lambda data: tuple(map(wallbox_state_key, data.wallbox_state)),
        code_fn=lambda data: data.wallbox_state,
        source=("WALLBOX", "STATE"),
    ),
    SenecListSensorEntityDescription(
        key="phases_used",
        translation_key="wallbox_phases_used",
        group="wallbox",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        values_fn=lambda data: data.wallbox_phases_used,
        source=("WALLBOX", "L1_USED"),
        extra_sources=(("WALLBOX", "L2_USED"), ("WALLBOX", "L3_USED")),
    ),
    _wallbox_current(1),
    _wallbox_current(2),
    _wallbox_current(3),
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
    """Return how many slots the appliance answers this variable for."""
    return slot_count(description.source, len(description.values_fn(snapshot)), snapshot)


def _limit(group: str, coordinator: SenecCoordinator, snapshot: Snapshot) -> list[int] | None:
    """Return the slots (0-based) that are real for a group; None when all answered are."""
    if group == "module":
        # Module lists always have four slots; only the configured modules are real.
        return list(range(coordinator.identity.modules_configured or 0))
    if group == "wallbox":
        return list(coordinator.wallbox_slots)
    if group == "phase" and not snapshot.grid_meter_enabled:
        return []
    if group == "meter2_phase" and not snapshot.meter2_present:
        return []
    return None


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
        # The grid meter's values only when it is enabled (PM1OBJ1.ENABLED), the second
        # meter's only when the appliance has one.
        and (description.source[0] != "PM1OBJ1" or snapshot.grid_meter_enabled)
        and (description.source[0] != "PM1OBJ2" or snapshot.meter2_present)
    ]
    for descriptions in (
        MODULE_SENSORS,
        TRACKER_SENSORS,
        PHASE_SENSORS,
        METER2_SENSORS,
        WALLBOX_SENSORS,
    ):
        group = descriptions[0].group
        limit = _limit(group, coordinator, snapshot)
        for description in descriptions:
            count = _slots(description, snapshot)
            indexes = range(count) if limit is None else [i for i in limit if i < count]
            entities.extend(SenecListSensor(coordinator, description, index) for index in indexes)
    entities.extend(
        SenecTotalSensor(coordinator, description)
        for description in TOTALS
        # The wallbox total only for an appliance with a wallbox.
        if description.key != Total.WALLBOX or coordinator.has_wallbox
    )
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
        coordinator.register_sources(self._attr_unique_id, frozenset({description.source}))

    @property
    def native_value(self) -> StateValue:
        """The current value, None when the appliance sent none."""
        return published(
            self.entity_description.value_fn(self.coordinator.data), self.entity_description
        )

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Keep the raw code of a state the integration does not know yet."""
        code_fn = self.entity_description.code_fn
        if code_fn is None:
            return None
        return {"code": code_fn(self.coordinator.data)}


class SenecListSensor(SenecEntity, SensorEntity):
    """A value of one battery module, MPP tracker, grid phase or wallbox."""

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
        coordinator.register_sources(
            self._attr_unique_id,
            list_sources(description.source, index) | frozenset(description.extra_sources),
        )

    @property
    def native_value(self) -> StateValue:
        """The value of this slot, None when the slot is missing."""
        values = self.entity_description.values_fn(self.coordinator.data)
        if self._index >= len(values):
            return None
        return published(values[self._index], self.entity_description)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Keep the raw code of a state the integration does not know yet."""
        code_fn = self.entity_description.code_fn
        if code_fn is None:
            return None
        codes = code_fn(self.coordinator.data)
        return {"code": codes[self._index] if self._index < len(codes) else None}


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
        """The total in kWh, to the watt-hour.

        Finer than it is shown (10 Wh), so the Energy dashboard's hourly figures stay exact;
        the appliance's own totals (float32 kWh) resolve about 1 Wh at 10 MWh, too.
        """
        value = self.coordinator.meter.value(self._total)
        return None if value is None else published_total(value)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Say whether the appliance counts or the integration integrates."""
        return {"source": self.coordinator.meter.source(self._total).value}
