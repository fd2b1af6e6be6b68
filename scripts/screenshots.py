"""Take the README's screenshots: the SENEC.Home device page and a day on the Energy dashboard.

Run by `scripts/screenshots` (which installs Chromium, libfaketime and this script's venv).

The Energy dashboard shows recorder statistics, which Home Assistant compiles from the
sensors' states every five minutes of *its* clock. To show a whole day without waiting a day,
Home Assistant runs on an accelerated clock (libfaketime, `--rate` times real time) and the
simulator runs at the same speed from the same local midnight. Nothing is imported or
written into the database by hand: every bar comes from the integration's sensors, polled
every 10 simulated seconds and integrated by the integration itself. At the default rate of
90 a simulated day takes 16 real minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Page, async_playwright  # noqa: E402

from tests.e2e.fastclock import add_appliance, fake_now, faketime_env, onboard  # noqa: E402
from tests.e2e.frontend import CHROMIUM, CHROMIUM_ARGS, stored_tokens  # noqa: E402
from tests.e2e.stack import (  # noqa: E402
    HASS_VENV,
    HomeAssistant,
    free_port,
    make_config_dir,
    start_hass,
    start_simulator,
)

TIME_ZONE = ZoneInfo("Europe/Berlin")  # as in config/configuration.yaml
WIDTH = 1280
#: How often a page is opened again when the frontend did not connect.
CONNECT_ATTEMPTS = 5
#: The device page is taken in the early afternoon: sun, battery and grid all busy.
DEVICE_AT = timedelta(hours=13, minutes=30)


def log(message: str) -> None:
    """Print progress."""
    print(f"screenshots: {message}", flush=True)


async def wait_for_day(ha: HomeAssistant, clock_entity: str, until: datetime, rate: float) -> None:
    """Wait until Home Assistant's clock passes `until`, reporting progress."""
    last_report = 0.0
    while (now := await fake_now(ha, clock_entity)) < until:
        if time.monotonic() - last_report > 60:
            left = (until - now).total_seconds() / rate
            clock = now.astimezone(TIME_ZONE)
            log(f"Home Assistant's clock: {clock:%H:%M}, about {left / 60:.0f} min to go")
            last_report = time.monotonic()
        await asyncio.sleep(5)


async def check_statistics(
    ha: HomeAssistant, ids: dict[str, str], start: datetime, hours: float
) -> None:
    """Make sure the recorder compiled hourly statistics for the day."""
    (stats,) = await ha.ws(
        {
            "type": "recorder/statistics_during_period",
            "start_time": start.isoformat(),
            "statistic_ids": [ids["solar_energy"], ids["house_energy"]],
            "period": "hour",
            "types": ["change"],
        }
    )
    for statistic_id, rows in stats.items():
        total = sum(row.get("change") or 0 for row in rows)
        log(f"{statistic_id}: {len(rows)} hourly statistics, {total:.1f} kWh")
    if len(stats.get(ids["house_energy"], [])) < int(hours):
        raise RuntimeError(f"no hourly statistics were compiled: {stats}")


async def open_page(page: Page, ha: HomeAssistant, path: str) -> None:
    """Open a frontend page, logged in through stored tokens, and let it settle."""
    await page.add_init_script(stored_tokens(ha))
    await page.goto(f"{ha.base_url}{path}", wait_until="networkidle", timeout=120_000)
    await page.wait_for_timeout(6_000)  # charts animate in


async def connected(page: Page, ready: str) -> bool:
    """Tell whether the page shows Home Assistant (and, if given, an element of `ready`)."""
    if await page.get_by_text("Unable to connect").count():
        return False
    return not ready or await page.locator(ready).count() > 0


async def shoot(
    ha: HomeAssistant, target: Path, path: str, clock: datetime, *, height: int, fit: str = ""
) -> None:
    """Save one frontend page as PNG, the browser's clock set to `clock`.

    With `fit`, a tall page is cut below the last element matching that CSS selector.
    """
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            for attempt in itertools.count(1):
                context = await browser.new_context(
                    viewport={"width": WIDTH, "height": height},
                    locale="en-GB",
                    timezone_id=str(TIME_ZONE),
                    color_scheme="light",
                )
                page = await context.new_page()
                # The browser lives at Home Assistant's (simulated) time; it keeps running,
                # so charts still animate in.
                await page.clock.install(time=clock)
                await open_page(page, ha, path)
                if await connected(page, fit):
                    break
                # On the fast clock the websocket's 10 s to authenticate (and its heartbeat)
                # are a fraction of a real second: a busy browser can miss them.
                if attempt == CONNECT_ATTEMPTS:
                    raise RuntimeError(f"{path}: the frontend did not connect")
                log(f"{path}: the frontend did not connect, again ({attempt})")
                await context.close()
            clip = None
            if fit:
                boxes = [await element.bounding_box() for element in await page.locator(fit).all()]
                bottom = max((box["y"] + box["height"] for box in boxes if box), default=height)
                clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(height, bottom + 24)}
            await page.screenshot(path=str(target), clip=clip)
            log(f"saved {target}")
        finally:
            await browser.close()


async def run(args: argparse.Namespace) -> None:
    """Start everything, wait for the day, take the pictures, stop everything."""
    work = Path(tempfile.mkdtemp(prefix="senec-screenshots-"))
    day_start = datetime.combine(args.date, datetime.min.time(), TIME_ZONE)
    day_end = day_start + timedelta(hours=args.hours)
    port = free_port()
    config_dir = make_config_dir(work / "config", port)
    processes = []
    try:
        # 1. The evening before, at normal speed: onboarding, as a user would in the browser.
        hass = start_hass(
            config_dir,
            work / "hass-onboarding.log",
            env=faketime_env(day_start - timedelta(hours=1), 1),
        )
        processes.append(hass)
        async with HomeAssistant(port, hass) as ha:
            await onboard(ha, "screenshots")
            tokens = (ha.token, ha.refresh_token)
        hass.stop(timeout=60)
        # 2. From midnight on, Home Assistant and the appliance at `rate` times real time.
        simulator, sim_host = start_simulator(
            work / "simulator.log",
            speed=args.rate,
            start=day_start.isoformat(),
            # A car charging from the solar surplus at midday: the device page shows the
            # wallbox at work.
            wallbox="surplus",
            python=str(HASS_VENV / "bin" / "python"),
        )
        processes.append(simulator)
        hass = start_hass(config_dir, work / "hass.log", env=faketime_env(day_start, args.rate))
        processes.append(hass)
        log(f"Home Assistant at {args.rate:g}x from {day_start:%Y-%m-%d %H:%M %Z}, logs in {work}")
        async with HomeAssistant(port, hass) as ha:
            ha.token, ha.refresh_token = tokens
            info = await add_appliance(ha, sim_host)
            clock_entity = info["ids"]["house_energy"]  # the house always uses power
            device_at = day_start + min(DEVICE_AT, timedelta(hours=args.hours))
            await wait_for_day(ha, clock_entity, device_at, args.rate)
            await ha.rest("POST", "/api/services/persistent_notification/dismiss_all", {})
            await shoot(
                ha,
                args.out / "device.png",
                f"/config/devices/device/{info['device_id']}",
                await fake_now(ha, clock_entity),
                height=2000,
                fit="ha-device-entities-card, ha-device-info-card",
            )
            # The last hour's statistics are compiled a few minutes after it ends.
            await wait_for_day(ha, clock_entity, day_end + timedelta(minutes=12), args.rate)
            await check_statistics(ha, info["ids"], day_start, args.hours)
            await ha.rest("POST", "/api/services/persistent_notification/dismiss_all", {})
            # The browser's clock at the end of the day: "today" on the dashboard is that day.
            await shoot(
                ha, args.out / "energy.png", "/energy", day_end - timedelta(minutes=1), height=1000
            )
    finally:
        for process in reversed(processes):
            process.stop(timeout=60)
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rate", type=float, default=90, help="how much faster the clocks run (default: 90)"
    )
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=date(2026, 6, 21),
        help="the simulated day (default: 2026-06-21, midsummer)",
    )
    parser.add_argument(
        "--hours", type=float, default=24, help="simulated hours from midnight (default: 24)"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "images", help="where the PNGs go"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DB)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
