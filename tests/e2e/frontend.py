"""Home Assistant's frontend as a user sees it: its own labels, and a Chromium tab on it.

Used by the browser test and by `scripts/screenshots`. Playwright only drives Debian's
Chromium at /usr/bin/chromium (`scripts/test` and `scripts/screenshots` install it with
apt-get); no browser is ever downloaded. The labels come from the frontend package of
`.venv-hass`, the release users run, so a test clicks what a user of that release clicks.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

from .stack import HASS_VENV, ROOT, HomeAssistant

CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and quiet on a closed network: no update checks, sync or QUIC probes.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where a failing step leaves its picture (git ignores the folder).
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
#: Every message the frontend shows as a toast (`hass-notification`, errors of actions
#: among them) is handed to the test, on every page the tab opens.
_REPORT_TOASTS = """
window.addEventListener("hass-notification", (event) => {
  const message = event.detail && event.detail.message;
  window.reportToast(typeof message === "string" ? message : JSON.stringify(message));
});
"""


@cache
def frontend_labels(language: str) -> dict[str, str]:
    """Return the frontend's texts in `language` (flat keys, e.g. `ui.common.close`)."""
    packages = sorted(HASS_VENV.glob("lib/python*/site-packages/hass_frontend"))
    if not packages:
        raise RuntimeError(f"no hass_frontend in {HASS_VENV} (scripts/setup-hass makes it)")
    folder = packages[-1] / "static" / "translations"
    # The main file and one per panel, each named <language>-<hash>.json.
    name = re.compile(rf"{re.escape(language)}-[0-9a-f]+\.json")
    labels: dict[str, str] = {}
    for path in sorted(folder.rglob("*.json")):
        if name.fullmatch(path.name):
            labels.update(json.loads(path.read_text(encoding="utf-8")))
    if not labels:
        raise RuntimeError(f"the frontend in {folder} has no {language!r} translation")
    return labels


def readme_energy_section() -> str:
    """Return the README's "The Energy dashboard" section, which quotes the frontend."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## The Energy dashboard\n(.*?)^## ", readme, re.DOTALL | re.MULTILINE)
    if not match:
        raise RuntimeError("the README has no section 'The Energy dashboard'")
    return match[1]


def stored_tokens(ha: HomeAssistant) -> str:
    """Return a script that logs the browser in with `ha`'s tokens (the frontend's storage)."""
    tokens = {
        "hassUrl": ha.base_url,
        "clientId": ha.client_id,
        "access_token": ha.token,
        "refresh_token": ha.refresh_token,
        "token_type": "Bearer",
        "expires_in": 1800,
        "expires": int((time.time() + 365 * 86400) * 1000),
    }
    return f"window.localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"


class Tab:
    """One logged-in browser tab on Home Assistant, with what a test needs to read it."""

    def __init__(self, page: Page, ha: HomeAssistant) -> None:
        self.page = page
        self.ha = ha
        #: Every toast the frontend showed in this tab, in order.
        self.toasts: list[str] = []

    async def open(self, path: str) -> None:
        """Open a frontend page and wait until it stops loading.

        A dialog that was just closed still steps back in the browser's history (the
        frontend keeps each open dialog there); that step is awaited first, or it would
        take the browser back from the new page.
        """
        if self.page.url.startswith(self.ha.base_url):
            await self.page.wait_for_function("() => !(history.state && history.state.dialog)")
        await self.page.goto(f"{self.ha.base_url}{path}", wait_until="networkidle")

    async def entity_rows(self) -> dict[str, str]:
        """Return the device page's entity rows: name -> the value as shown."""
        rows: list[list[str]] = await self.page.locator(
            "ha-device-entities-card hui-generic-entity-row"
        ).evaluate_all(
            """rows => rows.map(row => [
                 row.shadowRoot.querySelector('.info').title,
                 row.textContent.replace(/\\u00a0/g, ' ').trim(),
               ])"""
        )
        return dict(rows)

    async def switch_on(self, name: str) -> bool:
        """Tell whether the device page's toggle of the entity `name` is on."""
        row = self.page.locator("ha-device-entities-card hui-toggle-entity-row").filter(
            has_text=name
        )
        checked: bool = await row.locator("ha-switch").evaluate("toggle => toggle.checked")
        return checked

    @asynccontextmanager
    async def step(self, name: str) -> AsyncIterator[None]:
        """Run one step of a journey; when it fails, photograph the page first."""
        try:
            yield
        except BaseException:
            SCREENSHOTS.mkdir(exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            path = SCREENSHOTS / f"{datetime.now():%Y%m%d-%H%M%S}-{slug}.png"
            await self.page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failed step {name!r}: {path}")
            raise


@asynccontextmanager
async def browser_tab(ha: HomeAssistant, profile: Path, **context: Any) -> AsyncIterator[Tab]:
    """Start Chromium with a fresh profile folder, logged in to `ha`; stop it afterwards."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            **context,
        )
        try:
            page = browser.pages[0] if browser.pages else await browser.new_page()
            tab = Tab(page, ha)

            def report_toast(message: str) -> None:
                tab.toasts.append(message)

            await page.expose_function("reportToast", report_toast)
            await page.add_init_script(stored_tokens(ha))
            await page.add_init_script(_REPORT_TOASTS)
            yield tab
        finally:
            await browser.close()
