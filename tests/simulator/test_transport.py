"""Schemes, certificates, sessions, the clock and reboots, seen from a client."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from .conftest import SimFactory
from .support import Client, decode

COOKIE = "senec-homev3-gui"


async def test_https_profiles_refuse_plain_http(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826")
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            await session.post(f"http://{sim.host}/lala.cgi", json={"ENERGY": {}})
    assert sim.request_count == 0


async def test_legacy_refuses_tls(make_sim: SimFactory) -> None:
    sim = await make_sim("legacy")
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            await session.post(f"https://{sim.host}/lala.cgi", json={"ENERGY": {}}, ssl=False)
        async with session.post(sim.url, json={"ENERGY": {}}) as resp:
            assert resp.status == 200
    assert sim.request_count == 1


async def test_certificate_is_self_signed_for_loopback(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826")
    assert sim.certificate_pem is not None
    cert = x509.load_pem_x509_certificate(sim.certificate_pem)
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "127.0.0.1"
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.IPv4Address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await session.post(sim.url, json={"ENERGY": {}})


async def test_each_start_makes_a_new_certificate(make_sim: SimFactory) -> None:
    first = await make_sim("v3-0826")
    second = await make_sim("v3-0826")
    assert first.certificate_pem != second.certificate_pem
    assert first.port != second.port


async def test_session_cookie_flow(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-npu2411")
    client: Client = make_client(sim)
    refused = await client.post({"ENERGY": {"GUI_GRID_POW": ""}})
    assert refused.status == 401
    assert refused.body == b""

    identity = await client.post({"FACTORY": {"DEVICE_ID": ""}})
    assert identity.status == 200
    set_cookie = identity.headers["Set-Cookie"]
    name, _, rest = set_cookie.partition("=")
    token, _, attributes = rest.partition("; ")
    assert name == COOKIE
    assert len(token) >= 16
    assert attributes == "Secure; HttpOnly; Max-Age=3600; SameSite=Strict; Path=/"
    assert (await client.post({"ENERGY": {"GUI_GRID_POW": ""}})).status == 200

    assert sim.session_count == 1
    sim.set_fault("drop_sessions")
    assert sim.session_count == 0
    assert (await client.post({"ENERGY": {}})).status == 401
    assert sim.active_faults == {}, "drop_sessions acts once"
    assert (await client.post({"FACTORY": {}, "ENERGY": {}})).status == 200
    assert (await client.post({"ENERGY": {}})).status == 200

    sim.advance(3599)
    assert (await client.post({"ENERGY": {}})).status == 200
    sim.advance(2)
    assert (await client.post({"ENERGY": {}})).status == 401, "Max-Age counts in simulated time"


async def test_unknown_cookie_is_refused(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-npu2411")
    client: Client = make_client(sim)
    client.session.cookie_jar.update_cookies(
        {COOKIE: "0123456789abcdef0123456789abcdef"}, aiohttp.client.URL(sim.url)
    )
    assert (await client.post({"ENERGY": {}})).status == 401
    assert (await client.post({"FACTORY": {"SYS_TYPE": ""}})).status == 200
    assert (await client.post({"ENERGY": {}})).status == 200


async def test_older_profiles_need_no_cookie(make_sim: SimFactory, make_client: Any) -> None:
    for profile in ("legacy", "v3-0826"):
        sim = await make_sim(profile)
        reply = await make_client(sim).post({"FACTORY": {}, "ENERGY": {}})
        assert reply.status == 200
        assert "Set-Cookie" not in reply.headers


async def test_reboot_refuses_then_accepts_on_the_same_port(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-npu2411")
    client: Client = make_client(sim)
    port = sim.port
    assert (await client.post({"FACTORY": {}})).status == 200
    before = sim.truth
    await sim.reboot()
    assert sim.rebooting
    with pytest.raises(aiohttp.ClientConnectorError):
        await client.post({"FACTORY": {}})
    sim.advance(600)
    await sim.finish_reboot()
    assert not sim.rebooting
    assert sim.port == port
    assert (await client.post({"ENERGY": {}})).status == 401, "a reboot forgets sessions"
    answer = await client.read({"FACTORY": {}, "ENERGY": {"STAT_HOURS_OF_OPERATION": ""}})
    assert decode(answer["ENERGY"]["STAT_HOURS_OF_OPERATION"]) >= 8760
    assert sim.truth.pv_generated > before.pv_generated, "the counters carry on"


async def test_reboot_comes_back_by_itself(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    began = time.monotonic()
    await sim.reboot(0.2)
    with pytest.raises(aiohttp.ClientConnectorError):
        await client.post({"ENERGY": {}})
    await asyncio.wait_for(sim.wait_online(), 5)
    assert time.monotonic() - began >= 0.2
    assert (await client.post({"ENERGY": {}})).status == 200


async def test_running_clock_follows_wall_time(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy", speed=1000.0)
    assert not sim.manual_clock
    client: Client = make_client(sim)
    wall_before = time.monotonic()
    sim_before = sim.now
    request = {"RTC": {"WEB_TIME": ""}}
    first = decode((await client.read(request))["RTC"]["WEB_TIME"])
    second = decode((await client.read(request))["RTC"]["WEB_TIME"])
    sim_after = sim.now
    wall_after = time.monotonic()
    elapsed = (sim_after - sim_before).total_seconds()
    assert 0 < elapsed <= 1000 * (wall_after - wall_before) + 1
    assert first <= second
    sim.advance(3600)
    assert (sim.now - sim_after) >= timedelta(hours=1), "advance jumps a running clock ahead"
