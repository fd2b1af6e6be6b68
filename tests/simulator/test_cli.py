"""`python -m senec_simulator` starts, says where it listens, serves, and stops on SIGINT."""

from __future__ import annotations

import asyncio
import re
import signal
import ssl
import sys
from pathlib import Path

import aiohttp
import pytest

from senec_simulator.__main__ import main

from .support import decode

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^SENEC simulator \((?P<profile>[\w-]+)\) listening on (?P<url>(?P<scheme>https?)://"
    r"127\.0\.0\.1:(?P<port>\d+)/lala\.cgi) - type 127\.0\.0\.1:(?P=port) into the config flow$"
)


async def served_certificate(port: int) -> str:
    """Fetch the certificate a server presents (trust on first use, as for an appliance)."""
    probe = ssl.create_default_context()
    probe.check_hostname = False
    probe.verify_mode = ssl.CERT_NONE
    _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=probe)
    der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    writer.close()
    await writer.wait_closed()
    return ssl.DER_cert_to_PEM_cert(der)


async def test_cli_serves_until_sigint(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "senec_simulator",
        "--profile",
        "legacy",
        "--seed",
        "3",
        "--start",
        "2026-06-21T12:00:00+00:00",
        "--speed",
        "0",
        "--fault",
        "http_500:1",
        "--fault",
        "totals_zero",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        match = LINE.match(line)
        assert match, line
        assert match["profile"] == "legacy"
        assert match["scheme"] == "http"
        async with aiohttp.ClientSession() as session:
            request = {"STATISTIC": {"LIVE_PV_GEN": ""}, "RTC": {"WEB_TIME": ""}}
            async with session.post(match["url"], json=request) as resp:
                assert resp.status == 500
            async with session.post(match["url"], json=request) as resp:
                assert resp.status == 200
                answer = await resp.json()
        assert answer["STATISTIC"]["LIVE_PV_GEN"] == "fl_00000000"
        # The manual clock stands at --start; WEB_TIME counts local time (UTC+1).
        assert decode(answer["RTC"]["WEB_TIME"]) == 1782043200 + 3600, "manual clock at --start"
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0
        assert b"Traceback" not in await process.stderr.read()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_cli_https_and_sigterm(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "senec_simulator",
        "--profile",
        "v3-npu2411",
        "--speed",
        "60",
        "--control-port",
        "0",
        "--restart-seconds",
        "120",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        match = LINE.match(line)
        assert match, line
        assert match["scheme"] == "https"
        control = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        found = re.fullmatch(r"SENEC simulator control endpoint on (http://\S+)/_sim/", control)
        assert found, control
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{found[1]}/_sim/state") as resp,
        ):
            assert (await resp.json())["firmware"]["restarting"] is False
        trusted = ssl.create_default_context(cadata=await served_certificate(int(match["port"])))
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"https://127.0.0.1:{match['port']}/_sim/state", ssl=trusted) as resp,
        ):
            state = await resp.json()
        assert state["profile"] == "v3-npu2411"
        assert state["manual_clock"] is False
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_cli_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--host", "--port", "--profile", "--seed", "--speed", "--start", "--fault"):
        assert flag in text
    assert "--latency MS" in text
    assert "--control-port PORT" in text
    assert "--restart-seconds S" in text
    for fault in ("hang", "drop_sessions", "totals_lower", "v3-npu2411"):
        assert fault in text


@pytest.mark.parametrize(
    "args",
    [
        ["--profile", "v5"],
        ["--fault", "gremlins"],
        ["--fault", "hang:0"],
        ["--start", "soon"],
        ["--speed", "-1"],
        ["--latency", "-5"],
    ],
)
def test_cli_rejects_bad_arguments(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err
