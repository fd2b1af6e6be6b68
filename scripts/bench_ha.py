"""What one refresh costs, for the default and the all-enabled set of entities.

Run through ``scripts/bench`` (``pytest scripts/bench_ha.py -s`` in the test environment):
the test stack's Home Assistant sets the integration up against the simulator on loopback,
once with the entities enabled by default and once with every entity enabled. Per set it
prints the poll request and answer size, the appliance's (simulator's) answer time over
loopback, and Home Assistant's own cost per refresh: decoding the answer into a snapshot
plus writing the states of all entities. Then it counts the new states per poll over a
simulated day. Asserts nothing but that it ran.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest.mock import PropertyMock, patch

import orjson
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.senec_home.api import Snapshot, build_form, parse_answer
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator

# An evening with the car charging: every section has live values.
START = datetime(2026, 6, 21, 16, 30, tzinfo=UTC)
ROUNDS = 200


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from this repository."""


@pytest.fixture(params=["default", "all enabled"])
def entity_set(request: pytest.FixtureRequest) -> Iterator[str]:
    """Entities as a new installation has them, or every one enabled."""
    if request.param == "default":
        yield request.param
        return
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield request.param


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


async def test_refresh_cost(hass: HomeAssistant, socket_enabled: None, entity_set: str) -> None:
    async with Simulator(profile="v3-0826", seed=7, start=START, wallbox="evening") as sim:
        entry = MockConfigEntry(domain=DOMAIN, data={CONF_HOST: sim.host, CONF_SCHEME: sim.scheme})
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        coordinator = entry.runtime_data
        for _ in range(2):  # what the appliance does not answer leaves the regular poll
            await coordinator.async_refresh()
        fast, slow = coordinator.wanted()
        form = build_form(coordinator.unanswered.regular(fast))
        request = orjson.dumps(form)
        answer_times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            await coordinator.client.read(form)
            answer_times.append(time.perf_counter() - start)
        body = orjson.dumps(coordinator.client.last_raw)
        decode_times, write_times = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            snapshot = Snapshot.from_answer(parse_answer(body), {})
            decode_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            coordinator.async_set_updated_data(snapshot)
            write_times.append(time.perf_counter() - start)
        entities = len(hass.states.async_entity_ids())
        hourly_bytes = len(orjson.dumps(build_form(fast | slow)))
        print(
            f"\n{entity_set:12} {entities:3} entities | request {len(request):5} B"
            f" (hourly, with the slow values: {hourly_bytes} B) | answer {len(body):5} B"
            f" | appliance {_median_ms(answer_times):6.3f} ms"
            f" | HA decode {_median_ms(decode_times):6.3f} ms"
            f" + state writes {_median_ms(write_times):6.3f} ms per refresh"
        )
        assert await hass.config_entries.async_unload(entry.entry_id)


# A whole day from midnight (UTC+1 local): night, sunrise, a sunny day, evening.
DAY_START = datetime(2026, 6, 20, 23, 0, tzinfo=UTC)
DAY_POLLS = 8640  # 24 hours at the default interval of 10 s


async def test_state_writes_over_a_day(
    hass: HomeAssistant, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    """Count the new states per poll over a simulated day, for a new installation's entities.

    Home Assistant records a new state (and the recorder writes a row) only when a value or
    an attribute changed; an unchanged value just refreshes ``last_reported``.
    """
    # On the frozen clock asyncio's debug mode takes every step of the loop for a slow one.
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    freezer.move_to(DAY_START)
    async with Simulator(profile="v3-0826", seed=1, start=DAY_START) as sim:
        entry = MockConfigEntry(domain=DOMAIN, data={CONF_HOST: sim.host, CONF_SCHEME: sim.scheme})
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        ours = set(hass.states.async_entity_ids())
        changes: Counter[str] = Counter()

        @callback
        def count(event: Event[EventStateChangedData]) -> None:
            if event.data["entity_id"] in ours:
                changes[event.data["entity_id"]] += 1

        unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, count)
        for _ in range(DAY_POLLS):
            sim.advance(10)
            freezer.tick(timedelta(seconds=10))
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)
        unsubscribe()
        writes = sum(changes.values())
        print(
            f"\nstate writes over a day: {writes / DAY_POLLS:.1f} per poll of {len(ours)} "
            f"enabled entities ({writes} in {DAY_POLLS} polls); per entity and poll: "
            + ", ".join(
                f"{entity.removeprefix('sensor.senec_home_')} {n / DAY_POLLS:.2f}"
                for entity, n in changes.most_common()
            )
        )
        assert await hass.config_entries.async_unload(entry.entry_id)
