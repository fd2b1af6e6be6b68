"""The variable tables: which sections and variables each profile serves, and their types.

A table entry knows how to read its value from a `Reading` and which role it plays, so that
value faults (NaN, glitching totals) can hit exactly the variables they hit on real hardware.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from . import instruments as ins
from .encoding import Kind, Typed
from .installation import UTC_OFFSET_MINUTES
from .instruments import Reading
from .profiles import ProfileSpec

type Reader = Callable[[Reading], Typed | list[Typed]]


class Role(StrEnum):
    """What a variable is, as far as value faults care."""

    PLAIN = "plain"
    POWER = "power"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Var:
    """One variable: how to read it and its role."""

    read: Reader
    role: Role = Role.PLAIN


@dataclass(frozen=True, slots=True)
class Section:
    """One section. `always_empty` answers `{}` whatever is asked (STATISTIC on V3)."""

    variables: dict[str, Var] = field(default_factory=dict)
    always_empty: bool = False


type Table = dict[str, Section]


def _fl(get: Callable[[Reading], float], role: Role = Role.PLAIN) -> Var:
    """Return a float32 variable."""
    return Var(lambda r: Typed(Kind.FL, get(r)), role)


def _fls(get: Callable[[Reading], list[float]]) -> Var:
    """Return a list of float32 values."""
    return Var(lambda r: [Typed(Kind.FL, v) for v in get(r)])


def _int(kind: Kind, get: Callable[[Reading], int]) -> Var:
    """Return an integer variable of the given width."""
    return Var(lambda r: Typed(kind, get(r)))


def _ints(kind: Kind, get: Callable[[Reading], list[int]]) -> Var:
    """Return a list of integers of the given width."""
    return Var(lambda r: [Typed(kind, v) for v in get(r)])


def _st(get: Callable[[Reading], str]) -> Var:
    """Return a string variable."""
    return Var(lambda r: Typed(Kind.ST, get(r)))


def _safe_charge(spec: ProfileSpec) -> dict[str, Var]:
    """Return the safety-charge variables (all `u8`, real answers 09/10/19).

    Two push buttons, the running flag, and the storage-mode trio the web page reads with
    them. The buttons read `u8_00` whenever they are read; pressing them is the server's job.
    """
    if not spec.has_safe_charge:
        return {}
    return {
        "SAFE_CHARGE_FORCE": _int(Kind.U8, lambda r: 0),
        "SAFE_CHARGE_PROHIBIT": _int(Kind.U8, lambda r: 0),
        "SAFE_CHARGE_RUNNING": _int(Kind.U8, lambda r: int(r.truth.safe_charge_running)),
        "LI_STORAGE_MODE_START": _int(Kind.U8, lambda r: 0),
        "LI_STORAGE_MODE_STOP": _int(Kind.U8, lambda r: 0),
        "LI_STORAGE_MODE_RUNNING": _int(Kind.U8, lambda r: 0),
    }


def _energy(spec: ProfileSpec) -> Section:
    """Return the live values of the `ENERGY` section."""
    return Section(
        {
            "STAT_STATE": _int(Kind.U8, lambda r: r.truth.state),
            "GUI_BAT_DATA_POWER": _fl(lambda r: r.truth.battery_power, Role.POWER),
            "GUI_BAT_DATA_CURRENT": _fl(ins.battery_current),
            "GUI_BAT_DATA_VOLTAGE": _fl(ins.battery_voltage),
            "GUI_BAT_DATA_FUEL_CHARGE": _fl(ins.reported_soc),
            "GUI_GRID_POW": _fl(lambda r: r.truth.grid_power, Role.POWER),
            "GUI_HOUSE_POW": _fl(lambda r: r.truth.house_power, Role.POWER),
            # -0.0 in the dark (day.py), as real answers of several firmware generations.
            "GUI_INVERTER_POWER": _fl(lambda r: r.truth.pv_power, Role.POWER),
            "STAT_HOURS_OF_OPERATION": _int(Kind.U3, ins.hours_of_operation),
            **_safe_charge(spec),
        }
    )


def _statistic(spec: ProfileSpec) -> Section:
    """Return the lifetime totals of old firmware, or the empty section of current V3 firmware.

    Types as real answers on firmware before 0825 have them (solectrus/senec's and
    AndreasLehmann/senec-exporter's recordings): `CURRENT_STATE` is `u1` (unlike
    `ENERGY.STAT_STATE`, `u8`), `MEASURE_TIME` is `i3` unix seconds, UTC.
    """
    if not spec.has_statistic:
        return Section(always_empty=True)
    return Section(
        {
            "CURRENT_STATE": _int(Kind.U1, lambda r: r.truth.state),
            "LIVE_BAT_CHARGE": _fl(lambda r: r.truth.battery_charged, Role.TOTAL),
            "LIVE_BAT_DISCHARGE": _fl(lambda r: r.truth.battery_discharged, Role.TOTAL),
            "LIVE_GRID_EXPORT": _fl(lambda r: r.truth.grid_exported, Role.TOTAL),
            "LIVE_GRID_IMPORT": _fl(lambda r: r.truth.grid_imported, Role.TOTAL),
            "LIVE_HOUSE_CONS": _fl(lambda r: r.truth.house_consumed, Role.TOTAL),
            "LIVE_PV_GEN": _fl(lambda r: r.truth.pv_generated, Role.TOTAL),
            "MEASURE_TIME": _int(Kind.I3, lambda r: r.second),
        }
    )


def _bms(spec: ProfileSpec) -> Section:
    """Return the per-module battery values (four slots, unconfigured ones read 0).

    Energies are `u3` milliwatt-hours and cycles `u1`, as in a real answer recorded in
    solectrus/senec-collector's test cassettes.
    """
    return Section(
        {
            "MODULES_CONFIGURED": _int(Kind.U8, lambda r: spec.battery.modules),
            "CHARGED_ENERGY": _ints(Kind.U3, ins.module_charged_mwh),
            "DISCHARGED_ENERGY": _ints(Kind.U3, ins.module_discharged_mwh),
            "CYCLES": _ints(Kind.U1, ins.module_cycles),
            # Whole percent: SOC u1, SOH u8 (a real full dump, corpus file 29:
            # ["u1_003E", "u1_003F", "u1_0000", "u1_0000"] and ["u8_63", "u8_63", ...]).
            "SOC": _ints(Kind.U1, lambda r: [round(v) for v in ins.module_soc(r)]),
            "SOH": _ints(Kind.U8, lambda r: [round(v) for v in ins.module_soh(r)]),
            **{
                f"CELL_VOLTAGES_MODULE_{letter}": _ints(
                    Kind.U1, partial(_swap, ins.cell_voltages, module)
                )
                for module, letter in enumerate("ABCD")
            },
            **{
                f"CELL_TEMPERATURES_MODULE_{letter}": _ints(
                    Kind.I8, partial(_swap, ins.cell_temperatures, module)
                )
                for module, letter in enumerate("ABCD")
            },
        }
    )


def _swap[T](read: Callable[[Reading, int], T], index: int, r: Reading) -> T:
    """Call ``read(r, index)``: lets ``partial`` bind the slot of a per-slot reader."""
    return read(r, index)


def _wallbox() -> Section:
    """Return the four wallbox slots; empty ones read 0 and empty strings.

    Types as real answers show them: `APPARENT_CHARGING_POWER` fl, `EV_CONNECTED` and
    `L1..L3_USED` u8 (several recordings in solectrus/senec's cassettes and a wallbox answer
    posted in mchwalisz/home-assistant-senec#3), `HW_TYPE` u8, `SERIAL_NUMBER` st and `STATE`
    u8 (a full V3 answer with one wallbox).
    """
    return Section(
        {
            "HW_TYPE": _ints(Kind.U8, ins.wallbox_hw_type),
            "SERIAL_NUMBER": Var(lambda r: [Typed(Kind.ST, s) for s in ins.wallbox_serial(r)]),
            "STATE": _ints(Kind.U8, ins.wallbox_state),
            "EV_CONNECTED": _ints(Kind.U8, ins.wallbox_connected),
            "APPARENT_CHARGING_POWER": _fls(ins.wallbox_power),
            **{
                f"L{phase + 1}_USED": _ints(Kind.U8, partial(_swap, ins.wallbox_phase_used, phase))
                for phase in range(3)
            },
            **{
                f"L{phase + 1}_CHARGING_CURRENT": _fls(
                    partial(_swap, ins.wallbox_phase_current, phase)
                )
                for phase in range(3)
            },
        }
    )


def _pv1(spec: ProfileSpec) -> Section:
    """Return the MPP tracker values and the export limit.

    `POWER_RATIO` is `u3` before firmware 0825 and `fl` from 0825 on (solectrus/senec's
    recordings of one appliance across the update).
    """
    ratio = _fl(lambda r: 100.0) if spec.power_ratio_as_float else _int(Kind.U3, lambda r: 100)
    return Section(
        {
            "MPP_VOL": _fls(ins.tracker_voltage),
            "MPP_CUR": _fls(ins.tracker_current),
            "MPP_POWER": _fls(ins.tracker_power),
            "POWER_RATIO": ratio,
            "P_TOTAL": _fl(ins.pv_p_total),
        }
    )


def _factory(spec: ProfileSpec) -> Section:
    """Return the identity and battery ratings."""
    return Section(
        {
            "DEVICE_ID": _st(lambda r: spec.device_id(r.home.seed)),
            "SYS_TYPE": _int(Kind.U8, lambda r: spec.sys_type),
            "COUNTRY": _int(Kind.U8, lambda r: 0),
            "DESIGN_CAPACITY": _fl(lambda r: spec.battery.capacity_wh),
            "MAX_CHARGE_POWER_DC": _fl(lambda r: spec.battery.max_charge_w),
            "MAX_DISCHARGE_POWER_DC": _fl(lambda r: spec.battery.max_discharge_w),
        }
    )


def _sys_update(spec: ProfileSpec) -> Section:
    """Return the update state machine and the NPU versions; old firmware has no image version.

    Types as real answers show them: `NPU_IMAGE_VERSION` and `NPU_VER` are `u1` integers
    (`u1_07DB` = 2011 with `u1_0009`, `u1_0906` = 2310 with `u1_000A`: corpus files 29 and
    30), `FSM_STATE`, `UPDATE_AVAILABLE`, `USER_REBOOT_DEVICE`, `USER_REQ_UPDATE` and the six
    `MISC` values `u8` (file 29). The request fields read 0; a restart is the server's job.
    """
    variables = {
        "FSM_STATE": _int(Kind.U8, lambda r: r.fsm_state),
        "MISC": _ints(Kind.U8, lambda r: [0] * 6),
        "NPU_VER": _int(Kind.U1, lambda r: spec.npu_version),
        "UPDATE_AVAILABLE": _int(Kind.U8, lambda r: int(r.update_available)),
        "USER_REBOOT_DEVICE": _int(Kind.U8, lambda r: 0),
        "USER_REQ_UPDATE": _int(Kind.U8, lambda r: 0),
    }
    image = spec.npu_image_version
    if image is not None:
        variables["NPU_IMAGE_VERSION"] = _int(Kind.U1, lambda r: r.npu_image_version or image)
    return Section(variables)


def table_for(spec: ProfileSpec) -> Table:
    """Return the whole variable table of a profile."""
    table: Table = {
        "ENERGY": _energy(spec),
        "STATISTIC": _statistic(spec),
        "BMS": _bms(spec),
        "PV1": _pv1(spec),
        "FACTORY": _factory(spec),
        "WIZARD": Section(
            {
                "APPLICATION_VERSION": _st(
                    lambda r: r.application_version or spec.application_version
                ),
                "INTERFACE_VERSION": _st(lambda r: spec.interface_version),
                "GUI_LANG": _int(Kind.U8, lambda r: 0),
                "MAC_ADDRESS_BYTES": Var(
                    lambda r: [Typed(Kind.U8, b) for b in spec.mac_address(r.home.seed)]
                ),
            }
        ),
        "SYS_UPDATE": _sys_update(spec),
        "RTC": Section(
            {
                "WEB_TIME": _int(Kind.U3, ins.web_time),
                "UTC_OFFSET": _int(Kind.I3, lambda r: UTC_OFFSET_MINUTES),
            }
        ),
        "TEMPMEASURE": Section(
            {
                "BATTERY_TEMP": _fl(ins.battery_temperature),
                "CASE_TEMP": _fl(ins.case_temperature),
                "MCU_TEMP": _fl(ins.mcu_temperature),
            }
        ),
        "PM1OBJ1": Section(
            {
                "FREQ": _fl(ins.grid_frequency),
                "U_AC": _fls(ins.phase_voltage),
                "I_AC": _fls(ins.phase_current),
                "P_AC": _fls(ins.phase_power),
                "P_TOTAL": _fl(lambda r: r.truth.grid_power),
            }
        ),
        # % backup reserve; its type is documented nowhere, u8 is an assumption.
        "BAT1": Section({"SPARE_CAPACITY": _int(Kind.U8, lambda r: 10)}),
        "WALLBOX": _wallbox(),
    }
    names = [*table, "DEBUG"]
    table["DEBUG"] = Section({"SECTIONS": Var(lambda r: [Typed(Kind.ST, n) for n in names])})
    return table
