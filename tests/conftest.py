"""Shared fixtures: the simulated appliance on an ephemeral port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from senec_simulator import Simulator
from senec_simulator.tls import make_certificate

# Mid-morning on midsummer's day: sun, battery charging, everything non-zero.
SIM_START = datetime(2026, 6, 21, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def certificate_machinery_warmed_up() -> None:
    """Make one certificate before any test freezes the clock.

    cryptography remembers the datetime type on first use; if that first use falls inside
    a frozen-clock test, every later certificate fails with a type error.
    """
    make_certificate()


@pytest.fixture
async def simulator(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncIterator[Simulator]:
    """A simulated appliance on an ephemeral port; profile via indirect parametrization."""
    profile = getattr(request, "param", "v3-0826")
    async with Simulator(profile=profile, seed=1, start=SIM_START) as sim:
        yield sim
