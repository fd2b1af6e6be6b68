"""Diagnostics: what the appliance last answered and how it was read, identifiers redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .coordinator import SenecConfigEntry

# Serial numbers, addresses and anything MAC-like identify the household.
TO_REDACT = {
    CONF_HOST,
    "DEVICE_ID",
    "serial",
    "MAC",
    "MAC_ADDRESS",
    "MAC_ADDRESS_BYTES",
    "mac",
    "IP_ADDRESS",
    # Wallbox, battery module and battery serial numbers (WALLBOX.SERIAL_NUMBER, BMS.SERIAL,
    # BAT1.SERIAL, BMS.MODULE_SERIAL...): asked at set-up or present in raw answers.
    "SERIAL_NUMBER",
    "SERIAL",
    "SERIAL_NR",
    "MODULE_SERIAL",
    "BMS_SERIAL",
    "serial_number",
    "unique_id",
    "title",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SenecConfigEntry
) -> dict[str, Any]:
    """Return the entry, the identity, the last raw answer, the snapshot and the totals."""
    coordinator = entry.runtime_data
    snapshot = asdict(coordinator.data) if coordinator.data else None
    if snapshot is not None:
        snapshot.pop("raw")
        # Which variables the appliance has, in a stable order.
        snapshot["answered"] = sorted(f"{section}.{name}" for section, name in snapshot["answered"])
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "identity": asdict(coordinator.identity),
            "scheme": coordinator.client.scheme,
            "session_cookie": coordinator.client.has_session_cookie,
            "last_raw_answer": coordinator.client.last_raw,
            "snapshot": snapshot,
            "energy_totals": coordinator.meter.as_dict(),
        },
        TO_REDACT,
    )
