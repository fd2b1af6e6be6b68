"""Which entities exist is decided by the variables the appliance has, not by one poll's values.

A state code this version does not know yet, a NaN or a malformed value in the first poll
must not cost the device an entity until the next restart: the entity is created, its state
is unknown, and it recovers on the next good poll.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import WebServer

POWERS = (
    "sensor.senec_home_solar_power",
    "sensor.senec_home_house_power",
    "sensor.senec_home_grid_power",
    "sensor.senec_home_battery_power",
)


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _next_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_an_unknown_state_code_at_set_up_keeps_the_system_state_entity(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.state_override = 200  # a code newer firmware might add
    await _setup(hass, config_entry)
    state = hass.states.get("sensor.senec_home_system_state")
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes["code"] == 200

    simulator.state_override = None
    await _next_poll(hass, freezer)
    state = hass.states.get("sensor.senec_home_system_state")
    assert state.state in state.attributes["options"]
    assert state.attributes["code"] == simulator.truth.state


async def test_nan_at_set_up_gives_unknown_entities_that_recover(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    simulator.set_fault("nan")
    await _setup(hass, config_entry)
    for entity_id in POWERS:
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        assert state.state == STATE_UNKNOWN, entity_id

    simulator.clear_faults()
    await _next_poll(hass, freezer)
    for entity_id in POWERS:
        assert hass.states.get(entity_id).state != STATE_UNKNOWN, entity_id
    assert float(hass.states.get("sensor.senec_home_solar_power").state) > 0


async def test_variables_the_appliance_does_not_have_give_no_entity(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    # v3-0826: STATISTIC comes back empty, so neither of its entities exists.
    keys = {
        entry.unique_id.split("_", 1)[1]
        for entry in er.async_entries_for_config_entry(entity_registry, setup_integration.entry_id)
    }
    assert "system_state" in keys
    assert "statistic_state" not in keys
    assert "measure_time" not in keys
    # BMS lists have four slots; the identity says three modules are fitted.
    assert {"module_3_cycles", "module_3_charged_energy"} <= keys
    assert "module_4_cycles" not in keys
    assert {"mpp_3_power", "mpp_3_voltage", "mpp_3_current"} <= keys


async def test_malformed_values_at_set_up_give_unknown_entities_that_recover(
    hass: HomeAssistant, web_server: WebServer, freezer: FrozenDateTimeFactory
) -> None:
    polls: list[int] = []

    async def appliance(request: web.Request) -> web.Response:
        asked = await request.json()
        if "DEVICE_ID" in asked.get("FACTORY", {}):
            return web.json_response({"FACTORY": {"DEVICE_ID": "st_1234"}})
        polls.append(1)
        if len(polls) == 1:
            energy = {"STAT_STATE": "MALFORMED_VALUE", "GUI_INVERTER_POWER": "fl_7FC0"}
        else:
            energy = {"STAT_STATE": "u8_0E", "GUI_INVERTER_POWER": "fl_44FA0000"}
        return web.json_response({"ENERGY": energy, "STATISTIC": {}})

    host = await web_server(appliance)
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_HOST: host, CONF_SCHEME: "http"}, unique_id="1234"
    )
    await _setup(hass, entry)
    assert hass.states.get("sensor.senec_home_system_state").state == STATE_UNKNOWN
    assert hass.states.get("sensor.senec_home_solar_power").state == STATE_UNKNOWN
    assert hass.states.get("sensor.senec_home_house_power") is None  # never answered

    await _next_poll(hass, freezer)
    assert hass.states.get("sensor.senec_home_system_state").state == "charge"
    assert hass.states.get("sensor.senec_home_solar_power").state == "2000"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_list_shapes_real_appliances_send(
    hass: HomeAssistant, web_server: WebServer, entity_registry: er.EntityRegistry
) -> None:
    """An end marker shortens a list, u1_FFFF is "unset", lists differ in length."""

    async def appliance(request: web.Request) -> web.Response:
        asked = await request.json()
        if "DEVICE_ID" in asked.get("FACTORY", {}):
            return web.json_response(
                {"FACTORY": {"DEVICE_ID": "st_1234"}, "BMS": {"MODULES_CONFIGURED": "u8_04"}}
            )
        return web.json_response(
            {
                "ENERGY": {"STAT_STATE": "u8_0E"},
                "BMS": {
                    "CYCLES": ["u1_FFFF", "u1_0041", "st_END_OF_ARRAY"],
                    "CHARGED_ENERGY": ["u3_12EE033A", "u3_12B2460D", "u3_00000000"],
                },
                "PV1": {
                    "MPP_POWER": ["fl_41200000", "fl_00000000", "fl_00000000"],
                    "MPP_VOL": ["fl_43C80000", "st_END_OF_ARRAY"],
                },
            }
        )

    host = await web_server(appliance)
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_HOST: host, CONF_SCHEME: "http"}, unique_id="1234"
    )
    await _setup(hass, entry)
    keys = {
        item.unique_id.removeprefix("1234_")
        for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    modules = {key for key in keys if key.startswith("module_")}
    trackers = {key for key in keys if key.startswith("mpp_")}
    assert modules == {
        "module_1_cycles",
        "module_2_cycles",
        "module_1_charged_energy",
        "module_2_charged_energy",
        "module_3_charged_energy",
    }
    assert trackers == {"mpp_1_power", "mpp_2_power", "mpp_3_power", "mpp_1_voltage"}
    assert hass.states.get("sensor.senec_home_module_1_cycles").state == STATE_UNKNOWN
    assert float(hass.states.get("sensor.senec_home_module_2_cycles").state) == 65
