"""The lifetime energy totals of the Energy dashboard: six flows and the wallbox.

Where the firmware has them, the appliance's own ``STATISTIC.LIVE_*`` counters are the
source; current firmware has none, so the totals are integrated from the power readings
(trapezoid between successful polls). Home Assistant treats any decrease of a
``total_increasing`` sensor as a meter reset and would count the whole total again, so a
total here never decreases: not on a glitch reading (0, NaN, lower), not across a
restart, not when the source changes. No energy is invented across an outage.

Free of Home Assistant: state goes in and out as plain dictionaries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from .api import Snapshot

# Consecutive lower appliance readings after which the counter is taken to have been
# reset for real (board swap, factory reset): counting resumes from the new base.
REBASE_AFTER: Final = 3
# The most power a home system can move (W): appliance jumps beyond it are glitches.
MAX_PLAUSIBLE_POWER: Final = 100_000.0


class Source(StrEnum):
    """Where a total comes from."""

    APPLIANCE = "appliance"
    INTEGRATED = "integrated"


class Total(StrEnum):
    """The six totals; the values are the entity keys."""

    GRID_IMPORT = "grid_imported_energy"
    GRID_EXPORT = "grid_exported_energy"
    SOLAR = "solar_energy"
    BATTERY_CHARGE = "battery_charged_energy"
    BATTERY_DISCHARGE = "battery_discharged_energy"
    HOUSE = "house_energy"
    # Integrated from WALLBOX.APPARENT_CHARGING_POWER; the house total leaves it out.
    WALLBOX = "wallbox_energy"


def _positive(value: float | None) -> float | None:
    """Return the positive part of a signed reading."""
    return None if value is None else max(value, 0.0)


def _negative(value: float | None) -> float | None:
    """Return the magnitude of the negative part of a signed reading."""
    return None if value is None else max(-value, 0.0)


def powers(snapshot: Snapshot) -> dict[Total, float | None]:
    """Split the signed power readings (W) into the six non-negative flows."""
    return {
        Total.GRID_IMPORT: _positive(snapshot.grid_power),
        Total.GRID_EXPORT: _negative(snapshot.grid_power),
        Total.SOLAR: _positive(snapshot.pv_power),
        Total.BATTERY_CHARGE: _positive(snapshot.battery_power),
        Total.BATTERY_DISCHARGE: _negative(snapshot.battery_power),
        Total.HOUSE: _positive(snapshot.house_power),
        Total.WALLBOX: snapshot.wallbox_total_power,
    }


def appliance_totals(snapshot: Snapshot) -> dict[Total, float | None]:
    """Return the appliance's own lifetime counters (kWh) where the firmware has them."""
    totals = snapshot.totals
    return {
        Total.GRID_IMPORT: totals.grid_import,
        Total.GRID_EXPORT: totals.grid_export,
        Total.SOLAR: totals.pv_generation,
        Total.BATTERY_CHARGE: totals.battery_charge,
        Total.BATTERY_DISCHARGE: totals.battery_discharge,
        Total.HOUSE: totals.house_consumption,
        # The appliance has no lifetime counter of its wallboxes in any published answer.
        Total.WALLBOX: None,
    }


@dataclass(slots=True)
class Counter:
    """One monotonic total and what it needs to continue after a restart."""

    value: float | None = None  # kWh reported; None until the first reading
    source: Source = Source.INTEGRATED
    offset: float = 0.0  # reported = appliance reading + offset
    appliance_last: float | None = None  # last accepted appliance reading (kWh)
    glitches: int = 0  # consecutive appliance readings that were missing, lower or jumping
    sample_time: float | None = None  # unix s of the last power sample
    sample_power: float | None = None  # W

    def feed(self, power: float | None, reading: float | None, now: float, max_gap: float) -> None:
        """Take one poll's power (W) and appliance reading (kWh, None if absent)."""
        previous_time, previous_power = self.sample_time, self.sample_power
        if power is not None:
            self.sample_time, self.sample_power = now, power
        if reading is not None and reading > 0:
            self._follow(reading, now - previous_time if previous_time is not None else 0.0)
            return
        if self.source is Source.APPLIANCE:
            # A 0 or NaN glitch holds the total; a counter gone for good (firmware
            # update) hands over to integration.
            self.glitches += 1
            if self.glitches < REBASE_AFTER:
                return
            self.source, self.appliance_last, self.glitches = Source.INTEGRATED, None, 0
        if self.value is None:
            self.value = 0.0
        if power is None or previous_time is None or previous_power is None:
            return
        elapsed = now - previous_time
        if 0 < elapsed <= max_gap:
            self.value += (previous_power + power) / 2 * elapsed / 3_600_000

    def _follow(self, reading: float, elapsed: float) -> None:
        """Follow the appliance counter, ignoring glitches, keeping continuity."""
        if self.source is not Source.APPLIANCE or self.appliance_last is None:
            # First reading, or the counter came (back): continue from our own value.
            self.source = Source.APPLIANCE
            self.offset = 0.0 if self.value is None else self.value - reading
            self._accept(reading)
            return
        step = reading - self.appliance_last
        ceiling = MAX_PLAUSIBLE_POWER * max(elapsed, 1.0) / 3_600_000 + 0.1
        if 0 <= step <= ceiling:
            self._accept(reading)
            return
        # Lower or jumping: a glitch, unless it persists (then the counter was reset).
        self.glitches += 1
        if self.glitches >= REBASE_AFTER:
            self.offset = (self.value or 0.0) - reading
            self._accept(reading)

    def _accept(self, reading: float) -> None:
        """Make ``reading`` the new base and report it, never below what was reported."""
        self.appliance_last = reading
        self.glitches = 0
        self.value = max(self.value or 0.0, reading + self.offset)


@dataclass(slots=True)
class EnergyMeter:
    """The six totals, fed once per successful poll."""

    max_gap: float
    counters: dict[Total, Counter] = field(
        default_factory=lambda: {total: Counter() for total in Total}
    )

    def update(self, snapshot: Snapshot, now: float) -> None:
        """Feed one successful poll taken at unix time ``now``."""
        flows = powers(snapshot)
        readings = appliance_totals(snapshot)
        for total, counter in self.counters.items():
            counter.feed(flows[total], readings[total], now, self.max_gap)

    def value(self, total: Total) -> float | None:
        """Return the reported total in kWh (None before the first poll)."""
        return self.counters[total].value

    def source(self, total: Total) -> Source:
        """Return where the total currently comes from."""
        return self.counters[total].source

    def as_dict(self) -> dict[str, Any]:
        """Serialise for storage."""
        return {
            total.value: {
                "value": counter.value,
                "source": counter.source.value,
                "offset": counter.offset,
                "appliance_last": counter.appliance_last,
                "sample_time": counter.sample_time,
                "sample_power": counter.sample_power,
            }
            for total, counter in self.counters.items()
        }

    def restore(self, data: Any) -> None:
        """Load stored state; anything unreadable is skipped, never fatal."""
        if not isinstance(data, dict):
            return
        for total, counter in self.counters.items():
            stored = data.get(total.value)
            if not isinstance(stored, dict):
                continue
            counter.value = _stored_number(stored.get("value"))
            counter.offset = _stored_number(stored.get("offset")) or 0.0
            counter.appliance_last = _stored_number(stored.get("appliance_last"))
            counter.sample_time = _stored_number(stored.get("sample_time"))
            counter.sample_power = _stored_number(stored.get("sample_power"))
            source = stored.get("source")
            counter.source = Source(source) if source in set(Source) else Source.INTEGRATED


def _stored_number(value: Any) -> float | None:
    """Return a stored finite number, None for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None
