"""The seeded constants of one simulated installation: panels, household, battery, history.

Everything that does not change over time comes from the seed here, so that two simulators
with the same seed describe the same house, and a test can reproduce any answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: The appliance's clock runs on local time, one hour ahead of UTC (what `RTC.UTC_OFFSET` says).
UTC_OFFSET_MINUTES = 60
#: Latitude and longitude of the simulated roof (central Germany).
LATITUDE = 50.0
LONGITUDE = 10.0
#: One-way efficiency of charging and of discharging; together about 95 % round trip.
ONE_WAY_EFFICIENCY = 0.975


@dataclass(frozen=True, slots=True)
class Battery:
    """Size and power limits of the battery, as `FACTORY` reports them."""

    capacity_wh: float
    max_charge_w: float
    max_discharge_w: float
    modules: int


@dataclass(frozen=True, slots=True)
class Energies:
    """Six lifetime energy amounts in kWh, named as the appliance's totals are."""

    pv_generated: float
    house_consumed: float
    grid_imported: float
    grid_exported: float
    battery_charged: float
    battery_discharged: float

    def plus(self, other: Energies) -> Energies:
        """Return the field-wise sum (lifetime offset plus what happened since the start)."""
        return Energies(
            pv_generated=self.pv_generated + other.pv_generated,
            house_consumed=self.house_consumed + other.house_consumed,
            grid_imported=self.grid_imported + other.grid_imported,
            grid_exported=self.grid_exported + other.grid_exported,
            battery_charged=self.battery_charged + other.battery_charged,
            battery_discharged=self.battery_discharged + other.battery_discharged,
        )


@dataclass(frozen=True, slots=True)
class Installation:
    """The installation: what the seed decides once for the simulator's whole life."""

    seed: int
    peak_kw: float
    base_load_w: float
    tracker_share: float
    fridge_phase_s: int
    initial_soc: float
    module_weights: tuple[float, float, float, float]
    module_soc_offsets: tuple[float, float, float, float]
    phase_weights: tuple[float, float]
    lifetime: Energies
    hours_before_start: int


def make_installation(seed: int) -> Installation:
    """Draw the installation for `seed`.

    The lifetime offsets balance like real meters (house = PV - charged + discharged +
    import - export), so the totals a client reads are consistent from the first answer on.
    """
    rng = random.Random(f"senec-installation:{seed}")
    peak_kw = rng.uniform(7.0, 9.5)
    years = rng.uniform(1.5, 6.0)
    pv = years * peak_kw * rng.uniform(900.0, 1000.0)
    exported = pv * rng.uniform(0.35, 0.5)
    charged = pv * rng.uniform(0.18, 0.26)
    discharged = charged * rng.uniform(0.9, 0.95)
    imported = years * rng.uniform(1200.0, 2200.0)
    house = pv - exported - charged + discharged + imported
    raw = [rng.uniform(0.9, 1.1) for _ in range(4)]
    return Installation(
        seed=seed,
        peak_kw=peak_kw,
        base_load_w=rng.uniform(260.0, 340.0),
        tracker_share=rng.uniform(0.5, 0.65),
        fridge_phase_s=rng.randrange(3000),
        initial_soc=rng.uniform(0.3, 0.7),
        module_weights=(raw[0], raw[1], raw[2], raw[3]),
        module_soc_offsets=(
            rng.uniform(-0.6, 0.6),
            rng.uniform(-0.6, 0.6),
            rng.uniform(-0.6, 0.6),
            rng.uniform(-0.6, 0.6),
        ),
        phase_weights=(rng.uniform(0.25, 0.4), rng.uniform(0.25, 0.4)),
        lifetime=Energies(
            pv_generated=pv,
            house_consumed=house,
            grid_imported=imported,
            grid_exported=exported,
            battery_charged=charged,
            battery_discharged=discharged,
        ),
        hours_before_start=int(years * 8760),
    )
