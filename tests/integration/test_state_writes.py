"""Only real changes are published: a change too small to be shown writes no new state.

Home Assistant records a new state (a database row, an event to every listener) whenever a
number changes; the appliance's floats carry digits far below what is shown. Values are
published at the precision they are shown with, the energy totals to the watt-hour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from hypothesis import given
from hypothesis import strategies as st
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import encode_value
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from custom_components.senec_home.sensor import published_total

from ..conftest import WebServer
from .clock import tick

HOUSE = "sensor.senec_home_house_power"
SOLAR = "sensor.senec_home_solar_power"
SOC = "sensor.senec_home_battery_state_of_charge"
CASE = "sensor.senec_home_case_temperature"
HOUSE_TOTAL = "sensor.senec_home_house_consumption"


@pytest.fixture
def changes(hass: HomeAssistant) -> Iterator[Counter[str]]:
    """The new states written from now on, per entity."""
    written: Counter[str] = Counter()

    @callback
    def count(event: Event[EventStateChangedData]) -> None:
        written[event.data["entity_id"]] += 1

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, count)
    yield written
    unsubscribe()


@pytest.fixture
async def appliance(hass: HomeAssistant, web_server: WebServer) -> list[dict[str, float]]:
    """An appliance over HTTP whose next values the test sets; the integration set up for it.

    Returns the list of readings; each poll answers the last one (house power, solar power,
    state of charge, case temperature).
    """
    readings = [{"house": 1234.4, "solar": -0.0, "soc": 53.54, "case": 33.84}]

    async def lala(request: web.Request) -> web.Response:
        asked = await request.json()
        if "DEVICE_ID" in asked.get("FACTORY", {}):
            return web.json_response({"FACTORY": {"DEVICE_ID": "st_1234"}})
        now = readings[-1]
        return web.json_response(
            {
                "ENERGY": {
                    "STAT_STATE": "u8_10",
                    "GUI_HOUSE_POW": encode_value(now["house"], "fl"),
                    "GUI_INVERTER_POWER": encode_value(now["solar"], "fl"),
                    "GUI_BAT_DATA_FUEL_CHARGE": encode_value(now["soc"], "fl"),
                },
                "TEMPMEASURE": {"CASE_TEMP": encode_value(now["case"], "fl")},
            }
        )

    host = await web_server(lala)
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_HOST: host, CONF_SCHEME: "http"}, unique_id="1234"
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return readings


async def test_a_change_below_what_is_shown_writes_no_state(
    hass: HomeAssistant,
    appliance: list[dict[str, float]],
    changes: Counter[str],
    freezer: FrozenDateTimeFactory,
) -> None:
    assert [hass.states.get(e).state for e in (HOUSE, SOLAR, SOC, CASE)] == [
        "1234",  # shown to the watt ...
        "0",  # ... never -0
        "54",  # to the percent
        "33.8",  # to a tenth of a degree
    ]
    appliance.append({"house": 1234.2, "solar": 0.3, "soc": 53.61, "case": 33.81})
    await tick(hass, freezer)
    assert not changes[HOUSE] + changes[SOLAR] + changes[SOC] + changes[CASE]

    # A change a user can see is published at once.
    appliance.append({"house": 1235.6, "solar": 2.0, "soc": 54.7, "case": 33.9})
    await tick(hass, freezer)
    assert [hass.states.get(e).state for e in (HOUSE, SOLAR, SOC, CASE)] == [
        "1236",
        "2",
        "55",
        "33.9",
    ]
    assert changes[HOUSE] == changes[SOLAR] == changes[SOC] == changes[CASE] == 1


async def test_an_energy_total_is_exact_to_the_watt_hour_and_written_when_it_moves(
    hass: HomeAssistant,
    appliance: list[dict[str, float]],
    changes: Counter[str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """100 W for ten minutes: 16.667 Wh, in steps of 0.28 Wh per poll."""
    appliance.append({"house": 100.0, "solar": 0.0, "soc": 50.0, "case": 30.0})
    await tick(hass, freezer)
    start = float(hass.states.get(HOUSE_TOTAL).state)
    changes.clear()
    for _ in range(60):
        await tick(hass, freezer)
    assert float(hass.states.get(HOUSE_TOTAL).state) - start == pytest.approx(0.016667, abs=1e-3)
    # A new state when the watt-hour changes, not at every poll.
    assert 10 <= changes[HOUSE_TOTAL] <= 20


KWH = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@given(before=KWH, more=KWH)
def test_a_total_never_reads_less_than_it_did_with_four_decimals(
    before: float, more: float
) -> None:
    """An update from a release that published 0.1 Wh steps shows no dip."""
    after = before + more
    assert published_total(after) >= round(before, 4)
    assert published_total(after) >= published_total(before)
    assert published_total(after) - after < 0.001 + 1e-9 * max(after, 1.0)
    assert published_total(after) * 1000 == pytest.approx(round(published_total(after) * 1000))
