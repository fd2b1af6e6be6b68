"""Firmware, updates and the restart, in a running Home Assistant against the simulator."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.const import DOMAIN
from senec_simulator import Simulator
from senec_simulator.firmware import UPDATE_STEPS

from .clock import poll

BUTTON = "button.senec_home_restart"
UPDATE = "binary_sensor.senec_home_firmware_update"
UPDATE_STATE = "sensor.senec_home_firmware_update_state"
SOLAR = "sensor.senec_home_solar_power"
SWITCH = "switch.senec_home_force_charge"
RESTART_REQUEST = {"SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE": "u8_01"}}


def records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    """The integration's log lines of exactly one level."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == level and r.name.startswith("custom_components.senec_home")
    ]


def device_of(registry: dr.DeviceRegistry, entry: MockConfigEntry, serial: str) -> dr.DeviceEntry:
    """The appliance's device."""
    (device,) = [
        device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if (DOMAIN, serial) in device.identifiers
    ]
    return device


async def press(hass: HomeAssistant) -> None:
    """Press the restart button."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: BUTTON}, blocking=True
    )


@pytest.mark.parametrize(
    ("simulator", "firmware"),
    [("v3-0826", "0826 (NPU 2408)"), ("v3-npu2411", "0826 (NPU 2411)"), ("legacy", "0400")],
    indirect=["simulator"],
)
async def test_the_device_shows_the_firmware_and_the_npu_image(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    serial: str,
    firmware: str,
) -> None:
    assert device_of(device_registry, setup_integration, serial).sw_version == firmware


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "setup_integration")
async def test_the_firmware_entities(hass: HomeAssistant) -> None:
    assert hass.states.get(UPDATE).state == STATE_OFF
    state = hass.states.get(UPDATE_STATE)
    assert state.state == "idle"
    assert state.attributes["code"] == 1
    assert hass.states.get("sensor.senec_home_npu_image_version").state == "2408"
    assert hass.states.get("sensor.senec_home_npu_version").state == "11"
    assert hass.states.get("sensor.senec_home_gui_revision").state == "3.16.32"


async def test_versions_and_the_restart_are_disabled_by_default(
    hass: HomeAssistant, setup_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    for entity_id in (BUTTON, "sensor.senec_home_npu_image_version"):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(UPDATE).state == STATE_OFF  # enabled by default
    assert hass.states.get(UPDATE_STATE).state == "idle"


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_no_restart_button_without_npu_image_2408(
    hass: HomeAssistant, setup_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    entries = er.async_entries_for_config_entry(entity_registry, setup_integration.entry_id)
    assert not [entry for entry in entries if entry.domain == BUTTON_DOMAIN]
    assert hass.states.get(BUTTON) is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "setup_integration")
async def test_an_offered_update_shows_and_is_followed_poll_by_poll(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    simulator.announce_update()
    await poll(hass, simulator, freezer)
    assert hass.states.get(UPDATE).state == STATE_OFF  # a slow value: read hourly
    assert "SYS_UPDATE" not in (simulator.last_request or {})
    await poll(hass, simulator, freezer, 3600)
    assert hass.states.get(UPDATE).state == STATE_ON
    await poll(hass, simulator, freezer)
    # While an update is offered, every poll asks how far it is.
    assert (simulator.last_request or {}).get("SYS_UPDATE") == {
        "FSM_STATE": "",
        "UPDATE_AVAILABLE": "",
    }
    simulator.start_update()
    await poll(hass, simulator, freezer, 5)
    await poll(hass, simulator, freezer, 5)
    assert hass.states.get(UPDATE_STATE).state == "downloading_controller_software"
    assert hass.states.get(UPDATE).state == STATE_ON


@pytest.mark.usefixtures("setup_integration")
async def test_the_reboot_of_an_update_is_an_expected_outage(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.senec_home")
    await poll(hass, simulator, freezer, 3590)
    simulator.start_update()
    await poll(hass, simulator, freezer)  # the hourly read sees it, ten seconds in
    assert hass.states.get(UPDATE_STATE).state == "downloading_controller_software"
    for _ in range(int(sum(seconds for _, seconds in UPDATE_STEPS) // 10) + 1):
        await poll(hass, simulator, freezer)
    assert simulator.firmware.silent()
    assert hass.states.get(SOLAR).state == STATE_UNAVAILABLE
    for _ in range(10):  # the restart takes 90 s
        await poll(hass, simulator, freezer)
    assert not simulator.firmware.silent()
    assert hass.states.get(SOLAR).state != STATE_UNAVAILABLE
    assert records(caplog, logging.ERROR) == []
    infos = [m for m in records(caplog, logging.INFO) if "while it updates or restarts" in m]
    assert len(infos) == 1
    # The appliance reports boot after its restart, then idle with nothing on offer.
    await poll(hass, simulator, freezer, 60)
    assert hass.states.get(UPDATE_STATE).state == "idle"
    assert hass.states.get(UPDATE).state == STATE_OFF


@pytest.mark.parametrize("simulator", ["v3-0826", "v3-npu2411"], indirect=True)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_restart_is_one_write_an_expected_outage_and_the_appliance_comes_back(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.senec_home")
    requests_before = simulator.request_count

    await press(hass)

    assert simulator.request_count == requests_before + 1
    assert simulator.last_request == RESTART_REQUEST
    assert simulator.firmware.silent()
    infos = records(caplog, logging.INFO)
    assert [m for m in infos if "is restarting, back in about" in m]
    await poll(hass, simulator, freezer)
    assert hass.states.get(SOLAR).state == STATE_UNAVAILABLE
    assert hass.states.get(BUTTON).state != STATE_UNAVAILABLE
    for _ in range(8):
        # Polled at the normal interval: no back-off while it restarts.
        assert setup_integration.runtime_data.update_interval == timedelta(seconds=10)
        await poll(hass, simulator, freezer)
        if not simulator.firmware.silent():
            break
    assert hass.states.get(SOLAR).state != STATE_UNAVAILABLE
    assert records(caplog, logging.ERROR) == []
    assert records(caplog, logging.WARNING) == []
    assert simulator.firmware.restarts == 1
    # One INFO line for the restart; the coordinator's own line says when values are back.
    assert len([m for m in records(caplog, logging.INFO) if "restart" in m]) == 1


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "setup_integration")
async def test_after_a_restart_no_value_from_before_it_is_shown(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    assert hass.states.get(UPDATE_STATE).state == "idle"
    await press(hass)
    # Unavailable at once, not a poll later: the values are from before the restart.
    assert hass.states.get(SOLAR).state == STATE_UNAVAILABLE
    assert hass.states.get(UPDATE_STATE).state == STATE_UNAVAILABLE
    assert hass.states.get(BUTTON).state != STATE_UNAVAILABLE
    for _ in range(12):
        await poll(hass, simulator, freezer)
        if hass.states.get(SOLAR).state != STATE_UNAVAILABLE:
            break
    # The first answer after it: the update state as the appliance reports it now.
    assert hass.states.get(SOLAR).state != STATE_UNAVAILABLE
    assert hass.states.get(UPDATE_STATE).state == "reporting_boot"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_second_restart_within_five_minutes_is_refused(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await press(hass)
    for _ in range(12):
        await poll(hass, simulator, freezer)
    assert not simulator.firmware.silent()
    # Also after a reload of the entry (new options, say): the time belongs to the appliance.
    assert await hass.config_entries.async_reload(setup_integration.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass)
    assert caught.value.translation_key == "restart_too_soon"
    assert caught.value.translation_placeholders["minutes"] == "3"
    assert simulator.firmware.restarts == 1
    await poll(hass, simulator, freezer, 180)
    await press(hass)
    assert simulator.firmware.restarts == 2


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "setup_integration")
async def test_an_appliance_not_back_after_fifteen_minutes_is_a_real_outage(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator.firmware.restart_s = 3600.0
    await press(hass)
    for _ in range(14 * 6):
        await poll(hass, simulator, freezer)
    assert records(caplog, logging.ERROR) == []
    for _ in range(2 * 6):
        await poll(hass, simulator, freezer)
    errors = records(caplog, logging.ERROR)
    assert len(errors) == 1
    assert "not come back within 15 minutes" in errors[0]
    for _ in range(10):
        await poll(hass, simulator, freezer, 300)
    assert len(records(caplog, logging.ERROR)) == 1
    assert hass.states.get(SOLAR).state != STATE_UNAVAILABLE


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "setup_integration")
async def test_a_force_charge_through_a_restart_shows_what_the_appliance_reports(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: SWITCH}, blocking=True)
    await poll(hass, simulator, freezer, 11)
    assert hass.states.get(SWITCH).state == STATE_ON
    await press(hass)
    await poll(hass, simulator, freezer)
    assert hass.states.get(SWITCH).state == STATE_UNAVAILABLE
    for _ in range(10):
        await poll(hass, simulator, freezer)
    assert simulator.truth.safe_charge_running is True
    assert hass.states.get(SWITCH).state == STATE_ON


async def test_new_firmware_after_an_update_shows_on_the_device(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    serial: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.senec_home")
    await poll(hass, simulator, freezer, 3590)
    simulator.start_update(application_version="0831", npu_image_version=2504)
    await poll(hass, simulator, freezer)  # the hourly read sees it
    for _ in range(int(sum(seconds for _, seconds in UPDATE_STEPS) // 10) + 12):
        await poll(hass, simulator, freezer)
    assert simulator.firmware.restarts == 1
    assert hass.states.get(SOLAR).state != STATE_UNAVAILABLE
    # Back from the update, the next poll reads the versions at once.
    entry = setup_integration
    assert device_of(device_registry, entry, serial).sw_version == "0831 (NPU 2504)"
    assert [m for m in records(caplog, logging.INFO) if "now runs firmware 0831 (NPU 2504)" in m]
