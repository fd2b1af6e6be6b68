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
from api.codec import clear_cache  # noqa: E402
from pysenec import Senec  # noqa: E402
from pysenec.util import parse as pysenec_parse  # noqa: E402


def best_per_call(func: object, number: int, repeat: int = 7) -> float:
    """Best-of-``repeat`` time of one call in seconds (timeit's own method)."""
    timer = timeit.Timer(func)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=repeat, number=number)) / number


def start_simulator(profile: str) -> tuple[subprocess.Popen[str], str]:
    """Start the simulated appliance in its own process; return it and its host:port."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "senec_simulator",
            "--profile",
            profile,
            "--seed",
            "7",
            "--start",
            "2026-06-21T11:00:00+00:00",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
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
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://{host}/lala.cgi", json=POLL_REQUEST) as response,
    ):
        return await response.read()


async def record_hour(host: str, polls: int = 360) -> list[bytes]:
    """Record successive poll answers 10 simulated seconds apart (values change)."""
    answers = []
    async with aiohttp.ClientSession() as session:
        for _ in range(polls):
            async with session.post(f"http://{host}/lala.cgi", json=POLL_REQUEST) as response:
                answers.append(await response.read())
            async with session.post(f"http://{host}/_sim/advance", json={"seconds": 10}):
                pass
    return answers


def bench_sequence(answers: list[bytes]) -> tuple[float, float]:
    """Time decoding a recorded hour in order, ours from a cleared cache each round."""

    def ours() -> None:
        clear_cache()
        for body in answers:
            parse_answer(body)

    def theirs() -> None:
        for body in answers:
            pysenec_parse(json.loads(body))

    return (
        best_per_call(ours, 20) / len(answers),
        best_per_call(theirs, 20) / len(answers),
    )


def bench_decode(body: bytes) -> tuple[float, float]:
    """Time bytes -> decoded values for both libraries."""
    ours = best_per_call(lambda: parse_answer(body), 20000)
    theirs = best_per_call(lambda: pysenec_parse(json.loads(body)), 20000)
    return ours, theirs


async def timed(call: object) -> float:
    """Seconds one awaited call takes."""
    start = time.perf_counter()
    await call  # type: ignore[misc]
    return time.perf_counter() - start


async def bench_poll(host: str, rounds: int) -> dict[str, list[float]]:
    """Interleaved full polls of both clients against the same simulator over HTTP.

    pysenec's update() asks for other values than our always-asked part (the integration
    adds the enabled entities' variables to it), and the appliance's answer time grows with
    what is asked; so our client also sends pysenec's exact form (captured from the
    simulator), which makes the appliance do the same work for both.
    """
    times: dict[str, list[float]] = {"ours": [], "ours_same_form": [], "pysenec": []}
    async with aiohttp.ClientSession() as session:
        ours = SenecClient(host, session, scheme="http")
        theirs = Senec(host, session)
        await theirs.update()
        async with session.get(f"http://{host}/_sim/state") as response:
            their_form = (await response.json())["last_request"]
        await ours.poll()  # warm up the connection
        for _ in range(rounds):
            times["ours"].append(await timed(ours.poll()))
            times["pysenec"].append(await timed(theirs.update()))
            times["ours_same_form"].append(await timed(ours.read(their_form)))
    return times


def main() -> None:
    """Run both benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="full polls per client")
    args = parser.parse_args()
    proc, host = start_simulator("legacy")
    try:
        body = asyncio.run(record_answer(host))
        ours_decode, theirs_decode = bench_decode(body)
        ours_hour, theirs_hour = bench_sequence(asyncio.run(record_hour(host)))
        polls = asyncio.run(bench_poll(host, args.rounds))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    median = {name: statistics.median(values) for name, values in polls.items()}
    sections = json.loads(body).values()
    values = sum(len(v) if isinstance(v, list) else 1 for s in sections for v in s.values())
    print(f"answer: {len(body)} bytes, {values} values (our always-asked part, legacy simulator)")
    print(f"decode  ours    {ours_decode * 1e6:8.2f} us/answer (orjson + token cache)")
    print(f"decode  pysenec {theirs_decode * 1e6:8.2f} us/answer (json.loads + parse)")
    print(f"decode  ratio   {theirs_decode / ours_decode:8.2f}x faster (target >= 3x)")
    print(f"hour    ours    {ours_hour * 1e6:8.2f} us/answer (360 changing answers, cold cache)")
    print(f"hour    pysenec {theirs_hour * 1e6:8.2f} us/answer")
    print(f"hour    ratio   {theirs_hour / ours_hour:8.2f}x faster")
    print(f"poll    pysenec          {median['pysenec'] * 1e3:7.3f} ms median, {args.rounds} polls")
    print(f"poll    ours, same form  {median['ours_same_form'] * 1e3:7.3f} ms median")
    print(f"poll    ours, own form   {median['ours'] * 1e3:7.3f} ms median (the always-asked part)")
    same = median["pysenec"] / median["ours_same_form"]
    seed = median["pysenec"] / median["ours"]
    print(f"poll    ratio, same form {same:7.2f}x (>= 1.0: ours is no slower)")
    print(f"poll    ratio, own form  {seed:7.2f}x")


if __name__ == "__main__":
    main()
