"""The simulated appliance's forced charge: the recorded writes, the physics, the faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from senec_simulator import Simulator

from .conftest import SimFactory
from .support import Client, decode

REAL = Path(__file__).parent.parent / "fixtures" / "real_answers"
FORCE = "09-gem-2023-12-09-write-safety-charge"
RELEASE = "10-gem-2023-12-09-write-allow-discharge"
POLL = {
    "ENERGY": {
        "STAT_STATE": "",
        "SAFE_CHARGE_FORCE": "",
        "SAFE_CHARGE_PROHIBIT": "",
        "SAFE_CHARGE_RUNNING": "",
        "GUI_BAT_DATA_POWER": "",
        "GUI_BAT_DATA_FUEL_CHARGE": "",
        "GUI_GRID_POW": "",
        "GUI_HOUSE_POW": "",
        "GUI_INVERTER_POWER": "",
    }
}
MAX_CHARGE_W = 2500.0
NIGHT = datetime(2026, 6, 21, 1, 0, tzinfo=UTC)  # the v3-0826 profile's FACTORY.MAX_CHARGE_POWER_DC


def real(name: str) -> Any:
    """A recorded request or answer."""
    return json.loads((REAL / f"{name}.json").read_text())


async def read(client: Client) -> dict[str, Any]:
    """Poll the ENERGY values and decode them."""
    answer = await client.read(POLL)
    return {name: decode(value) for name, value in answer["ENERGY"].items()}


def shape(answer: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Sections and variable names in order: what a recorded answer and ours must share."""
    return [(section, list(values)) for section, values in answer.items()]


async def test_a_force_press_is_answered_like_the_recorded_one_then_charges_from_the_grid(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    before = await read(client)
    assert before["SAFE_CHARGE_RUNNING"] == 0

    answer = await client.read(real(f"{FORCE}.request"))

    # Same shape and the same values as the appliance's answer to the same request: the
    # press is echoed and SAFE_CHARGE_RUNNING still shows the state from before.
    assert shape(answer) == shape(real(FORCE))
    assert answer == real(FORCE)
    sim.advance(10)
    after = await read(client)
    assert after["SAFE_CHARGE_RUNNING"] == 1
    assert after["SAFE_CHARGE_FORCE"] == 0  # a push button: reads back u8_00
    assert after["STAT_STATE"] == 8  # MAN. SAFETY CHARGE
    assert after["GUI_BAT_DATA_POWER"] == pytest.approx(MAX_CHARGE_W)
    # Whatever the sun does, the charge power comes on top of the house from the grid.
    assert after["GUI_GRID_POW"] == pytest.approx(
        after["GUI_HOUSE_POW"] - after["GUI_INVERTER_POWER"] + MAX_CHARGE_W, abs=0.01
    )
    assert [name for _, name in sim.presses] == ["SAFE_CHARGE_FORCE"]


async def test_the_full_battery_is_held_until_released(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    await client.read(real(f"{FORCE}.request"))
    sim.advance(4 * 3600)  # into the afternoon and beyond: 7.5 kWh take at most 3 h
    full = await read(client)
    assert full["GUI_BAT_DATA_FUEL_CHARGE"] == pytest.approx(100.0)
    assert full["SAFE_CHARGE_RUNNING"] == 1
    assert full["STAT_STATE"] == 9  # SAFETY CHARGE READY
    assert full["GUI_BAT_DATA_POWER"] == 0.0
    # Held through the evening: the house runs from the grid, the battery gives nothing.
    sim.advance(10 * 3600)
    night = await read(client)
    assert night["GUI_INVERTER_POWER"] <= 0.0
    assert night["GUI_BAT_DATA_FUEL_CHARGE"] == pytest.approx(100.0)
    assert night["GUI_BAT_DATA_POWER"] == 0.0
    assert night["GUI_GRID_POW"] == pytest.approx(night["GUI_HOUSE_POW"], abs=0.01)

    answer = await client.read(real(f"{RELEASE}.request"))

    # As recorded: the release is echoed, the charge still shows as running.
    assert answer == real(RELEASE)
    sim.advance(10)
    released = await read(client)
    assert released["SAFE_CHARGE_RUNNING"] == 0
    assert released["SAFE_CHARGE_PROHIBIT"] == 0
    assert released["GUI_BAT_DATA_POWER"] < 0  # back to normal: the night runs from it
    assert released["STAT_STATE"] not in (8, 9)


async def test_the_ground_truth_counts_the_grid_charge(make_sim: SimFactory) -> None:
    sim = await make_sim(start=NIGHT)
    sim.advance(1)
    assert sim.truth.battery_power < 0  # the night runs from the battery
    before = sim.truth
    client = Client(sim)
    try:
        await client.read(real(f"{FORCE}.request"))
    finally:
        await client.close()
    sim.advance(1800)
    after = sim.truth
    charged = after.battery_charged - before.battery_charged
    # 2 s until the appliance acts, then 2.5 kW for the rest of the half hour.
    assert charged == pytest.approx(MAX_CHARGE_W * (1800 - 2) / 3_600_000, rel=1e-3)
    imported = after.grid_imported - before.grid_imported
    consumed = after.house_consumed - before.house_consumed
    # No sun: the grid brings the house and the charge, and nothing comes out of the battery.
    assert after.pv_generated == pytest.approx(before.pv_generated, abs=1e-9)
    discharged = after.battery_discharged - before.battery_discharged
    assert discharged < 0.001  # only in the 2 s before the appliance acted
    assert imported == pytest.approx(consumed + charged - discharged, rel=1e-9)
    assert after.house_power == pytest.approx(
        after.pv_power - after.battery_power + after.grid_power, abs=1e-9
    )


async def test_a_battery_check_cancels_the_forced_charge(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    await client.read(real(f"{FORCE}.request"))
    sim.advance(60)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == 1
    reply = await client.control("POST", "/_sim/fault", {"fault": "battery_check"})
    assert reply.status == 200
    sim.advance(2)
    state = await read(client)
    assert state["SAFE_CHARGE_RUNNING"] == 0
    assert state["STAT_STATE"] not in (8, 9)


@pytest.mark.parametrize(("count", "falls_back_twice"), [(1, False), (None, True)])
async def test_a_release_can_fall_back_into_charging(
    make_sim: SimFactory,
    make_client: Callable[[Simulator], Client],
    count: int | None,
    falls_back_twice: bool,
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    sim.set_fault("charge_fallback", count)
    assert sim.active_faults["charge_fallback"] == {"count": count}
    await client.read(real(f"{FORCE}.request"))
    sim.advance(30)
    await client.read(real(f"{RELEASE}.request"))
    sim.advance(5)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == 0
    sim.advance(10)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == 1  # charging again by itself
    await client.read(real(f"{RELEASE}.request"))
    sim.advance(30)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == int(falls_back_twice)
    sim.clear_faults()
    assert "charge_fallback" not in sim.active_faults


async def test_only_the_two_buttons_are_taken(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    answer = await client.read(
        {"ENERGY": {"LI_STORAGE_MODE_START": "u8_01", "SAFE_CHARGE_RUNNING": "u8_01"}}
    )
    assert answer == {"ENERGY": {"LI_STORAGE_MODE_START": "u8_00", "SAFE_CHARGE_RUNNING": "u8_00"}}
    sim.advance(10)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == 0
    assert sim.presses == []


async def test_a_failed_request_presses_nothing(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim()
    client = make_client(sim)
    sim.set_fault("http_504", 1)
    reply = await client.post(real(f"{FORCE}.request"))
    assert reply.status == 504
    sim.advance(10)
    assert (await read(client))["SAFE_CHARGE_RUNNING"] == 0
    assert sim.presses == []


async def test_the_legacy_appliance_has_no_buttons(
    make_sim: SimFactory, make_client: Callable[[Simulator], Client]
) -> None:
    sim = await make_sim("legacy")
    client = make_client(sim)
    answer = await client.read(real(f"{FORCE}.request"))
    assert set(answer["ENERGY"].values()) == {"VARIABLE_NOT_FOUND"}
    sim.advance(10)
    assert sim.truth.safe_charge_running is False
    assert sim.presses == []
