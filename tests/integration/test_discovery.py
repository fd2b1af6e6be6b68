"""DHCP discovery against the simulated appliance: found, confirmed, followed, or left alone.

DHCP reports a bare IP address; the simulated appliance listens on an ephemeral port, so the
discovery here carries ``127.0.0.1:<port>``, which the flow uses exactly as it would an IP.
"""

from __future__ import annotations

import fnmatch
import json

import pytest
from homeassistant.config_entries import SOURCE_DHCP, ConfigEntryState
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.loader import async_get_dhcp
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import WebServer, router_page

# The MAC a real V3 hybrid duo reports (AndreasLehmann/senec-exporter, resp_WIZARD.json),
# in the form Home Assistant's DHCP watcher hands over.
REAL_MAC = "141fba212210"


def _dhcp(host: str, mac: str = REAL_MAC) -> DhcpServiceInfo:
    """What the DHCP watcher reports for a lease: address, host name, MAC without colons."""
    return DhcpServiceInfo(ip=host, hostname="senec", macaddress=mac.replace(":", ""))


async def _discover(hass: HomeAssistant, host: str, mac: str = REAL_MAC) -> dict[str, object]:
    """Start a DHCP discovery flow and return its first result."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(host, mac)
    )
    return dict(result)


async def test_the_manifest_asks_for_senecs_mac_block_and_known_devices(
    hass: HomeAssistant,
) -> None:
    matchers = [m for m in await async_get_dhcp(hass) if m["domain"] == DOMAIN]
    patterns = [m["macaddress"] for m in matchers if "macaddress" in m]
    assert any(m.get("registered_devices") for m in matchers)
    # The watcher compares upper-case MACs without colons against the patterns.
    assert any(fnmatch.fnmatch(REAL_MAC.upper(), pattern) for pattern in patterns)
    for other in ("141FBA100000", "141FBB200000", "001FBA200000"):
        assert not any(fnmatch.fnmatch(other, pattern) for pattern in patterns)


@pytest.mark.parametrize(
    ("simulator", "scheme", "model"),
    [
        ("legacy", "http", "SENEC.Home V2.1 1ph Lithium"),
        ("v3-0826", "https", "SENEC.Home V3 hybrid duo"),
        ("v3-npu2411", "https", "SENEC.Home V3 hybrid duo"),
    ],
    indirect=["simulator"],
)
async def test_a_discovered_appliance_is_added_after_confirmation(
    hass: HomeAssistant, simulator: Simulator, serial: str, scheme: str, model: str
) -> None:
    result = await _discover(hass, simulator.host, simulator.mac)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert result["description_placeholders"] == {"model": model, "host": simulator.host}
    # Nothing exists before the user says yes; the card under "Discovered" names the find.
    assert not hass.config_entries.async_entries(DOMAIN)
    (progress,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert progress["context"]["title_placeholders"] == {"name": model, "host": simulator.host}
    assert progress["context"]["unique_id"] == serial

    result = await hass.config_entries.flow.async_configure(str(result["flow_id"]), {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == model
    assert result["data"] == {CONF_HOST: simulator.host, CONF_SCHEME: scheme}
    assert result["result"].unique_id == serial
    # The success step says where the energy totals start: old firmware has its own.
    assert result["description"] == (
        "lifetime_totals" if simulator.profile == "legacy" else "totals_start_now"
    )
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


async def test_the_same_appliance_found_twice_is_asked_about_once(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    first = await _discover(hass, simulator.host, simulator.mac)
    assert first["type"] is FlowResultType.FORM
    second = await _discover(hass, simulator.host, simulator.mac)
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"
    assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1


@pytest.mark.parametrize("simulator", ["legacy", "v3-0826"], indirect=True)
async def test_a_moved_appliance_is_followed_without_a_question(
    hass: HomeAssistant, simulator: Simulator, serial: str, unused_tcp_port: int
) -> None:
    # Set up at its old address, where nothing answers any more: Home Assistant retries.
    wrong_scheme = "https" if simulator.scheme == "http" else "http"
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SENEC.Home",
        data={CONF_HOST: f"127.0.0.1:{unused_tcp_port}", CONF_SCHEME: wrong_scheme},
        unique_id=serial,
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY

    result = await _discover(hass, simulator.host, simulator.mac)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data == {CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme}
    await hass.async_block_till_done()
    # Reloaded at the new address: the appliance is back, no new entry was made.
    assert entry.state is ConfigEntryState.LOADED
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_an_appliance_at_its_known_address_is_not_even_asked(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator
) -> None:
    requests = simulator.request_count
    result = await _discover(hass, simulator.host, simulator.mac)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert simulator.request_count == requests
    assert setup_integration.state is ConfigEntryState.LOADED


async def test_a_host_name_the_owner_typed_is_kept(
    hass: HomeAssistant, simulator: Simulator, serial: str
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_HOST: f"senec.fritz.box:{simulator.port}", CONF_SCHEME: simulator.scheme},
        unique_id=serial,
    )
    entry.add_to_hass(hass)
    result = await _discover(hass, simulator.host, simulator.mac)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == f"senec.fritz.box:{simulator.port}"


async def test_a_web_server_that_is_no_senec_is_left_alone(
    hass: HomeAssistant, web_server: WebServer
) -> None:
    host = await web_server(router_page)
    result = await _discover(hass, host)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_senec"
    assert not hass.config_entries.async_entries(DOMAIN)
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_a_silent_address_is_left_alone(
    hass: HomeAssistant, socket_enabled: None, unused_tcp_port: int
) -> None:
    result = await _discover(hass, f"127.0.0.1:{unused_tcp_port}")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"
    assert not hass.config_entries.async_entries(DOMAIN)
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


@pytest.mark.parametrize("simulator", ["legacy", "v3-npu2411"], indirect=True)
async def test_the_mac_is_on_the_device(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator, serial: str
) -> None:
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), setup_integration.entry_id)
    assert (DOMAIN, serial) in device.identifiers
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, simulator.mac)}
    # The registered_devices matcher finds the device by the MAC the watcher sees, normalised.
    assert dr.format_mac(simulator.mac.replace(":", "").upper()) == simulator.mac


async def test_diagnostics_redact_the_mac(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_integration)
    assert diagnostics["identity"]["mac"] == "**REDACTED**"
    text = json.dumps(diagnostics).lower()
    assert simulator.mac not in text
    assert simulator.mac.replace(":", "") not in text
