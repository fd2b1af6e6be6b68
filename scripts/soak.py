"""The soak run: a simulated week of a real Home Assistant polling a glitching appliance.

Run by `scripts/soak` (which installs libfaketime and `.venv-hass`); not part of the test
suite. Home Assistant (`.venv-hass`, the release users run, with the dev configuration and
its recorder, keeping Home Assistant's default 10 days of history unless `--keep-days` says
otherwise) and the simulator run on clocks `--rate` times faster than real time, as in
`scripts/screenshots`, so a week at the default poll interval of 10 s passes in
7 days / rate. Meanwhile the appliance misbehaves at random (seeded):

- single glitches, about one poll in ten: malformed, truncated or empty JSON, HTTP 500 or
  504 (nginx's HTML error page), a reset connection, one request that hangs past the
  client's timeout. Never two requests in a row: each is one glitch to ride out;
- real outages: a few hangs of minutes, and one reboot (the port refuses connections).

At the end it prints what a user would care about: polls, faults injected, outages
declared, unavailable transitions, ERROR lines in Home Assistant's log, the resident memory
of the `hass` process, whether a total ever decreased, and each total's drift from the
simulator's ground truth. Nothing here touches Home Assistant's internals: states come over
its websocket API, memory from /proc, log lines from its console output. Only to say where
memory goes, a small probe component (`scripts/soak_probe`, in the soak's configuration only)
notes SQLite's, malloc's and Python's share once a simulated hour.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import random
import re
import shutil
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "scripts" / "soak_probe"
#: What the probe notes: SQLite's memory (the recorder's page caches and statements),
#: glibc's heap over all arenas in use and held free and its large allocations mapped on
#: their own, the blocks Python's allocator handed out, its arenas and the bytes in use in
#: them.
PROBED = (
    "sqlite_kib",
    "malloc_used_kib",
    "malloc_free_kib",
    "malloc_mmap_kib",
    "python_blocks",
    "python_arenas_kib",
    "python_used_kib",
)
sys.path.insert(0, str(ROOT))

from tests.e2e.fastclock import add_appliance, fake_now, faketime_env, onboard  # noqa: E402
from tests.e2e.stack import (  # noqa: E402
    TOTALS,
    HomeAssistant,
    Process,
    free_port,
    in_work_folder,
    make_config_dir,
    rss_kib,
    start_hass,
    start_simulator,
)

TIME_ZONE = ZoneInfo("Europe/Berlin")  # as in config/configuration.yaml
POLL_S = 10  # the integration's default poll interval
#: Gaps between answers longer than this (five intervals) are not integrated, by design.
BRIDGED_S = 5 * POLL_S
CLIENT_TIMEOUT_S = 10  # the client's request timeout (simulated seconds)
#: One glitch per this many simulated seconds on average: about one poll in ten.
GLITCH_EVERY_S = 100
#: Single glitches, as the simulator names them ("timeout": one request hangs).
GLITCHES = ("malformed", "truncated", "empty", "http_500", "http_504", "reset", "timeout")
#: Real outages: (kind, simulated seconds) - a reboot of a few minutes and three hangs.
OUTAGES = (("reboot", 240), ("hang", 120), ("hang", 300), ("hang", 900))
#: Total key -> the simulator's ground-truth counter (`since_start`).
TRUTH = {
    "grid_imported_energy": "grid_imported",
    "grid_exported_energy": "grid_exported",
    "solar_energy": "pv_generated",
    "battery_charged_energy": "battery_charged",
    "battery_discharged_energy": "battery_discharged",
    "house_energy": "house_consumed",
}
#: Drift is judged once the truth of a total has passed this much (kWh). Below it, one
#: kettle's worth of grid import decides the percentage: sampling a flow of 0.13 kWh every
#: 10 s instead of every second is off by up to 3 % by itself.
DRIFT_FLOOR_KWH = 1.0
#: Watched for availability (every entity of the appliance flips together).
AVAILABILITY = "house_power"
_LOG_LINE = re.compile(
    r"^(?P<time>\S+ \S+) (?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] (?P<text>.*)"
)


def log(message: str) -> None:
    """Print progress."""
    print(f"soak: {message}", flush=True)


def probe_sample(config_dir: Path) -> dict[str, float]:
    """Return the probe's latest sample (at most a simulated hour old), or {} before one."""
    try:
        lines = (config_dir / "soak-probe.jsonl").read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    for line in reversed(lines):
        with contextlib.suppress(ValueError):
            return {k: float(v) for k, v in json.loads(line).items() if k != "time"}
    return {}


def add_probe(config_dir: Path) -> None:
    """Put the memory probe into the soak's Home Assistant (see scripts/soak_probe)."""
    shutil.copytree(
        PROBE,
        config_dir / "custom_components" / PROBE.name,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    with (config_dir / "configuration.yaml").open("a", encoding="utf-8") as file:
        file.write(f"\n# The soak run's memory probe (scripts/soak_probe).\n{PROBE.name}:\n")


def set_keep_days(config_dir: Path, days: int) -> None:
    """Make the soak's recorder keep `days` of history (the dev configuration keeps 3).

    What the recorder keeps decides what the nightly purge deletes, and with it how SQLite's
    memory moves: with Home Assistant's default of 10 days (what most installations run) a
    week's purges delete nothing yet.
    """
    path = config_dir / "configuration.yaml"
    text, count = re.subn(
        r"^(\s*purge_keep_days:) *\d+ *$",
        rf"\g<1> {days}",
        path.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    if count != 1:
        raise RuntimeError(f"no single purge_keep_days in {path}")
    path.write_text(text, encoding="utf-8")


def db_mib(db: Path) -> float:
    """Return the size of the recorder's database with its write-ahead log (MiB)."""
    return sum(path.stat().st_size for path in db.parent.glob(f"{db.name}*")) / 2**20


async def sample_memory(
    pid: int, db: Path, elapsed: Callable[[], float], rate: float, into: list[str]
) -> None:
    """Note the resident memory, the database size and the probe's latest sample (see
    scripts/soak_probe) once a simulated hour, as CSV rows.
    """
    into.append("hour,rss_kib,db_mib," + ",".join(PROBED))
    while True:
        probe = probe_sample(db.parent)
        into.append(
            f"{elapsed() / 3600:.2f},{rss_kib(pid)},{db_mib(db):.1f},"
            + ",".join(f"{probe[key]:.0f}" if key in probe else "" for key in PROBED)
        )
        await asyncio.sleep(3600 / rate)


class Appliance:
    """The simulator's control endpoint (never subject to faults; gone during a reboot)."""

    def __init__(self, host: str) -> None:
        self.base = f"https://{host}/_sim"
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))

    async def call(self, method: str, path: str, payload: Any = None) -> Any:
        """Call one control route; return its JSON."""
        async with self.session.request(
            method, f"{self.base}/{path}", json=payload, ssl=False
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def state(self) -> dict[str, Any]:
        """Return the truth, the request count and the active faults."""
        result: dict[str, Any] = await self.call("GET", "state")
        return result

    async def wait_back(self, within: float) -> None:
        """Wait until the control endpoint answers again (after a reboot)."""
        deadline = time.monotonic() + within
        while True:
            try:
                await self.state()
            except (aiohttp.ClientError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)
            else:
                return

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.session.close()


@dataclass
class History:
    """What Home Assistant recorded, state change by state change, read from its database.

    Read once a simulated day: the dev configuration keeps three days of history.
    """

    db: Path
    ids: dict[str, str]
    seen_up_to: int = 0
    last: dict[str, float] = field(default_factory=dict)
    decreases: list[str] = field(default_factory=list)
    unavailable_at: list[float] = field(default_factory=list)
    changes: int = 0
    available: bool = True

    def read(self) -> None:
        """Take every state recorded since the last read, in the order they were written."""
        watched = [self.ids[key] for key in (*TOTALS, AVAILABILITY)]
        marks = ",".join("?" * len(watched))
        query = (
            "SELECT s.state_id, m.entity_id, s.state, s.last_updated_ts FROM states s "
            "JOIN states_meta m ON s.metadata_id = m.metadata_id "
            f"WHERE s.state_id > ? AND m.entity_id IN ({marks}) ORDER BY s.state_id"
        )
        with contextlib.closing(
            sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=60)
        ) as db:
            rows = db.execute(query, (self.seen_up_to, *watched)).fetchall()
        for state_id, entity_id, state, when in rows:
            self.seen_up_to = state_id
            self.see(entity_id, state, when)

    def hourly_decreases(self) -> list[str]:
        """Check the recorder's hourly statistics of the totals (never purged) for decreases."""
        found = []
        with contextlib.closing(
            sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=60)
        ) as db:
            for key in TOTALS:
                rows = db.execute(
                    "SELECT s.state, s.sum FROM statistics s JOIN statistics_meta m "
                    "ON s.metadata_id = m.id WHERE m.statistic_id = ? ORDER BY s.start_ts",
                    (self.ids[key],),
                ).fetchall()
                found += [
                    f"{key} hourly: {before} -> {after}"
                    for before, after in itertools.pairwise(rows)
                    if None not in (*before, *after)
                    and (after[0] < before[0] or after[1] < before[1])
                ]
        return found

    def see(self, entity_id: str, state: str, when: float) -> None:
        """Take one state of one entity."""
        self.changes += 1
        if entity_id == self.ids[AVAILABILITY]:
            if state == "unavailable" and self.available:
                self.unavailable_at.append(when)
            self.available = state != "unavailable"
        if entity_id == self.ids[AVAILABILITY]:
            return  # a power: it goes up and down
        try:
            value = float(state)
        except ValueError:
            return
        previous = self.last.get(entity_id)
        if previous is not None and value < previous:
            self.decreases.append(f"{entity_id}: {previous} -> {value}")
        self.last[entity_id] = value


@dataclass
class Faults:
    """The random misbehaviour: planned in simulated seconds from the start of the week."""

    rate: float
    week_s: float
    rng: random.Random
    injected: Counter[str] = field(default_factory=Counter)
    outages: list[tuple[str, float, float]] = field(default_factory=list)
    origin: float = 0.0  # Home Assistant's unix time at the start of the week

    def during_outage(self, ha_time: float) -> bool:
        """Tell whether a moment of Home Assistant's clock falls into a real outage."""
        now = ha_time - self.origin
        return any(
            at - 3 * POLL_S <= now <= at + seconds + 3 * POLL_S for _, at, seconds in self.outages
        )

    def plan(self) -> None:
        """Spread the real outages over the week, at least half a day apart."""
        halves = range(1, int(self.week_s // 43200))
        slots = self.rng.sample(halves, min(len(OUTAGES), len(halves)))
        for (kind, seconds), slot in zip(OUTAGES, sorted(slots), strict=False):
            self.outages.append((kind, slot * 43200 + self.rng.uniform(0, 36000), seconds))
        self.outages.sort(key=lambda outage: outage[1])

    def in_outage(self, now: float) -> bool:
        """Tell whether `now` falls into an outage (or the minute after it)."""
        return any(at <= now <= at + seconds + 60 for _, at, seconds in self.outages)

    async def run(self, sim: Appliance, elapsed: Callable[[], float]) -> None:
        """Inject glitches and outages until the week is over."""
        next_glitch = self.rng.expovariate(1 / GLITCH_EVERY_S)
        last_count = -10
        pending = list(self.outages)
        while (now := elapsed()) < self.week_s:
            if pending and now >= pending[0][1]:
                kind, _, seconds = pending.pop(0)
                await self._outage(sim, kind, seconds)
                next_glitch = elapsed() + 60  # let it come back before the next glitch
                continue
            if now < next_glitch:
                wait = min(next_glitch, pending[0][1] if pending else self.week_s) - now
                await asyncio.sleep(min(wait / self.rate, 0.5))
                continue
            state = await sim.state()
            # Single glitches only: the previous one is used up and a clean request followed.
            if state["faults"] or state["request_count"] < last_count + 3:
                await asyncio.sleep(POLL_S / 4 / self.rate)
                continue
            kind = self.rng.choice(GLITCHES)
            if kind == "timeout":
                hang = 3 * CLIENT_TIMEOUT_S / self.rate
                await sim.call("POST", "fault", {"fault": "hang", "count": 1, "seconds": hang})
            else:
                await sim.call("POST", "fault", {"fault": kind, "count": 1})
            self.injected[kind] += 1
            last_count = state["request_count"]
            next_glitch = elapsed() + self.rng.expovariate(1 / GLITCH_EVERY_S)

    async def _outage(self, sim: Appliance, kind: str, seconds: float) -> None:
        """One real outage: the appliance hangs, or reboots, for `seconds` simulated."""
        real = seconds / self.rate
        log(f"outage: {kind} for {seconds:.0f} s")
        if kind == "hang":
            await sim.call("POST", "fault", {"fault": "hang", "seconds": real + 1})
            await asyncio.sleep(real)
            await sim.call("POST", "clear")
        else:
            await sim.call("POST", "reboot", {"seconds": real})
            await asyncio.sleep(real)
            await sim.wait_back(within=60)
        self.injected[f"outage: {kind}"] += 1


@dataclass
class Checkpoint:
    """Home Assistant and the simulator at one moment of the week."""

    day: float
    rss_kib: int
    db_mib: float  # the recorder's database with its write-ahead log
    probe: dict[str, float]  # the memory probe's latest sample (see scripts/soak_probe)
    totals: dict[str, float]
    truth: dict[str, float]


async def checkpoint(
    ha: HomeAssistant,
    sim: Appliance,
    ids: dict[str, str],
    faults: Faults,
    elapsed: Callable[[], float],
    *,
    db: Path,
) -> Checkpoint:
    """Read memory, the six totals and the ground truth, as close together as possible.

    Never during an outage (the totals are unavailable then, and the simulator may be down).
    """
    while True:
        if not faults.in_outage(elapsed()):
            states = await ha.states()
            values = [states[ids[key]]["state"] for key in TOTALS]
            if "unavailable" not in values:
                break
        await asyncio.sleep(0.01)
    state = await sim.state()
    assert ha.process is not None
    return Checkpoint(
        day=elapsed() / 86400,
        rss_kib=rss_kib(ha.process.popen.pid),
        db_mib=db_mib(db),
        probe=probe_sample(db.parent),
        totals={key: float(value) for key, value in zip(TOTALS, values, strict=True)},
        truth={key: float(state["since_start"][name]) for key, name in TRUTH.items()},
    )


def drift(start: Checkpoint, now: Checkpoint) -> dict[str, float]:
    """Return each total's growth relative to the truth's since `start`, minus one.

    NaN while the truth is below :data:`DRIFT_FLOOR_KWH`.
    """
    result = {}
    for key in TOTALS:
        truth = now.truth[key] - start.truth[key]
        shown = now.totals[key] - start.totals[key]
        result[key] = shown / truth - 1 if truth >= DRIFT_FLOOR_KWH else float("nan")
    return result


def read_log(path: Path, faults: Faults) -> dict[str, Any]:
    """Count what Home Assistant logged: polls, glitches, outages, recoveries, errors.

    The integration's ERROR lines are sorted into those during a real outage and others.
    """
    polls = Counter[bool]()
    retries = recoveries = 0
    unbridged = 0.0  # seconds between successful polls too far apart to be bridged
    last_success: float | None = None
    errors: list[str] = []
    ours = Counter[bool]()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LOG_LINE.match(line)
        if match is None:
            continue
        level, logger, text = match["level"], match["logger"], match["text"]
        if not logger.startswith("custom_components.senec_home"):
            if level == "ERROR":
                errors.append(f"[{logger}] {text}")
            continue
        if level == "ERROR":
            ours[faults.during_outage(datetime.fromisoformat(match["time"]).timestamp())] += 1
        if text.startswith("Finished fetching"):
            success = text.endswith("(success: True)")
            polls[success] += 1
            if success:
                when = datetime.fromisoformat(match["time"]).timestamp()
                if last_success is not None and when - last_success > BRIDGED_S:
                    unbridged += when - last_success
                last_success = when
        elif "asking once more" in text:
            retries += 1
        elif text.endswith("recovered"):
            recoveries += 1
    return {
        "polls": polls,
        "retries": retries,
        "recoveries": recoveries,
        "errors": errors,
        "ours": ours,
        "unbridged": unbridged,
    }


def report(
    *,
    args: argparse.Namespace,
    faults: Faults,
    history: History,
    points: list[Checkpoint],
    logged: dict[str, Any],
    requests: int,
    real_s: float,
) -> None:
    """Print the figures (and say whether each meets its target)."""
    start, day1, end = points[0], points[1], points[-1]
    polls = logged["polls"]
    expected = int(args.days * 86400 / POLL_S)
    glitches = sum(n for kind, n in faults.injected.items() if not kind.startswith("outage"))
    real_outages = sum(n for kind, n in faults.injected.items() if kind.startswith("outage"))
    ours = logged["ours"]
    growth = (end.rss_kib - day1.rss_kib) / 1024
    grew = {key: end.probe.get(key, math.nan) - day1.probe.get(key, math.nan) for key in PROBED}
    drifts = [drift(start, point) for point in points[1:]]
    # A total that has not yet moved past the floor (little grid import on a mild first
    # day) has no drift yet.
    worst = {
        key: max((abs(d[key]) for d in drifts if math.isfinite(d[key])), default=math.nan)
        for key in TOTALS
    }
    final = drift(start, end)
    flips = Counter(faults.during_outage(when) for when in history.unavailable_at)
    lines = [
        f"simulated      {args.days:g} days from {args.date} at {args.rate:g}x, "
        f"{real_s / 60:.1f} min real time; the recorder keeps {args.keep_days} days",
        f"polls          {polls[True] + polls[False]} (10 s apart: {expected}), "
        f"{polls[False]} failed; {requests} lala.cgi requests",
        f"faults         {glitches} single glitches: "
        + ", ".join(f"{k} {v}" for k, v in sorted(faults.injected.items()) if "outage" not in k),
        f"               {real_outages} real outages: "
        + ", ".join(f"{kind} {seconds:.0f} s" for kind, _, seconds in faults.outages),
        f"ridden out     {logged['retries']} retries (DEBUG lines)",
        f"outages        {len(history.unavailable_at)} unavailable transitions: "
        f"{flips[True]} in the real outages, {flips[False]} elsewhere; "
        f"{logged['recoveries']} recovered",
        f"ERROR lines    {ours[True] + ours[False]} of SENEC.Home ({ours[True]} in the real "
        f"outages, {ours[False]} elsewhere; target <= {real_outages}), "
        f"{len(logged['errors'])} of other parts of Home Assistant",
        f"memory (RSS)   {start.rss_kib / 1024:.1f} MiB at start, {day1.rss_kib / 1024:.1f} "
        f"after day 1, {end.rss_kib / 1024:.1f} at the end: {growth:+.1f} MiB after day 1 "
        "(target < 5)",
        f"  of which      SQLite {grew['sqlite_kib'] / 1024:+.1f} MiB (the recorder's page "
        "caches, at most 16 MiB per connection), malloc in use "
        f"{grew['malloc_used_kib'] / 1024:+.1f} MiB, free {grew['malloc_free_kib'] / 1024:+.1f}"
        f" MiB and mapped on its own {grew['malloc_mmap_kib'] / 1024:+.1f} MiB; Python's arenas "
        f"{grew['python_arenas_kib'] / 1024:+.1f} MiB, in use in them "
        f"{grew['python_used_kib'] / 1024:+.1f} MiB ({grew['python_blocks']:+.0f} blocks)",
        f"decreases      {len(history.decreases)} in {history.changes} recorded states of the "
        "totals and their hourly statistics"
        + (f": {history.decreases[:5]}" if history.decreases else ""),
        f"not integrated {logged['unbridged'] / 60:.1f} min in gaps over {BRIDGED_S} s between "
        f"answers ({100 * logged['unbridged'] / (args.days * 86400):.2f} % of the time)",
        "drift          max |drift| over the daily checkpoints (each once its truth passed "
        f"{DRIFT_FLOOR_KWH:g} kWh), and at the end (target < 1 %):",
    ]
    lines += [
        f"  {key:27s} {100 * worst[key]:6.3f} %  end {100 * final[key]:+7.3f} %  "
        f"({end.totals[key] - start.totals[key]:8.2f} kWh)"
        for key in TOTALS
    ]
    lines.append("drift by day   (shown / truth - 1, truth since the start in kWh)")
    lines += [
        f"  day {point.day:4.2f}  "
        + "  ".join(
            f"{100 * (point.totals[key] - start.totals[key]) / truth - 100:+6.2f}% of {truth:6.2f}"
            if (truth := point.truth[key] - start.truth[key]) > 0
            else "     -"
            for key in TOTALS
        )
        for point in points[1:]
    ]
    others = Counter(logged["errors"])
    lines += [f"  other ERROR: {n}x {text[:160]}" for text, n in others.most_common(5)]
    lines += [
        "memory by day (MiB): " + ", ".join(f"{p.rss_kib / 1024:.1f}" for p in points),
        "database by day (MiB): " + ", ".join(f"{p.db_mib:.0f}" for p in points),
    ]
    ok = (
        ours[True] + ours[False] <= real_outages
        and growth < 5
        and not history.decreases
        and all(value < 0.01 for value in worst.values() if math.isfinite(value))
    )
    lines.append(f"targets        {'all met' if ok else 'NOT MET'}")
    print("\n".join(lines), flush=True)


async def soak(args: argparse.Namespace, work: Path) -> None:
    """Start everything, let the week pass, collect the figures, stop everything."""
    week_start = datetime.combine(args.date, datetime.min.time(), TIME_ZONE)
    week_s = args.days * 86400
    port = free_port()
    config_dir = make_config_dir(work / "config", port)
    add_probe(config_dir)
    set_keep_days(config_dir, args.keep_days)
    processes: list[Process] = []
    try:
        # 1. Onboarding at normal speed, as a user would (tokens outlive the fast week).
        hass = start_hass(config_dir, work / "hass-onboarding.log", env=faketime_env(week_start, 1))
        processes.append(hass)
        async with HomeAssistant(port, hass) as ha:
            await onboard(ha, "soak", lifespan_days=int(args.days) + 30)
            tokens = (ha.token, ha.refresh_token)
        hass.stop(timeout=60)
        # 2. Both clocks at `rate` from the same moment on.
        simulator, sim_host = start_simulator(
            work / "simulator.log",
            speed=args.rate,
            start=week_start.isoformat(),
            profile=args.profile,
        )
        processes.append(simulator)
        hass = start_hass(
            config_dir,
            work / "hass.log",
            env=faketime_env(week_start, args.rate),
        )
        processes.append(hass)
        sim = Appliance(sim_host)
        async with HomeAssistant(port, hass) as ha:
            ha.token, ha.refresh_token = tokens
            # Without the Energy dashboard: on this fast a clock its set-up does not finish
            # in time, and the measurements here do not need it.
            ids = (await add_appliance(ha, sim_host, energy=False))["ids"]
            log(f"Home Assistant and a {args.profile} simulator at {args.rate:g}x, logs in {work}")
            real_start = time.monotonic()

            def elapsed() -> float:
                return float((time.monotonic() - real_start) * args.rate)

            history = History(config_dir / "home-assistant_v2.db", ids)
            faults = Faults(args.rate, week_s, random.Random(args.seed))
            faults.plan()
            injector = asyncio.create_task(faults.run(sim, elapsed))
            memory: list[str] = []
            sampler = asyncio.create_task(
                sample_memory(hass.popen.pid, history.db, elapsed, args.rate, memory)
            )
            # Home Assistant's time of the last poll, as an offset to the week's seconds.
            faults.origin = (await fake_now(ha, ids["house_energy"])).timestamp() - elapsed()
            points = [await checkpoint(ha, sim, ids, faults, elapsed, db=history.db)]
            for day in range(1, int(args.days) + 1):
                while elapsed() < day * 86400 and not injector.done():
                    await asyncio.sleep(min(5.0, (day * 86400 - elapsed()) / args.rate + 0.01))
                    hass.check_running()
                if injector.done() and injector.exception():
                    raise RuntimeError("fault injection failed") from injector.exception()
                points.append(await checkpoint(ha, sim, ids, faults, elapsed, db=history.db))
                history.read()
                p = points[-1]
                log(
                    f"day {day}: RSS {p.rss_kib / 1024:.1f} MiB, polls so far "
                    f"{sum(read_log(hass.log, faults)['polls'].values())}, "
                    f"unavailable {len(history.unavailable_at)}x, drift "
                    + ", ".join(f"{100 * v:+.2f}%" for v in drift(points[0], p).values())
                )
            await injector
            sampler.cancel()
            (work / "memory.csv").write_text("\n".join(memory) + "\n", encoding="utf-8")
            requests = int((await sim.state())["request_count"])
            real_s = time.monotonic() - real_start
            # Read the log before stopping: on the fast clock Home Assistant's shutdown
            # stages time out within milliseconds, and the recorder complains about that.
            logged = read_log(hass.log, faults)
            history.decreases += history.hourly_decreases()
        await sim.close()
        hass.stop(timeout=120)
        report(
            args=args,
            faults=faults,
            history=history,
            points=points,
            logged=logged,
            requests=requests,
            real_s=real_s,
        )
    finally:
        for process in reversed(processes):
            process.stop(timeout=60)


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rate", type=float, default=120, help="how much faster the clocks run (default: 120)"
    )
    parser.add_argument("--days", type=float, default=7, help="simulated days (default: 7)")
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=date(2026, 11, 16),
        help="the first simulated day (default: 2026-11-16, late autumn: every flow is a "
        "few kWh or more, import and export included)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the faults (default: 1)")
    parser.add_argument(
        "--profile",
        default="v3-0826",
        choices=("legacy", "v3-0826", "v3-npu2411"),
        help="the simulated firmware (default: v3-0826, totals integrated by the integration)",
    )
    parser.add_argument(
        "--keep-days",
        type=int,
        default=10,
        help="days of history the recorder keeps (default: 10, Home Assistant's default and "
        "what most installations run; the dev configuration keeps 3)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DB)")
    args = parser.parse_args()
    if args.keep_days < 1:
        parser.error("--keep-days must be at least 1 (the recorder's own minimum)")
    if args.days < 1:
        parser.error("--days must be at least 1 (memory is judged after the first day)")
    in_work_folder("senec-soak-", lambda work: soak(args, work), keep=args.keep, say=log)


if __name__ == "__main__":
    main()
