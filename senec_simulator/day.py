"""One simulated day: PV output and house load for every second, drawn from the seed.

A day is built in one go (a few tens of milliseconds) and then only indexed, which is what
lets the house model integrate a whole day in 1 s steps well under a second. Weather and
appliance use depend on the seed and the date only, never on when the simulator started.
"""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass, field
from datetime import date, timedelta

from .installation import LATITUDE, LONGITUDE, UTC_OFFSET_MINUTES, Installation
from .wallbox import SECONDS_PER_DAY, Wallbox, charging_per_second

_MINUTES = 1_440
_EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Day:
    """PV power and house load (W) for each second of one local day."""

    day_number: int
    pv: array[float]
    house: array[float]
    #: The wallbox's charging power (W), zeros without a car; not part of `house`.
    wallbox: array[float] = field(default_factory=lambda: array("d", bytes(8 * SECONDS_PER_DAY)))
    #: The second the car is plugged in (it stays until midnight); past the day without one.
    plugged_from: int = SECONDS_PER_DAY


def local_date(day_number: int) -> date:
    """Return the calendar date of a local day number (days since 1970-01-01 local)."""
    return _EPOCH_DAY + timedelta(days=day_number)


def _sun_height(day_of_year: int, minute: int) -> float:
    """Return the sine of the sun's elevation at a local minute of the day."""
    declination = math.radians(23.44) * math.sin(2 * math.pi * (284 + day_of_year) / 365)
    solar_hours = (minute - UTC_OFFSET_MINUTES) / 60 + LONGITUDE / 15
    hour_angle = math.radians((solar_hours - 12) * 15)
    lat = math.radians(LATITUDE)
    return math.sin(lat) * math.sin(declination) + math.cos(lat) * math.cos(declination) * math.cos(
        hour_angle
    )


def _clear_sky_watts(peak_kw: float, sun: float) -> float:
    """Return the clear-sky output of tilted panels for a sun height (sine of elevation).

    Air mass attenuation (Meinel) gives the low-sun fade at dawn and dusk; the square root
    stands in for the panel tilt, which makes winter noon better than flat panels would.
    """
    if sun <= 0:
        return 0.0
    air_mass = min(1 / sun, 38.0)
    irradiance = 1.353 * math.pow(0.7, math.pow(air_mass, 0.678))
    return peak_kw * 1000 * 0.88 * irradiance * math.sqrt(sun)


def _cloud_factors(rng: random.Random) -> list[float]:
    """Return the fraction of clear-sky light reaching the panels, per minute knot.

    Each day is clear, mixed or overcast; clouds are raised-cosine dips, so the PV curve
    stays smooth (no jumps a real inverter would not show either).
    """
    kind = rng.random()
    if kind < 0.4:
        level, dips = 1.0, rng.randint(0, 2)
    elif kind < 0.8:
        level, dips = rng.uniform(0.85, 1.0), rng.randint(6, 15)
    else:
        level, dips = rng.uniform(0.25, 0.45), rng.randint(3, 6)
    factors = [level] * (_MINUTES + 1)
    for _ in range(dips):
        centre = rng.uniform(240, 1260)
        width = rng.uniform(5, 45)
        depth = rng.uniform(0.3, 0.8)
        for minute in range(
            max(0, math.ceil(centre - width)), min(_MINUTES, int(centre + width)) + 1
        ):
            bump = 0.5 * (1 + math.cos(math.pi * (minute - centre) / width))
            factors[minute] *= 1 - depth * bump
    return factors


def _pv_per_second(home: Installation, when: date, rng: random.Random) -> array[float]:
    """Interpolate per-minute PV knots to seconds; night reads -0.0 like a real inverter."""
    day_of_year = when.timetuple().tm_yday
    clouds = _cloud_factors(rng)
    knots = [
        _clear_sky_watts(home.peak_kw, _sun_height(day_of_year, minute)) * clouds[minute]
        for minute in range(_MINUTES + 1)
    ]
    pv: array[float] = array("d")
    night = array("d", [-0.0]) * 60
    steps = [s / 60 for s in range(60)]
    for minute in range(_MINUTES):
        a, b = knots[minute], knots[minute + 1]
        if a == 0 and b == 0:
            pv.extend(night)
        else:
            pv.extend([a + (b - a) * f for f in steps])
    return pv


def _base_load_knots(home: Installation, rng: random.Random) -> list[float]:
    """Return the always-on load per minute: standby, lights in the evening, a little drift."""
    knots = []
    drift = 0.0
    for minute in range(_MINUTES + 1):
        hour = minute / 60
        morning = 50 * math.exp(-(((hour - 7.0) / 1.2) ** 2))
        evening = 90 * math.exp(-(((hour - 20.0) / 2.0) ** 2))
        drift = max(-30.0, min(30.0, drift + rng.uniform(-3, 3)))
        knots.append(home.base_load_w + morning + evening + drift)
    return knots


def _appliances(rng: random.Random) -> list[tuple[int, int, float]]:
    """Draw the day's appliance runs as (start second, end second, watts) pieces."""
    runs: list[tuple[int, int, float]] = []
    for _ in range(rng.randint(2, 5)):  # kettle
        start = rng.randrange(6 * 3600, 22 * 3600)
        runs.append((start, start + rng.randrange(120, 300), rng.uniform(1800, 2200)))
    if rng.random() < 0.7:  # oven: heat up, then the thermostat cycles
        start = rng.randrange(17 * 3600, 19 * 3600 + 1800)
        watts = rng.uniform(2000, 3000)
        runs.append((start, start + 600, watts))
        t = start + 600
        for _ in range(rng.randint(8, 14)):
            runs.append((t, t + 90, watts))
            t += 240
    if rng.random() < 0.5:  # washing machine: heat, wash, spin
        start = rng.randrange(8 * 3600, 18 * 3600)
        runs.append((start, start + 900, rng.uniform(1900, 2200)))
        runs.append((start + 900, start + 4500, rng.uniform(150, 300)))
        runs.append((start + 4500, start + 5100, rng.uniform(400, 600)))
    if rng.random() < 0.5:  # dishwasher: heat, wash, heat again to dry
        start = rng.randrange(12 * 3600, 22 * 3600)
        watts = rng.uniform(1800, 2100)
        runs.append((start, start + 1200, watts))
        runs.append((start + 1200, start + 3600, rng.uniform(80, 120)))
        runs.append((start + 3600, start + 4500, watts))
    if rng.random() < 0.5:  # cooktop at lunch
        start = rng.randrange(11 * 3600, 13 * 3600)
        runs.append((start, start + rng.randrange(900, 1800), rng.uniform(1200, 1800)))
    return runs


def _house_per_second(home: Installation, rng: random.Random) -> array[float]:
    """Build the house load: interpolated base load, the fridge's cycles and the appliances."""
    knots = _base_load_knots(home, rng)
    house: array[float] = array("d")
    steps = [s / 60 for s in range(60)]
    for minute in range(_MINUTES):
        a, b = knots[minute], knots[minute + 1]
        house.extend([a + (b - a) * f for f in steps])
    fridge = [(t, t + 720, 90.0) for t in range(home.fridge_phase_s, SECONDS_PER_DAY, 2700)]
    for start, end, watts in fridge + _appliances(rng):
        for second in range(start, min(end, SECONDS_PER_DAY)):
            house[second] += watts
    return house


def make_day(home: Installation, day_number: int, car: Wallbox = Wallbox.NONE) -> Day:
    """Build local day `day_number`: the same seed and date always give the same day."""
    when = local_date(day_number)
    rng = random.Random(f"senec-day:{home.seed}:{when.isoformat()}")
    pv = _pv_per_second(home, when, rng)
    house = _house_per_second(home, rng)
    wallbox, plugged_from = charging_per_second(home.seed, when, car, pv, house)
    return Day(
        day_number=day_number, pv=pv, house=house, wallbox=wallbox, plugged_from=plugged_from
    )
