"""Ask only for what is shown: the poll follows the entity registry, slow values come hourly."""

from __future__ import annotations

import orjson
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import MAX_REQUEST_BYTES, SLOW_VARIABLES
from senec_simulator import Simulator

from .clock import poll


def asked(simulator: Simulator) -> set[tuple[str, str]]:
    """The (section, variable) pairs of the simulator's last request."""
    request = simulator.last_request or {}
    return {(section, name) for section, names in request.items() for name in names}


def request_bytes(simulator: Simulator) -> int:
    """The size of the last request, serialised the way the client sends it."""
    return len(orjson.dumps(simulator.last_request))


@pytest.mark.parametrize("simulator", ["legacy", "v3-0826", "v3-npu2411"], indirect=True)
async def test_a_default_installation_asks_for_what_it_shows_in_under_2_kb(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await poll(hass, simulator, freezer)
    variables = asked(simulator)
    assert request_bytes(simulator) < 2048
    # Shown by default: asked.
    assert {("ENERGY", "GUI_GRID_POW"), ("PV1", "MPP_POWER"), ("TEMPMEASURE", "CASE_TEMP")} <= (
        variables
    )
    # Disabled by default: not asked; slow: not in every poll.
    assert (
        not {
            ("PV1", "MPP_VOL"),
            ("TEMPMEASURE", "MCU_TEMP"),
            ("PM1OBJ1", "U_AC"),
            ("BMS", "CELL_VOLTAGES_MODULE_A"),
            ("BMS", "CHARGED_ENERGY"),
        }
        & variables
    )
    assert not variables & SLOW_VARIABLES
    assert "FACTORY" not in (simulator.last_request or {})
    # The entities of slow values keep what the set-up read.
    assert float(hass.states.get("sensor.senec_home_battery_design_capacity").state) > 0


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("simulator", ["legacy", "v3-0826"], indirect=True)
async def test_with_everything_enabled_no_request_exceeds_8_kb(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    sizes = [request_bytes(simulator)]  # the set-up's request for everything
    for _ in range(3):
        await poll(hass, simulator, freezer)
        sizes.append(request_bytes(simulator))
    await poll(hass, simulator, freezer, 3600)  # the slow values are due
    sizes.append(request_bytes(simulator))
    assert max(sizes) < MAX_REQUEST_BYTES
    assert ("BMS", "CELL_VOLTAGES_MODULE_A") in asked(simulator)
    assert ("TEMPMEASURE", "MCU_TEMP") in asked(simulator)


async def test_enabling_and_disabling_change_the_next_poll(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    voltage = "sensor.senec_home_mpp_tracker_1_voltage"
    temperature = "sensor.senec_home_battery_temperature"
    await poll(hass, simulator, freezer)
    assert ("PV1", "MPP_VOL") not in asked(simulator)
    assert ("TEMPMEASURE", "BATTERY_TEMP") in asked(simulator)

    entity_registry.async_update_entity(voltage, disabled_by=None)
    entity_registry.async_update_entity(temperature, disabled_by=er.RegistryEntryDisabler.USER)
    await poll(hass, simulator, freezer)
    assert ("PV1", "MPP_VOL") in asked(simulator)
    assert ("TEMPMEASURE", "BATTERY_TEMP") not in asked(simulator)


async def test_slow_values_ride_along_in_one_poll_an_hour(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    counts = []
    for _ in range(3):
        before = simulator.request_count
        await poll(hass, simulator, freezer, 60)
        counts.append(simulator.request_count - before)
        assert not asked(simulator) & SLOW_VARIABLES
    assert counts == [1, 1, 1]
    hours = "sensor.senec_home_hours_of_operation"
    shown = hass.states.get(hours).state
    before = simulator.request_count
    await poll(hass, simulator, freezer, 3600)
    # One request with the poll's and the slow values; the slow values moved on with the hour.
    assert simulator.request_count - before == 1
    assert ("ENERGY", "GUI_GRID_POW") in asked(simulator)
    assert ("FACTORY", "DESIGN_CAPACITY") in asked(simulator)
    assert int(hass.states.get(hours).state) == int(shown) + 1
    # And the next poll is small again, the slow values still shown.
    await poll(hass, simulator, freezer)
    assert not asked(simulator) & SLOW_VARIABLES
    assert int(hass.states.get(hours).state) == int(shown) + 1


async def test_a_glitch_in_the_hourly_poll_still_asks_only_twice(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    hours = "sensor.senec_home_hours_of_operation"
    shown = hass.states.get(hours).state
    simulator.set_fault("http_500", count=1)
    before = simulator.request_count
    await poll(hass, simulator, freezer, 3600)
    await poll(hass, simulator, freezer, 1)  # the retry, a second later
    assert simulator.request_count - before == 2
    assert ("FACTORY", "DESIGN_CAPACITY") in asked(simulator)
    assert int(hass.states.get(hours).state) == int(shown) + 1
    assert hass.states.get("sensor.senec_home_house_power").state != "unavailable"
