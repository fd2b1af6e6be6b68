"""End-to-end fixtures: the simulator and a real Home Assistant as separate processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from .stack import (
    HomeAssistant,
    Process,
    control_url,
    ensure_hass_venv,
    free_port,
    make_config_dir,
    start_hass,
    start_simulator,
    tail,
)

#: 07:00 UTC on midsummer's day: the sun is up, the battery charges at full power and the
#: rest goes to the grid, so every power flow has a value that is not zero.
SIM_START = "2026-06-21T07:00:00+00:00"


def pytest_configure(config: pytest.Config) -> None:
    """Register the `e2e` marker (deselect with `-m "not e2e"`)."""
    config.addinivalue_line(
        "markers", "e2e: runs a real Home Assistant from .venv-hass (takes a minute or two)"
    )


@dataclass
class Stack:
    """The processes of one end-to-end run and where their files are."""

    work: Path
    config_dir: Path
    http_port: int
    hass_binary: Path
    simulator: Process
    sim_host: str
    hass: Process | None = None
    hass_logs: list[Path] = field(default_factory=list)

    @property
    def sim_url(self) -> str:
        """Return the base URL of the simulator (lala.cgi and the control endpoint)."""
        return f"https://{self.sim_host}"

    @property
    def control_url(self) -> str:
        """Return the base URL of the simulator's control endpoint that never goes away."""
        return control_url(self.simulator.log)

    def start_hass(self) -> Process:
        """Start Home Assistant (again) on the same configuration directory."""
        log = self.work / f"hass-{len(self.hass_logs) + 1}.log"
        self.hass_logs.append(log)
        self.hass = start_hass(self.config_dir, log, hass=self.hass_binary)
        return self.hass

    def stop_hass(self) -> int | None:
        """Stop Home Assistant gracefully (SIGTERM); return its exit code."""
        assert self.hass is not None
        code = self.hass.stop(timeout=90)
        self.hass = None
        return code

    def client(self) -> HomeAssistant:
        """Return an API client for the running Home Assistant."""
        return HomeAssistant(self.http_port, self.hass)

    async def sim_request(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the simulator's control endpoint (on its own port: it answers during a restart)."""
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, f"{self.control_url}{path}", json=payload) as answer,
        ):
            answer.raise_for_status()
            return await answer.json()

    def logs(self) -> str:
        """Return the ends of every log (printed when a test fails)."""
        parts = [f"--- simulator ---\n{tail(self.simulator.log, 20)}"]
        parts += [f"--- {log.name} ---\n{tail(log, 80)}" for log in self.hass_logs]
        return "\n".join(parts)


async def wait_for(what: str, check: Callable[[], Awaitable[list[str]]], within: float) -> None:
    """Retry `check` (it returns the problems it sees) until it sees none."""
    deadline = time.monotonic() + within
    while True:
        problems = await check()
        if not problems:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still wrong after {within:.0f} s:\n" + "\n".join(problems))
        await asyncio.sleep(1)


@pytest.fixture
def sim_start() -> str:
    """When the simulator's manual clock starts (a test module may choose another time)."""
    return SIM_START


@pytest.fixture
def stack(tmp_path: Path, socket_enabled: None, sim_start: str) -> Iterator[Stack]:
    """The simulator (manual clock at `sim_start`) and a freshly configured Home Assistant.

    The first run on a machine creates `.venv-hass` (a few minutes). Everything started here
    is stopped afterwards, also when the test fails.
    """
    hass_binary = ensure_hass_venv()
    http_port = free_port()
    config_dir = make_config_dir(tmp_path / "config", http_port)
    simulator, sim_host = start_simulator(tmp_path / "simulator.log", speed=0, start=sim_start)
    stack = Stack(
        work=tmp_path,
        config_dir=config_dir,
        http_port=http_port,
        hass_binary=hass_binary,
        simulator=simulator,
        sim_host=sim_host,
    )
    try:
        stack.start_hass()
        yield stack
    finally:
        try:
            if stack.hass is not None:
                stack.hass.stop(timeout=30)
        finally:
            simulator.stop(timeout=10)
        print(stack.logs())  # shown by pytest only when the test failed
