"""Every fault is observable from a client, and count-limited faults clear themselves."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from senec_simulator import Fault, Simulator

from .conftest import SimFactory
from .support import Client, decode, f32

TOTALS = {
    "LIVE_BAT_CHARGE": "battery_charged",
    "LIVE_BAT_DISCHARGE": "battery_discharged",
    "LIVE_GRID_EXPORT": "grid_exported",
    "LIVE_GRID_IMPORT": "grid_imported",
    "LIVE_HOUSE_CONS": "house_consumed",
    "LIVE_PV_GEN": "pv_generated",
}
REQUEST = {"ENERGY": {}, "STATISTIC": {}, "PV1": {"MPP_POWER": ""}}


async def wait_for_requests(sim: Any, count: int) -> None:
    """Wait (briefly) until the simulator has received `count` requests."""
    for _ in range(200):
        if sim.request_count >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("request never arrived")


async def test_latency_delays_the_answer(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    sim.set_fault(Fault.LATENCY, count=1, ms=200)
    began = time.monotonic()
    assert (await client.post(REQUEST)).status == 200
    assert time.monotonic() - began >= 0.2
    assert sim.active_faults == {}


async def test_hang_outlasts_the_client_timeout(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    sim.set_fault("hang")
    with pytest.raises(TimeoutError):
        async with client.session.post(
            sim.url, json=REQUEST, timeout=aiohttp.ClientTimeout(total=0.3)
        ):
            pass
    sim.clear_faults()
    assert (await client.post(REQUEST)).status == 200


async def test_hang_ends_after_its_seconds(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    sim.set_fault("hang", count=1, seconds=0.2)
    began = time.monotonic()
    assert (await make_client(sim).post(REQUEST)).status == 200
    assert time.monotonic() - began >= 0.2


async def test_clearing_answers_a_hung_request(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    sim.set_fault("hang", seconds=60)
    pending = asyncio.create_task(client.post(REQUEST))
    await wait_for_requests(sim, 1)
    assert not pending.done()
    sim.clear_faults()
    reply = await asyncio.wait_for(pending, 5)
    assert reply.status == 200


async def test_hang_does_not_block_shutdown(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    sim.set_fault("hang")
    pending = asyncio.create_task(client.post(REQUEST))
    await wait_for_requests(sim, 1)
    began = time.monotonic()
    await sim.stop()
    assert time.monotonic() - began < 1.5
    with pytest.raises(aiohttp.ClientError):
        await pending


@pytest.mark.parametrize(("fault", "status"), [("http_500", 500), ("http_504", 504)])
async def test_http_errors(make_sim: SimFactory, make_client: Any, fault: str, status: int) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    sim.set_fault(fault, count=2)
    for _ in range(2):
        reply = await client.post(REQUEST)
        assert reply.status == status
        assert reply.headers["Server"] == "nginx/1.17.7"
        assert f"<title>{status} ".encode() in reply.body
    assert (await client.post(REQUEST)).status == 200, "a counted fault clears itself"


async def test_reset_gives_no_answer(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    sim.set_fault("reset", count=1)
    with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
        await client.post(REQUEST)
    assert (await client.post(REQUEST)).status == 200


async def test_malformed_body_has_a_stray_quote_in_an_array(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    good = (await client.post(REQUEST)).body
    sim.set_fault("malformed", count=1)
    reply = await client.post(REQUEST)
    assert reply.status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.body)
    assert b'"",' in reply.body
    assert reply.body.replace(b'"",', b'",', 1) == good
    assert reply.body.index(b'"",') > reply.body.index(b"[")


async def test_truncated_body(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    good = (await client.post(REQUEST)).body
    sim.set_fault("truncated", count=1)
    reply = await client.post(REQUEST)
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert 0 < len(reply.body) < len(good)
    assert good.startswith(reply.body)
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.body)


async def test_empty_body(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    sim.set_fault("empty", count=1)
    reply = await make_client(sim).post(REQUEST)
    assert reply.status == 200
    assert reply.body == b""


async def test_totals_zero(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    sim.set_fault("totals_zero")
    for _ in range(2):
        answer = await client.read(REQUEST)
        for name in TOTALS:
            assert answer["STATISTIC"][name] == "fl_00000000"
        assert decode(answer["STATISTIC"]["CURRENT_STATE"]) == sim.truth.state
        assert decode(answer["ENERGY"]["GUI_HOUSE_POW"]) == f32(sim.truth.house_power)
    sim.clear_faults()
    answer = await client.read(REQUEST)
    assert decode(answer["STATISTIC"]["LIVE_PV_GEN"]) == f32(sim.truth.pv_generated)


async def test_totals_lower(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    sim.set_fault("totals_lower", count=1)
    answer = await make_client(sim).read(REQUEST)
    truth = sim.truth
    for name, field in TOTALS.items():
        assert decode(answer["STATISTIC"][name]) == f32(getattr(truth, field) - 1.0)


async def test_nan(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    sim.set_fault("nan", count=1)
    answer = await make_client(sim).read(REQUEST)
    for name in ("GUI_BAT_DATA_POWER", "GUI_GRID_POW", "GUI_HOUSE_POW", "GUI_INVERTER_POWER"):
        assert answer["ENERGY"][name] == "fl_7FC00000"
    for name in TOTALS:
        assert answer["STATISTIC"][name] == "fl_7FC00000"
    assert decode(answer["ENERGY"]["GUI_BAT_DATA_FUEL_CHARGE"]) == f32(sim.truth.soc)


async def test_several_faults_at_once(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    sim.set_fault("latency", count=2, ms=100)
    sim.set_fault("totals_zero", count=1)
    sim.set_fault("nan")
    assert set(sim.active_faults) == {"latency", "totals_zero", "nan"}
    began = time.monotonic()
    first = await client.read(REQUEST)
    assert first["STATISTIC"]["LIVE_PV_GEN"] == "fl_7FC00000", "NaN wins over zero"
    assert first["ENERGY"]["GUI_GRID_POW"] == "fl_7FC00000"
    await client.read(REQUEST)
    assert time.monotonic() - began >= 0.2
    assert set(sim.active_faults) == {"nan"}
    assert sim.active_faults["nan"]["count"] is None
    sim.clear_faults()
    assert sim.active_faults == {}


def test_bad_faults_are_refused() -> None:
    sim = Simulator("legacy")
    with pytest.raises(ValueError, match="unknown fault"):
        sim.set_fault("gremlins")
    with pytest.raises(ValueError, match="no parameter"):
        sim.set_fault("http_500", ms=3)
    with pytest.raises(ValueError, match="count"):
        sim.set_fault("empty", count=0)
    with pytest.raises(ValueError, match="non-negative"):
        sim.set_fault("latency", ms=-5)
    assert sim.active_faults == {}
