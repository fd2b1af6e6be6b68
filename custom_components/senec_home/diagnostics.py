"""Diagnostics: what the appliance is, what it last answered and how it was read.

At the top, what a maintainer needs at a glance (model, firmware, modules, wallboxes, what the
appliance does not have). The raw answers of the last set-up read, regular poll and hourly
read follow exactly as the appliance sent them, with their requests, in the form of the
real-answer test fixtures (``scripts/add-answer`` turns them into one); identifying values
inside them are replaced by neutral values of the same type and length, and redacted
everywhere else.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .coordinator import SenecConfigEntry, SenecCoordinator

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
    """Return the appliance at a glance, then entry, identity, snapshot, totals, raw answers."""
    coordinator = entry.runtime_data
    snapshot = asdict(coordinator.data) if coordinator.data else None
    if snapshot is not None:
        snapshot.pop("raw")
        # Which variables the appliance has, in a stable order.
        snapshot["answered"] = sorted(f"{section}.{name}" for section, name in snapshot["answered"])
    return {
        "appliance": _at_a_glance(coordinator),
        **async_redact_data(
            {
                "entry": {"data": dict(entry.data), "options": dict(entry.options)},
                "identity": asdict(coordinator.identity),
                "scheme": coordinator.client.scheme,
                "session_cookie": coordinator.client.has_session_cookie,
                "snapshot": snapshot,
                "energy_totals": coordinator.meter.as_dict(),
            },
            TO_REDACT,
        ),
        # Anonymized value by value (not redacted whole), so that they still decode.
        "raw_answers": coordinator.raw_answers.as_dict(),
    }


def _at_a_glance(coordinator: SenecCoordinator) -> dict[str, Any]:
    """Return what the appliance is: model, firmware, battery modules, wallboxes, gaps."""
    identity = coordinator.identity
    variables, sections = coordinator.raw_answers.not_found()
    return {
        "model": identity.model,
        "system_type": identity.system_type,
        "firmware": identity.application_version,
        "interface_version": identity.interface_version,
        "npu_image": identity.npu_image_version,
        "npu_version": identity.npu_version,
        "battery_modules": identity.modules_configured,
        "wallboxes": len(coordinator.wallbox_slots),
        "scheme": coordinator.client.scheme,
        "variable_not_found": variables,
        "object_not_found": sections,
    }
