"""The safety-charge write: replayed against the appliance's recorded answers to real writes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import orjson
import pytest
from aiohttp import web

from custom_components.senec_home.api import (
    SafeChargeButton,
    SenecClient,
    SenecConnectionError,
    SenecProtocolError,
    SenecWriteError,
    Snapshot,
    decode_answer,
)
from custom_components.senec_home.api.requests import POLL_REQUEST

from ..conftest import WebServer

REAL = Path(__file__).parent.parent / "fixtures" / "real_answers"
# name of the recorded write -> the button it pressed, SAFE_CHARGE_RUNNING in its answer
RECORDED_WRITES = {
    # The answer still shows the state from before the press.
    "09-gem-2023-12-09-write-safety-charge": (SafeChargeButton.FORCE, False),
    # Two minutes after 09: the release is echoed, the charge still shows as running.
    "10-gem-2023-12-09-write-allow-discharge": (SafeChargeButton.PROHIBIT, True),
    # The same press as 09 on another day: here the answer already shows the new state.
    "19-charger-2023-12-13-write-start-charge-running": (SafeChargeButton.FORCE, True),
}


def recorded(name: str) -> tuple[bytes, bytes]:
    """The request a real client sent and the appliance's answer, as recorded."""
    return (REAL / f"{name}.request.json").read_bytes(), (REAL / f"{name}.json").read_bytes()


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def replaying(web_server: WebServer, answer: bytes, seen: list[bytes]) -> str:
    """Serve ``answer`` to every request, remembering the request bodies."""

    async def handler(request: web.Request) -> web.Response:
        seen.append(await request.read())
        return web.Response(body=answer, content_type="application/json")

    return await web_server(handler)


@pytest.mark.parametrize("name", RECORDED_WRITES)
async def test_press_sends_the_recorded_request_and_reads_the_recorded_answer(
    name: str, web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    button, running = RECORDED_WRITES[name]
    request, answer = recorded(name)
    seen: list[bytes] = []
    client = SenecClient(await replaying(web_server, answer, seen), session, scheme="http")

    result = await client.press(button)

    assert result.button is button
    assert result.running is running
    # Byte for byte what the appliance's web page sent, keys in the same order.
    assert seen == [orjson.dumps(json.loads(request))]
    # A write answer is not a poll: diagnostics keep showing the last poll.
    assert client.last_raw is None


@pytest.mark.parametrize(
    "echo",
    [
        '"u8_00"',  # the appliance kept the old value
        '"VARIABLE_NOT_FOUND"',  # an appliance without the button
        '"fl_3F800000"',  # 1.0, but not the integer the appliance echoes
        '"u8_1"',  # garbage
    ],
)
async def test_press_without_the_echo_is_a_write_error(
    echo: str, web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    answer = (
        '{"ENERGY":{"SAFE_CHARGE_FORCE":' + echo + ',"SAFE_CHARGE_PROHIBIT":"u8_00",'
        '"SAFE_CHARGE_RUNNING":"u8_00"}}'
    ).encode()
    client = SenecClient(await replaying(web_server, answer, []), session, scheme="http")
    with pytest.raises(SenecWriteError, match="SAFE_CHARGE_FORCE"):
        await client.press(SafeChargeButton.FORCE)


async def test_press_answered_without_the_section_is_a_write_error(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(
        await replaying(web_server, b'{"ENERGY":{"OBJECT_NOT_FOUND":""}}', []),
        session,
        scheme="http",
    )
    with pytest.raises(SenecWriteError):
        await client.press(SafeChargeButton.PROHIBIT)


async def test_press_that_gets_an_error_page_is_a_protocol_error(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=504, text="<html>504 Gateway Time-out</html>")

    client = SenecClient(await web_server(handler), session, scheme="http")
    with pytest.raises(SenecProtocolError):
        await client.press(SafeChargeButton.FORCE)


async def test_press_to_nobody_is_a_connection_error(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    client = SenecClient(f"127.0.0.1:{unused_tcp_port}", session, scheme="http")
    with pytest.raises(SenecConnectionError):
        await client.press(SafeChargeButton.FORCE)


async def test_press_waits_for_the_poll_in_flight(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    """One request at a time: the write starts only after the poll before it has its answer."""
    order: list[str] = []
    poll_started = asyncio.Event()
    release_poll = asyncio.Event()
    _, write_answer = recorded("19-charger-2023-12-13-write-start-charge-running")

    async def handler(request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        if "STATISTIC" in body:  # the poll; the write form has ENERGY only
            order.append("poll starts")
            poll_started.set()
            await release_poll.wait()
            order.append("poll ends")
            return web.json_response({"ENERGY": {"SAFE_CHARGE_RUNNING": "u8_00"}})
        order.append("write")
        return web.Response(body=write_answer, content_type="application/json")

    client = SenecClient(await web_server(handler), session, scheme="http")
    poll = asyncio.create_task(client.poll())
    await poll_started.wait()
    press = asyncio.create_task(client.press(SafeChargeButton.FORCE))
    await asyncio.sleep(0.1)
    assert order == ["poll starts"]
    release_poll.set()
    await asyncio.gather(poll, press)
    assert order == ["poll starts", "poll ends", "write"]


def test_the_poll_reads_whether_a_forced_charge_runs() -> None:
    assert "SAFE_CHARGE_RUNNING" in POLL_REQUEST["ENERGY"]
    raw = json.loads((REAL / "20-charger-2025-09-26-small-read.json").read_bytes())
    assert Snapshot.from_answer(decode_answer(raw), raw).safe_charge_running is False
    _, answer = recorded("10-gem-2023-12-09-write-allow-discharge")
    raw = json.loads(answer)
    assert Snapshot.from_answer(decode_answer(raw), raw).safe_charge_running is True


@pytest.mark.parametrize("value", ["VARIABLE_NOT_FOUND", None])
def test_an_appliance_without_the_variable_has_no_value(value: str | None) -> None:
    raw: dict[str, dict[str, str]] = {"ENERGY": {"STAT_STATE": "u8_0E"}}
    if value is not None:
        raw["ENERGY"]["SAFE_CHARGE_RUNNING"] = value
    assert Snapshot.from_answer(decode_answer(raw), raw).safe_charge_running is None


# The restart the widely used community integration sends (no recorded answer is public).
RESTART_REQUEST = {"SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE": "u8_01"}}


async def test_restart_sends_exactly_the_restart_and_checks_the_echo(
    web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    echo = {
        "SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "VARIABLE_NOT_FOUND", "USER_REBOOT_DEVICE": "u8_01"}
    }
    seen: list[bytes] = []
    client = SenecClient(
        await replaying(web_server, orjson.dumps(echo), seen), session, scheme="http"
    )

    await client.restart()

    assert seen == [orjson.dumps(RESTART_REQUEST)]
    assert json.loads(seen[0]) == RESTART_REQUEST
    assert client.last_raw is None


@pytest.mark.parametrize(
    "answer",
    [
        {"SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE": "u8_00"}},
        {"SYS_UPDATE": {"USER_REBOOT_DEVICE": "VARIABLE_NOT_FOUND"}},
        {"SYS_UPDATE": {"OBJECT_NOT_FOUND": ""}},
        {"ENERGY": {"STAT_STATE": "u8_10"}},
    ],
)
async def test_a_restart_the_appliance_does_not_echo_is_not_confirmed(
    answer: dict[str, object], web_server: WebServer, session: aiohttp.ClientSession
) -> None:
    seen: list[bytes] = []
    client = SenecClient(
        await replaying(web_server, orjson.dumps(answer), seen), session, scheme="http"
    )
    with pytest.raises(SenecWriteError, match="USER_REBOOT_DEVICE"):
        await client.restart()
    assert len(seen) == 1  # sent once, never repeated
