"""Decode and full-poll timings: our client vs pysenec 0.3.0, same inputs, same run.

Run through ``scripts/bench``. Prints per-operation times and the ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
# The client package is HA-free; import it without the integration around it.
sys.path.insert(0, str(ROOT / "custom_components" / "senec_home"))
sys.path.insert(1, str(ROOT))

from api import POLL_REQUEST, SenecClient, parse_answer  # noqa: E402
from pysenec import Senec  # noqa: E402
from pysenec.util import parse as pysenec_parse  # noqa: E402


def best_per_call(func: object, number: int, repeat: int = 7) -> float:
    """Best-of-``repeat`` time of one call in seconds (timeit's own method)."""
    timer = timeit.Timer(func)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=repeat, number=number)) / number


def start_simulator(profile: str) -> tuple[subprocess.Popen[str], str]:
    """Start the simulated appliance in its own process; return it and its host:port."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "senec_simulator", "--profile", profile, "--seed", "7",
         "--start", "2026-06-21T11:00:00+00:00"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"https?://(127\.0\.0\.1:\d+)/", line)
    if not match:
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc, match.group(1)


async def record_answer(host: str) -> bytes:
    """Fetch one full poll answer (our request) to decode in the loop."""
    async with aiohttp.ClientSession() as session, session.post(
        f"http://{host}/lala.cgi", json=POLL_REQUEST
    ) as response:
        return await response.read()


def bench_decode(body: bytes) -> tuple[float, float]:
    """Time bytes -> decoded values for both libraries."""
    ours = best_per_call(lambda: parse_answer(body), 20000)
    theirs = best_per_call(lambda: pysenec_parse(json.loads(body)), 20000)
    return ours, theirs


async def bench_poll(host: str, rounds: int) -> tuple[list[float], list[float]]:
    """Alternate full polls of both clients against the same simulator over HTTP."""
    ours_times: list[float] = []
    theirs_times: list[float] = []
    async with aiohttp.ClientSession() as session:
        ours = SenecClient(host, session, scheme="http")
        theirs = Senec(host, session)
        await ours.poll()  # warm up connections
        await theirs.update()
        for _ in range(rounds):
            start = time.perf_counter()
            await ours.poll()
            ours_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            await theirs.update()
            theirs_times.append(time.perf_counter() - start)
    return ours_times, theirs_times


def main() -> None:
    """Run both benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="full polls per client")
    args = parser.parse_args()
    proc, host = start_simulator("legacy")
    try:
        body = asyncio.run(record_answer(host))
        ours_decode, theirs_decode = bench_decode(body)
        ours_poll, theirs_poll = asyncio.run(bench_poll(host, args.rounds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    ours_med, theirs_med = statistics.median(ours_poll), statistics.median(theirs_poll)
    print(f"answer: {len(body)} bytes, {body.count(b'_')} typed values (legacy simulator)")
    print(f"decode  ours    {ours_decode * 1e6:8.2f} us/answer (orjson + batched float decode)")
    print(f"decode  pysenec {theirs_decode * 1e6:8.2f} us/answer (json.loads + parse)")
    print(f"decode  ratio   {theirs_decode / ours_decode:8.2f}x faster (target >= 3x)")
    print(f"poll    ours    {ours_med * 1e3:8.3f} ms median over {args.rounds} polls")
    print(f"poll    pysenec {theirs_med * 1e3:8.3f} ms median over {args.rounds} polls")
    print(f"poll    ratio   {theirs_med / ours_med:8.2f}x (>= 1.0 means ours is no slower)")


if __name__ == "__main__":
    main()
