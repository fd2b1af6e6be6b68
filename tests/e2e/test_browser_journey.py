"""A new user's journey, clicked through Home Assistant's frontend in a real browser.

The harness only onboards. Then, in headless Chromium, as a user: add SENEC.Home (a wrong
port, a malformed host and a router's web page first, each with its own error), read the
success step and the device page, switch the force charge on and at once off again, try poll
intervals out of range, and once more in German. The simulator's clock stands still at night
(no sun: it sends -0.0 W of solar power, the battery supplies the house) and only runs while
the force charge is being switched, so the page must show exactly its values.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, expect

from custom_components.senec_home.api.states import SYSTEM_STATES

from ..conftest import WebServer, router_page
from .conftest import Stack, wait_for
from .fastclock import remove_onboarding_extras
from .frontend import Tab, browser_tab, frontend_labels, readme_energy_section
from .stack import DOMAIN, ROOT, HomeAssistant, free_port

pytestmark = pytest.mark.e2e

#: 23:00 in Germany on midsummer's day: no sun, the battery supplies the house.
NIGHT = "2026-06-21T21:00:00+00:00"
MODEL = "SENEC.Home V3 hybrid duo"  # the simulator's system type
DEVICE = "SENEC.Home"  # the device's name, before each entity's name
TRANSLATIONS = ROOT / "custom_components" / DOMAIN / "translations"
#: How long a page may take to show something (s); the poll interval is 10 s.
SHOWN_WITHIN_S = 25
#: A release asked for inside the appliance's write spacing is done within this (s).
RELEASED_WITHIN_S = 30
#: Values shown as "-0", "-0.0", "-0,00 %" ...
NEGATIVE_ZERO = re.compile(r"^-0(?:[.,]0+)?(?:\s|%|$)")
#: Sensor key (unique-id suffix) -> the simulator's truth it shows, and how exact it is:
#: the appliance sends 32-bit floats (a fraction of a watt).
COMPARED = {
    "solar_power": ("pv_power", 0.5),
    "house_power": ("house_power", 0.5),
    "grid_power": ("grid_power", 0.5),
    "battery_power": ("battery_power", 0.5),
    "battery_soc": ("soc", 0.05),
}


@pytest.fixture
def sim_start() -> str:
    """The journey takes place at night."""
    return NIGHT


def ours(language: str) -> dict[str, Any]:
    """Return the integration's translation in `language`."""
    texts: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return texts


def shown_number(text: str) -> tuple[float, int] | None:
    """Parse an English number as shown ("2,500 W", "-329 W", "0.06 kWh", "81%").

    Returns the value and its number of decimals, None when it is no number.
    """
    match = re.match(r"^(-?[\d,]+)(?:\.(\d+))?", text)
    if not match:
        return None
    decimals = match[2] or ""
    return float(match[1].replace(",", "") + ("." + decimals if decimals else "")), len(decimals)


@asynccontextmanager
async def running_clock(stack: Stack) -> AsyncIterator[list[dict[str, Any]]]:
    """Let the simulator's clock run at about real time; yield every truth it reported."""
    truths: list[dict[str, Any]] = []

    async def tick() -> None:
        while True:
            truths.append(await stack.sim_request("POST", "/_sim/advance", {"seconds": 0.5}))
            await asyncio.sleep(0.5)

    ticker = asyncio.create_task(tick())
    try:
        yield truths
    finally:
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)


class Journey:
    """The user's steps, in one browser tab, in the language the user chose."""

    def __init__(self, tab: Tab, stack: Stack, ha: HomeAssistant) -> None:
        self.tab = tab
        self.page = tab.page
        self.stack = stack
        self.ha = ha
        self.language = "en"

    def label(self, key: str) -> str:
        """Return one of the frontend's own texts in the user's language."""
        return frontend_labels(self.language)[key]

    @property
    def texts(self) -> dict[str, Any]:
        """Return the integration's texts in the user's language."""
        return ours(self.language)

    @property
    def dialog(self) -> Locator:
        """Return the config or options flow's dialog."""
        return self.page.locator("dialog-data-entry-flow")

    async def submit(self) -> None:
        """Press the flow dialog's submit button."""
        await self.dialog.get_by_role(
            "button", name=self.label("ui.panel.config.integrations.config_flow.submit")
        ).click()

    async def add_integration(self, sim_host: str, not_senec: str) -> None:
        """Settings > Devices & services > Add integration > SENEC.Home, the errors first."""
        config = self.texts["config"]
        await self.tab.open("/config/integrations/dashboard")
        await self.page.get_by_role(
            "button", name=self.label("ui.panel.config.integrations.add_integration")
        ).click()
        await self.page.keyboard.type("SENEC")
        await (
            self.page.locator("dialog-add-integration")
            .get_by_text("SENEC.Home", exact=True)
            .click()
        )
        await expect(self.dialog.get_by_text(config["step"]["user"]["description"])).to_be_visible()
        host = self.dialog.get_by_role("textbox", name=config["step"]["user"]["data"]["host"])
        for wrong, error in (
            (f"127.0.0.1:{free_port()}", "cannot_connect"),  # nothing listens there
            ("192.168.178.50:port", "invalid_host"),
            (not_senec, "not_senec"),  # a web server that answers with a login page
        ):
            await host.fill(wrong)
            await self.submit()
            await expect(self.dialog.get_by_text(config["error"][error])).to_be_visible()
        await host.fill(sim_host)
        await self.submit()

    async def see_success_step(self) -> None:
        """The success step names the model and says the totals start now; finish."""
        text = self.texts["config"]["create_entry"]["totals_start_now"].format(model=MODEL)
        await expect(self.dialog.get_by_text(text)).to_be_visible()
        await self.dialog.get_by_role(
            "button", name=self.label("ui.panel.config.integrations.config_flow.finish_skip")
        ).click()
        await self.closed()

    async def see_already_configured(self) -> None:
        """Adding the same appliance again ends with the integration's own message."""
        text = self.texts["config"]["abort"]["already_configured"]
        await expect(self.dialog.get_by_text(text)).to_be_visible()
        await self.close_dialog()

    async def device_page_problems(self, ids: Mapping[str, str]) -> list[str]:
        """Return what the device page shows wrong: missing, unknown, -0, units, values."""
        rows = await self.tab.entity_rows()
        states = await self.ha.states()
        truth = await self.stack.sim_request("GET", "/_sim/state")
        problems = []
        not_values = {
            self.label("state.default.unknown"),
            self.label("state.default.unavailable"),
            "",
        }
        for key, entity_id in ids.items():
            state = states[entity_id]
            name = state["attributes"]["friendly_name"].removeprefix(f"{DEVICE} ")
            if entity_id.startswith("switch."):
                continue
            shown = rows.get(name)
            unit = state["attributes"].get("unit_of_measurement")
            if shown is None:
                problems.append(f"{name}: no row on the device page")
            elif shown in not_values:
                problems.append(f"{name}: {shown!r}, the simulator has a value")
            elif NEGATIVE_ZERO.match(shown):
                problems.append(f"{name}: {shown!r}")
            elif unit and not shown.endswith(unit):
                problems.append(f"{name}: {shown!r} without its unit {unit}")
            elif key in COMPARED:
                field, precision = COMPARED[key]
                parsed = shown_number(shown)
                real = float(truth[field])
                if parsed is None or abs(parsed[0] - real) > 0.5 * 10 ** -parsed[1] + precision:
                    problems.append(f"{name}: {shown!r}, the simulator {real:.2f}")
        system_state = self.texts["entity"]["sensor"]["system_state"]
        expected = system_state["state"][SYSTEM_STATES[truth["state"]]]
        if (shown := rows.get(system_state["name"])) != expected:
            problems.append(f"{system_state['name']}: {shown!r}, expected {expected!r}")
        return problems

    async def options(self) -> None:
        """Open the entry's options (the cog on the integration's page)."""
        await self.tab.open(f"/config/integrations/integration/{DOMAIN}")
        await self.page.get_by_role(
            "button", name=self.label("ui.panel.config.integrations.config_entry.configure")
        ).first.click()
        await expect(self.dialog.get_by_role("spinbutton")).to_be_visible()

    async def close_dialog(self) -> None:
        """Close the flow dialog with its X, without saving."""
        await self.dialog.get_by_role("button", name=self.label("ui.common.close")).first.click()
        await self.closed()

    async def closed(self) -> None:
        """Wait until the flow dialog is gone."""
        await expect(self.dialog.locator("ha-dialog")).to_have_count(0)

    async def refuse_intervals_out_of_range(self) -> None:
        """The form says the range and why; 1 and 1000 s come back with its own error."""
        init = self.texts["options"]["step"]["init"]
        limits = {"min": "5", "max": "300", "default": "10"}
        await expect(self.dialog.get_by_text(init["description"].format(**limits))).to_be_visible()
        field = self.dialog.get_by_role("spinbutton")
        helper = init["data_description"]["scan_interval"].format(**limits)
        await expect(self.dialog.get_by_text(helper)).to_be_visible()
        assert (await field.get_attribute("min"), await field.get_attribute("max")) == ("5", "300")
        error = self.texts["options"]["error"]["scan_interval_out_of_range"].format(**limits)
        for value in ("1", "1000"):
            await field.fill(value)
            await self.submit()
            await expect(self.dialog.get_by_text(error)).to_be_visible()
            await expect(field).to_have_value(value)  # still the form: nothing was saved

    async def check_battery_dialog_order(self) -> None:
        """The battery dialog asks for its energies in the order the README's table lists."""
        await self.tab.open("/config/energy")
        await self.page.get_by_role(
            "button", name=self.label("ui.panel.config.energy.battery.add_battery_system")
        ).click()
        pickers = self.page.locator("dialog-energy-battery-settings ha-statistic-picker")
        await expect(pickers.first).to_be_visible()
        asked: list[str] = await pickers.evaluate_all("pickers => pickers.map(p => p.label)")
        listed = readme_energy_section()
        in_readme = sorted(asked[:2], key=listed.index)
        assert asked[:2] == in_readme, f"the dialog asks {asked}, the README lists {in_readme}"
        await self.page.keyboard.press("Escape")

    async def choose_language(self, name: str, language: str) -> None:
        """Profile > Localization > Language: pick one."""
        await self.tab.open("/profile/localization")
        await self.page.locator("ha-pick-language-row").click()
        # Each option shows the language's own name, then its English one ("Deutsch German").
        await self.page.get_by_role("option", name=re.compile(rf"^{name}\b")).first.click()
        self.language = language
        await expect(
            self.page.get_by_text(self.label("ui.panel.profile.language.header")).first
        ).to_be_visible()


async def entity_ids(ha: HomeAssistant) -> dict[str, str]:
    """Return {key: entity_id} of every enabled entity of the integration."""
    (registry,) = await ha.ws({"type": "config/entity_registry/list"})
    return {
        entry["unique_id"].split("_", 1)[1]: entry["entity_id"]
        for entry in registry
        if entry["platform"] == DOMAIN and not entry["disabled_by"]
    }


async def device_id(ha: HomeAssistant) -> str:
    """Return the id of the SENEC.Home device."""
    (devices,) = await ha.ws({"type": "config/device_registry/list"})
    (device,) = [d for d in devices if any(i[0] == DOMAIN for i in d["identifiers"])]
    return str(device["id"])


async def test_a_new_users_journey(stack: Stack, web_server: WebServer, tmp_path: Path) -> None:
    """Add, look, force charge and release, options, and again in German: no rough edge."""
    not_senec = await web_server(router_page)
    async with stack.client() as ha:
        await ha.wait_http()
        await ha.onboard(complete=True)
        await ha.wait_running()
        await remove_onboarding_extras(ha)
        async with browser_tab(
            ha, tmp_path / "chromium", locale="en-US", viewport={"width": 1280, "height": 2000}
        ) as tab:
            journey = Journey(tab, stack, ha)
            tab.page.set_default_timeout(SHOWN_WITHIN_S * 1000)

            async with tab.step("add the integration"):
                await journey.add_integration(stack.sim_host, not_senec)
                await journey.see_success_step()
            entries = await ha.rest("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
            assert [(e["title"], e["state"]) for e in entries] == [(MODEL, "loaded")], entries

            ids = await entity_ids(ha)
            async with tab.step("the device page"):
                await tab.open(f"/config/devices/device/{await device_id(ha)}")
                await wait_for(
                    "the device page", lambda: journey.device_page_problems(ids), SHOWN_WITHIN_S
                )

            async with tab.step("force charge on and off again"):
                await force_charge_on_and_off(journey, ids)

            async with tab.step("the poll interval"):
                await journey.options()
                await journey.refuse_intervals_out_of_range()
                await journey.close_dialog()
                await journey.options()  # the stored interval is still the default
                await expect(journey.dialog.get_by_role("spinbutton")).to_have_value("10")
                await journey.close_dialog()

            async with tab.step("the Energy dashboard's battery dialog"):
                await journey.check_battery_dialog_order()

            async with tab.step("in German"):
                await journey.choose_language("Deutsch", "de")
                await journey.add_integration(stack.sim_host, not_senec)
                await journey.see_already_configured()
                await journey.options()
                await journey.refuse_intervals_out_of_range()
                await journey.close_dialog()

            assert tab.toasts == [], "the frontend showed these messages"


async def force_charge_on_and_off(journey: Journey, ids: Mapping[str, str]) -> None:
    """Switch on, and off again within 3 s: no error, and the battery is released in 30 s."""
    tab, switch = journey.tab, ids["force_charge"]
    names = journey.texts["entity"]
    force_charge = names["switch"]["force_charge"]["name"]
    battery_power = names["sensor"]["battery_power"]["name"]
    assert not await tab.switch_on(force_charge)
    toggle = tab.page.locator("ha-device-entities-card hui-toggle-entity-row ha-switch")
    async with running_clock(journey.stack) as truths:
        await toggle.click()
        started = time.monotonic()
        await expect(toggle).to_have_js_property("checked", value=True)
        await toggle.click()
        asked = time.monotonic()
        assert asked - started < 3, "the second click came too late"
        await expect(toggle).to_have_js_property("checked", value=False)

        async def appliance_released() -> list[str]:
            truth = truths[-1] if truths else {}
            if not any(seen["safe_charge_running"] for seen in truths):
                return ["the appliance has not started charging yet"]
            if truth["safe_charge_running"] or truth["battery_power"] >= 0:
                return [f"the appliance still charges: {truth}"]
            return []

        await wait_for("the appliance's release", appliance_released, RELEASED_WITHIN_S)
    # The clock stands still again: the page must now show the appliance's values.

    async def page_released() -> list[str]:
        problems = await journey.device_page_problems(ids)
        shown = (await tab.entity_rows()).get(battery_power, "")
        if not shown.startswith("-"):
            problems.append(f"Battery power {shown!r}: the battery does not supply the house")
        if await tab.switch_on(force_charge):
            problems.append("the switch shows on")
        return problems

    await wait_for("the release on the device page", page_released, RELEASED_WITHIN_S)
    assert time.monotonic() - asked < RELEASED_WITHIN_S, "released, but too late"
    assert (await journey.ha.states())[switch]["state"] == "off"
    assert tab.toasts == [], "an error was shown"
