"""The house in motion: battery control, state of charge and the ground-truth energy counters.

Time is cut into whole unix seconds. Within one second every power is constant, so the
counters are exact integrals of exactly the powers the appliance reports: an answer at time t
shows the powers of the second that contains t, and the counters up to t.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from .day import Day, make_day
from .installation import ONE_WAY_EFFICIENCY, UTC_OFFSET_MINUTES, Battery, Energies, Installation
from .wallbox import SECONDS_PER_DAY, Wallbox

_LOCAL_OFFSET_S = UTC_OFFSET_MINUTES * 60
_JOULES_PER_KWH = 3_600_000.0
#: Below this a battery power is "idle" for the state code.
_IDLE_W = 0.5
#: SOC within this many Wh of a limit counts as at the limit (float dust, not energy).
_EDGE_WH = 1e-6


class State:
    """The `STAT_STATE` codes the simulated house can be in."""

    # The appliance's state table names 8 "MAN. SAFETY CHARGE" and 9 "SAFETY CHARGE READY":
    # a forced charge running, and one that has filled the battery and holds it.
    SAFETY_CHARGE = 8
    SAFETY_CHARGE_READY = 9
    BATTERY_FULL = 13
    CHARGE = 14
    BATTERY_EMPTY = 15
    DISCHARGE = 16
    PV_AND_DISCHARGE = 17
    OWN_CONSUMPTION = 21


@dataclass(frozen=True, slots=True)
class Truth:
    """What really happens in the house at one moment (powers in W, energies in kWh).

    `battery_power` is + when charging, `grid_power` + when importing. The six counters are
    lifetime values: `offsets` (the seeded history before the start) plus `since_start`
    (the exact integrals of the power curves since the simulator started).
    """

    now: datetime
    pv_power: float
    house_power: float
    battery_power: float
    grid_power: float
    soc: float
    state: int
    safe_charge_running: bool
    pv_generated: float
    house_consumed: float
    grid_imported: float
    grid_exported: float
    battery_charged: float
    battery_discharged: float
    offsets: Energies
    since_start: Energies
    #: The wallbox's charging power (W, not part of `house_power`) and its energy since the
    #: start (kWh); whether a car is plugged in.
    wallbox_power: float = 0.0
    wallbox_charged: float = 0.0
    ev_connected: bool = False


def state_code(
    pv: float, house: float, battery: float, soc_fraction: float, *, forced: bool = False
) -> int:
    """Return the `STAT_STATE` a real appliance would show for this situation."""
    if forced:
        return State.SAFETY_CHARGE if battery > _IDLE_W else State.SAFETY_CHARGE_READY
    if battery > _IDLE_W:
        return State.CHARGE
    if battery < -_IDLE_W:
        return State.PV_AND_DISCHARGE if pv > 0 else State.DISCHARGE
    if soc_fraction >= 1.0 and pv > house:
        return State.BATTERY_FULL
    if soc_fraction <= 0.0 and pv < house:
        return State.BATTERY_EMPTY
    return State.OWN_CONSUMPTION


class House:
    """Integrates the house from its start time, lazily, up to whatever time is asked for."""

    def __init__(
        self, home: Installation, battery: Battery, start: float, car: Wallbox = Wallbox.NONE
    ) -> None:
        self.home = home
        self.battery = battery
        self.car = car
        self.start = start
        self._t = start
        self._second = math.floor(start)
        self._soc_wh = home.initial_soc * battery.capacity_wh
        # Energies since the start in joules: pv, house, import, export, charge, discharge,
        # wallbox.
        self._joules = [0.0] * 7
        self._days: dict[int, Day] = {}
        # A forced charge from the grid (SAFE_CHARGE_RUNNING), and the changes to it that
        # are due at later times: (unix time, forced), in time order.
        self.forced = False
        self._commands: list[tuple[float, bool]] = []
        self._powers = self._powers_for(self._second, self._soc_wh)

    @property
    def time(self) -> float:
        """Return the unix time the house has been integrated up to."""
        return self._t

    def _day(self, number: int) -> Day:
        """Return a local day, building it on first use (two are kept: today and yesterday)."""
        day = self._days.get(number)
        if day is None:
            day = make_day(self.home, number, self.car)
            if len(self._days) >= 2:
                del self._days[min(self._days)]
            self._days[number] = day
        return day

    def _powers_for(self, second: int, soc_wh: float) -> tuple[float, float, float, float, float]:
        """Return (pv, house, battery, grid, wallbox) for one second, starting from `soc_wh`.

        The battery balances the grid point, and the wallbox is behind it: it follows the
        surplus after house and car.
        """
        local = second + _LOCAL_OFFSET_S
        day = self._day(local // SECONDS_PER_DAY)
        index = local % SECONDS_PER_DAY
        pv, house, wallbox = day.pv[index], day.house[index], day.wallbox[index]
        battery = self._battery_power(pv - house - wallbox, soc_wh)
        return pv, house, battery, house + wallbox - pv + battery, wallbox

    def ev_connected(self) -> bool:
        """Return whether the car is plugged in at the integrated time."""
        local = self._second + _LOCAL_OFFSET_S
        return local % SECONDS_PER_DAY >= self._day(local // SECONDS_PER_DAY).plugged_from

    def command(self, at: float, *, forced: bool) -> None:
        """Start (`forced`) or end a forced charge at unix time `at`.

        Powers are set per whole second, so a change takes effect at the start of the first
        second after the house has been integrated up to `at`.
        """
        bisect.insort(self._commands, (at, forced), key=lambda command: command[0])

    def _apply_commands(self, second: int) -> None:
        """Apply the changes due by the start of `second`."""
        while self._commands and self._commands[0][0] <= second:
            self.forced = self._commands.pop(0)[1]

    def _battery_power(self, surplus: float, soc_wh: float) -> float:
        """Follow the surplus within the power limits, never over-filling or over-draining.

        A forced charge takes the maximum charge power whatever the surplus (the rest comes
        from the grid) until the battery is full, then holds it there: no discharge.
        The limit is taken for a whole second, so SOC cannot leave 0..100 % even when the
        second is integrated in several pieces.
        """
        cap = self.battery.capacity_wh
        if self.forced:
            room = (cap - soc_wh) * 3600 / ONE_WAY_EFFICIENCY
            return max(0.0, min(self.battery.max_charge_w, room))
        if surplus > 0:
            room = (cap - soc_wh) * 3600 / ONE_WAY_EFFICIENCY
            return max(0.0, min(surplus, self.battery.max_charge_w, room))
        stock = soc_wh * 3600 * ONE_WAY_EFFICIENCY
        return min(0.0, max(surplus, -self.battery.max_discharge_w, -stock))

    def advance_to(self, target: float) -> None:
        """Integrate up to unix time `target` (earlier times are ignored: time only moves on)."""
        t = self._t
        if target <= t:
            return
        second = self._second
        pv, house, battery, grid, wallbox = self._powers
        soc = self._soc_wh
        cap = self.battery.capacity_wh
        e_pv, e_house, e_imp, e_exp, e_chg, e_dis, e_car = self._joules
        while True:
            boundary = second + 1
            end = target if target < boundary else float(boundary)
            dt = end - t
            e_pv += pv * dt
            e_house += house * dt
            e_car += wallbox * dt
            if grid > 0:
                e_imp += grid * dt
            else:
                e_exp -= grid * dt
            if battery > 0:
                e_chg += battery * dt
                soc += battery * ONE_WAY_EFFICIENCY * dt / 3600
            else:
                e_dis -= battery * dt
                soc += battery / ONE_WAY_EFFICIENCY * dt / 3600
            soc = 0.0 if soc < _EDGE_WH else cap if soc > cap - _EDGE_WH else soc
            t = end
            if end < boundary:
                break
            second = boundary
            if self._commands:
                self._apply_commands(second)
            pv, house, battery, grid, wallbox = self._powers_for(second, soc)
            if t >= target:
                break
        self._t = t
        self._second = second
        self._powers = (pv, house, battery, grid, wallbox)
        self._soc_wh = soc
        self._joules = [e_pv, e_house, e_imp, e_exp, e_chg, e_dis, e_car]

    def since_start(self) -> Energies:
        """Return the exact energies since the start, in kWh."""
        pv, house, imp, exp, chg, dis = (j / _JOULES_PER_KWH for j in self._joules[:6])
        return Energies(
            pv_generated=pv,
            house_consumed=house,
            grid_imported=imp,
            grid_exported=exp,
            battery_charged=chg,
            battery_discharged=dis,
        )

    def truth(self) -> Truth:
        """Return a snapshot of the house at the time it has been integrated up to."""
        pv, house, battery, grid, wallbox = self._powers
        fraction = self._soc_wh / self.battery.capacity_wh
        since = self.since_start()
        total = self.home.lifetime.plus(since)
        return Truth(
            now=datetime.fromtimestamp(self._t, UTC),
            pv_power=pv,
            house_power=house,
            battery_power=battery,
            grid_power=grid,
            soc=fraction * 100,
            state=state_code(pv, house, battery, fraction, forced=self.forced),
            safe_charge_running=self.forced,
            pv_generated=total.pv_generated,
            house_consumed=total.house_consumed,
            grid_imported=total.grid_imported,
            grid_exported=total.grid_exported,
            battery_charged=total.battery_charged,
            battery_discharged=total.battery_discharged,
            offsets=self.home.lifetime,
            since_start=since,
            wallbox_power=wallbox,
            wallbox_charged=self._joules[6] / _JOULES_PER_KWH,
            ev_connected=self.ev_connected(),
        )
