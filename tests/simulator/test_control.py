"""The control endpoint shows the truth and changes faults and time, untouched by faults."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from .conftest import SUMMER_MORNING, SimFactory
from .support import Client


async def test_state_shows_the_truth(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-npu2411", seed=4)
    client: Client = make_client(sim)
    reply = await client.control("GET", "/_sim/state")
    assert reply.status == 200
    state = reply.json()
    truth = sim.truth
    assert state["profile"] == "v3-npu2411"
    assert state["seed"] == 4
    assert state["now"] == SUMMER_MORNING.isoformat()
    assert state["soc"] == truth.soc
    assert state["pv_generated"] == truth.pv_generated
    assert state["offsets"]["grid_imported"] == truth.offsets.grid_imported
    assert state["since_start"]["house_consumed"] == 0.0
    assert state["state"] == truth.state


async def test_faults_and_advance_over_http(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("legacy")
    client: Client = make_client(sim)
    reply = await client.control("POST", "/_sim/fault", {"fault": "http_504", "count": 1})
    assert reply.status == 200
    assert reply.json()["faults"] == {"http_504": {"count": 1}}
    assert (await client.post({"ENERGY": {}})).status == 504
    assert (await client.post({"ENERGY": {}})).status == 200

    await client.control("POST", "/_sim/fault", {"fault": "reset", "count": None})
    with pytest.raises(aiohttp.ClientError):
        await client.post({"ENERGY": {}})
    assert (await client.control("GET", "/_sim/state")).status == 200, "control is never faulted"
    assert (await client.control("POST", "/_sim/clear")).json() == {"faults": {}}
    assert (await client.post({"ENERGY": {}})).status == 200

    reply = await client.control("POST", "/_sim/fault", {"fault": "latency", "ms": 50})
    assert reply.json()["faults"] == {"latency": {"ms": 50.0, "count": None}}
    await client.control("POST", "/_sim/clear")

    reply = await client.control("POST", "/_sim/advance", {"seconds": 7200})
    assert reply.status == 200
    assert reply.json()["since_start"]["pv_generated"] > 0
    assert (sim.now - SUMMER_MORNING).total_seconds() == 7200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sim/fault", {"fault": "gremlins"}),
        ("/_sim/fault", {"count": 1}),
        ("/_sim/fault", {"fault": "hang", "count": -1}),
        ("/_sim/fault", {"fault": "empty", "ms": 3}),
        ("/_sim/advance", {"seconds": -1}),
        ("/_sim/advance", {"seconds": "soon"}),
        ("/_sim/advance", [1]),
    ],
)
async def test_bad_control_requests(
    make_sim: SimFactory, make_client: Any, path: str, body: Any
) -> None:
    sim = await make_sim("legacy")
    reply = await make_client(sim).control("POST", path, body)
    assert reply.status == 400
    assert sim.active_faults == {}
    assert sim.now == SUMMER_MORNING


async def test_reboot_over_http(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826")
    client: Client = make_client(sim)
    began = time.monotonic()
    reply = await client.control("POST", "/_sim/reboot", {"seconds": 0.3})
    assert reply.status == 200
    assert sim.rebooting
    with pytest.raises(aiohttp.ClientConnectorError):
        await client.post({"ENERGY": {}})
    await asyncio.wait_for(sim.wait_online(), 5)
    assert time.monotonic() - began >= 0.3
    assert (await client.post({"ENERGY": {}})).status == 200
