"""A SENEC wallbox charging a car, module swaps, and what diagnostics keep of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from custom_components.senec_home.diagnostics import async_get_config_entry_diagnostics
from senec_simulator import Simulator, Wallbox
from senec_simulator.installation import UTC_OFFSET_MINUTES
from senec_simulator.wallbox import plugged_window

DAY = date(2026, 6, 21)
SEED = 1


def _plugged_in_at() -> datetime:
    """One minute after the simulated car arrives on DAY (its charge takes 40 min or more)."""
    second = plugged_window(SEED, DAY, Wallbox.EVENING)[0] + 60
    local = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC) + timedelta(seconds=second)
    return local - timedelta(minutes=UTC_OFFSET_MINUTES)


@pytest.fixture
async def charging(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, socket_enabled: None
) -> AsyncIterator[tuple[Simulator, MockConfigEntry]]:
    """The integration set up for a house whose car is charging at the wallbox."""
    start = _plugged_in_at()
    freezer.move_to(start)
    async with Simulator(profile="v3-0826", seed=SEED, start=start, wallbox="evening") as sim:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="SENEC.Home",
            data={CONF_HOST: sim.host, CONF_SCHEME: sim.scheme},
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield sim, entry


async def _poll(hass: HomeAssistant, sim: Simulator, freezer: FrozenDateTimeFactory) -> None:
    sim.advance(10)
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_the_wallbox_and_its_car_are_shown(
    hass: HomeAssistant,
    charging: tuple[Simulator, MockConfigEntry],
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    sim, entry = charging
    assert sim.truth.wallbox_power == 11_000
    power = hass.states.get("sensor.senec_home_wallbox_1_charging_power")
    assert float(power.state) == 11_000
    state = hass.states.get("sensor.senec_home_wallbox_1_state")
    assert state.state == "charging"
    assert state.attributes["code"] == 0xC2
    assert hass.states.get("binary_sensor.senec_home_wallbox_1_car_connected").state == "on"
    assert hass.states.get("sensor.senec_home_wallbox_1_phases_used").state == "3"
    # The house power leaves the wallbox out; the grid carries it.
    house = float(hass.states.get("sensor.senec_home_house_power").state)
    assert house < 5_000
    # Only slot 1 holds a wallbox.
    keys = {e.unique_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)}
    assert not any("_wallbox_2_" in key for key in keys)

    energy = "sensor.senec_home_wallbox_energy"
    assert float(hass.states.get(energy).state) == 0.0
    for _ in range(36):  # six minutes at 11 kW: 1.1 kWh
        await _poll(hass, sim, freezer)
    assert float(hass.states.get(energy).state) == pytest.approx(1.1, rel=0.01)


async def test_diagnostics_redact_the_wallbox_serial(
    hass: HomeAssistant, charging: tuple[Simulator, MockConfigEntry]
) -> None:
    _sim, entry = charging
    serial = f"WB{SEED:08d}"
    # The set-up asked for the serial (to tell a wallbox from an empty slot).
    assert serial in str(entry.runtime_data.client.last_raw)
    # Called directly: the frozen clock has moved past the lifetime of a test login.
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert serial not in str(diagnostics)
    # In the raw answer the serial keeps its form: a wallbox in slot 1, the others empty.
    assert diagnostics["raw_answers"]["setup"]["answer"]["WALLBOX"]["SERIAL_NUMBER"] == [
        "st_XX00000000",
        "st_",
        "st_",
        "st_",
    ]


async def test_no_wallbox_entities_without_a_wallbox(
    hass: HomeAssistant, setup_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    keys = {
        e.unique_id
        for e in er.async_entries_for_config_entry(entity_registry, setup_integration.entry_id)
    }
    assert not any("_wallbox_" in key for key in keys)
    assert hass.states.get("sensor.senec_home_wallbox_energy") is None


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_entities_of_modules_and_wallboxes_that_are_gone_are_removed(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    serial: str,
) -> None:
    # A fourth module and a wallbox the appliance had before (it now has three, none).
    config_entry.add_to_hass(hass)
    kept = entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{serial}_module_3_soc", config_entry=config_entry
    )
    gone = [
        entity_registry.async_get_or_create("sensor", DOMAIN, uid, config_entry=config_entry)
        for uid in (
            f"{serial}_module_4_soc",
            f"{serial}_module_4_cycles",
            f"{serial}_wallbox_1_power",
        )
    ]
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert entity_registry.async_get(kept.entity_id) is not None
    assert hass.states.get(kept.entity_id).state != STATE_UNKNOWN
    for entity in gone:
        assert entity_registry.async_get(entity.entity_id) is None
