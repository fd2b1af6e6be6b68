"""Command line: run a simulated SENEC.Home appliance until Ctrl+C (or SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from .faults import Fault
from .firmware import DEFAULT_RESTART_S
from .profiles import Profile
from .server import Simulator
from .wallbox import Wallbox

_FAULT_NAMES = ", ".join(f.value for f in Fault)


def _start_time(text: str) -> datetime:
    """Parse `--start`: `now` or an ISO 8601 time (without a zone it is taken as UTC)."""
    if text == "now":
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not 'now' or an ISO 8601 time: {text!r}") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _fault(text: str) -> tuple[Fault, int | None]:
    """Parse `--fault NAME[:COUNT]`."""
    name, _, count = text.partition(":")
    try:
        fault = Fault(name)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown fault {name!r} (known: {_FAULT_NAMES})"
        ) from None
    if not count:
        return fault, None
    if not count.isdigit() or int(count) < 1:
        raise argparse.ArgumentTypeError(f"COUNT must be a positive integer: {text!r}")
    return fault, int(count)


def _speed(text: str) -> float | None:
    """Parse `--speed`: 0 means a manual clock (moved only through the control endpoint)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("speed cannot be negative")
    return value or None


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (every flag documented for --help)."""
    parser = argparse.ArgumentParser(
        prog="python -m senec_simulator",
        description=(
            "Run a simulated SENEC.Home appliance: POST /lala.cgi answers from a simulated "
            "house (PV, household load, battery, grid) with the real value encoding. "
            "Control endpoint on the same port: GET /_sim/state, POST /_sim/fault, "
            "/_sim/clear, /_sim/advance, /_sim/reboot, /_sim/update."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: 0, any free port)")
    parser.add_argument(
        "--profile",
        choices=[p.value for p in Profile],
        default=Profile.V3_0826.value,
        help=(
            "appliance generation: legacy (V2.1, plain HTTP, STATISTIC totals), v3-0826 "
            "(HTTPS, self-signed certificate, empty STATISTIC), v3-npu2411 (like v3-0826 and "
            "a session cookie) (default: v3-0826)"
        ),
    )
    parser.add_argument(
        "--wallbox",
        choices=[w.value for w in Wallbox],
        default=Wallbox.NONE.value,
        help=(
            "a SENEC wallbox in slot 1 and the car it charges: none, evening (the car arrives "
            "at 17-19 h and charges at 11 kW), surplus (the car stands at home by day and "
            "charges from the solar surplus, the rest at 11 kW from 17 h) (default: none)"
        ),
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the simulated house (default: 1)"
    )
    parser.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        help=(
            "simulated seconds per wall second, e.g. 60 for one hour per minute; 0 stops the "
            "clock (advance it with POST /_sim/advance) (default: 1)"
        ),
    )
    parser.add_argument(
        "--start",
        type=_start_time,
        default="now",
        help="simulated start time: 'now' or ISO 8601, e.g. 2026-06-21T06:00:00+00:00 "
        "(default: now)",
    )
    parser.add_argument(
        "--fault",
        type=_fault,
        action="append",
        default=[],
        metavar="NAME[:COUNT]",
        help=(
            "switch a fault on from the start, for COUNT requests or until cleared; "
            f"repeatable. Faults: {_FAULT_NAMES}"
        ),
    )
    parser.add_argument(
        "--control-port",
        type=int,
        metavar="PORT",
        help=(
            "also serve the control endpoint (/_sim/...) over plain HTTP on this port (0: any "
            "free port); it stays up while the appliance restarts (default: only on --port)"
        ),
    )
    parser.add_argument(
        "--restart-seconds",
        type=float,
        default=DEFAULT_RESTART_S,
        metavar="S",
        help=(
            "how long a restart asked for over lala.cgi (SYS_UPDATE.USER_REBOOT_DEVICE) keeps "
            f"the appliance silent, in simulated seconds (default: {DEFAULT_RESTART_S:g})"
        ),
    )
    parser.add_argument(
        "--latency",
        type=float,
        metavar="MS",
        help="answer every lala.cgi request MS milliseconds late (the latency fault)",
    )
    return parser


async def serve(args: argparse.Namespace) -> int:
    """Run the simulator until SIGINT or SIGTERM."""
    sim = Simulator(
        profile=args.profile,
        seed=args.seed,
        host=args.host,
        port=args.port,
        start=args.start,
        speed=args.speed,
        wallbox=args.wallbox,
        restart_s=args.restart_seconds,
        control_port=args.control_port,
    )
    for fault, count in args.fault:
        sim.set_fault(fault, count)
    if args.latency is not None:
        sim.set_fault(Fault.LATENCY, ms=args.latency)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await sim.start()
    try:
        print(
            f"SENEC simulator ({sim.profile.value}) listening on {sim.url}"
            f" - type {sim.host} into the config flow",
            flush=True,
        )
        if sim.control_url is not None:
            print(f"SENEC simulator control endpoint on {sim.control_url}/_sim/", flush=True)
        await stop.wait()
    finally:
        await sim.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve."""
    args = build_parser().parse_args(argv)
    if args.latency is not None and args.latency < 0:
        build_parser().error("--latency cannot be negative")
    return asyncio.run(serve(args))


if __name__ == "__main__":
    sys.exit(main())
