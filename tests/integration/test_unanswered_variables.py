"""Ask only what the appliance answers: what it does not have leaves the regular polls.

Left out after three unanswered reads in a row (the read at set-up counts), asked again in
the hourly read; one answer brings a variable back into every poll. The energy totals hand
over between the appliance's counters and integration exactly when they would if every
poll still asked, and never decrease.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import orjson
import pytest
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import POLL_REQUEST, variables_of
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from senec_simulator import Simulator
from senec_simulator.tls import make_certificate, server_context

from ..real_answers import ANSWERS, FIXTURES, answer_ids, answered, load
from ..simulator.support import f32
from .clock import poll, tick
from .test_energy_totals import TOTALS, totals
from .test_real_answers import IDENTITY, SERIAL
from .test_requests import asked

HOUR = 3600
FLOWS = ("LIVE_GRID_IMPORT", "LIVE_GRID_EXPORT", "LIVE_PV_GEN", "LIVE_HOUSE_CONS")
#: The lifetime totals as the simulator's V2.1 names them.
LIFETIME = {("STATISTIC", name) for name in (*FLOWS, "LIVE_BAT_CHARGE", "LIVE_BAT_DISCHARGE")}
STATISTIC = {variable for variable in variables_of(POLL_REQUEST) if variable[0] == "STATISTIC"}
SAFE_CHARGE_RUNNING = ("ENERGY", "SAFE_CHARGE_RUNNING")


def sources(hass: HomeAssistant) -> set[str]:
    """Where the six totals come from."""
    return {hass.states.get(entity_id).attributes["source"] for entity_id in TOTALS}


class Totals:
    """The six totals, checked after every poll: they never decrease."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.last = totals(hass)

    def check(self) -> dict[str, float]:
        """Read the totals, fail if one decreased."""
        now = totals(self.hass)
        for entity_id in TOTALS:
            assert now[entity_id] >= self.last[entity_id], (entity_id, now, self.last)
        self.last = now
        return now


@pytest.mark.parametrize(
    ("simulator", "left_out", "still_asked"),
    [
        # V2.1 firmware: totals without the _MASTER suffix, no force-charge control.
        (
            "legacy",
            {
                ("STATISTIC", "LIVE_BAT_CHARGE_MASTER"),
                ("STATISTIC", "LIVE_BAT_DISCHARGE_MASTER"),
                SAFE_CHARGE_RUNNING,
            },
            LIFETIME | {("STATISTIC", "CURRENT_STATE"), ("STATISTIC", "MEASURE_TIME")},
        ),
        # Firmware 0826: STATISTIC answered empty.
        ("v3-0826", STATISTIC, {SAFE_CHARGE_RUNNING}),
        ("v3-npu2411", STATISTIC, {SAFE_CHARGE_RUNNING}),
    ],
    indirect=["simulator"],
)
async def test_the_regular_poll_leaves_out_what_the_appliance_does_not_answer(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    left_out: set[tuple[str, str]],
    still_asked: set[tuple[str, str]],
) -> None:
    # The read at set-up and the first two polls ask: three unanswered reads in a row.
    for _ in range(2):
        await poll(hass, simulator, freezer)
        assert left_out <= asked(simulator)
    for _ in range(3):
        await poll(hass, simulator, freezer)
        assert not left_out & asked(simulator)
        assert still_asked <= asked(simulator)
        assert ("ENERGY", "GUI_GRID_POW") in asked(simulator)
    # The hourly read asks for everything again; the next poll leaves it out again.
    await poll(hass, simulator, freezer, HOUR)
    assert left_out <= asked(simulator)
    await poll(hass, simulator, freezer)
    assert not left_out & asked(simulator)


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_firmware_that_brings_the_totals_back_is_followed_within_the_hour(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    for _ in range(3):
        await poll(hass, simulator, freezer)
    shown = Totals(hass)
    assert not STATISTIC & asked(simulator)
    assert sources(hass) == {"integrated"}

    simulator.serve_statistic(True)  # a firmware update brings the lifetime totals back
    for _ in range(3):
        await poll(hass, simulator, freezer, 1000)
        shown.check()
        assert not STATISTIC & asked(simulator)  # not looked for until the hour is over
        assert sources(hass) == {"integrated"}
    await poll(hass, simulator, freezer, 600)  # an hour after the read of everything
    assert asked(simulator) >= LIFETIME
    shown.check()
    assert sources(hass) == {"appliance"}
    # From now on every poll asks, and the totals follow the appliance's counters.
    before, truth_before = shown.last, simulator.truth
    for _ in range(3):
        await poll(hass, simulator, freezer)
        assert asked(simulator) >= LIFETIME
        shown.check()
    truth = simulator.truth
    for entity_id, name in TOTALS.items():
        # What the appliance's counters (float32 kWh) grew by; shown to the watt-hour.
        grown = f32(getattr(truth, name)) - f32(getattr(truth_before, name))
        assert shown.last[entity_id] - before[entity_id] == pytest.approx(grown, abs=1e-3)


@pytest.mark.parametrize("simulator", ["legacy"], indirect=True)
async def test_firmware_that_drops_the_totals_hands_over_as_before(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await poll(hass, simulator, freezer)
    shown = Totals(hass)
    assert sources(hass) == {"appliance"}

    simulator.serve_statistic(False)  # the update to 0825: STATISTIC answered empty
    for _ in range(2):
        await poll(hass, simulator, freezer)
        assert asked(simulator) >= LIFETIME
        shown.check()
        assert sources(hass) == {"appliance"}  # a glitch, as far as anyone can tell yet
    await poll(hass, simulator, freezer)  # the third miss: the counters are gone
    assert asked(simulator) >= LIFETIME
    shown.check()
    assert sources(hass) == {"integrated"}
    for _ in range(3):
        await poll(hass, simulator, freezer)
        assert not STATISTIC & asked(simulator)
        shown.check()
        assert sources(hass) == {"integrated"}

    simulator.serve_statistic(True)  # and back (a downgrade)
    await poll(hass, simulator, freezer, HOUR)
    assert asked(simulator) >= LIFETIME
    shown.check()
    assert sources(hass) == {"appliance"}
    await poll(hass, simulator, freezer)
    assert asked(simulator) >= LIFETIME
    shown.check()


async def test_a_single_unanswered_read_changes_nothing(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One poll without an entity's variable does not drop it from the next ones."""
    await poll(hass, simulator, freezer)
    simulator.serve_statistic(True)
    await poll(hass, simulator, freezer, HOUR)  # the hourly read finds the totals
    simulator.serve_statistic(False)
    await poll(hass, simulator, freezer)  # one answer without them
    simulator.serve_statistic(True)
    await poll(hass, simulator, freezer)
    assert asked(simulator) >= LIFETIME
    assert sources(hass) == {"appliance"}


# --- replayed real answers -------------------------------------------------------------------

type Replay = Callable[[Path], None]


@pytest.fixture
async def replay(
    hass: HomeAssistant, socket_enabled: None, unused_tcp_port: int
) -> AsyncIterator[tuple[Replay, list[set[tuple[str, str]]]]]:
    """An appliance over HTTPS that answers every poll with a real answer, byte for byte.

    Yields a function that chooses the answer (the firmware changing its mind) and the list of
    the requests' variables, oldest first. The identity request gets a fixed identity.
    """
    serving: list[bytes] = []
    requests: list[set[tuple[str, str]]] = []

    async def lala(request: web.Request) -> web.Response:
        form = orjson.loads(await request.read())
        if "DEVICE_ID" in form.get("FACTORY", {}):
            return web.json_response(IDENTITY)
        requests.append({(section, name) for section, names in form.items() for name in names})
        return web.Response(body=serving[-1], content_type="application/json")

    def choose(path: Path) -> None:
        serving.append(path.read_bytes())

    app = web.Application()
    app.router.add_post("/lala.cgi", lala)
    runner = web.AppRunner(app)
    await runner.setup()
    cert, key = make_certificate()
    context = server_context(cert, key)
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port, ssl_context=context).start()
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_HOST: f"127.0.0.1:{unused_tcp_port}", CONF_SCHEME: "https"},
        unique_id=SERIAL,
    )
    entry.add_to_hass(hass)
    yield choose, requests
    await hass.config_entries.async_unload(entry.entry_id)
    await runner.cleanup()


async def set_up(hass: HomeAssistant) -> None:
    """Set up the one entry of the replay."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def not_answered(path: Path, variables: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Return the variables a real answer does not answer (read without the project's code)."""
    raw = load(path)
    return {(section, name) for section, name in variables if not answered(raw, section, name)}


@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
async def test_real_answers_replayed_leave_out_only_what_they_do_not_answer(
    hass: HomeAssistant,
    replay: tuple[Replay, list[set[tuple[str, str]]]],
    freezer: FrozenDateTimeFactory,
    path: Path,
) -> None:
    choose, requests = replay
    choose(path)
    await set_up(hass)
    for _ in range(3):
        await tick(hass, freezer)
    first_poll, regular = requests[1], requests[-1]
    missing = not_answered(path, first_poll)
    assert regular == first_poll - missing
    await tick(hass, freezer, HOUR)
    assert requests[-1] >= first_poll  # the hourly read asks for everything again


WITH_TOTALS = FIXTURES / "12-collector-2021-10-05-statistic-bms-wallbox-charging.json"
WITHOUT_TOTALS = FIXTURES / "31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json"
#: The lifetime totals as file 12's appliance names them.
REAL_TOTALS = {
    ("STATISTIC", name) for name in (*FLOWS, "LIVE_BAT_CHARGE_MASTER", "LIVE_BAT_DISCHARGE_MASTER")
}


async def test_real_answers_before_and_after_the_totals_went_away(
    hass: HomeAssistant,
    replay: tuple[Replay, list[set[tuple[str, str]]]],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Old firmware with totals (file 12), then all VARIABLE_NOT_FOUND (31), then back."""
    choose, requests = replay
    choose(WITH_TOTALS)
    await set_up(hass)
    await tick(hass, freezer)
    shown = Totals(hass)
    assert requests[-1] >= REAL_TOTALS
    assert sources(hass) == {"appliance"}

    choose(WITHOUT_TOTALS)
    for poll_number in range(1, 6):
        await tick(hass, freezer)
        shown.check()
        assert (requests[-1] >= REAL_TOTALS) is (poll_number <= 3)
        assert sources(hass) == ({"appliance"} if poll_number < 3 else {"integrated"})

    choose(WITH_TOTALS)
    await tick(hass, freezer)
    assert not REAL_TOTALS & requests[-1]  # not before the hourly read
    await tick(hass, freezer, HOUR)
    assert requests[-1] >= REAL_TOTALS
    shown.check()
    assert sources(hass) == {"appliance"}
    await tick(hass, freezer)
    assert requests[-1] >= REAL_TOTALS
