"""The force-charge switch in a running Home Assistant against the simulated appliance."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.senec_home.api import (
    SafeChargeButton,
    SenecClient,
    SenecConnectionError,
    SenecTimeoutError,
    SenecWriteError,
)
from senec_simulator import Simulator

from .clock import poll

SWITCH = "switch.senec_home_force_charge"
# Late evening on midsummer's day: no sun, the battery runs the house. A forced charge
# can only come from the grid.
EVENING = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)
MAX_CHARGE_W = 2500.0  # the v3-0826 profile's FACTORY.MAX_CHARGE_POWER_DC


@pytest.fixture
async def simulator(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncIterator[Simulator]:
    """The simulated appliance in the evening (profile via indirect parametrization)."""
    profile = getattr(request, "param", "v3-0826")
    async with Simulator(profile=profile, seed=1, start=EVENING) as sim:
        yield sim


@pytest.fixture(autouse=True)
def frozen_at_simulator_start(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Home Assistant's clock starts where the simulated appliance's clock starts."""
    freezer.move_to(EVENING)
    return freezer


async def switch(hass: HomeAssistant, service: str) -> None:
    """Call turn_on / turn_off on the switch and wait for it."""
    await hass.services.async_call(SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: SWITCH}, blocking=True)


def value(hass: HomeAssistant, entity_id: str) -> float:
    """A sensor's state as a number."""
    return float(hass.states.get(entity_id).state)


def presses(simulator: Simulator) -> list[str]:
    """The buttons the appliance saw pressed."""
    return [name for _, name in simulator.presses]


@pytest.mark.usefixtures("setup_integration")
async def test_on_charges_from_the_grid_and_off_releases(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert value(hass, "sensor.senec_home_battery_discharge_power") > 0

    await switch(hass, SERVICE_TURN_ON)

    # The appliance's answer still says "not running" (like the recorded answer to the
    # same write): the switch shows what was asked for until a poll confirms it.
    assert hass.states.get(SWITCH).state == STATE_ON
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_ON
    assert value(hass, "sensor.senec_home_battery_charge_power") == pytest.approx(MAX_CHARGE_W)
    assert value(hass, "sensor.senec_home_grid_import_power") == pytest.approx(
        value(hass, "sensor.senec_home_house_power") + MAX_CHARGE_W, abs=0.5
    )
    assert hass.states.get("sensor.senec_home_system_state").state == "man_safety_charge"

    await switch(hass, SERVICE_TURN_OFF)

    assert hass.states.get(SWITCH).state == STATE_OFF
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert value(hass, "sensor.senec_home_battery_discharge_power") > 0
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]


@pytest.mark.usefixtures("setup_integration")
async def test_the_full_battery_is_held_until_released(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    for _ in range(4 * 60):  # four hours, a poll a minute: 7.5 kWh take at most 3 h
        await poll(hass, simulator, freezer, 60)
    assert value(hass, "sensor.senec_home_battery_state_of_charge") == pytest.approx(100.0)
    assert value(hass, "sensor.senec_home_battery_power") == 0.0
    assert hass.states.get("sensor.senec_home_system_state").state == "safety_charge_ready"
    assert hass.states.get(SWITCH).state == STATE_ON
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]

    await switch(hass, SERVICE_TURN_OFF)
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert value(hass, "sensor.senec_home_battery_discharge_power") > 0


async def test_the_energy_totals_follow_a_forced_charge(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    totals = {
        "sensor.senec_home_grid_import": "grid_imported",
        "sensor.senec_home_battery_charged": "battery_charged",
        "sensor.senec_home_battery_discharged": "battery_discharged",
        "sensor.senec_home_house_consumption": "house_consumed",
    }
    shown_before = {entity_id: value(hass, entity_id) for entity_id in totals}
    truth_before = simulator.truth.since_start
    await switch(hass, SERVICE_TURN_ON)
    for _ in range(180):  # half an hour at the default interval
        await poll(hass, simulator, freezer)
    truth_after = simulator.truth.since_start
    grown = {entity_id: value(hass, entity_id) - shown_before[entity_id] for entity_id in totals}
    for entity_id, name in totals.items():
        real = getattr(truth_after, name) - getattr(truth_before, name)
        assert grown[entity_id] == pytest.approx(real, rel=0.01, abs=0.002), entity_id
    # Half an hour at 2.5 kW went in, from the grid, on top of the house.
    assert grown["sensor.senec_home_battery_charged"] == pytest.approx(1.25, rel=0.01)
    assert grown["sensor.senec_home_grid_import"] > 1.25
    assert grown["sensor.senec_home_battery_discharged"] < 0.01


@pytest.mark.usefixtures("setup_integration")
async def test_a_release_that_falls_back_is_released_once_more_and_logged_once(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    await poll(hass, simulator, freezer)
    simulator.set_fault("charge_fallback", 1)

    await switch(hass, SERVICE_TURN_OFF)
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF
    # About 10 s after the release the appliance charges again by itself; the next poll
    # sees it and the integration releases it once more.
    await poll(hass, simulator, freezer)
    assert presses(simulator) == [
        "SAFE_CHARGE_FORCE",
        "SAFE_CHARGE_PROHIBIT",
        "SAFE_CHARGE_PROHIBIT",
    ]
    for _ in range(12):
        await poll(hass, simulator, freezer)
        assert hass.states.get(SWITCH).state == STATE_OFF
    assert simulator.truth.safe_charge_running is False
    warnings = [r for r in caplog.records if "back to force charging" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING


@pytest.mark.usefixtures("setup_integration")
async def test_a_charge_that_keeps_coming_back_is_released_only_once_more(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    await poll(hass, simulator, freezer)
    simulator.set_fault("charge_fallback")  # every release falls back

    await switch(hass, SERVICE_TURN_OFF)
    for _ in range(12):
        await poll(hass, simulator, freezer)
    # Never hammered: one release by the user, one more by the integration, then the
    # switch shows what the appliance does.
    assert presses(simulator).count("SAFE_CHARGE_PROHIBIT") == 2
    assert hass.states.get(SWITCH).state == STATE_ON
    assert len([r for r in caplog.records if "back to force charging" in r.getMessage()]) == 1


@pytest.mark.usefixtures("setup_integration")
async def test_an_outage_during_a_write_is_an_error_and_changes_nothing(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    simulator.set_fault("reset", 1)
    with pytest.raises(HomeAssistantError) as caught:
        await switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == "command_failed"
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert presses(simulator) == []
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert value(hass, "sensor.senec_home_battery_discharge_power") > 0

    # Later the command goes through.
    await switch(hass, SERVICE_TURN_ON)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]


@pytest.mark.usefixtures("setup_integration")
async def test_a_write_to_a_rebooting_appliance_is_an_error(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await simulator.reboot()
    with pytest.raises(HomeAssistantError) as caught:
        await switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == "command_failed"
    assert hass.states.get(SWITCH).state == STATE_OFF
    await simulator.finish_reboot()
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert simulator.truth.safe_charge_running is False


@pytest.mark.usefixtures("setup_integration")
async def test_commands_closer_than_ten_seconds_are_refused(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    freezer.tick(timedelta(seconds=4))
    with pytest.raises(HomeAssistantError) as caught:
        await switch(hass, SERVICE_TURN_OFF)
    assert caught.value.translation_key == "command_too_soon"
    assert caught.value.translation_placeholders["seconds"] == "6"
    assert hass.states.get(SWITCH).state == STATE_ON
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]
    await poll(hass, simulator, freezer, 6)
    await switch(hass, SERVICE_TURN_OFF)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]


@pytest.mark.usefixtures("setup_integration")
async def test_asking_for_the_state_it_already_has_sends_nothing(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await switch(hass, SERVICE_TURN_OFF)
    await switch(hass, SERVICE_TURN_ON)
    await switch(hass, SERVICE_TURN_ON)  # in flight already: no second press, no error
    await poll(hass, simulator, freezer, 30)
    await switch(hass, SERVICE_TURN_ON)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]


@pytest.mark.usefixtures("setup_integration")
async def test_a_charge_started_elsewhere_shows_and_a_battery_check_ends_it(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    # The SENEC app (or any other client) starts a forced charge.
    async with aiohttp.ClientSession() as session:
        await SenecClient(simulator.host, session).press(SafeChargeButton.FORCE)
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_ON

    simulator.set_fault("battery_check")
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_OFF


@pytest.mark.usefixtures("setup_integration")
async def test_a_command_the_appliance_never_confirms_shows_its_real_state(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.senec_home")
    await switch(hass, SERVICE_TURN_ON)
    simulator.advance(3)  # the appliance starts charging...
    assert simulator.truth.safe_charge_running is True
    simulator.set_fault("battery_check")  # ...and a battery check ends it before a poll
    await poll(hass, simulator, freezer, 7)
    assert simulator.truth.safe_charge_running is False
    assert hass.states.get(SWITCH).state == STATE_ON  # still waiting for the appliance
    await poll(hass, simulator, freezer, 30)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert any("did not confirm" in r.getMessage() for r in caplog.records)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_the_switch_entity(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    with patch("custom_components.senec_home.PLATFORMS", [Platform.SWITCH]):
        config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_no_switch_without_safe_charge_running(
    hass: HomeAssistant, setup_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    entries = er.async_entries_for_config_entry(entity_registry, setup_integration.entry_id)
    assert not [entry for entry in entries if entry.domain == SWITCH_DOMAIN]
    assert hass.states.get(SWITCH) is None
    assert hass.states.get("sensor.senec_home_house_power") is not None


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (SenecTimeoutError("no answer in time"), "command_timeout"),
        (
            SenecWriteError("the appliance did not confirm SAFE_CHARGE_FORCE"),
            "command_not_confirmed",
        ),
    ],
)
async def test_a_timeout_or_an_unconfirmed_write_is_a_translated_error(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    error: Exception,
    key: str,
) -> None:
    """The client's own tests produce these errors for real; a client timeout cannot run here.

    Home Assistant's test clock stands still, so a wall-clock timeout would never fire;
    the client raising the error stands in for it.
    """
    client = setup_integration.runtime_data.client
    with (
        patch.object(client, "press", side_effect=error),
        pytest.raises(HomeAssistantError) as caught,
    ):
        await switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders["host"] == simulator.host
    assert hass.states.get(SWITCH).state == STATE_OFF
    # The attempt counts: whether the appliance took it, only a poll can tell.
    with pytest.raises(HomeAssistantError) as caught:
        await switch(hass, SERVICE_TURN_ON)
    assert caught.value.translation_key == "command_too_soon"


async def test_a_failed_second_release_is_logged_and_the_switch_shows_the_charge(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    await poll(hass, simulator, freezer)
    simulator.set_fault("charge_fallback", 1)
    await switch(hass, SERVICE_TURN_OFF)
    await poll(hass, simulator, freezer)
    # The appliance refuses connections exactly when the second release goes out.
    client = setup_integration.runtime_data.client
    with patch.object(client, "press", side_effect=SenecConnectionError("refused")):
        await poll(hass, simulator, freezer)
    assert any("Releasing the force charge again failed" in r.getMessage() for r in caplog.records)
    assert hass.states.get(SWITCH).state == STATE_ON
    assert simulator.truth.safe_charge_running is True
