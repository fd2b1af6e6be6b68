"""Home Assistant on an accelerated clock (libfaketime), for the scripts that need days.

Used by `scripts/screenshots` (a day of statistics) and `scripts/soak` (a week of polls).
Home Assistant's wall clock *and* its monotonic clock run `rate` times faster, so its
timers (poll interval, statistics every five minutes, request timeouts) all speed up
together. The simulator runs at the same speed on its own clock (`--speed`).
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .stack import DOMAIN, HomeAssistant, by_suffix, energy_preferences

FAKETIME_LIBS = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/faketime/libfaketimeMT.so.1",
)
#: Integrations the onboarding wizard adds by itself; they need the internet and would
#: only add noise (a to-do list in the sidebar, failing weather, errors in the log).
ONBOARDING_EXTRAS = {"google_translate", "met", "radio_browser", "shopping_list"}
#: How often the config flow's form is submitted before adding the appliance fails.
ADD_ATTEMPTS = 10


def faketime_library() -> str:
    """Return the path of libfaketime (Debian package libfaketime)."""
    for candidate in FAKETIME_LIBS:
        if Path(candidate).exists():
            return candidate
    sys.exit("libfaketime not found (apt-get install libfaketime)")


def faketime_env(start: datetime, rate: float) -> dict[str, str]:
    """Return the environment that runs a process on a clock from `start` at `rate`."""
    utc = start.astimezone(ZoneInfo("UTC"))
    return {
        "LD_PRELOAD": faketime_library(),
        "FAKETIME": f"@{utc:%Y-%m-%d %H:%M:%S} x{rate:g}",
        "TZ": "UTC",
    }


async def fake_now(ha: HomeAssistant, entity_id: str) -> datetime:
    """Return Home Assistant's (accelerated) time: when a total last grew (every poll)."""
    state = await ha.rest("GET", f"/api/states/{entity_id}")
    return datetime.fromisoformat(state["last_updated"])


async def remove_onboarding_extras(ha: HomeAssistant) -> None:
    """Delete the config entries the onboarding wizard created by itself."""
    for entry in await ha.rest("GET", "/api/config/config_entries/entry"):
        if entry["domain"] in ONBOARDING_EXTRAS:
            await ha.rest("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")


async def onboard(ha: HomeAssistant, client_name: str, lifespan_days: int = 30) -> None:
    """Onboard as the browser would, keep a lasting token, drop the wizard's extras.

    Run it on a clock at normal speed: the onboarding token lives 30 minutes of Home
    Assistant's clock, which a fast clock uses up in seconds. The lasting token's lifespan
    is counted in days of Home Assistant's (later fast) clock.
    """
    await ha.wait_http()
    await ha.onboard(complete=True)
    (ha.token,) = await ha.ws(
        {
            "type": "auth/long_lived_access_token",
            "client_name": client_name,
            "lifespan": lifespan_days,
        }
    )
    await ha.wait_running()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        entries = await ha.rest("GET", "/api/config/config_entries/entry")
        if {entry["domain"] for entry in entries} >= ONBOARDING_EXTRAS:
            break
        await asyncio.sleep(1)
    await remove_onboarding_extras(ha)


async def add_appliance(ha: HomeAssistant, sim_host: str, *, energy: bool = True) -> dict[str, Any]:
    """Add the appliance and (`energy`) set up the Energy dashboard; return ids.

    The result has the entity ids by key (`ids`) and the device id (`device_id`).
    """
    await ha.wait_running()
    flow = await ha.start_flow(DOMAIN)
    # On a fast clock the client's 10 s timeout is a few real milliseconds, which a busy
    # machine may miss: submit again, as a user would after "Could not connect".
    for _ in range(ADD_ATTEMPTS):
        created = await ha.flow_step(flow["flow_id"], {"host": sim_host})
        if created["type"] != "form":
            break
    if created["type"] != "create_entry":
        raise RuntimeError(f"adding the appliance failed: {created}")
    # Set-up itself may need a retry too: wait for the entities and their first values.
    deadline = time.monotonic() + 120
    while not (entities := await ha.entities()) or not await _has_value(ha, entities):
        if time.monotonic() > deadline:
            raise RuntimeError("the appliance's entities did not appear")
        await asyncio.sleep(0.5)
    serial = next(iter(entities)).split("_", 1)[0]
    ids = by_suffix(entities, serial)
    if energy:
        await set_up_energy_dashboard(ha, ids, deadline)
    (devices,) = await ha.ws({"type": "config/device_registry/list"})
    device = next(d for d in devices if [DOMAIN, serial] in d["identifiers"])
    return {"ids": ids, "device_id": device["id"]}


async def _has_value(ha: HomeAssistant, entities: dict[str, str]) -> bool:
    """Tell whether the appliance's design capacity entity shows a number yet."""
    design = next((eid for uid, eid in entities.items() if uid.endswith("_design_capacity")), None)
    if design is None:
        return False
    try:
        float((await ha.rest("GET", f"/api/states/{design}"))["state"])
    except (RuntimeError, ValueError):
        return False
    return True


async def set_up_energy_dashboard(ha: HomeAssistant, ids: dict[str, str], deadline: float) -> None:
    """Save the Energy preferences with the appliance's sensors and its capacity."""
    design = await ha.rest("GET", f"/api/states/{ids['design_capacity']}")
    # On a fast clock start-up stages time out and go on in the background: wait for energy.
    while "energy" not in (await ha.rest("GET", "/api/config"))["components"]:
        if time.monotonic() > deadline:
            raise RuntimeError("the energy integration did not load")
        await asyncio.sleep(0.5)
    prefs = energy_preferences(ids, capacity_kwh=float(design["state"]))
    await ha.ws({"type": "energy/save_prefs", **prefs})
