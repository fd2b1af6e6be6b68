"""What the integration costs in a real Home Assistant, and what it costs the appliance.

Run by `scripts/bench` after the decode and poll comparison (or alone, with `.venv`'s Python:
`scripts/bench_hass.py --polls 30 --intervals 10 30`). Not part of the test suite.

A real Home Assistant (`.venv-hass`, the release users run, with the dev configuration and its
recorder) and the simulator (real time, a sunny morning) run as separate processes; between
them a counting TCP proxy sees every byte on the wire. First Home Assistant runs without the
integration, for as long as the longest run below: its own CPU time per second is the
baseline. Then the appliance is added through the config flow, and for each poll interval
(set through the options flow) the integration runs a fixed number of polls. The window of a
run starts and ends half an interval after a poll, so it holds exactly that many polls and
their work. Per poll it prints:

- requests, and the bytes of request and answer bodies (the simulator counts them);
- bytes on the wire both ways, TLS records and headers included (the proxy);
- TLS handshakes per hour (new connections through the proxy: the appliance speaks HTTPS);
- state writes: new states Home Assistant recorded for the integration's entities (a value
  that did not change only refreshes the state's `last_reported`, which is not recorded);
- Home Assistant's CPU time (the `hass` process, from /proc) minus the baseline's;
- the memory added: the resident memory at the end of the run minus at the end of the baseline.

`--integration DIR` measures another copy of the integration (an older version, say) against
the same simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.fastclock import add_appliance, onboard  # noqa: E402
from tests.e2e.stack import (  # noqa: E402
    DOMAIN,
    LOOPBACK,
    HomeAssistant,
    Process,
    ensure_hass_venv,
    free_port,
    in_work_folder,
    make_config_dir,
    rss_kib,
    start_hass,
    start_simulator,
)

#: A sunny morning: every power flow moves, as on most days people look at.
SIM_START = "2026-06-21T07:00:00+00:00"
#: Time Home Assistant gets after its start before anything is measured (s).
SETTLE_S = 60.0
#: How often the driver looks whether the appliance was polled (s).
LOOK_S = 0.1


def log(message: str) -> None:
    """Print progress."""
    print(f"bench: {message}", flush=True)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat (utime, stime), counted after the command's closing parenthesis.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """Return the machine's load averages (1, 5, 15 minutes)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@dataclass
class Wire:
    """What one direction of the proxy carried."""

    up: int = 0  # Home Assistant -> appliance
    down: int = 0  # appliance -> Home Assistant
    connections: int = 0


class CountingProxy:
    """A TCP proxy on 127.0.0.1 that counts connections and bytes both ways."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.wire = Wire()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> str:
        """Listen on a free port; return the host:port to give Home Assistant."""
        self._server = await asyncio.start_server(self._serve, LOOPBACK, 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"{LOOPBACK}:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Connect to the appliance and pump both ways until either side closes."""
        self.wire.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(LOOPBACK, self.upstream_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._pump(reader, up_writer, "up"), self._pump(up_reader, writer, "down")
        )

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: str
    ) -> None:
        """Copy one direction, counting the bytes."""
        try:
            while chunk := await reader.read(65536):
                setattr(self.wire, direction, getattr(self.wire, direction) + len(chunk))
                writer.write(chunk)
                await writer.drain()
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                writer.close()

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()


@dataclass
class Sample:
    """Everything counted, at one moment."""

    at: float  # wall clock (unix s): the recorder's time stamps are Home Assistant's wall clock
    cpu: float
    rss_kib: int
    requests: int
    request_bytes: int
    answer_bytes: int
    lala_connections: int
    wire: Wire = field(default_factory=Wire)


class Bench:
    """The processes and counters of one benchmark run."""

    def __init__(self, hass: Process, proxy: CountingProxy, sim_url: str, db: Path) -> None:
        self.hass = hass
        self.proxy = proxy
        self.sim_url = sim_url
        self.db = db
        # Its own connection, straight to the simulator: never counted by the proxy.
        self.control = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))

    async def sim_state(self) -> dict[str, Any]:
        """Return the simulator's counts."""
        async with self.control.get(f"{self.sim_url}/_sim/state", ssl=False) as response:
            response.raise_for_status()
            result: dict[str, Any] = await response.json()
            return result

    async def sample(self) -> Sample:
        """Count everything now."""
        state = await self.sim_state()
        pid = self.hass.popen.pid
        wire = self.proxy.wire
        return Sample(
            at=time.time(),
            cpu=cpu_seconds(pid),
            rss_kib=rss_kib(pid),
            requests=state["request_count"],
            request_bytes=state["request_body_bytes"],
            answer_bytes=state["answer_body_bytes"],
            lala_connections=state["connections"],
            wire=Wire(wire.up, wire.down, wire.connections),
        )

    async def next_poll(self) -> int:
        """Wait for the next request to the appliance; return the request count after it."""
        before = (await self.sim_state())["request_count"]
        while (count := (await self.sim_state())["request_count"]) == before:
            self.hass.check_running()
            await asyncio.sleep(LOOK_S)
        return int(count)

    async def window(self, seconds: float) -> tuple[Sample, Sample]:
        """Sample, let `seconds` pass, sample again."""
        start = await self.sample()
        await asyncio.sleep(seconds)
        self.hass.check_running()
        return start, await self.sample()

    async def polls(self, interval: float, polls: int) -> tuple[Sample, Sample]:
        """Measure `polls` polls: from half an interval after one poll to as long after another."""
        await self.next_poll()
        await asyncio.sleep(interval / 2)
        start, end = await self.window(interval * polls)
        if end.requests - start.requests != polls:
            log(f"{end.requests - start.requests} requests in the window of {polls} polls")
        return start, end

    def state_writes(self, entity_ids: list[str], start: float, end: float) -> int:
        """Count the states recorded for `entity_ids` between two moments."""
        marks = ",".join("?" * len(entity_ids))
        query = (
            "SELECT COUNT(*) FROM states s JOIN states_meta m ON s.metadata_id = m.metadata_id "
            f"WHERE m.entity_id IN ({marks}) AND s.last_updated_ts > ? AND s.last_updated_ts <= ?"
        )
        with contextlib.closing(
            sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=60)
        ) as db:
            (count,) = db.execute(query, (*entity_ids, start, end)).fetchone()
        return int(count)

    async def close(self) -> None:
        """Close the control session."""
        await self.control.close()


@dataclass
class Row:
    """The per-poll figures of one run."""

    interval: float
    polls: int
    requests: float
    request_bytes: float
    answer_bytes: float
    wire_up: float
    wire_down: float
    handshakes_per_hour: float
    state_writes: float
    cpu_ms: float
    memory_mib: float


def row(
    interval: float,
    polls: int,
    run: tuple[Sample, Sample],
    *,
    writes: int,
    base_rate: float,
    base_rss: int,
) -> Row:
    """Turn a run's two samples into per-poll figures."""
    start, end = run
    seconds = end.at - start.at
    cpu = end.cpu - start.cpu - base_rate * seconds
    return Row(
        interval=interval,
        polls=polls,
        requests=(end.requests - start.requests) / polls,
        request_bytes=(end.request_bytes - start.request_bytes) / polls,
        answer_bytes=(end.answer_bytes - start.answer_bytes) / polls,
        wire_up=(end.wire.up - start.wire.up) / polls,
        wire_down=(end.wire.down - start.wire.down) / polls,
        handshakes_per_hour=(end.wire.connections - start.wire.connections) / seconds * 3600,
        state_writes=writes / polls,
        cpu_ms=cpu * 1000 / polls,
        memory_mib=(end.rss_kib - base_rss) / 1024,
    )


def print_table(rows: list[Row], base_rate: float, base_rss: int, entities: int) -> None:
    """Print the figures."""
    print(
        f"\nHome Assistant without the integration: {base_rate * 1000:.1f} ms CPU per second, "
        f"{base_rss / 1024:.1f} MiB resident. With it: {entities} entities enabled.\n"
        "Per poll (HA CPU: minus the baseline; memory: added to the baseline's):"
    )
    print(
        f"{'interval':>8} {'polls':>5} {'requests':>8} {'request B':>9} {'answer B':>8} "
        f"{'wire up B':>9} {'wire down B':>11} {'TLS/h':>6} {'writes':>6} "
        f"{'HA CPU ms':>9} {'memory MiB':>10}"
    )
    for r in rows:
        print(
            f"{r.interval:>7.0f}s {r.polls:>5} {r.requests:>8.2f} {r.request_bytes:>9.0f} "
            f"{r.answer_bytes:>8.0f} {r.wire_up:>9.0f} {r.wire_down:>11.0f} "
            f"{r.handshakes_per_hour:>6.1f} {r.state_writes:>6.1f} {r.cpu_ms:>9.2f} "
            f"{r.memory_mib:>+10.1f}"
        )


def use_integration(config_dir: Path, folder: Path) -> None:
    """Put another copy of the integration into the configuration (instead of the link)."""
    target = config_dir / "custom_components" / DOMAIN
    if target.is_symlink() or target.is_file():
        target.unlink()
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__"))


async def run(args: argparse.Namespace, work: Path) -> None:
    """Start everything, measure, stop everything."""
    ensure_hass_venv()
    http_port = free_port()
    config_dir = make_config_dir(work / "config", http_port)
    if args.integration is not None:
        use_integration(config_dir, args.integration)
    processes: list[Process] = []
    proxy: CountingProxy | None = None
    try:
        simulator, sim_host = start_simulator(
            work / "simulator.log", speed=1, start=SIM_START, profile=args.profile
        )
        processes.append(simulator)
        scheme = "http" if args.profile == "legacy" else "https"
        proxy = CountingProxy(int(sim_host.rsplit(":", 1)[1]))
        proxy_host = await proxy.start()
        hass = start_hass(config_dir, work / "hass.log")
        processes.append(hass)
        bench = Bench(hass, proxy, f"{scheme}://{sim_host}", config_dir / "home-assistant_v2.db")
        async with HomeAssistant(http_port, hass) as ha:
            await onboard(ha, "bench")
            log(f"Home Assistant is up; settling for {SETTLE_S:.0f} s (load {load_average()})")
            await asyncio.sleep(SETTLE_S)
            longest = max(args.intervals) * args.polls
            log(f"baseline: Home Assistant without the integration for {longest:.0f} s")
            base = await bench.window(longest)
            base_rate = (base[1].cpu - base[0].cpu) / (base[1].at - base[0].at)
            base_rss = base[1].rss_kib
            ids = (await add_appliance(ha, proxy_host, energy=False))["ids"]
            (entry,) = [
                e
                for e in await ha.rest("GET", "/api/config/config_entries/entry")
                if e["domain"] == DOMAIN
            ]
            enabled = [
                state
                for entity_id, state in (await ha.states()).items()
                if entity_id in set(ids.values())
            ]
            rows = []
            for interval in args.intervals:
                await ha.set_options(entry["entry_id"], {"scan_interval": interval})
                await bench.next_poll()  # the entry reloaded and polls at the new interval
                log(f"{args.polls} polls at {interval:g} s (load {load_average()})")
                samples = await bench.polls(interval, args.polls)
                await asyncio.sleep(2)  # the recorder commits every second
                writes = bench.state_writes(list(ids.values()), samples[0].at, samples[1].at)
                rows.append(
                    row(
                        interval,
                        args.polls,
                        samples,
                        writes=writes,
                        base_rate=base_rate,
                        base_rss=base_rss,
                    )
                )
            await bench.close()
        log(f"done (load {load_average()})")
        print_table(rows, base_rate, base_rss, len(enabled))
    finally:
        if proxy is not None:
            await proxy.close()
        for process in reversed(processes):
            process.stop(timeout=60)


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--polls", type=int, default=30, help="polls measured per interval (default: 30)"
    )
    parser.add_argument(
        "--intervals",
        type=float,
        nargs="+",
        default=[10.0, 30.0],
        help="poll intervals in seconds, each a run of its own (default: 10 30)",
    )
    parser.add_argument(
        "--profile",
        default="v3-0826",
        choices=("legacy", "v3-0826", "v3-npu2411"),
        help="the simulated firmware (default: v3-0826)",
    )
    parser.add_argument(
        "--integration",
        type=Path,
        help="the integration folder to measure (default: this repository's)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DB)")
    args = parser.parse_args()
    if args.polls < 1:
        parser.error("--polls must be at least 1")
    in_work_folder("senec-bench-", lambda work: run(args, work), keep=args.keep, say=log)


if __name__ == "__main__":
    main()
