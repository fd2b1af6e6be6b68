"""Fixtures: simulators on real loopback sockets, and clients for them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from senec_simulator import Simulator

from .support import Client

SUMMER_MORNING = datetime(2026, 6, 21, 8, 0, tzinfo=UTC)

type SimFactory = Callable[..., Awaitable[Simulator]]


@pytest.fixture
async def make_sim(socket_enabled: None) -> AsyncIterator[SimFactory]:
    """Start simulators on 127.0.0.1 (manual clock, fixed start) and stop them afterwards."""
    started: list[Simulator] = []

    async def make(profile: str = "v3-0826", **kwargs: Any) -> Simulator:
        kwargs.setdefault("start", SUMMER_MORNING)
        kwargs.setdefault("seed", 1)
        sim = Simulator(profile=profile, host="127.0.0.1", port=0, **kwargs)
        await sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        await sim.stop()


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[[Simulator], Client]]:
    """Make clients for simulators and close them afterwards."""
    clients: list[Client] = []

    def make(sim: Simulator) -> Client:
        client = Client(sim)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
