"""What the integration wrote to each appliance: kept across reloads of its entry.

A reload (new options, a new address) makes a new coordinator and new entities, but the
spacing of writes and the time of the last restart belong to the appliance: they live in
``hass.data`` by serial number, so a reload can neither bring two writes closer than the
appliance takes them nor allow a second restart within minutes of the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .force_charge import WriteWindow

_WRITES: HassKey[dict[str, ApplianceWrites]] = HassKey(f"{DOMAIN}_writes")


@dataclass(slots=True)
class ApplianceWrites:
    """The write window of one appliance and when it was last asked to restart."""

    window: WriteWindow = field(default_factory=WriteWindow)
    #: Unix seconds of the last restart sent (confirmed or not), None when never.
    restart_sent_at: float | None = None
    #: Unix seconds of the last restart the appliance confirmed, None when never.
    restart_confirmed_at: float | None = None


def appliance_writes(hass: HomeAssistant, serial: str) -> ApplianceWrites:
    """Return what was written to the appliance with this serial number."""
    return hass.data.setdefault(_WRITES, {}).setdefault(serial, ApplianceWrites())
