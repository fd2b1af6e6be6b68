"""The client against the simulated appliance over real sockets (HTTP and HTTPS)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest
from aiohttp import web

from custom_components.senec_home.api import (
    DISCOVERY_VARIABLES,
    IDENTITY_REQUEST,
    MAX_REQUEST_BYTES,
    POLL_REQUEST,
    SLOW_VARIABLES,
    SenecClient,
    SenecConnectionError,
    SenecNotSenecError,
    SenecProtocolError,
    SenecTimeoutError,
    build_form,
    variables_of,
)
from senec_simulator import Simulator

from ..conftest import WebServer

ALL_PROFILES = ["legacy", "v3-0826", "v3-npu2411"]


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session with default (verifying) TLS and the default cookie jar."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.mark.parametrize(
    ("simulator", "scheme", "model"),
    [
        ("legacy", "http", "SENEC.Home V2.1 1ph Lithium"),
        ("v3-0826", "https", "SENEC.Home V3 hybrid duo"),
        ("v3-npu2411", "https", "SENEC.Home V3 hybrid duo"),
    ],
    indirect=["simulator"],
)
async def test_reads_identity_and_poll_on_every_profile(
    simulator: Simulator, session: aiohttp.ClientSession, scheme: str, model: str
) -> None:
    client = SenecClient(simulator.host, session)
    identity = await client.identity()
    assert client.scheme == scheme
    assert identity.model == model
    assert identity.serial.isdigit()
    assert len(identity.serial) >= 20
    assert identity.modules_configured is not None
    assert identity.modules_configured >= 1

    snapshot = await client.poll(build_form(DISCOVERY_VARIABLES))
    truth = simulator.truth
    assert snapshot.pv_power == pytest.approx(truth.pv_power, abs=0.01)
    assert snapshot.house_power == pytest.approx(truth.house_power, abs=0.01)
    assert snapshot.grid_power == pytest.approx(truth.grid_power, abs=0.01)
    assert snapshot.battery_power == pytest.approx(truth.battery_power, abs=0.01)
    assert snapshot.battery_soc == pytest.approx(truth.soc, abs=0.01)
    assert snapshot.system_state == truth.state
    assert len(snapshot.mpp_power) == 3
    assert len(snapshot.module_cycles) == 4
    assert snapshot.raw["ENERGY"]["STAT_STATE"].startswith("u8_")
    assert snapshot.totals.available is (simulator.profile == "legacy")


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_legacy_totals_match_the_appliance_counters(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    snapshot = await SenecClient(simulator.host, session).poll()
    truth = simulator.truth
    assert snapshot.totals.house_consumption == pytest.approx(truth.house_consumed, rel=1e-6)
    assert snapshot.totals.battery_charge == pytest.approx(truth.battery_charged, rel=1e-6)
    assert snapshot.totals.grid_import == pytest.approx(truth.grid_imported, rel=1e-6)


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_a_preferred_http_scheme_falls_back_to_https(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session, scheme="http")
    await client.poll()
    assert client.scheme == "https"


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_self_signed_certificate_is_accepted_only_for_the_appliance(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    assert (await SenecClient(simulator.host, session).poll()).pv_power is not None
    # The same session, used directly, still verifies certificates.
    with pytest.raises(aiohttp.ClientConnectorCertificateError):
        await session.post(simulator.url, json=POLL_REQUEST)
    # And the appliance's certificate is the one the simulator made (trusting it works).
    assert simulator.certificate_pem is not None
    trusted = ssl.create_default_context(cadata=simulator.certificate_pem.decode())
    async with session.post(simulator.url, json=POLL_REQUEST, ssl=trusted) as response:
        assert response.status == 200


@pytest.mark.parametrize("simulator", ["v3-npu2411"], indirect=True)
async def test_session_cookie_is_kept_for_ip_hosts_and_re_established(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session)
    energy_only = {"ENERGY": POLL_REQUEST["ENERGY"]}
    # No cookie yet: refused, then re-established through a FACTORY request, then answered.
    answer = await client.read(energy_only)
    assert answer["ENERGY"]["STAT_STATE"] == simulator.truth.state
    assert client.has_session_cookie
    assert simulator.request_count == 3
    # With the cookie, a request without FACTORY is answered at once.
    await client.read(energy_only)
    assert simulator.request_count == 4
    assert "FACTORY" not in simulator.last_request
    # The appliance forgets its sessions: the client recovers by itself.
    simulator.set_fault("drop_sessions")
    assert "ENERGY" in await client.read(energy_only)
    assert simulator.request_count == 7


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("http_500", SenecProtocolError),
        ("http_504", SenecProtocolError),
        ("malformed", SenecProtocolError),
        ("truncated", SenecProtocolError),
        ("empty", SenecProtocolError),
        ("reset", SenecConnectionError),
    ],
)
@pytest.mark.parametrize("simulator", ALL_PROFILES, indirect=True)
async def test_each_fault_gives_its_typed_error_and_the_next_call_recovers(
    simulator: Simulator, session: aiohttp.ClientSession, fault: str, error: type[Exception]
) -> None:
    client = SenecClient(simulator.host, session)
    await client.poll()
    simulator.set_fault(fault, count=1)
    with pytest.raises(error):
        await client.poll()
    assert (await client.poll()).house_power is not None


@pytest.mark.parametrize("simulator", ["v3-0826", "legacy"], indirect=True)
async def test_a_hanging_appliance_times_out(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session, timeout=0.5)
    await client.poll()
    simulator.set_fault("hang")
    with pytest.raises(SenecTimeoutError):
        await client.poll()
    simulator.clear_faults()
    assert (await client.poll()).pv_power is not None


@pytest.mark.parametrize("simulator", ["v3-npu2411"], indirect=True)
async def test_reboot_refuses_connections_then_everything_comes_back(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session)
    await client.poll()
    await simulator.reboot()
    with pytest.raises(SenecConnectionError):
        await client.poll()
    await simulator.finish_reboot()
    assert (await client.poll()).pv_power is not None
    assert client.scheme == "https"


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_nan_values_are_no_value_not_zero(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session)
    simulator.set_fault("nan", count=1)
    snapshot = await client.poll()
    assert snapshot.house_power is None
    assert snapshot.totals.house_consumption is None
    assert snapshot.system_state is not None
    assert (await client.poll()).house_power is not None


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_one_request_in_flight_at_a_time(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = SenecClient(simulator.host, session)
    await client.poll()
    simulator.set_fault("latency", ms=150)
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(*(client.poll() for _ in range(4)))
    # Serialised: four answers that each take 150 ms cannot arrive sooner than 600 ms.
    assert loop.time() - start >= 0.6
    assert all(result.pv_power is not None for result in results)


async def test_nothing_listening_is_a_connection_error(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    client = SenecClient(f"127.0.0.1:{unused_tcp_port}", session)
    with pytest.raises(SenecConnectionError):
        await client.identity()
    assert client.scheme is None


@pytest.mark.parametrize(
    "response",
    [
        web.Response(text="<html>router login</html>", content_type="text/html"),
        web.Response(status=404, text="not found"),
        web.json_response({"ENERGY": {"STAT_STATE": "u8_0E"}}),
        web.json_response([1, 2, 3]),
    ],
    ids=["html", "404", "json-without-serial", "json-list"],
)
async def test_something_else_answering_is_not_a_senec(
    session: aiohttp.ClientSession, web_server: WebServer, response: web.Response
) -> None:
    async def handler(_request: web.Request) -> web.StreamResponse:
        return web.Response(
            status=response.status, body=response.body, content_type=response.content_type
        )

    host = await web_server(handler)
    with pytest.raises(SenecNotSenecError):
        await SenecClient(host, session).identity()


async def test_a_truncated_json_identity_is_transient_not_a_verdict(
    session: aiohttp.ClientSession, web_server: WebServer
) -> None:
    async def handler(_request: web.Request) -> web.StreamResponse:
        return web.Response(body=b'{"FACTORY":{"DEVICE_ID":"st_1', content_type="application/json")

    host = await web_server(handler)
    with pytest.raises(SenecProtocolError) as caught:
        await SenecClient(host, session).identity()
    assert not isinstance(caught.value, SenecNotSenecError)


def test_requests_stay_small() -> None:
    for form in (POLL_REQUEST, IDENTITY_REQUEST, build_form(DISCOVERY_VARIABLES)):
        assert len(orjson.dumps(form)) < MAX_REQUEST_BYTES
    assert len(orjson.dumps(POLL_REQUEST)) < 1024
    assert next(iter(IDENTITY_REQUEST)) == "FACTORY"
    # The session cookie of NPU 2411 comes with an answer to FACTORY: it leads every form.
    assert next(iter(build_form(DISCOVERY_VARIABLES))) == "FACTORY"
    seed_statistic = {
        "CURRENT_STATE",
        "LIVE_BAT_CHARGE_MASTER",
        "LIVE_BAT_DISCHARGE_MASTER",
        "LIVE_BAT_CHARGE",
        "LIVE_BAT_DISCHARGE",
        "LIVE_GRID_EXPORT",
        "LIVE_GRID_IMPORT",
        "LIVE_HOUSE_CONS",
        "LIVE_PV_GEN",
        "MEASURE_TIME",
    }
    assert set(POLL_REQUEST["STATISTIC"]) == seed_statistic
    # What the energy totals integrate is always asked; slow values never are.
    assert {"STAT_STATE", "GUI_GRID_POW", "GUI_INVERTER_POWER", "GUI_BAT_DATA_POWER"} <= set(
        POLL_REQUEST["ENERGY"]
    )
    assert "GUI_HOUSE_POW" in POLL_REQUEST["ENERGY"]
    # The force-charge switch shows whether a forced charge runs.
    assert "SAFE_CHARGE_RUNNING" in POLL_REQUEST["ENERGY"]
    assert not variables_of(POLL_REQUEST) & SLOW_VARIABLES
    assert SLOW_VARIABLES <= DISCOVERY_VARIABLES


def test_forms_are_built_in_a_stable_order_with_factory_first() -> None:
    form = build_form([("PV1", "MPP_POWER"), ("FACTORY", "DESIGN_CAPACITY"), ("BMS", "SOC")])
    assert list(form) == ["FACTORY", "BMS", "PV1"]
    assert form == {
        "FACTORY": {"DESIGN_CAPACITY": ""},
        "BMS": {"SOC": ""},
        "PV1": {"MPP_POWER": ""},
    }
    assert variables_of(form) == {
        ("PV1", "MPP_POWER"),
        ("FACTORY", "DESIGN_CAPACITY"),
        ("BMS", "SOC"),
    }


async def test_a_redirect_is_not_served_here_so_the_other_scheme_is_tried(
    session: aiohttp.ClientSession, web_server: WebServer
) -> None:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        seen.append(request.scheme)
        raise web.HTTPMovedPermanently(location=f"https://{request.host}/lala.cgi")

    host = await web_server(handler)
    client = SenecClient(host, session, scheme="http")
    with pytest.raises(SenecConnectionError, match="redirect"):
        await client.poll()
    # HTTP answered with a redirect; HTTPS was tried next (and failed: this server is HTTP).
    assert seen == ["http"]
    assert client.scheme is None
