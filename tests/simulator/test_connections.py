"""Connections, TLS handshakes and body bytes as the appliance sees them; idle connections."""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from senec_simulator import Simulator
from senec_simulator.__main__ import build_parser

from .conftest import SimFactory
from .support import Client, read_message, trusting

READ = {"ENERGY": {"GUI_GRID_POW": ""}}


async def post_over(session: aiohttp.ClientSession, sim: Simulator, context: Any) -> bytes:
    """POST one read over a session (whose pool decides about the connection)."""
    async with session.post(sim.url, data=json.dumps(READ).encode(), ssl=context) as reply:
        assert reply.status == 200
        return await reply.read()


@pytest.mark.parametrize("profile", ["legacy", "v3-0826"])
async def test_a_kept_alive_client_costs_one_connection(make_sim: SimFactory, profile: str) -> None:
    sim = await make_sim(profile)
    context = trusting(sim)
    async with aiohttp.ClientSession() as session:
        answers = [await post_over(session, sim, context) for _ in range(5)]
    traffic = sim.traffic
    assert traffic.connections == 1
    assert traffic.tls_handshakes == (1 if profile == "v3-0826" else 0)
    assert traffic.request_bytes == 5 * len(json.dumps(READ))
    assert traffic.answer_bytes == sum(map(len, answers))


async def test_a_client_that_closes_costs_a_handshake_per_request(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826")
    context = trusting(sim)
    closing = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=closing) as session:
        for _ in range(3):
            await post_over(session, sim, context)
    assert sim.traffic.connections == 3
    assert sim.traffic.tls_handshakes == 3


async def test_the_control_endpoint_shows_the_counts(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    await client.read(READ)
    state = (await client.control("GET", "/_sim/state")).json()
    assert state["connections"] == 1
    assert state["tls_handshakes"] == sim.traffic.tls_handshakes >= 1
    assert state["request_body_bytes"] == len(json.dumps(READ))
    assert state["answer_body_bytes"] > 0


@contextlib.asynccontextmanager
async def raw_exchange(sim: Simulator) -> AsyncIterator[tuple[bytes, asyncio.StreamReader]]:
    """Send one request on a fresh connection; yield the answer's head and the reader."""
    context = ssl.create_default_context(cadata=(sim.certificate_pem or b"").decode())
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port, ssl=context)
    body = json.dumps(READ).encode()
    writer.write(
        b"POST /lala.cgi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    await writer.drain()
    head = await read_message(reader)
    try:
        yield head, reader
    finally:
        writer.close()


async def test_idle_connections_stay_open_by_default(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826")
    async with raw_exchange(sim) as (head, reader):
        assert b"Keep-Alive" not in head
        assert b"Connection: close" not in head
        assert sim.open_connections == 1
        assert not reader.at_eof()


async def test_a_strict_appliance_closes_idle_connections(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826", idle_close=0.05)
    async with raw_exchange(sim) as (head, reader):
        assert b"Keep-Alive" not in head  # closed without saying so
        # The server closes the idle connection by itself: the client reads the end of it.
        assert await asyncio.wait_for(reader.read(), timeout=10) == b""


async def test_connection_close_after_every_answer(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826", idle_close=0)
    async with raw_exchange(sim) as (head, reader):
        assert b"Connection: close" in head
        assert await asyncio.wait_for(reader.read(), timeout=10) == b""


async def test_an_announced_keepalive_timeout(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826", keepalive_header=5)
    async with raw_exchange(sim) as (head, _):
        assert b"Keep-Alive: timeout=5\r\n" in head


def test_the_command_line_sets_the_keepalive_behaviour() -> None:
    args = build_parser().parse_args(["--idle-close", "5", "--keepalive-header", "4.5"])
    assert (args.idle_close, args.keepalive_header) == (5.0, 4.5)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--idle-close", "-1"])


async def test_the_firmware_can_drop_and_bring_back_the_lifetime_totals(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    asked = {"STATISTIC": {"LIVE_GRID_IMPORT": ""}}
    assert (await client.read(asked))["STATISTIC"]["LIVE_GRID_IMPORT"].startswith("fl_")
    sim.serve_statistic(False)
    assert (await client.read(asked))["STATISTIC"] == {}
    sim.serve_statistic(True)
    assert (await client.read(asked))["STATISTIC"]["LIVE_GRID_IMPORT"].startswith("fl_")
