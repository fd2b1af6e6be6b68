"""End to end: a real Home Assistant (the release users run) with the integration and the simulator.

What a user does, over the same HTTP and websocket APIs the frontend uses: onboard, add
"SENEC.Home" (a wrong address first), watch the values, set up the Energy dashboard with the
six totals, restart Home Assistant. The simulator runs on a manual clock, so its values
stand still until the test moves time on, and Home Assistant must show exactly them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from custom_components.senec_home.api.states import SYSTEM_STATES

from .conftest import Stack, wait_for
from .stack import DOMAIN, TOTALS, HomeAssistant, energy_preferences, free_port

pytestmark = pytest.mark.e2e

POLL_S = 5  # set through the options flow: the shortest interval the integration allows
SIX_POLLS_S = 6 * POLL_S  # how long a value may take to show
#: Power sensor key -> field of the simulator's truth.
POWERS = {
    "solar_power": "pv_power",
    "house_power": "house_power",
    "grid_power": "grid_power",
    "battery_power": "battery_power",
}
KEYS = (
    *TOTALS,
    *POWERS,
    "battery_soc",
    "system_state",
    "design_capacity",
    "force_charge",
    "restart",
)
#: The least time between two force-charge writes to the appliance (seconds).
COMMAND_INTERVAL_S = 10
#: The only Energy validation issue a brand-new sensor may have: the recorder compiles the
#: first statistics at the next minute divisible by five.
NOT_YET_COMPILED = "statistics_not_defined"


def number(state: Mapping[str, Any] | None) -> float | None:
    """Return a state as a number, None when missing, unavailable or unknown."""
    if state is None:
        return None
    try:
        return float(state["state"])
    except ValueError:
        return None


def compare(
    states: Mapping[str, Mapping[str, Any]], ids: Mapping[str, str], truth: Mapping[str, Any]
) -> list[str]:
    """Return how Home Assistant's values differ from the simulator's truth."""
    problems: list[str] = []
    for key, field in POWERS.items():
        shown, real = number(states.get(ids[key])), float(truth[field])
        # The appliance sends 32-bit floats: a fraction of a watt may get lost.
        if shown is None or abs(shown - real) > 0.5 + 1e-4 * abs(real):
            problems.append(f"{key}: Home Assistant {shown}, simulator {real}")
    soc = number(states.get(ids["battery_soc"]))
    # Shown to the percent.
    if soc is None or abs(soc - truth["soc"]) > 0.5 + 1e-6:
        problems.append(f"battery_soc: Home Assistant {soc}, simulator {truth['soc']}")
    system = states.get(ids["system_state"]) or {}
    code = truth["state"]
    if system.get("state") != SYSTEM_STATES[code] or system["attributes"].get("code") != code:
        problems.append(
            f"system_state: Home Assistant {system.get('state')!r} "
            f"(code {system.get('attributes', {}).get('code')}), simulator {code}"
        )
    return problems


async def check_force_charge(stack: Stack, ha: HomeAssistant, ids: Mapping[str, str]) -> Any:
    """Switch the force charge on, and off again at once, as a user changing their mind.

    On, the battery charges at full power from the grid (the Energy power view shows it).
    The release comes well inside the appliance's write spacing: it is accepted at once
    (no error), waits for the spacing and goes out; then the battery supplies the house
    again. Returns the simulator's truth at the end.
    """
    switch = ids["force_charge"]
    states = await ha.states()
    assert states[switch]["state"] == "off", states[switch]
    for service, running, code in (("turn_on", True, 8), ("turn_off", False, None)):
        # An HTTP error here (a refused command) fails the test.
        await ha.rest("POST", f"/api/services/switch/{service}", {"entity_id": switch})
        states = await ha.states()
        assert states[switch]["state"] == ("on" if running else "off"), states[switch]

        async def acted(running: bool = running) -> list[str]:
            # The simulated appliance acts 2 s after a press; its clock is manual.
            truth = await stack.sim_request("POST", "/_sim/advance", {"seconds": 1})
            if truth["safe_charge_running"] is not running:
                return [f"simulator: safe_charge_running {truth['safe_charge_running']}"]
            return []

        await wait_for(f"the appliance after {service}", acted, within=COMMAND_INTERVAL_S + 15)
        truth = await stack.sim_request("POST", "/_sim/advance", {"seconds": 1})
        if running:
            assert truth["state"] == code, truth
            # Full charge power, most of it from the grid (the evening sun is weak).
            assert truth["battery_power"] == pytest.approx(2500.0), truth
            assert truth["grid_power"] > truth["house_power"] + 2000, truth

        async def shown(expected: Any = truth, on: bool = running) -> list[str]:
            states = await ha.states()
            problems = compare(states, ids, expected)
            if states[switch]["state"] != ("on" if on else "off"):
                problems.append(f"{switch}: {states[switch]['state']}")
            return problems

        await wait_for(f"force charge after {service}", shown, within=SIX_POLLS_S)
    return truth


async def check_restart(
    stack: Stack, ha: HomeAssistant, entry_id: str, ids: Mapping[str, str]
) -> Any:
    """Enable the restart button, press it, see the values go and come back.

    The button is disabled by default: enabling it and reloading the entry at once is what
    Home Assistant would do 30 seconds after the user enabled it. Returns the simulator's
    truth once the appliance is back.
    """
    button = ids["restart"]
    await ha.ws({"type": "config/entity_registry/update", "entity_id": button, "disabled_by": None})
    await ha.rest("POST", f"/api/config/config_entries/entry/{entry_id}/reload")

    async def pressable() -> list[str]:
        state = (await ha.states()).get(button)
        return [] if state is not None and state["state"] != "unavailable" else [str(state)]

    await wait_for("the restart button after enabling it", pressable, within=SIX_POLLS_S)
    await ha.rest("POST", "/api/services/button/press", {"entity_id": button})
    state = await stack.sim_request("GET", "/_sim/state")
    assert state["firmware"]["restarting"], state["firmware"]
    assert state["last_request"] == {
        "SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE": "u8_01"}
    }, state["last_request"]
    solar = ids["solar_power"]

    async def silent() -> list[str]:
        state = (await ha.states())[solar]
        return [] if state["state"] == "unavailable" else [f"{solar}: {state['state']}"]

    await wait_for("the values while the appliance restarts", silent, within=SIX_POLLS_S)
    # The simulated restart takes 90 s of its (manual) clock.
    truth = await stack.sim_request("POST", "/_sim/advance", {"seconds": 91})
    assert not truth["firmware"]["restarting"], truth["firmware"]
    assert truth["firmware"]["restarts"] == 1, truth["firmware"]

    async def back() -> list[str]:
        return compare(await ha.states(), ids, truth)

    await wait_for("the values after the appliance's restart", back, within=SIX_POLLS_S)
    return truth


def totals(states: Mapping[str, Mapping[str, Any]], ids: Mapping[str, str]) -> dict[str, float]:
    """Return the six totals as Home Assistant shows them (kWh); fail if one is missing."""
    values = {key: number(states.get(ids[key])) for key in TOTALS}
    missing = [key for key, value in values.items() if value is None]
    assert not missing, f"totals without a value: {missing}"
    return {key: value for key, value in values.items() if value is not None}


def reported(state: Mapping[str, Any]) -> float:
    """Return when a state was last written, changed or not (unix seconds): the last poll."""
    return datetime.fromisoformat(state["last_reported"]).timestamp()


async def entity_ids(ha: HomeAssistant) -> dict[str, str]:
    """Return {key: entity_id} for KEYS, from the entity registry's unique ids."""
    registry = await ha.entities(DOMAIN)
    ids: dict[str, str] = {}
    for key in KEYS:
        matches = [eid for uid, eid in registry.items() if uid.endswith(f"_{key}")]
        assert len(matches) == 1, f"{key}: entities {matches} in {sorted(registry)}"
        ids[key] = matches[0]
    serials = {uid.split("_", 1)[0] for uid in registry}
    assert len(serials) == 1, f"unique ids of more than one appliance: {serials}"
    return ids


async def check_energy_slopes(ha: HomeAssistant, ids: Mapping[str, str], truth: Any) -> None:
    """With powers standing still, each total must grow by power x time (trapezoid rule)."""
    before = await ha.states()
    await asyncio.sleep(6 * POLL_S)
    after = await ha.states()
    flows = {
        "solar_energy": max(truth["pv_power"], 0.0),
        "house_energy": max(truth["house_power"], 0.0),
        "battery_charged_energy": max(truth["battery_power"], 0.0),
        "battery_discharged_energy": max(-truth["battery_power"], 0.0),
        "grid_imported_energy": max(truth["grid_power"], 0.0),
        "grid_exported_energy": max(-truth["grid_power"], 0.0),
    }
    for key, power in flows.items():
        first, last = before[ids[key]], after[ids[key]]
        grown = float(last["state"]) - float(first["state"])
        if power == 0:
            assert grown == 0, f"{key} grew by {grown} kWh without any power"
            continue
        seconds = reported(last) - reported(first)
        assert seconds >= 3 * POLL_S, f"{key} was not updated: {first} -> {last}"
        expected = power * seconds / 3_600_000
        # States carry 3 decimals (1 Wh); polls are timed by Home Assistant's clock.
        assert abs(grown - expected) <= 1e-3 + 0.03 * expected, (
            f"{key}: grew {grown:.5f} kWh in {seconds:.1f} s at {power:.0f} W, "
            f"expected {expected:.5f}"
        )


async def check_energy_dashboard(ha: HomeAssistant, ids: Mapping[str, str]) -> None:
    """Save Energy preferences with our sensors; the dashboard's own check must pass."""
    states = await ha.states()
    capacity = number(states.get(ids["design_capacity"]))
    prefs = energy_preferences(ids, capacity_kwh=capacity)
    (saved,) = await ha.ws({"type": "energy/save_prefs", **prefs})
    types = [source["type"] for source in saved["energy_sources"]]
    assert types == ["grid", "solar", "battery", "home"], saved
    grid, solar, battery, home = saved["energy_sources"]
    assert (grid["stat_energy_from"], grid["stat_energy_to"]) == (
        ids["grid_imported_energy"],
        ids["grid_exported_energy"],
    )
    assert solar["stat_energy_from"] == ids["solar_energy"]
    assert (battery["stat_energy_from"], battery["stat_energy_to"]) == (
        ids["battery_discharged_energy"],
        ids["battery_charged_energy"],
    )
    assert battery["stat_soc"] == ids["battery_soc"]
    assert home["stat_energy_to"] == ids["house_energy"]

    await check_energy_validation(ha, ids)


async def check_energy_validation(ha: HomeAssistant, ids: Mapping[str, str]) -> None:
    """Run the Energy dashboard's check (no problem but not-yet-compiled statistics) and
    the recorder's statistics check (Developer tools > Statistics: no problem at all).
    """
    validation, statistics = await ha.ws(
        {"type": "energy/validate"}, {"type": "recorder/validate_statistics"}
    )
    ours = {
        entity_id: statistics[entity_id] for entity_id in ids.values() if entity_id in statistics
    }
    assert not ours, f"statistics problems: {ours}"
    issues = [
        (index, issue)
        for index, source in enumerate(validation["energy_sources"])
        for issue in source
    ]
    issues += [(-1, issue) for source in validation["device_consumption"] for issue in source]
    assert len(validation["energy_sources"]) == 4, validation
    unexpected = [
        f"source {index}: {issue}" for index, issue in issues if issue["type"] != NOT_YET_COMPILED
    ]
    assert not unexpected, "Energy dashboard problems:\n" + "\n".join(unexpected)


def integration_complaints(stack: Stack) -> list[str]:
    """Return errors and warnings that Home Assistant logged about the integration."""
    complaints = []
    for log in stack.hass_logs:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if not re.search(r"\b(ERROR|WARNING|CRITICAL)\b", line):
                continue
            if "senec" not in line.lower() or "has not been tested by Home Assistant" in line:
                continue
            complaints.append(line)
    return complaints


async def test_real_home_assistant(stack: Stack) -> None:
    """Onboard, add the appliance, compare values, set up Energy, restart, compare again."""
    async with stack.client() as ha:
        # --- onboarding: the owner account, then a token from its auth code -------------
        await ha.wait_http()
        await ha.onboard()
        await ha.wait_running()

        # --- "Add integration": a wrong address first, then the simulator ---------------
        flow = await ha.start_flow(DOMAIN)
        assert (flow["type"], flow["step_id"]) == ("form", "user"), flow
        nobody = f"127.0.0.1:{free_port()}"
        wrong = await ha.flow_step(flow["flow_id"], {"host": nobody})
        assert wrong["type"] == "form", wrong
        assert wrong["errors"] == {"base": "cannot_connect"}, wrong
        created = await ha.flow_step(flow["flow_id"], {"host": stack.sim_host})
        assert created["type"] == "create_entry", created
        assert created["result"]["state"] == "loaded", created
        entry_id = created["result"]["entry_id"]

        # --- options: poll every 5 s, so the test needs less waiting --------------------
        options = await ha.set_options(entry_id, {"scan_interval": POLL_S})
        assert options["type"] == "create_entry", options

        async def entry_loaded() -> list[str]:
            entries = await ha.rest("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
            return [] if [e["state"] for e in entries] == ["loaded"] else [str(entries)]

        await wait_for("config entry after the options change", entry_loaded, within=SIX_POLLS_S)
        ids = await entity_ids(ha)

        # --- the values Home Assistant shows are the appliance's -------------------------
        truth = await stack.sim_request("GET", "/_sim/state")
        assert truth["manual_clock"], truth

        async def matches() -> list[str]:
            return compare(await ha.states(), ids, truth)

        await wait_for("values at 07:00 (charging, exporting)", matches, within=SIX_POLLS_S)
        states = await ha.states()
        for key in TOTALS:
            assert states[ids[key]]["attributes"]["source"] == "integrated", states[ids[key]]
        await check_energy_slopes(ha, ids, truth)

        # --- twelve hours later: evening, the battery supplies the house ----------------
        truth = await stack.sim_request("POST", "/_sim/advance", {"seconds": 12 * 3600})
        assert truth["battery_power"] < 0, truth
        await wait_for("values at 19:00 (discharging)", matches, within=SIX_POLLS_S)

        # --- force charge from the grid: on, charging at full power, off -----------------
        truth = await check_force_charge(stack, ha, ids)
        assert truth["battery_power"] < 0, truth

        # --- the Energy dashboard takes every total ---------------------------------------
        await check_energy_dashboard(ha, ids)

        # --- the appliance restarts when asked, and comes back ---------------------------
        truth = await check_restart(stack, ha, entry_id, ids)

        # --- restart: every total is still there and has not gone down --------------------
        before = totals(await ha.states(), ids)
        assert before["solar_energy"] > 0, before
        assert before["battery_charged_energy"] > 0, before
        assert before["battery_discharged_energy"] > 0, before

    assert stack.stop_hass() == 0, "Home Assistant did not stop cleanly"
    stack.start_hass()
    async with stack.client() as ha:
        await ha.wait_http()
        await ha.login()
        await ha.wait_running()
        ids = await entity_ids(ha)

        async def restored() -> list[str]:
            states = await ha.states()
            problems = compare(states, ids, truth)
            for key, old in before.items():
                new = number(states.get(ids[key]))
                if new is None or new < old:
                    problems.append(f"{key}: {old} kWh before the restart, {new} after")
            return problems

        await wait_for("values and totals after the restart", restored, within=SIX_POLLS_S)
        await check_energy_validation(ha, ids)

    assert not integration_complaints(stack), "\n".join(integration_complaints(stack))
