"""Shared fixtures: the simulated appliance on an ephemeral port."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiohttp import web

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


type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
type WebServer = Callable[..., Awaitable[str]]


@pytest.fixture
async def web_server(socket_enabled: None, unused_tcp_port: int) -> AsyncIterator[WebServer]:
    """Serve one handler on every path, over plain HTTP or with ``ssl_context`` over TLS.

    Returns the host:port to use. Stands in for the things that answer at an address but
    are no SENEC (a router page, a 404, JSON of another device, a device that never stops
    talking) and for appliances that answer what a test needs.
    """
    runners: list[web.AppRunner] = []

    async def serve(handler: Handler, ssl_context: ssl.SSLContext | None = None) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        runners.append(runner)
        await web.TCPSite(runner, "127.0.0.1", unused_tcp_port, ssl_context=ssl_context).start()
        return f"127.0.0.1:{unused_tcp_port}"

    yield serve
    for runner in runners:
        await runner.cleanup()


async def router_page(_request: web.Request) -> web.Response:
    """Answer like a home router's login page."""
    return web.Response(text="<html>login</html>", content_type="text/html")
