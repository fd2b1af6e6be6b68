"""The force-charge switch in a running Home Assistant against the simulated appliance."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
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
    SafeChargeAnswer,
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


async def on_then_off(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Switch on, let ``seconds`` pass, switch off: a release inside the write spacing."""
    await switch(hass, SERVICE_TURN_ON)
    await poll(hass, simulator, freezer, seconds)
    await switch(hass, SERVICE_TURN_OFF)


def gaps(simulator: Simulator) -> list[float]:
    """Seconds between successive writes the appliance saw."""
    times = [at for at, _ in simulator.presses]
    return [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]


@pytest.mark.usefixtures("setup_integration")
async def test_a_release_right_after_a_start_is_accepted_and_sent_when_the_window_opens(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    await poll(hass, simulator, freezer, 3)
    assert hass.states.get(SWITCH).state == STATE_ON

    await switch(hass, SERVICE_TURN_OFF)  # no error: the release waits for the window

    assert hass.states.get(SWITCH).state == STATE_OFF
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]
    await poll(hass, simulator, freezer, 4)
    assert hass.states.get(SWITCH).state == STATE_OFF  # a poll shows the charge: still off
    assert simulator.truth.safe_charge_running is True
    await poll(hass, simulator, freezer, 3)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]
    assert gaps(simulator) == [pytest.approx(10.0)]
    await poll(hass, simulator, freezer, 10)
    assert hass.states.get(SWITCH).state == STATE_OFF
    assert simulator.truth.safe_charge_running is False
    assert value(hass, "sensor.senec_home_battery_discharge_power") > 0
    assert hass.states.get("sensor.senec_home_system_state").state != "man_safety_charge"


@pytest.mark.usefixtures("setup_integration")
async def test_on_off_on_keeps_charging_with_one_write(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await on_then_off(hass, simulator, freezer, 1)
    assert hass.states.get(SWITCH).state == STATE_OFF
    await poll(hass, simulator, freezer, 1)
    await switch(hass, SERVICE_TURN_ON)
    assert hass.states.get(SWITCH).state == STATE_ON
    for _ in range(4):
        await poll(hass, simulator, freezer)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]
    assert hass.states.get(SWITCH).state == STATE_ON
    assert simulator.truth.safe_charge_running is True


@pytest.mark.usefixtures("setup_integration")
async def test_rapid_toggling_never_writes_faster_than_every_ten_seconds(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    for _ in range(7):  # on, off, on, ... on: a second apart
        await switch(hass, SERVICE_TURN_ON)
        await poll(hass, simulator, freezer, 1)
        await switch(hass, SERVICE_TURN_OFF)
        await poll(hass, simulator, freezer, 1)
    assert hass.states.get(SWITCH).state == STATE_OFF
    for _ in range(3):
        await poll(hass, simulator, freezer)
    # The last wish (off) wins; each write at least 10 s after the one before.
    assert presses(simulator)[-1] == "SAFE_CHARGE_PROHIBIT"
    assert len(presses(simulator)) <= 14
    assert all(gap >= 10.0 for gap in gaps(simulator))
    assert simulator.truth.safe_charge_running is False
    assert hass.states.get(SWITCH).state == STATE_OFF


async def refresh_after(
    entry: MockConfigEntry, simulator: Simulator, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let ``seconds`` pass on both clocks, then poll at once (between regular polls)."""
    simulator.advance(seconds)
    freezer.tick(timedelta(seconds=seconds))
    await entry.runtime_data.async_refresh()


async def test_a_waiting_command_the_appliance_already_fulfils_is_not_sent(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await switch(hass, SERVICE_TURN_ON)
    await refresh_after(setup_integration, simulator, freezer, 3)  # the charge runs
    await switch(hass, SERVICE_TURN_OFF)
    simulator.set_fault("battery_check")  # ends the charge before the window opens
    await refresh_after(setup_integration, simulator, freezer, 2)
    await poll(hass, simulator, freezer, 5)
    await poll(hass, simulator, freezer, 10)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]
    assert hass.states.get(SWITCH).state == STATE_OFF


@pytest.mark.usefixtures("setup_integration")
async def test_a_waiting_release_that_fails_is_tried_once_more(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await on_then_off(hass, simulator, freezer, 2)
    client = setup_integration.runtime_data.client
    real_press = client.press
    attempts: list[SafeChargeButton] = []

    async def refused_once(button: SafeChargeButton) -> SafeChargeAnswer:
        attempts.append(button)
        if len(attempts) == 1:
            raise SenecConnectionError("connection reset")
        return await real_press(button)

    with patch.object(client, "press", side_effect=refused_once):
        await poll(hass, simulator, freezer, 8)
        assert attempts == [SafeChargeButton.PROHIBIT]
        assert hass.states.get(SWITCH).state == STATE_OFF  # still on its way
        await poll(hass, simulator, freezer, 10)
    assert attempts == [SafeChargeButton.PROHIBIT, SafeChargeButton.PROHIBIT]
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]
    await poll(hass, simulator, freezer)
    assert simulator.truth.safe_charge_running is False
    assert hass.states.get(SWITCH).state == STATE_OFF


@pytest.mark.usefixtures("setup_integration")
async def test_a_waiting_command_that_fails_twice_is_logged_and_shows_the_truth(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await on_then_off(hass, simulator, freezer, 2)
    client = setup_integration.runtime_data.client
    with patch.object(client, "press", side_effect=SenecConnectionError("refused")) as press:
        await poll(hass, simulator, freezer, 8)
        await poll(hass, simulator, freezer, 10)
        await poll(hass, simulator, freezer, 10)
    assert press.call_count == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors if "could not be sent" in r.getMessage()]
    assert hass.states.get(SWITCH).state == STATE_ON
    assert simulator.truth.safe_charge_running is True


async def advance_both(simulator: Simulator, freezer: FrozenDateTimeFactory) -> Any:
    """A stand-in for the switch's pause that lets the paused time pass on both clocks."""

    async def pause(seconds: float) -> None:
        simulator.advance(seconds)
        freezer.tick(timedelta(seconds=seconds))

    return pause


async def test_a_waiting_release_is_sent_before_the_entry_unloads(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await on_then_off(hass, simulator, freezer, 3)
    pause = await advance_both(simulator, freezer)
    with patch("custom_components.senec_home.switch._sleep", side_effect=pause):
        assert await hass.config_entries.async_unload(setup_integration.entry_id)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]
    assert gaps(simulator) == [pytest.approx(10.0)]
    simulator.advance(5)
    assert simulator.truth.safe_charge_running is False


async def test_a_waiting_release_is_sent_when_home_assistant_stops(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await on_then_off(hass, simulator, freezer, 3)
    pause = await advance_both(simulator, freezer)
    with patch("custom_components.senec_home.switch._sleep", side_effect=pause):
        await hass.async_stop()
    assert presses(simulator) == ["SAFE_CHARGE_FORCE", "SAFE_CHARGE_PROHIBIT"]
    simulator.advance(5)
    assert simulator.truth.safe_charge_running is False


async def test_a_release_that_cannot_be_sent_at_unload_is_logged(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await on_then_off(hass, simulator, freezer, 3)
    client = setup_integration.runtime_data.client
    pause = await advance_both(simulator, freezer)
    with (
        patch("custom_components.senec_home.switch._sleep", side_effect=pause),
        patch.object(client, "press", side_effect=SenecConnectionError("refused")),
    ):
        assert await hass.config_entries.async_unload(setup_integration.entry_id)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("could not be sent" in message and "unloaded" in message for message in messages)


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
    freezer: FrozenDateTimeFactory,
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
    # The attempt counts: whether the appliance took it, only a poll can tell. A new
    # command within ten seconds waits for the window.
    await switch(hass, SERVICE_TURN_ON)
    assert hass.states.get(SWITCH).state == STATE_ON
    assert presses(simulator) == []
    await poll(hass, simulator, freezer, 10)
    assert presses(simulator) == ["SAFE_CHARGE_FORCE"]


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
