"""What the appliance's sensors would show, derived from the house's true state.

These are the readings that no energy balance depends on (voltages, currents, per-tracker and
per-phase splits, temperatures). They are smooth functions of the true powers and of time, so
they look alive but stay deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .house import Truth
from .installation import UTC_OFFSET_MINUTES, Installation
from .profiles import ProfileSpec
from .wallbox import THREE_PHASES_FROM_W, Wallbox

#: `BMS.*` lists always have four slots, whatever number of modules is fitted.
MODULE_SLOTS = 4


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything an answer is made from: the truth at one moment plus the fixed set-up."""

    truth: Truth
    home: Installation
    spec: ProfileSpec
    epoch: float
    elapsed: float
    car: Wallbox = Wallbox.NONE
    #: `SYS_UPDATE.FSM_STATE` and `UPDATE_AVAILABLE` at this moment (see firmware.py).
    fsm_state: int = 1
    update_available: bool = False
    #: The firmware versions now (an update changes them); None: the profile's.
    application_version: str | None = None
    npu_image_version: int | None = None

    @property
    def second(self) -> int:
        """Return the unix second of the reading."""
        return math.floor(self.epoch)


def battery_voltage(r: Reading) -> float:
    """Return the pack voltage: 46 V empty to 55 V full, a little higher while charging."""
    return 46.5 + 8.5 * r.truth.soc / 100 + 0.0003 * r.truth.battery_power


def battery_current(r: Reading) -> float:
    """Return the pack current in A (+ charging), the power divided by the voltage."""
    return r.truth.battery_power / battery_voltage(r)


def _module_weights(r: Reading) -> list[float]:
    """Return each configured module's share of the pack's energy flow (they sum to 1)."""
    used = r.home.module_weights[: r.spec.battery.modules]
    total = sum(used)
    return [w / total for w in used]


#: `BMS.CHARGED_ENERGY` / `DISCHARGED_ENERGY` are `u3` milliwatt-hours (a real V3 answer
#: recorded in solectrus/senec-collector's test cassettes: the four modules add up to 95 % of
#: `STATISTIC.LIVE_BAT_CHARGE_MASTER` read as mWh). A `u3` holds at most 4295 kWh; what the
#: appliance does beyond is not documented, so the simulator wraps like a 32-bit counter.
_U3_SPAN = 1 << 32


def _per_module(r: Reading, lifetime_kwh: float) -> list[int]:
    """Split a pack energy (kWh) across the modules in mWh; unconfigured slots read 0."""
    shares = _module_weights(r)
    values = [int(lifetime_kwh * 1_000_000 * share) % _U3_SPAN for share in shares]
    return values + [0] * (MODULE_SLOTS - len(values))


def module_charged_mwh(r: Reading) -> list[int]:
    """Return `BMS.CHARGED_ENERGY`: lifetime charged energy per module in mWh."""
    return _per_module(r, r.truth.battery_charged)


def module_discharged_mwh(r: Reading) -> list[int]:
    """Return `BMS.DISCHARGED_ENERGY`: lifetime discharged energy per module in mWh."""
    return _per_module(r, r.truth.battery_discharged)


def module_cycles(r: Reading) -> list[int]:
    """Return full cycles per module: its discharged energy over its capacity."""
    shares = _module_weights(r)
    module_kwh = r.spec.battery.capacity_wh / 1000 / r.spec.battery.modules
    cycles = [int(r.truth.battery_discharged * share // module_kwh) for share in shares]
    return cycles + [0] * (MODULE_SLOTS - len(cycles))


def module_soc(r: Reading) -> list[float]:
    """Return each module's SOC: the pack's, with a small seeded imbalance, within 0..100."""
    used = r.spec.battery.modules
    values = [
        min(100.0, max(0.0, r.truth.soc + offset)) for offset in r.home.module_soc_offsets[:used]
    ]
    return values + [0.0] * (MODULE_SLOTS - used)


#: What the appliance reports for a full battery: float32 just below 100 (`fl_42C7FFFF`, in
#: a real answer recorded in solectrus/senec's test cassettes, 2023-08-17).
FULL_SOC = 99.99999


def reported_soc(r: Reading) -> float:
    """Return `GUI_BAT_DATA_FUEL_CHARGE`: the SOC, a full battery as 99.99999."""
    return min(r.truth.soc, FULL_SOC)


def pv_p_total(r: Reading) -> float:
    """Return `PV1.P_TOTAL`: the PV power with the opposite sign, +0.0 in the dark.

    A real answer recorded in solectrus/senec-collector's test cassettes has -843.0 here
    against `GUI_INVERTER_POWER` +843.0.
    """
    return 0.0 - r.truth.pv_power


def web_time(r: Reading) -> int:
    """Return `RTC.WEB_TIME`: a unix time on the appliance's local clock, not UTC.

    Real answers (solectrus/senec's recordings) read two hours ahead of the recording time
    in summer, one in winter: the epoch counts local time.
    """
    return r.second + UTC_OFFSET_MINUTES * 60


def tracker_power(r: Reading) -> list[float]:
    """Split the PV power across the used MPP trackers; they add up to the PV power exactly.

    Dark trackers read +0.0 while `GUI_INVERTER_POWER` reads -0.0, as in a real answer at
    dawn (solectrus/senec's recordings, 2023-09-08).
    """
    pv = r.truth.pv_power + 0.0  # folds -0.0 into +0.0
    if r.spec.trackers_used == 1:
        return [pv, 0.0, 0.0]
    first = pv * r.home.tracker_share
    return [first, pv - first, 0.0]


def tracker_voltage(r: Reading) -> list[float]:
    """Return the MPP voltage per tracker: about 300-400 V in daylight, 0 when dark."""
    values = []
    for index, power in enumerate(tracker_power(r)):
        if index >= r.spec.trackers_used or power <= 0:
            values.append(0.0)
            continue
        load = min(1.0, power / (r.home.peak_kw * 1000))
        values.append(300.0 + 90.0 * math.sqrt(load) + 12.0 * index)
    return values


def tracker_current(r: Reading) -> list[float]:
    """Return the MPP current per tracker, power over voltage."""
    return [
        power / volts if volts > 0 else 0.0
        for power, volts in zip(tracker_power(r), tracker_voltage(r), strict=True)
    ]


def grid_frequency(r: Reading) -> float:
    """Return the mains frequency, wandering a few 10 mHz around 50 Hz."""
    s = r.second
    return 50.0 + 0.03 * math.sin(s / 41.0) + 0.012 * math.sin(s / 9.7)


def phase_voltage(r: Reading) -> list[float]:
    """Return the three phase voltages, a few volts around 230 V."""
    s = r.second
    return [
        230.0 + 2.5 * math.sin(s / 300.0 + 2.1 * p) + 0.4 * math.sin(s / 13.0) for p in range(3)
    ]


def phase_power(r: Reading) -> list[float]:
    """Split the grid power over the phases; they add up to the grid power exactly."""
    grid = r.truth.grid_power
    first = grid * r.home.phase_weights[0]
    second = grid * r.home.phase_weights[1]
    return [first, second, grid - first - second]


def phase_current(r: Reading) -> list[float]:
    """Return the current per phase, power over voltage, as a magnitude.

    Real meters report it unsigned: a V2.1 answer recorded in mchwalisz/pysenec's tests has
    all three `I_AC` positive while two of the `P_AC` are negative (export).
    """
    return [abs(p / u) for p, u in zip(phase_power(r), phase_voltage(r), strict=True)]


def battery_temperature(r: Reading) -> float:
    """Return the battery temperature: about 24 °C, warmer while it works hard."""
    return 23.5 + 1.5 * math.sin(r.second / 7200.0) + 0.0008 * abs(r.truth.battery_power)


def case_temperature(r: Reading) -> float:
    """Return the case temperature, warmed by the inverter's throughput."""
    throughput = max(r.truth.pv_power, 0.0) + abs(r.truth.battery_power)
    return 29.0 + 1.0 * math.sin(r.second / 5400.0) + 0.0012 * throughput


def mcu_temperature(r: Reading) -> float:
    """Return the controller temperature, a steady 40-odd °C."""
    return 42.0 + 0.5 * math.sin(r.second / 3000.0) + 0.0005 * max(r.truth.pv_power, 0.0)


def hours_of_operation(r: Reading) -> int:
    """Return whole hours of operation: the seeded history plus the simulated running time."""
    return r.home.hours_before_start + int(r.elapsed // 3600)


#: Cells per module: 14 NMC cells (V2.1 and V3 hybrid); LFP modules (types 20, 21) have 16.
CELLS_NMC = 14
CELLS_LFP = 16
#: Temperature sensors per module.
CELL_SENSORS = 6


def module_soh(r: Reading) -> list[float]:
    """Return each configured module's state of health: a few percent below new."""
    used = r.spec.battery.modules
    return [100.0 - 1.5 - 2.0 * abs(o) for o in r.home.module_soc_offsets[:used]] + [0.0] * (
        MODULE_SLOTS - used
    )


def cell_voltages(r: Reading, module: int) -> list[int]:
    """Return one module's cell voltages (mV), 0 for a module that is not fitted."""
    cells = CELLS_LFP if r.spec.sys_type in (20, 21) else CELLS_NMC
    if module >= r.spec.battery.modules:
        return [0] * cells
    base = 3300 + 8.5 * r.truth.soc + 0.02 * r.truth.battery_power
    return [round(base + 4 * math.sin(r.second / 600.0 + cell + module)) for cell in range(cells)]


def cell_temperatures(r: Reading, module: int) -> list[int]:
    """Return one module's cell temperatures (whole degC), 0 for a module that is not fitted."""
    if module >= r.spec.battery.modules:
        return [0] * CELL_SENSORS
    base = battery_temperature(r)
    return [round(base + 0.8 * math.sin(sensor + module)) for sensor in range(CELL_SENSORS)]


def _slot(r: Reading, value: float, empty: float = 0) -> list[float]:
    """Put the wallbox's value in slot 1 of four; empty slots read `empty`."""
    return [value if r.car is not Wallbox.NONE else empty, empty, empty, empty]


def wallbox_hw_type(r: Reading) -> list[int]:
    """Return `HW_TYPE`: 0x14 for the wallbox, as a full V3 answer with one wallbox shows."""
    return [int(v) for v in _slot(r, 0x14)]


def wallbox_serial(r: Reading) -> list[str]:
    """Return `SERIAL_NUMBER`: the wallbox's serial, empty strings for empty slots."""
    serial = f"WB{r.home.seed:08d}" if r.car is not Wallbox.NONE else ""
    return [serial, "", "", ""]


def wallbox_power(r: Reading) -> list[float]:
    """Return `APPARENT_CHARGING_POWER` per slot."""
    return _slot(r, r.truth.wallbox_power)


def wallbox_connected(r: Reading) -> list[int]:
    """Return `EV_CONNECTED` per slot."""
    return [int(v) for v in _slot(r, float(r.truth.ev_connected))]


def wallbox_state(r: Reading) -> list[int]:
    """Return `STATE`: waiting (0xA1), charging (0xC2) or done with permission (0xB2)."""
    if not r.truth.ev_connected:
        code = 0xA1
    elif r.truth.wallbox_power > 0:
        code = 0xC2
    else:
        code = 0xB2
    return [int(v) for v in _slot(r, code)]


def _phases(r: Reading) -> int:
    """Return how many phases the car charges on: three at high power, one below."""
    power = r.truth.wallbox_power
    if power <= 0:
        return 0
    return 3 if power >= THREE_PHASES_FROM_W else 1


def wallbox_phase_used(r: Reading, phase: int) -> list[int]:
    """Return `L<phase>_USED` per slot."""
    return [int(v) for v in _slot(r, float(_phases(r) > phase))]


def wallbox_phase_current(r: Reading, phase: int) -> list[float]:
    """Return `L<phase>_CHARGING_CURRENT` per slot: the power over the phases at 230 V."""
    phases = _phases(r)
    current = r.truth.wallbox_power / (230.0 * phases) if phase < phases else 0.0
    return _slot(r, current)
