"""The config flow against the simulated appliance: every error recovers, nothing half-made."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

from ..conftest import WebServer, router_page


@pytest.fixture
async def not_a_senec(web_server: WebServer) -> str:
    """The address of a web server that answers lala.cgi with a router's login page."""
    return await web_server(router_page)


async def _start(hass: HomeAssistant) -> str:
    """Open the user step and return the flow id."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def _error_then_recovers(
    hass: HomeAssistant, wrong: str, errors: dict[str, str], right: str
) -> None:
    """Enter a wrong host: the form comes back with `errors` and nothing is created. Then the
    right host creates the entry in the same flow.
    """
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: wrong})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert not hass.config_entries.async_entries(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: right})
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("simulator", "scheme", "title", "totals"),
    [
        ("legacy", "http", "SENEC.Home V2.1 1ph Lithium", "lifetime_totals"),
        ("v3-0826", "https", "SENEC.Home V3 hybrid duo", "totals_start_now"),
        ("v3-npu2411", "https", "SENEC.Home V3 hybrid duo", "totals_start_now"),
    ],
    indirect=["simulator"],
)
async def test_user_flow_creates_the_entry(
    hass: HomeAssistant, simulator: Simulator, serial: str, scheme: str, title: str, totals: str
) -> None:
    """The entry is created, and the success step names the model and where the totals start."""
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"  {simulator.host} "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == title
    assert result["data"] == {CONF_HOST: simulator.host, CONF_SCHEME: scheme}
    assert result["result"].unique_id == serial
    assert result["description"] == totals
    assert result["description_placeholders"] == {"model": title}


async def test_a_pasted_url_is_understood(hass: HomeAssistant, simulator: Simulator) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"https://{simulator.host}/index.html"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_HOST: simulator.host, CONF_SCHEME: "https"}


async def test_invalid_host_then_recovers(hass: HomeAssistant, simulator: Simulator) -> None:
    await _error_then_recovers(hass, "not a host!", {CONF_HOST: "invalid_host"}, simulator.host)


async def test_cannot_connect_then_recovers(
    hass: HomeAssistant, simulator: Simulator, unused_tcp_port: int
) -> None:
    await _error_then_recovers(
        hass, f"127.0.0.1:{unused_tcp_port}", {"base": "cannot_connect"}, simulator.host
    )


async def test_not_senec_then_recovers(
    hass: HomeAssistant, simulator: Simulator, not_a_senec: str
) -> None:
    await _error_then_recovers(hass, not_a_senec, {"base": "not_senec"}, simulator.host)


async def test_unexpected_error_then_recovers(hass: HomeAssistant, simulator: Simulator) -> None:
    flow_id = await _start(hass)
    # An error no real appliance can be made to produce: the one place this suite patches.
    with patch(
        "custom_components.senec_home.config_flow.SenecClient.identity",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: simulator.host}
        )
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: simulator.host})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_same_appliance_twice_aborts(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator
) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: simulator.host})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_a_changed_address_updates_the_existing_entry(
    hass: HomeAssistant, simulator: Simulator, serial: str
) -> None:
    old = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_HOST: "192.0.2.10", CONF_SCHEME: "https"},
        unique_id=serial,
    )
    old.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: simulator.host})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert old.data == {CONF_HOST: simulator.host, CONF_SCHEME: simulator.scheme}


async def test_reconfigure_to_a_new_address(
    hass: HomeAssistant, setup_integration: MockConfigEntry, simulator: Simulator
) -> None:
    entry = setup_integration
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_HOST: "192.0.2.10"})
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    flow_id = result["flow_id"]
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_HOST: "bad host"})
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: f"https://{simulator.host}/"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_HOST] == simulator.host
    await hass.async_block_till_done()


async def test_reconfigure_to_another_appliance_is_refused(
    hass: HomeAssistant, setup_integration: MockConfigEntry, socket_enabled: None
) -> None:
    entry = setup_integration
    async with Simulator(profile="legacy", seed=99) as other:
        result = await entry.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOST: other.host}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_HOST] != other.host


async def test_options_change_the_poll_interval(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    entry = setup_integration
    assert entry.runtime_data.update_interval == timedelta(seconds=10)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 30}
    await hass.async_block_till_done()
    assert entry.runtime_data.update_interval == timedelta(seconds=30)


@pytest.mark.parametrize(
    "interval", [1, 4, 4.9, 301, 1000, 5.5, 5.9, 300.9, float("nan"), float("inf")]
)
async def test_options_explain_intervals_out_of_range(
    hass: HomeAssistant, setup_integration: MockConfigEntry, interval: float
) -> None:
    """An interval out of range, or with decimals (5.5 is not cut down to 5 behind the
    user's back), comes back with the integration's own error and the range.
    """
    result = await hass.config_entries.options.async_init(setup_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: interval}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SCAN_INTERVAL: "scan_interval_out_of_range"}
    assert result["description_placeholders"] == {"min": "5", "max": "300", "default": "10"}
    assert setup_integration.options == {}
    # The same form, corrected, saves.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert setup_integration.options == {CONF_SCAN_INTERVAL: 300}
    await hass.async_block_till_done()


async def test_options_save_a_whole_number_typed_with_a_decimal_point_as_one(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(setup_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 30.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert setup_integration.options == {CONF_SCAN_INTERVAL: 30}
    assert type(setup_integration.options[CONF_SCAN_INTERVAL]) is int
    await hass.async_block_till_done()


async def test_options_form_shows_the_range_in_seconds(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, setup_integration: MockConfigEntry
) -> None:
    """Over the API the frontend uses: a number field in seconds with its range, and an
    out-of-range value answered with the integration's error, not a refused request.
    """
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    response = await client.post(
        "/api/config/config_entries/options/flow", json={"handler": setup_integration.entry_id}
    )
    assert response.status == HTTPStatus.OK
    form = await response.json()
    assert [field["name"] for field in form["data_schema"]] == [CONF_SCAN_INTERVAL]
    assert form["data_schema"][0]["selector"] == {
        "number": {"min": 5.0, "max": 300.0, "step": 1.0, "mode": "box", "unit_of_measurement": "s"}
    }
    response = await client.post(
        f"/api/config/config_entries/options/flow/{form['flow_id']}",
        json={CONF_SCAN_INTERVAL: 1},
    )
    assert response.status == HTTPStatus.OK
    answer = await response.json()
    assert answer["errors"] == {CONF_SCAN_INTERVAL: "scan_interval_out_of_range"}
    assert answer["description_placeholders"] == {"min": "5", "max": "300", "default": "10"}


async def test_options_refuse_what_is_no_number(
    hass: HomeAssistant, setup_integration: MockConfigEntry
) -> None:
    """Only the range is left to the step: text is still refused by the schema."""
    result = await hass.config_entries.options.async_init(setup_integration.entry_id)
    with pytest.raises(InvalidData, match="scan_interval"):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_SCAN_INTERVAL: "often"}
        )
    assert setup_integration.options == {}
