"""Fixtures: a config entry for the simulated appliance, set up in a real Home Assistant."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from enum import Enum
from http import HTTPStatus
from typing import Any
from unittest.mock import PropertyMock, patch

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import CLIENT_ID, MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.senec_home.api import SenecClient
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import SIM_START

# The diagnostics download imports the hassio integration on first use (for the system
# information). In 2025.4 that import fails under the tests' frozen clock (its
# dataclass decoders look the frozen datetime class up in the datetime module), so it is
# imported here, before any clock is frozen.
importlib.import_module("homeassistant.components.hassio")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this repository."""


@pytest.fixture(autouse=True)
def frozen_at_simulator_start(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Home Assistant's clock starts where the simulated appliance's clock starts."""
    freezer.move_to(SIM_START)
    return freezer


@pytest.fixture(autouse=True)
def no_retry_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry without the pause: on the frozen clock a timer would never come due."""
    monkeypatch.setattr("custom_components.senec_home.coordinator.RETRY_DELAY", 0)


@pytest.fixture
def unavailable_states(hass: HomeAssistant) -> Iterator[list[str]]:
    """Every entity that turns unavailable from now on, in order."""
    seen: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.state == STATE_UNAVAILABLE:
            seen.append(new.entity_id)

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    yield seen
    unsubscribe()


@pytest.fixture
async def serial(simulator: Simulator) -> AsyncIterator[str]:
    """The simulated appliance's serial number, read the way the config flow reads it."""
    async with aiohttp.ClientSession() as session:
        yield (await SenecClient(simulator.host, session).identity()).serial


@pytest.fixture
def config_entry(simulator: Simulator, serial: str) -> MockConfigEntry:
    """A config entry as the config flow would create it for the simulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="SENEC.Home",
        data={CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme},
        unique_id=serial,
        entry_id="01JSENECTESTENTRY0000000000",
    )


@pytest.fixture
async def setup_integration(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    """The integration, set up and loaded."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


async def set_up_entry(
    hass: HomeAssistant, host: str, scheme: str, unique_id: str | None = None
) -> MockConfigEntry:
    """Add an entry for the appliance at ``host`` and set it up, as the config flow would."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SENEC.Home",
        data={CONF_HOST: host, CONF_SCHEME: scheme},
        unique_id=unique_id,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create disabled-by-default entities enabled, so snapshots cover every entity."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


# Registry fields whose form is Home Assistant's business, not the integration's: `aliases`
# is a set in older releases and a list in newer ones; `suggested_object_id` (not in 2025.4)
# and `object_id_base` (not in 2025.6) are new. The integration sets none of them.
VERSION_DEPENDENT_FIELDS = props("aliases", "object_id_base", "suggested_object_id")


def plain_keys(*, data: Any, path: tuple[Any, ...]) -> Any:
    """Write string-enum keys (newer releases' attribute names) as the strings they are.

    Newer Home Assistant releases name state attributes and capabilities with StrEnum
    members, older ones with plain strings; the entity has the same attributes either way.
    """
    if isinstance(data, dict) and any(isinstance(key, Enum) for key in data):
        return type(data)(
            {str(key) if isinstance(key, Enum) else key: value for key, value in data.items()}
        )
    return data


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format: registry ids and timestamps left out.

    The same snapshot files hold for every Home Assistant release the suite runs on.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension).with_defaults(
        exclude=VERSION_DEPENDENT_FIELDS, matcher=plain_keys
    )


type Download = Callable[[MockConfigEntry], Awaitable[bytes]]


@pytest.fixture
async def download_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, hass_admin_user: MockUser
) -> Download:
    """Download an entry's diagnostics the way an owner does: the whole file, as bytes."""
    assert await async_setup_component(hass, "diagnostics", {})

    async def download(entry: MockConfigEntry) -> bytes:
        # A fresh token each time: the tests' clock may have passed the first one's lifetime.
        refresh_token = await hass.auth.async_create_refresh_token(hass_admin_user, CLIENT_ID)
        client = await hass_client(hass.auth.async_create_access_token(refresh_token))
        response = await client.get(f"/api/diagnostics/config_entry/{entry.entry_id}")
        assert response.status == HTTPStatus.OK
        return await response.read()

    return download
