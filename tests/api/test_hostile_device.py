"""A device at the configured address that is no SENEC: endless answers, outdated TLS.

Whatever answers there can send anything. An answer far larger than any appliance sends is
refused as a protocol error while it streams, not read into memory whole; the largest real
answer published (a full dump of every section, 27 KB) still parses. The appliance's TLS
context, which accepts a self-signed certificate, refuses anything older than TLS 1.2.
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest
from aiohttp import web

from custom_components.senec_home.api import (
    SenecClient,
    SenecConnectionError,
    SenecNotSenecError,
    SenecProtocolError,
    parse_answer,
)
from custom_components.senec_home.api.client import appliance_ssl_context
from custom_components.senec_home.api.limits import MAX_ANSWER_BYTES
from senec_simulator.tls import make_certificate, server_context

from ..conftest import WebServer
from ..real_answers import FIXTURES

FULL_DUMP = FIXTURES / "29-nihaf-2022-10-v3-full-dump.json"
# What the streaming device would send if nobody stopped it: 64 MiB, in 64 KiB pieces.
ENDLESS_BYTES = 64 * 1024 * 1024
PIECE = 64 * 1024


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


class Talker:
    """A device that starts a JSON answer and never stops: megabytes of one string."""

    def __init__(self, *, declare_length: bool) -> None:
        """Declare the whole length up front, or stream it chunked."""
        self.declare_length = declare_length
        self.sent = 0
        self.cut_off = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Stream until the client hangs up or everything is out."""
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if self.declare_length:
            response.content_length = ENDLESS_BYTES
        await response.prepare(request)
        piece = b'{"ENERGY":{"STAT_STATE":"st_' + b"x" * (PIECE - 29)
        try:
            while self.sent < ENDLESS_BYTES:
                await response.write(piece)
                self.sent += len(piece)
                piece = b"x" * PIECE
        except (ConnectionError, RuntimeError):
            # The client closed the connection: it stopped reading.
            self.cut_off.set()
        return response


@pytest.mark.parametrize("declare_length", [False, True], ids=["chunked", "content-length"])
async def test_an_endless_answer_is_refused_while_it_streams(
    web_server: WebServer, session: aiohttp.ClientSession, declare_length: bool
) -> None:
    talker = Talker(declare_length=declare_length)
    client = SenecClient(await web_server(talker.handle), session, scheme="http")
    with pytest.raises(SenecProtocolError, match=str(MAX_ANSWER_BYTES)):
        await client.poll()
    # The device was cut off long before it was done: the answer was never read whole.
    await asyncio.wait_for(talker.cut_off.wait(), timeout=30)
    assert talker.sent < ENDLESS_BYTES // 4


async def test_an_endless_identity_answer_is_no_senec(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    talker = Talker(declare_length=False)
    client = SenecClient(await web_server(talker.handle), session, scheme="http")
    with pytest.raises(SenecNotSenecError):
        await client.identity()


async def test_the_largest_real_answer_still_parses(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    """A full dump of every section (27 KB, 29-nihaf-2022-10-v3-full-dump.json) parses."""
    body = FULL_DUMP.read_bytes()
    assert 20_000 < len(body) < MAX_ANSWER_BYTES

    async def full_dump(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    client = SenecClient(await web_server(full_dump), session, scheme="http")
    snapshot = await client.poll()
    assert snapshot.raw == orjson.loads(body)
    assert snapshot.system_state == parse_answer(body)["ENERGY"]["STAT_STATE"] == 14


async def test_an_answer_just_under_the_ceiling_parses(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    filler = "st_" + "x" * (MAX_ANSWER_BYTES - 200)
    body = orjson.dumps({"ENERGY": {"STAT_STATE": "u8_0E"}, "PAD": {"TEXT": filler}})
    assert MAX_ANSWER_BYTES - 200 < len(body) <= MAX_ANSWER_BYTES

    async def large(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    client = SenecClient(await web_server(large), session, scheme="http")
    assert (await client.poll()).system_state == 14


def _tls_1_1_only() -> ssl.SSLContext:
    """A server that speaks TLS 1.1 and nothing newer, as an outdated device would."""
    cert, key = make_certificate()
    context = server_context(cert, key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1_1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    # TLS 1.1 needs the old SHA-1 signatures that today's default security level forbids.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


async def _handshake(port: int, context: ssl.SSLContext) -> str:
    """Open a TLS connection and return the protocol version agreed on."""
    _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
    try:
        version = writer.get_extra_info("ssl_object").version()
    finally:
        writer.close()
    assert isinstance(version, str)
    return version


async def _answer(_request: web.Request) -> web.Response:
    return web.json_response({"ENERGY": {"STAT_STATE": "u8_0E"}})


async def test_the_appliance_tls_context_refuses_tls_1_1(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    host = await web_server(_answer, _tls_1_1_only())
    port = int(host.rpartition(":")[2])
    # The server really speaks TLS 1.1: a client that allows it gets through.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old_client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old_client.check_hostname = False
        old_client.verify_mode = ssl.CERT_NONE
        old_client.minimum_version = ssl.TLSVersion.TLSv1_1
    old_client.set_ciphers("DEFAULT:@SECLEVEL=0")
    assert await _handshake(port, old_client) == "TLSv1.1"
    # The appliance's context refuses it by its protocol minimum alone: even with every
    # cipher allowed (so the ciphers cannot be what refuses), no handshake below TLS 1.2.
    appliance = appliance_ssl_context()
    appliance.set_ciphers("DEFAULT:@SECLEVEL=0")
    with pytest.raises((ssl.SSLError, ConnectionError)):
        await _handshake(port, appliance)
    # And so does the client, with the context exactly as it is made.
    client = SenecClient(host, session, scheme="https")
    with pytest.raises(SenecConnectionError):
        await client.poll()
