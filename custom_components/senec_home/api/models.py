"""Typed, immutable views of the appliance's answers.

"Absent" and zero are different things here: a value the appliance did not send, or sent as
garbage, is None (or an empty tuple for a list), never 0. Whether the appliance *has* a
variable is a third thing, kept in :attr:`Snapshot.answered`: a variable it answers with an
unusable value (NaN, a malformed string) still exists and gets a value again on a later poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .codec import Answer, NoValue, Reason, Scalar, Section, Value
from .controls import as_flag
from .requests import MODULE_LETTERS

SYSTEM_TYPES: Final[dict[int, str]] = {
    9: "SENEC.Home V2 5.0",
    10: "SENEC.Home V2 7.5",
    11: "SENEC.Home V2 10.0",
    15: "SENEC.Home V2.1 1ph Lithium",
    17: "SENEC.Home V3 hybrid",
    18: "SENEC.Home V3 hybrid duo",
    19: "SENEC.Home V3 hybrid",
    20: "SENEC.Home V3 hybrid LFP",
    21: "SENEC.Home V3 hybrid duo LFP",
}
_ABSENT: Final = NoValue(Reason.MISSING)
_EMPTY: Final[Section] = {}
# Unix times after this many units are milliseconds (year 5138 in seconds).
_MILLISECONDS_FROM: Final = 100_000_000_000


def _get(answer: Answer, section: str, name: str) -> Value:
    """Return one variable, or a no-value when the section or variable is not there."""
    return answer.get(section, {}).get(name, _ABSENT)


def _number(value: Value | Scalar) -> float | None:
    """Return a decoded number as float, None for anything else; never -0.0.

    Real appliances send ``GUI_INVERTER_POWER`` as ``fl_80000000`` (-0.0) in the dark (the
    fixtures 05-gem-2023-09-08-first-https-0825-negzero.json and
    24-lehmann-2021-12-v3duo-0811-energy.json); Home Assistant would show it as "-0 W".
    Every number the integration publishes passes through here, so this is the one place
    that folds -0.0 into 0.0.
    """
    # Exact type checks: faster than isinstance, and they leave bool out.
    if type(value) is float:
        # IEEE-754: -0.0 + 0.0 is +0.0, every other value is unchanged.
        return value + 0.0
    if type(value) is int:
        return float(value)
    return None


def _integer(value: Value | Scalar) -> int | None:
    """Return a decoded integer; a float with an integral value counts too."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _milli(values: tuple[float | None, ...]) -> tuple[float | None, ...]:
    """Scale a list of milli-unit readings (mWh) to the unit (Wh)."""
    return tuple(None if value is None else value / 1000 for value in values)


def _text(value: Value) -> str | None:
    """Return a decoded string, None when absent or empty."""
    if isinstance(value, str) and value:
        return value
    return None


def _numbers(value: Value) -> tuple[float | None, ...]:
    """Return a decoded list as numbers; a scalar or absent value gives an empty tuple."""
    if isinstance(value, tuple):
        return tuple(map(_number, value))
    return ()


def _bounded(value: float | None, low: float, high: float) -> float | None:
    """Drop readings outside the physically possible range."""
    if value is None or not low <= value <= high:
        return None
    return value


def _answered(answer: Answer) -> frozenset[tuple[str, str]]:
    """Return (section, variable) of every variable the appliance has.

    It has a variable when it answers it with anything but ``VARIABLE_NOT_FOUND``; a section
    answered ``OBJECT_NOT_FOUND`` decodes empty, so none of its variables count.
    """
    return frozenset(
        (section, name)
        for section, variables in answer.items()
        for name, value in variables.items()
        if not (isinstance(value, NoValue) and value.reason is Reason.NOT_FOUND)
    )


def _unix_seconds(value: float | None) -> float | None:
    """Normalise a unix time that may be in seconds or milliseconds to seconds."""
    if value is None or value <= 0:
        return None
    return value / 1000 if value >= _MILLISECONDS_FROM else value


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """Who the appliance is: read once at set-up."""

    serial: str
    system_type: int | None
    application_version: str | None
    interface_version: str | None
    #: ``SYS_UPDATE.NPU_VER`` and ``NPU_IMAGE_VERSION``: integers (see :func:`_version`).
    npu_version: int | None
    npu_image_version: int | None
    modules_configured: int | None
    country: int | None
    #: The network MAC, lower case with colons (``14:1f:ba:21:22:10``); None when not reported.
    mac: str | None = None

    @property
    def firmware(self) -> str | None:
        """The firmware line of the device: MCU revision and NPU image, e.g. ``0826 (NPU 2408)``."""
        if self.npu_image_version is None:
            return self.application_version
        return f"{self.application_version or '?'} (NPU {self.npu_image_version})"

    @property
    def model(self) -> str:
        """The product name for the system type, generic when the type is unknown."""
        if self.system_type is None:
            return "SENEC.Home"
        return SYSTEM_TYPES.get(self.system_type, f"SENEC.Home (type {self.system_type})")

    @classmethod
    def from_answer(cls, answer: Answer) -> Identity | None:
        """Read an identity answer; None when it has no serial (then it is no SENEC)."""
        serial = _text(_get(answer, "FACTORY", "DEVICE_ID"))
        if serial is None:
            return None
        return cls(
            serial=serial,
            system_type=_integer(_get(answer, "FACTORY", "SYS_TYPE")),
            application_version=_text(_get(answer, "WIZARD", "APPLICATION_VERSION")),
            interface_version=_text(_get(answer, "WIZARD", "INTERFACE_VERSION")),
            npu_version=_version(_get(answer, "SYS_UPDATE", "NPU_VER")),
            npu_image_version=_version(_get(answer, "SYS_UPDATE", "NPU_IMAGE_VERSION")),
            modules_configured=_integer(_get(answer, "BMS", "MODULES_CONFIGURED")),
            country=_integer(_get(answer, "FACTORY", "COUNTRY")),
            mac=_mac(_get(answer, "WIZARD", "MAC_ADDRESS_BYTES")),
        )


def _version(value: Value) -> int | None:
    """Read an NPU version: a ``u1`` integer on real appliances, a digit string elsewhere.

    Real answers send ``SYS_UPDATE.NPU_IMAGE_VERSION`` and ``NPU_VER`` as ``u1`` (corpus
    files 29 and 30: ``u1_07DB`` = 2011, ``u1_0906`` = 2310, ``u1_0009``, ``u1_000A``); a
    string of digits (``st_2408``) is taken too, anything else is no version.
    """
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _mac(value: Value) -> str | None:
    """Read ``WIZARD.MAC_ADDRESS_BYTES`` (six ``u8``) as ``aa:bb:cc:dd:ee:ff``.

    Anything else (a missing or partial list, a value out of byte range, all zeros or all
    ones, which no network card has) is no MAC: the device simply gets no MAC connection.
    """
    if not isinstance(value, tuple) or len(value) != 6:
        return None
    octets = [octet for octet in value if type(octet) is int and 0 <= octet <= 0xFF]
    if len(octets) != 6:
        return None
    if all(octet == 0 for octet in octets) or all(octet == 0xFF for octet in octets):
        return None
    return ":".join(f"{octet:02x}" for octet in octets)


@dataclass(frozen=True, slots=True, kw_only=True)
class LifetimeTotals:
    """The appliance's own lifetime energy totals in kWh (``STATISTIC.LIVE_*``).

    Current V3 firmware answers ``STATISTIC`` empty: then every field is None.
    """

    grid_import: float | None
    grid_export: float | None
    pv_generation: float | None
    battery_charge: float | None
    battery_discharge: float | None
    house_consumption: float | None

    @classmethod
    def from_section(cls, statistic: Section) -> LifetimeTotals:
        """Read the totals from the ``STATISTIC`` section (empty on current firmware)."""
        return cls(
            grid_import=_total(statistic, "LIVE_GRID_IMPORT"),
            grid_export=_total(statistic, "LIVE_GRID_EXPORT"),
            pv_generation=_total(statistic, "LIVE_PV_GEN"),
            battery_charge=_total(statistic, "LIVE_BAT_CHARGE_MASTER", "LIVE_BAT_CHARGE"),
            battery_discharge=_total(statistic, "LIVE_BAT_DISCHARGE_MASTER", "LIVE_BAT_DISCHARGE"),
            house_consumption=_total(statistic, "LIVE_HOUSE_CONS"),
        )

    @property
    def available(self) -> bool:
        """Tell whether the firmware reports any lifetime total at all."""
        return any(
            value is not None
            for value in (
                self.grid_import,
                self.grid_export,
                self.pv_generation,
                self.battery_charge,
                self.battery_discharge,
                self.house_consumption,
            )
        )


def _total(statistic: Section, *names: str) -> float | None:
    """Return the first present total among ``names`` (firmware variants), non-negative."""
    for name in names:
        value = _number(statistic.get(name, _ABSENT))
        if value is not None:
            return value if value >= 0 else None
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """Everything one poll returned, decoded; ``raw`` is the answer as received.

    ``answered`` holds the (section, variable) pairs the appliance has, whatever their value
    in this poll: it decides which entities exist, the values only what they show.
    """

    raw: dict[str, Any]
    answered: frozenset[tuple[str, str]]
    system_state: int | None
    statistic_state: int | None
    totals: LifetimeTotals
    measure_time: float | None
    battery_current: float | None
    battery_soc: float | None
    battery_power: float | None
    battery_voltage: float | None
    grid_power: float | None
    house_power: float | None
    pv_power: float | None
    hours_of_operation: int | None
    # Watt-hours per module (the appliance counts milliwatt-hours, see from_answer).
    module_charged_energy: tuple[float | None, ...]
    module_discharged_energy: tuple[float | None, ...]
    module_cycles: tuple[float | None, ...]
    mpp_current: tuple[float | None, ...]
    mpp_power: tuple[float | None, ...]
    mpp_voltage: tuple[float | None, ...]
    export_limit: float | None
    pv_p_total: float | None
    design_capacity: float | None
    max_charge_power: float | None
    max_discharge_power: float | None
    # None: the appliance does not know the variable (then it has no force-charge control).
    safe_charge_running: bool | None = None
    battery_temperature: float | None = None
    case_temperature: float | None = None
    mcu_temperature: float | None = None
    #: False only when the appliance says its grid meter is disabled (``PM1OBJ1.ENABLED`` 0).
    grid_meter_enabled: bool = True
    grid_frequency: float | None = None
    grid_meter_power: float | None = None
    phase_power: tuple[float | None, ...] = ()
    phase_voltage: tuple[float | None, ...] = ()
    phase_current: tuple[float | None, ...] = ()
    #: The second meter (``PM1OBJ2``, a consumption meter): whether the appliance has one.
    meter2_present: bool = False
    meter2_power: float | None = None
    meter2_phase_power: tuple[float | None, ...] = ()
    spare_capacity: float | None = None
    module_soc: tuple[float | None, ...] = ()
    module_soh: tuple[float | None, ...] = ()
    #: Per module (A, B, C, D): the plausible cell readings, mV and degC; () when not asked.
    cell_voltages: tuple[tuple[float, ...] | None, ...] = ()
    cell_temperatures: tuple[tuple[float, ...] | None, ...] = ()
    wallbox_power: tuple[float | None, ...] = ()
    wallbox_state: tuple[int | None, ...] = ()
    wallbox_ev_connected: tuple[bool | None, ...] = ()
    wallbox_phases_used: tuple[int | None, ...] = ()
    wallbox_phase_current: tuple[tuple[float | None, ...], ...] = ()
    #: The wallbox slots (0-based) that hold a wallbox; see :func:`_wallboxes`.
    wallboxes: tuple[int, ...] = ()
    #: True when the appliance says which slots hold a wallbox (``HW_TYPE`` or
    #: ``SERIAL_NUMBER``); False when :attr:`wallboxes` is guessed from activity.
    wallboxes_known: bool = False
    #: The firmware as the last read that asked for it says (see :func:`_firmware`).
    application_version: str | None = None
    interface_version: str | None = None
    npu_version: int | None = None
    npu_image_version: int | None = None
    update_available: bool | None = None
    update_state: int | None = None

    @property
    def wallbox_total_power(self) -> float | None:
        """The charging power of all wallboxes (W), None when the appliance sent none.

        Empty slots read 0 (every published answer), so the sum over all four is the sum
        over the wallboxes the appliance has.
        """
        known = [value for value in self.wallbox_power if value is not None]
        if not known:
            return None
        return sum(known) + 0.0

    @classmethod
    def from_answer(cls, answer: Answer, raw: dict[str, Any]) -> Snapshot:
        """Build a snapshot from a decoded poll answer."""
        energy = answer.get("ENERGY", _EMPTY).get
        statistic = answer.get("STATISTIC", _EMPTY)
        bms = answer.get("BMS", _EMPTY).get
        pv1 = answer.get("PV1", _EMPTY).get
        factory = answer.get("FACTORY", _EMPTY).get
        return cls(
            raw=raw,
            answered=_answered(answer),
            system_state=_integer(energy("STAT_STATE", _ABSENT)),
            statistic_state=_integer(statistic.get("CURRENT_STATE", _ABSENT)),
            totals=LifetimeTotals.from_section(statistic),
            # i3 unix seconds, UTC: 01-gem-2022-11-13-statistic-http.json's MEASURE_TIME is
            # the second the answer was recorded.
            measure_time=_unix_seconds(_number(statistic.get("MEASURE_TIME", _ABSENT))),
            battery_current=_number(energy("GUI_BAT_DATA_CURRENT", _ABSENT)),
            battery_soc=_bounded(_number(energy("GUI_BAT_DATA_FUEL_CHARGE", _ABSENT)), 0, 100),
            battery_power=_number(energy("GUI_BAT_DATA_POWER", _ABSENT)),
            battery_voltage=_bounded(_number(energy("GUI_BAT_DATA_VOLTAGE", _ABSENT)), 0, 1000),
            grid_power=_number(energy("GUI_GRID_POW", _ABSENT)),
            # Without a SENEC wallbox's power: 12-collector-2021-10-05-statistic-bms-wallbox-
            # charging.json balances only with the wallbox as a separate load.
            house_power=_number(energy("GUI_HOUSE_POW", _ABSENT)),
            pv_power=_number(energy("GUI_INVERTER_POWER", _ABSENT)),
            hours_of_operation=_integer(energy("STAT_HOURS_OF_OPERATION", _ABSENT)),
            # u3 milliwatt-hours, not Wh: in 12-collector-2021-10-05-statistic-bms-wallbox-
            # charging.json the four modules add up to 1284.6 kWh charged read as mWh, 95 %
            # of STATISTIC.LIVE_BAT_CHARGE_MASTER (1350.4 kWh) in the same answer (the modules
            # count on the DC side). SENEC does not document the unit.
            module_charged_energy=_milli(_numbers(bms("CHARGED_ENERGY", _ABSENT))),
            module_discharged_energy=_milli(_numbers(bms("DISCHARGED_ENERGY", _ABSENT))),
            module_cycles=_numbers(bms("CYCLES", _ABSENT)),
            mpp_current=_numbers(pv1("MPP_CUR", _ABSENT)),
            mpp_power=_numbers(pv1("MPP_POWER", _ABSENT)),
            mpp_voltage=_numbers(pv1("MPP_VOL", _ABSENT)),
            # u3 on firmware before 0825, fl from 0825 on (06-gem-2023-09-29-power-ratio-
            # float.json); _number takes either.
            export_limit=_bounded(_number(pv1("POWER_RATIO", _ABSENT)), 0, 100),
            # The opposite sign of GUI_INVERTER_POWER in 12-collector-2021-10-05-statistic-
            # bms-wallbox-charging.json (-843.0 against +843.0): published as sent.
            pv_p_total=_number(pv1("P_TOTAL", _ABSENT)),
            design_capacity=_number(factory("DESIGN_CAPACITY", _ABSENT)),
            max_charge_power=_number(factory("MAX_CHARGE_POWER_DC", _ABSENT)),
            max_discharge_power=_number(factory("MAX_DISCHARGE_POWER_DC", _ABSENT)),
            safe_charge_running=as_flag(energy("SAFE_CHARGE_RUNNING", _ABSENT)),
            **_more(answer),
            **_firmware(answer),
        )


# Readings outside these ranges are no value. MCU_TEMP is known to read about -155 degC on
# some appliances, BATTERY_TEMP about -126 degC during a remote shutdown (owners' reports);
# the real answers show 25-49 degC (31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json).
TEMPERATURE_RANGE: Final = (-40.0, 100.0)
# Cell voltages in mV: LFP cells work at 2.5-3.65 V, NMC at 3.0-4.2 V; 0 is an empty slot.
CELL_VOLTAGE_RANGE: Final = (1500.0, 5000.0)


def _temperature(value: Value | Scalar) -> float | None:
    """Return a plausible temperature in degC, None for anything else."""
    return _bounded(_number(value), *TEMPERATURE_RANGE)


def _cells(
    bms: Section, variable: str, low: float, high: float
) -> tuple[tuple[float, ...] | None, ...]:
    """Return per module (A..D) the plausible values of ``BMS.<variable>_<letter>``.

    None for a module the answer does not hold (not asked, or not there); trailing Nones are
    dropped, so the length is the number of modules up to the last one answered.
    """
    modules: list[tuple[float, ...] | None] = []
    for letter in MODULE_LETTERS:
        value = bms.get(f"{variable}_{letter}", _ABSENT)
        if not isinstance(value, tuple):
            modules.append(None)
            continue
        numbers = (_bounded(number, low, high) for number in _numbers(value))
        modules.append(tuple(number for number in numbers if number is not None))
    while modules and modules[-1] is None:
        modules.pop()
    return tuple(modules)


def _flags(value: Value) -> tuple[bool | None, ...]:
    """Return a list of u8 flags as booleans."""
    if not isinstance(value, tuple):
        return ()
    return tuple(None if (number := _integer(item)) is None else number != 0 for item in value)


def _wallboxes(wallbox: Section) -> tuple[int, ...]:
    """Return the slots (0-based) that hold a wallbox.

    Every ``WALLBOX`` list has four slots, empty ones read 0 and ``st_``: a full V3 answer with
    one wallbox shows ``HW_TYPE`` ``[u8_14, u8_00, u8_00, u8_00]`` and ``SERIAL_NUMBER``
    ``[st_<serial>, st_, st_, st_]`` (``BUS_ADR`` is 1-4 on every slot, so it tells nothing).
    Where the appliance answers neither (no published answer older than that has them), a
    slot that charges or has a car connected holds a wallbox: 12-collector-2021-10-05-
    statistic-bms-wallbox-charging.json and 18-collector-2025-07-24-ev-connected-1.json.
    """
    hw_type = wallbox.get("HW_TYPE", _ABSENT)
    if isinstance(hw_type, tuple):
        return tuple(i for i, item in enumerate(hw_type) if _integer(item) not in (None, 0))
    serials = wallbox.get("SERIAL_NUMBER", _ABSENT)
    if isinstance(serials, tuple):
        return tuple(i for i, item in enumerate(serials) if isinstance(item, str) and item)
    power = _numbers(wallbox.get("APPARENT_CHARGING_POWER", _ABSENT))
    connected = _flags(wallbox.get("EV_CONNECTED", _ABSENT))
    slots = max(len(power), len(connected))
    return tuple(
        i
        for i in range(slots)
        if (i < len(power) and (power[i] or 0) > 0) or (i < len(connected) and connected[i])
    )


def _phases_used(wallbox: Section) -> tuple[int | None, ...]:
    """Return per wallbox how many of ``L1_USED..L3_USED`` (u8 flags, file 40) are set."""
    flags = [_flags(wallbox.get(f"L{phase}_USED", _ABSENT)) for phase in (1, 2, 3)]
    if not all(flags):
        return ()
    return tuple(
        None if None in slot else sum(bool(flag) for flag in slot)
        for slot in zip(*flags, strict=False)
    )


def _more(answer: Answer) -> dict[str, Any]:
    """Read the sections beyond the energy flows: temperatures, meter, modules, wallbox."""
    temperature = answer.get("TEMPMEASURE", _EMPTY).get
    meter = answer.get("PM1OBJ1", _EMPTY).get
    bms = answer.get("BMS", _EMPTY)
    wallbox = answer.get("WALLBOX", _EMPTY)
    enabled = _integer(meter("ENABLED", _ABSENT))
    return {
        # fl degC (31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json, CASE_TEMP in
        # most answers).
        "battery_temperature": _temperature(temperature("BATTERY_TEMP", _ABSENT)),
        "case_temperature": _temperature(temperature("CASE_TEMP", _ABSENT)),
        "mcu_temperature": _temperature(temperature("MCU_TEMP", _ABSENT)),
        # PM1OBJ1: FREQ fl Hz, U_AC / I_AC / P_AC fl[3] V / A / W, P_TOTAL fl W; ENABLED u8
        # (21-pysenec-2022-05-pm1obj-pwrunit-statistic.json, 25-lehmann-2021-12-v3duo-0811-
        # pm1obj1.json, 31-wastl-...). I_AC is unsigned while P_AC is signed (21, 25).
        "grid_meter_enabled": enabled != 0,
        "grid_frequency": _bounded(_number(meter("FREQ", _ABSENT)), 40, 70),
        "grid_meter_power": _number(meter("P_TOTAL", _ABSENT)),
        "phase_power": _numbers(meter("P_AC", _ABSENT)),
        "phase_voltage": _numbers(meter("U_AC", _ABSENT)),
        "phase_current": _numbers(meter("I_AC", _ABSENT)),
        # PM1OBJ2: the same variables as PM1OBJ1 for a second meter; an appliance without
        # one answers it all zeros (21-pysenec-2022-05-pm1obj-pwrunit-statistic.json).
        "meter2_present": _meter2_present(answer.get("PM1OBJ2", _EMPTY)),
        "meter2_power": _number(answer.get("PM1OBJ2", _EMPTY).get("P_TOTAL", _ABSENT)),
        "meter2_phase_power": _numbers(answer.get("PM1OBJ2", _EMPTY).get("P_AC", _ABSENT)),
        # BAT1.SPARE_CAPACITY: % backup reserve; no published answer has it, its type is not
        # documented, so any number is read (PROTOCOL-style variable list of SENEC tools).
        "spare_capacity": _bounded(
            _number(answer.get("BAT1", _EMPTY).get("SPARE_CAPACITY", _ABSENT)), 0, 100
        ),
        # BMS.SOC / SOH: one per module slot (four); the simulator and the open-source SENEC
        # integrations read them as % numbers; no published answer has them.
        "module_soc": tuple(_bounded(v, 0, 100) for v in _numbers(bms.get("SOC", _ABSENT))),
        "module_soh": tuple(_bounded(v, 0, 100) for v in _numbers(bms.get("SOH", _ABSENT))),
        # CELL_VOLTAGES_MODULE_A..D: 14 (NMC) or 16 (LFP) values in mV; CELL_TEMPERATURES_
        # MODULE_A..D: i8 degC. Not in any published answer: types from the variable lists of
        # the open-source SENEC integrations (ioBroker.senec, marq24/ha-senec-v3).
        "cell_voltages": _cells(bms, "CELL_VOLTAGES_MODULE", *CELL_VOLTAGE_RANGE),
        "cell_temperatures": _cells(bms, "CELL_TEMPERATURES_MODULE", *TEMPERATURE_RANGE),
        # WALLBOX: four slots each. APPARENT_CHARGING_POWER fl (VA; it balances as W in
        # 12-collector-...-wallbox-charging.json), EV_CONNECTED u8 (08, 18), L1..L3_USED u8
        # (40-issue-hasenec3-2020-11-wallbox.json), STATE u8 (a full V3 answer shows u8_F4),
        # L1..L3_CHARGING_CURRENT A (PROTOCOL-style lists; not in a published answer).
        "wallbox_power": tuple(
            None if v is None else max(v, 0.0)
            for v in _numbers(wallbox.get("APPARENT_CHARGING_POWER", _ABSENT))
        ),
        "wallbox_state": _integers(wallbox.get("STATE", _ABSENT)),
        "wallbox_ev_connected": _flags(wallbox.get("EV_CONNECTED", _ABSENT)),
        "wallbox_phases_used": _phases_used(wallbox),
        "wallbox_phase_current": tuple(
            _numbers(wallbox.get(f"L{phase}_CHARGING_CURRENT", _ABSENT)) for phase in (1, 2, 3)
        ),
        "wallboxes": _wallboxes(wallbox),
        "wallboxes_known": isinstance(wallbox.get("HW_TYPE"), tuple)
        or isinstance(wallbox.get("SERIAL_NUMBER"), tuple),
    }


def _meter2_present(meter: Section) -> bool:
    """Tell whether the appliance has a second meter (``PM1OBJ2``).

    ``ENABLED`` says so where the appliance answers it (u8, as PM1OBJ1's in 25-lehmann-
    2021-12-v3duo-0811-pm1obj1.json); otherwise a meter that measures anything (a frequency
    or a voltage) is there: without one the section reads all zeros.
    """
    enabled = _integer(meter.get("ENABLED", _ABSENT))
    if enabled is not None:
        return enabled != 0
    frequency = _number(meter.get("FREQ", _ABSENT))
    voltages = [v for v in _numbers(meter.get("U_AC", _ABSENT)) if v]
    return bool(frequency) or bool(voltages)


def _integers(value: Value) -> tuple[int | None, ...]:
    """Return a decoded list as integers."""
    if isinstance(value, tuple):
        return tuple(map(_integer, value))
    return ()


def _firmware(answer: Answer) -> dict[str, Any]:
    """Read the firmware versions and the update state machine (``WIZARD``, ``SYS_UPDATE``).

    ``APPLICATION_VERSION`` / ``INTERFACE_VERSION`` are strings (``st_2997`` / ``st_2962`` in
    the full dump of corpus file 29, ``st_0826`` in many answers); ``FSM_STATE`` and
    ``UPDATE_AVAILABLE`` are ``u8`` (file 29: 1 and 0 in normal operation).
    """
    wizard = answer.get("WIZARD", _EMPTY).get
    update = answer.get("SYS_UPDATE", _EMPTY).get
    return {
        "application_version": _text(wizard("APPLICATION_VERSION", _ABSENT)),
        "interface_version": _text(wizard("INTERFACE_VERSION", _ABSENT)),
        "npu_version": _version(update("NPU_VER", _ABSENT)),
        "npu_image_version": _version(update("NPU_IMAGE_VERSION", _ABSENT)),
        "update_available": as_flag(update("UPDATE_AVAILABLE", _ABSENT)),
        "update_state": _integer(update("FSM_STATE", _ABSENT)),
    }
