"""The client's own connection: kept open, reopened quietly, closed when asked."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory

from custom_components.senec_home.api import SafeChargeButton, SenecClient, SenecConnectionError
from custom_components.senec_home.api.connection import announced_timeout
from senec_simulator import Simulator

from ..conftest import SIM_START
from ..simulator.support import read_message

ANSWER = b'{"ENERGY":{"GUI_HOUSE_POW":"fl_43F4A79B"}}'  # 489.3 W, from a real V2.1 answer


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("timeout=5, max=100", 5.0),
        ("max=100, timeout=15", 15.0),
        ("Timeout = 2.5", 2.5),
        ("max=100", None),
        ("", None),
        (None, None),
    ],
)
def test_the_announced_keepalive_timeout(header: str | None, seconds: float | None) -> None:
    assert announced_timeout(header) == seconds


async def test_many_requests_over_one_connection(socket_enabled: None) -> None:
    async with Simulator(profile="v3-0826", seed=1, start=SIM_START) as simulator:
        client = SenecClient(simulator.host)
        try:
            for _ in range(5):
                assert (await client.poll()).house_power is not None
        finally:
            await client.close()
        assert simulator.traffic.connections == 1
        assert simulator.traffic.tls_handshakes == 1
        with pytest.raises(SenecConnectionError):
            await client.poll()  # closed is closed


async def test_an_announced_keepalive_timeout_is_followed(
    socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    async with Simulator(
        profile="v3-0826", seed=1, start=SIM_START, keepalive_header=5
    ) as simulator:
        client = SenecClient(simulator.host)
        try:
            await client.poll()
            freezer.tick(timedelta(seconds=3))
            await client.poll()  # within the announced 5 s: the same connection
            assert simulator.traffic.connections == 1
            freezer.tick(timedelta(seconds=5))
            await client.poll()  # idle for longer than announced: a new connection
            assert simulator.traffic.connections == 2
        finally:
            await client.close()


type Behaviour = Callable[[int], bool]


@pytest.fixture
async def closing_server(
    socket_enabled: None,
) -> AsyncIterator[tuple[Callable[[Behaviour], Awaitable[str]], list[int]]]:
    """A plain-HTTP appliance that closes connections without an answer when told to.

    ``serve(answer)`` starts it: ``answer(n)`` says whether to answer the n-th request (from 1)
    on a connection, or to close the connection instead. Yields ``serve`` and the number of
    requests seen on each connection.
    """
    seen: list[int] = []
    servers: list[asyncio.Server] = []

    async def serve(answer: Behaviour) -> str:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(0)
            try:
                while True:
                    await read_message(reader)
                    seen[-1] += 1
                    if not answer(seen[-1]):
                        return
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)
                    )
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        return f"127.0.0.1:{server.sockets[0].getsockname()[1]}"

    yield serve, seen
    for server in servers:
        server.close()
        await server.wait_closed()


async def test_a_connection_closed_as_the_request_goes_out_is_opened_again_at_once(
    closing_server: tuple[Callable[[Behaviour], Awaitable[str]], list[int]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The appliance closes a kept connection when the second request arrives on it."""
    serve, seen = closing_server
    host = await serve(lambda n: n == 1)
    client = SenecClient(host, scheme="http")
    caplog.set_level(logging.DEBUG)
    try:
        for _ in range(3):
            assert (await client.poll()).house_power == pytest.approx(489.31, abs=0.01)
    finally:
        await client.close()
    # Each later request met a closed connection and went out once more on a new one.
    assert seen == [2, 2, 1]
    reopened = [r for r in caplog.records if "closed the idle connection" in r.getMessage()]
    assert len(reopened) == 2
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name.startswith("custom"))


async def test_a_new_connection_closed_without_an_answer_is_a_failure(
    closing_server: tuple[Callable[[Behaviour], Awaitable[str]], list[int]],
) -> None:
    """Sent once more at most: an appliance that closes every connection is not reachable."""
    answering = [True]
    serve, seen = closing_server
    host = await serve(lambda n: answering[0])
    client = SenecClient(host, scheme="http")
    try:
        await client.poll()
        answering[0] = False
        with pytest.raises(SenecConnectionError):
            await client.poll()
    finally:
        await client.close()
    assert seen == [2, 1]


async def test_a_write_that_meets_a_closed_connection_is_not_sent_again(
    closing_server: tuple[Callable[[Behaviour], Awaitable[str]], list[int]],
) -> None:
    """Nobody can tell whether the appliance took a write: it is sent once, whatever happens."""
    serve, seen = closing_server
    host = await serve(lambda n: n == 1)
    client = SenecClient(host, scheme="http")
    try:
        await client.poll()
        with pytest.raises(SenecConnectionError):
            await client.press(SafeChargeButton.FORCE)
    finally:
        await client.close()
    assert seen == [2]
