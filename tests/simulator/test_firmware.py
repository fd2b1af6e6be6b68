"""The simulated appliance's restart and firmware update (`SYS_UPDATE`), on simulated time."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from senec_simulator.firmware import BOOT_REPORT_S, UPDATE_STEPS, FsmState

from .conftest import SimFactory
from .support import decode

RESTART = {"SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE": "u8_01"}}
STATE = {"SYS_UPDATE": {"FSM_STATE": "", "UPDATE_AVAILABLE": ""}}


async def refused(client: Any) -> bool:
    """Tell whether the appliance's web server does not answer at all."""
    try:
        await client.post(STATE)
    except aiohttp.ClientConnectionError:
        return True
    return False


async def fsm(client: Any) -> tuple[int | float | str, int | float | str]:
    """Return (FSM_STATE, UPDATE_AVAILABLE) as decoded numbers."""
    answer = (await client.read(STATE))["SYS_UPDATE"]
    return decode(answer["FSM_STATE"]), decode(answer["UPDATE_AVAILABLE"])


@pytest.mark.parametrize("profile", ["v3-0826", "v3-npu2411"])
async def test_a_restart_is_answered_then_silent_then_back_reporting_boot(
    make_sim: SimFactory, make_client: Any, profile: str
) -> None:
    sim = await make_sim(profile)
    client = make_client(sim)
    soc_before = sim.truth.soc
    await client.read({"FACTORY": {"DEVICE_ID": ""}})  # a session, where one is needed

    answer = await client.read(RESTART)

    assert answer["SYS_UPDATE"]["USER_REBOOT_DEVICE"] == "u8_01"
    assert answer["SYS_UPDATE"]["BOOT_REPORT_SUCCESS"] == "VARIABLE_NOT_FOUND"
    assert sim.firmware.restarts == 1
    assert await refused(client)
    sim.advance(60)
    await sim.settle()
    assert await refused(client)
    sim.advance(31)  # 90 s of simulated time by default
    await sim.settle()
    if profile == "v3-npu2411":
        # The old session is gone: without a new cookie the appliance refuses.
        assert (await client.post(STATE)).status == 401
        await client.read({"FACTORY": {"DEVICE_ID": ""}})
    assert await fsm(client) == (FsmState.REPORTING_BOOT, 0)
    sim.advance(BOOT_REPORT_S)
    assert await fsm(client) == (FsmState.WAITING, 0)
    # The battery went on as it was, not reset: two minutes of charging in the morning sun.
    assert sim.truth.soc == pytest.approx(soc_before, abs=2.0)


async def test_the_restart_time_is_set_at_start(make_sim: SimFactory, make_client: Any) -> None:
    sim = await make_sim("v3-0826", restart_s=300.0)
    client = make_client(sim)
    await client.read(RESTART)
    sim.advance(299)
    await sim.settle()
    assert await refused(client)
    sim.advance(1)
    await sim.settle()
    assert not await refused(client)


async def test_the_legacy_appliance_takes_no_restart(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("legacy")
    client = make_client(sim)
    answer = await client.read(RESTART)
    assert answer["SYS_UPDATE"]["USER_REBOOT_DEVICE"] == "u8_00"
    assert sim.firmware.restarts == 0
    assert not await refused(client)


async def test_an_update_walks_through_its_states_reboots_and_comes_back(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826", restart_s=120.0)
    client = make_client(sim)
    assert await fsm(client) == (FsmState.WAITING, 0)
    sim.announce_update()
    assert await fsm(client) == (FsmState.WAITING, 1)

    sim.start_update()
    seen = []
    for state, seconds in UPDATE_STEPS:
        seen.append((await fsm(client))[0])
        assert seen[-1] == state
        sim.advance(seconds)
    await sim.settle()
    assert await refused(client)
    sim.advance(120)
    await sim.settle()
    assert await fsm(client) == (FsmState.REPORTING_BOOT, 0)
    assert sim.firmware.restarts == 1
    assert seen[0] != FsmState.WAITING


async def test_the_control_endpoint_offers_and_starts_an_update(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826")
    client = make_client(sim)
    reply = await client.control("POST", "/_sim/update", {"available": True})
    assert reply.json() == {
        "fsm_state": 1,
        "update_available": True,
        "restarting": False,
        "restarts": 0,
    }
    reply = await client.control("POST", "/_sim/update", {"start": True})
    assert reply.json()["fsm_state"] == FsmState.REPORTING_STATUS
    assert (await client.control("POST", "/_sim/update", {"available": "yes"})).status == 400
    state = (await client.control("GET", "/_sim/state")).json()
    assert state["firmware"]["fsm_state"] == FsmState.REPORTING_STATUS


async def test_the_control_port_answers_while_the_appliance_restarts(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826", control_port=0)
    assert sim.control_url is not None
    client = make_client(sim)
    await client.read(RESTART)
    assert await refused(client)
    url = f"{sim.control_url}/_sim/advance"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"seconds": 90}) as reply,
    ):
        state = await reply.json()
    assert state["firmware"] == {
        "fsm_state": FsmState.REPORTING_BOOT,
        "update_available": False,
        "restarting": False,
        "restarts": 1,
    }
    assert not await refused(client)


async def test_without_a_control_port_there_is_no_control_url(make_sim: SimFactory) -> None:
    sim = await make_sim("v3-0826")
    assert sim.control_url is None


async def test_on_a_running_clock_a_restart_ends_by_itself(
    make_sim: SimFactory, make_client: Any
) -> None:
    sim = await make_sim("v3-0826", speed=3600.0)  # 90 s of simulated time: 25 ms
    client = make_client(sim)
    await client.read(RESTART)
    assert sim.firmware.silent()
    await asyncio.wait_for(sim.wait_online(), 10)
    assert not await refused(client)
    assert sim.firmware.restarts == 1
