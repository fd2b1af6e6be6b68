"""The electric car of the house and its SENEC wallbox: when it charges, and how fast.

The charging power is drawn per second for a whole local day, like the house load, from a
seed of its own (a house without a car gets the very same days as before). The appliance
leaves the wallbox out of its house power: a real answer recorded in solectrus/senec-
collector's test cassettes has grid 19808 W + PV 843 W + battery discharge 658 W = house
795 W + wallbox 20514 W.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

#: Three phases at 16 A: what a SENEC wallbox charges a car with at most.
FULL_POWER_W = 11_000.0
#: The least a car charges with: one phase at 6 A.
MIN_POWER_W = 1_380.0
#: Above this a surplus charge uses three phases, below it one.
THREE_PHASES_FROM_W = 4_140.0
SECONDS_PER_DAY = 86_400


class Wallbox(StrEnum):
    """How the simulated house charges its car."""

    NONE = "none"
    #: The car arrives in the evening and charges at full power until it has what it needs.
    EVENING = "evening"
    #: The car stands at home by day and charges from the solar surplus; what is missing
    #: when it would leave is charged at full power in the evening.
    SURPLUS = "surplus"


def plugged_window(seed: int, when: date, mode: Wallbox) -> tuple[int, int, float]:
    """Return (plug-in second, unplug second, energy the car needs in Wh) of a local day."""
    rng = random.Random(f"senec-ev:{seed}:{when.isoformat()}")
    need = rng.uniform(8_000.0, 22_000.0)
    if mode is Wallbox.SURPLUS:
        return rng.randrange(8 * 3600, 10 * 3600), SECONDS_PER_DAY - 1, need
    return rng.randrange(17 * 3600, 19 * 3600), SECONDS_PER_DAY - 1, need


def charging_per_second(
    seed: int, when: date, mode: Wallbox, pv: Sequence[float], house: Sequence[float]
) -> tuple[array[float], int]:
    """Return the wallbox power for each second of a local day and the plug-in second."""
    power: array[float] = array("d", bytes(8 * SECONDS_PER_DAY))
    if mode is Wallbox.NONE:
        return power, SECONDS_PER_DAY
    start, end, need_wh = plugged_window(seed, when, mode)
    evening = 17 * 3600 if mode is Wallbox.SURPLUS else start
    for second in range(start, end):
        if need_wh <= 0:
            break
        if second < evening:
            surplus = pv[second] - house[second]
            watts = min(FULL_POWER_W, surplus) if surplus >= MIN_POWER_W else 0.0
        else:
            watts = FULL_POWER_W
        watts = min(watts, need_wh * 3600)
        power[second] = watts
        need_wh -= watts / 3600
    return power, start
