"""One connection to the appliance, kept open from poll to poll at any interval up to 5 min."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL, EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import SenecConnectionError
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import SIM_START
from .clock import poll, tick

HOUSE_POWER = "sensor.senec_home_house_power"


@pytest.fixture
async def appliance(
    hass: HomeAssistant, socket_enabled: None, request: pytest.FixtureRequest
) -> AsyncIterator[Simulator]:
    """The simulator (keep-alive behaviour by indirect parameters) and the integration for it.

    Parameters: the poll interval (s) and the simulator's keyword arguments.
    """
    interval, options = getattr(request, "param", (10, {}))
    async with Simulator(profile="v3-0826", seed=1, start=SIM_START, **options) as simulator:
        entry = MockConfigEntry(
            domain=DOMAIN,
            data={CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme},
            options={CONF_SCAN_INTERVAL: interval},
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield simulator
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


def above_debug(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every log line above DEBUG, from any logger.

    Except asyncio's debug-mode note that a step "took" as long as the frozen clock jumped.
    """
    lines = [(r.name, r.getMessage()) for r in caplog.records if r.levelno > logging.DEBUG]
    return [
        f"{name}: {message}"
        for name, message in lines
        if not (name == "asyncio" and message.startswith("Executing"))
    ]


@pytest.mark.parametrize(
    ("appliance", "interval"),
    [((30, {}), 30), ((120, {}), 120), ((300, {}), 300)],
    indirect=["appliance"],
)
async def test_one_tls_handshake_for_many_polls(
    hass: HomeAssistant, appliance: Simulator, freezer: FrozenDateTimeFactory, interval: int
) -> None:
    requests = appliance.request_count
    assert appliance.traffic.tls_handshakes == 1  # set-up: the identity, the read of everything
    for _ in range(20):
        await poll(hass, appliance, freezer, interval)
    assert appliance.request_count == requests + 20
    assert appliance.traffic.tls_handshakes == 1
    assert appliance.traffic.connections == 1
    assert hass.states.get(HOUSE_POWER).state != "unavailable"


async def five_polls(
    hass: HomeAssistant,
    appliance: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    closed_after: float = 0,
) -> tuple[int, int]:
    """Poll five times 30 s apart (the appliance closing a connection `closed_after` seconds
    before each poll, when given); return the requests and the new connections it took.

    Each poll must succeed; nothing may be logged above DEBUG, no glitch ridden out.
    """
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    requests, connections = appliance.request_count, appliance.traffic.connections
    for _ in range(5):
        if closed_after:
            appliance.advance(closed_after)
            await tick(hass, freezer, closed_after)
        await poll(hass, appliance, freezer, 30 - closed_after)
        assert hass.states.get(HOUSE_POWER).state != "unavailable"
    assert not above_debug(caplog)
    assert not [r for r in caplog.records if "asking once more" in r.getMessage()]
    return (
        appliance.request_count - requests,
        appliance.traffic.connections - connections,
    )


@pytest.mark.parametrize(
    ("appliance", "closed_after"),
    [((30, {"idle_close": 5}), 6), ((30, {"idle_close": 30}), 0)],
    indirect=["appliance"],
    ids=["closed while idle", "closed as the poll goes out"],
)
async def test_a_connection_the_appliance_closed_is_opened_again_quietly(
    hass: HomeAssistant,
    appliance: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    closed_after: float,
) -> None:
    """The appliance closes idle connections after 5 s, or just as the next poll goes out."""
    # One request per poll: no glitch was ridden out, none counted.
    assert await five_polls(hass, appliance, freezer, caplog, closed_after) == (5, 5)


@pytest.mark.parametrize(
    "appliance", [(30, {"keepalive_header": 20}), (30, {"idle_close": 0})], indirect=True
)
async def test_what_the_appliance_says_about_its_connection_is_followed(
    hass: HomeAssistant,
    appliance: Simulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """``Keep-Alive: timeout=20`` or ``Connection: close``: a new connection for each poll."""
    assert await five_polls(hass, appliance, freezer, caplog) == (5, 5)


async def test_the_connection_closes_when_the_entry_unloads(
    hass: HomeAssistant, appliance: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await poll(hass, appliance, freezer)
    assert appliance.open_connections == 1
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    client = entry.runtime_data.client
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(SenecConnectionError):  # closed, and it opens no other one
        await client.poll()
    assert appliance.traffic.connections == 1


async def test_the_connection_closes_when_home_assistant_stops(
    hass: HomeAssistant, appliance: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    await poll(hass, appliance, freezer)
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_CLOSE)
    await hass.async_block_till_done()
    with pytest.raises(SenecConnectionError):
        await entry.runtime_data.client.poll()
    assert appliance.traffic.connections == 1
