"""Diagnostics: the appliance at a glance, its raw answers, and nothing that identifies it.

The raw answers of each kind of read are in the download exactly as the appliance sent them,
with their requests; identifying values inside them are replaced by neutral ones of the same
type and length. The identifying values of the simulator, of the published full dump
(29-nihaf-2022-10-v3-full-dump.json: serials of the battery, the inverters, the modules and
the wallbox, the MAC) and a few planted where real appliances keep them (device id, log-in,
IP address) are searched for in the whole download, as an owner would attach it to an issue.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.senec_home.api import decode_value, variables_of
from senec_simulator import Simulator
from senec_simulator.tls import make_certificate, server_context

from ..conftest import SIM_START, WebServer
from ..real_answers import FIXTURES
from .clock import poll
from .conftest import Download, set_up_entry

FULL_DUMP = FIXTURES / "29-nihaf-2022-10-v3-full-dump.json"
# Planted where real appliances keep such values (LOG, WIZARD.SETUP_PV_INV_IP0, DEVICE_ID):
# in the published dump they are empty or zero.
PLANTED_SERIAL = "1000234567890123456789012"
PLANTED_USER = "anna.installateurin"
PLANTED_PASSWORD = "Sonnenschein2024"
PLANTED_IP = (192, 168, 178, 23)
# The MAC of the published WIZARD answer (file 28 of the real answers).
MAC_28 = (0x14, 0x1F, 0xBA, 0x21, 0x22, 0x10)


def _mac_forms(mac: tuple[int, ...]) -> list[str]:
    """The ways a MAC can be written, lower case, without whitespace."""
    hexes = [f"{b:02x}" for b in mac]
    # The first three bytes are SENEC's vendor block, shared by every appliance: the
    # appliance's own part is the rest.
    return [
        ":".join(hexes),
        "-".join(hexes),
        "".join(hexes),
        ",".join(f'"u8_{b}"' for b in hexes[3:]),
    ]


def _ip_forms(ip: tuple[int, ...]) -> list[str]:
    number = int.from_bytes(bytes(ip))
    return [".".join(map(str, ip)), f"u3_{number:08x}", str(number)]


def _found(download: bytes, values: list[str]) -> list[str]:
    """The identifying values that occur in a download (case and whitespace ignored)."""
    text = "".join(download.decode().lower().split())
    return [value for value in values if "".join(value.lower().split()) in text]


@pytest.mark.parametrize("simulator", ["legacy", "v3-npu2411"], indirect=True)
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    serial: str,
    snapshot: SnapshotAssertion,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_integration)
    assert diagnostics == snapshot
    text = json.dumps(diagnostics)
    assert serial not in text
    assert simulator.host not in text
    assert diagnostics["raw_answers"]["setup"]["answer"]["ENERGY"]["STAT_STATE"].startswith("u8_")
    assert diagnostics["snapshot"]["system_state"] == simulator.truth.state


@pytest.mark.parametrize("simulator", ["legacy", "v3-0826"], indirect=True)
async def test_what_the_appliance_is_comes_first(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    download_diagnostics: Download,
) -> None:
    download = orjson.loads(await download_diagnostics(setup_integration))
    data = download["data"]
    assert next(iter(data)) == "appliance"
    appliance = data["appliance"]
    identity = setup_integration.runtime_data.identity
    assert appliance["model"] == identity.model
    assert appliance["firmware"] == identity.application_version
    assert appliance["npu_image"] == identity.npu_image_version
    assert appliance["battery_modules"] == identity.modules_configured
    assert appliance["wallboxes"] == 0
    assert appliance["scheme"] == simulator.scheme
    # What the appliance answered VARIABLE_NOT_FOUND to at set-up, from its raw answer.
    setup_answer = data["raw_answers"]["setup"]["answer"]
    missing = sorted(
        f"{section}.{name}"
        for section, variables in setup_answer.items()
        for name, raw in variables.items()
        if raw == "VARIABLE_NOT_FOUND"
    )
    assert missing
    assert appliance["variable_not_found"] == missing


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_the_raw_answers_of_each_read_come_with_their_requests(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    download_diagnostics: Download,
) -> None:
    await poll(hass, simulator, freezer, 3600)  # the hourly read, with the slow values
    await poll(hass, simulator, freezer)  # then a regular poll
    data = orjson.loads(await download_diagnostics(setup_integration))["data"]
    raw_answers = data["raw_answers"]
    assert list(raw_answers) == ["setup", "poll", "hourly"]
    for kind, exchange in raw_answers.items():
        request, answer = exchange["request"], exchange["answer"]
        # The appliance answers what it is asked, each variable with a typed string (or a
        # list of them) or VARIABLE_NOT_FOUND; a section it lacks as a whole says so, and
        # STATISTIC comes back empty on this firmware.
        for section, variables in answer.items():
            assert set(variables) <= {*request[section], "OBJECT_NOT_FOUND"}, (kind, section)
            for raw in variables.values():
                for item in raw if isinstance(raw, list) else [raw]:
                    assert item in ("VARIABLE_NOT_FOUND", "") or item[2] == "_", (kind, item)
        assert set(answer) == set(request), kind
    # The request exactly as the appliance received it.
    assert raw_answers["poll"]["request"] == simulator.last_request
    assert ("FACTORY", "DESIGN_CAPACITY") in variables_of(raw_answers["hourly"]["request"])
    assert ("FACTORY", "DESIGN_CAPACITY") not in variables_of(raw_answers["poll"]["request"])
    assert raw_answers["poll"]["at"] == dt_util.utcnow().isoformat()
    # The poll's raw answer is what the entities show now.
    soc = raw_answers["poll"]["answer"]["ENERGY"]["GUI_BAT_DATA_FUEL_CHARGE"]
    state = hass.states.get("sensor.senec_home_battery_state_of_charge")
    assert float(state.state) == pytest.approx(decode_value(soc), abs=0.01)


async def test_nothing_that_identifies_the_simulated_appliance_is_in_the_download(
    hass: HomeAssistant, socket_enabled: None, download_diagnostics: Download
) -> None:
    async with Simulator(
        profile="v3-npu2411", seed=1, start=SIM_START, wallbox="surplus"
    ) as simulator:
        entry = await set_up_entry(hass, simulator.host, simulator.scheme)
        serial = entry.runtime_data.identity.serial
        mac = tuple(int(b, 16) for b in simulator.mac.split(":"))
        wallbox_serial = f"WB{simulator.seed:08d}"
        # The appliance did send them.
        assert len(serial) == 25
        assert wallbox_serial in str(entry.runtime_data.client.last_raw)
        download = await download_diagnostics(entry)
    assert _found(download, [serial, wallbox_serial, simulator.host, *_mac_forms(mac)]) == []
    data = orjson.loads(download)["data"]
    assert data["appliance"]["wallboxes"] == 1
    assert data["raw_answers"]["setup"]["answer"]["WALLBOX"]["HW_TYPE"][0] != "u8_00"


def _full_dump_with_planted_values() -> dict[str, Any]:
    """The published full dump, with a device id, a log-in and an IP address filled in."""
    dump = orjson.loads(FULL_DUMP.read_bytes())
    dump["FACTORY"] = {"DEVICE_ID": f"st_{PLANTED_SERIAL}", "SYS_TYPE": "u8_12"}
    dump["LOG"]["USERNAME"] = f"st_{PLANTED_USER}"
    dump["LOG"]["PASSWORD"] = f"st_{PLANTED_PASSWORD}"
    dump["WIZARD"]["SETUP_PV_INV_IP0"] = f"u3_{int.from_bytes(bytes(PLANTED_IP)):08X}"
    return dump


async def test_nothing_that_identifies_a_full_dump_is_in_the_download(
    hass: HomeAssistant, web_server: WebServer, download_diagnostics: Download
) -> None:
    """An appliance that answers every request with every section it has."""
    dump = _full_dump_with_planted_values()
    identity = {
        "FACTORY": dump["FACTORY"],
        "WIZARD": {
            "APPLICATION_VERSION": dump["WIZARD"]["APPLICATION_VERSION"],
            "INTERFACE_VERSION": dump["WIZARD"]["INTERFACE_VERSION"],
            "MAC_ADDRESS_BYTES": [f"u8_{b:02X}" for b in MAC_28],
        },
        "SYS_UPDATE": dump["SYS_UPDATE"],
        "BMS": {"MODULES_CONFIGURED": dump["BMS"]["MODULES_CONFIGURED"]},
    }

    async def lala(request: web.Request) -> web.Response:
        asked = orjson.loads(await request.read())
        answer = identity if "DEVICE_ID" in asked.get("FACTORY", {}) else dump
        return web.json_response(answer)

    cert, key = make_certificate()
    host = await web_server(lala, server_context(cert, key))
    entry = await set_up_entry(hass, host, "https", PLANTED_SERIAL)
    download = await download_diagnostics(entry)

    dump_mac = tuple(int(b[3:], 16) for b in dump["WIZARD"]["MAC_ADDRESS_BYTES"])
    # As the appliance sent them: the published dump's serials (battery and inverter, second
    # inverter, wallbox, battery modules as u3), both MACs as u8 bytes, the planted values.
    as_sent = [
        "767272HF008605630018",
        "765856HF008607120001",
        "010389",
        "u3_029FB0FD",
        "u3_029FB0FF",
        _mac_forms(dump_mac)[-1],
        _mac_forms(MAC_28)[-1],
        PLANTED_SERIAL,
        PLANTED_USER,
        PLANTED_PASSWORD,
        _ip_forms(PLANTED_IP)[1],
    ]
    sent = orjson.dumps(dump) + orjson.dumps(identity)
    assert _found(sent, as_sent) == as_sent
    # In any form: as numbers, as written MAC and IP addresses, the appliance's address.
    other_forms = [
        str(0x029FB0FD),
        str(0x029FB0FF),
        *_mac_forms(dump_mac),
        *_mac_forms(MAC_28),
        *_ip_forms(PLANTED_IP),
        host,
    ]
    assert _found(download, as_sent + other_forms) == []
    # Still the appliance's words: the same sections and variables, every value decodable.
    answer = orjson.loads(download)["data"]["raw_answers"]["setup"]["answer"]
    assert variables_of(answer) == variables_of(dump)
    assert answer["BAT1"]["SERIAL"] == "st_000000XX000000000000"
    assert answer["WALLBOX"]["SERIAL_NUMBER"] == ["st_000000", "st_", "st_", "st_"]
    assert answer["LOG"]["USERNAME"] == "st_" + "X" * 4 + "." + "X" * 14
    assert answer["BMS"]["SN"] == ["u3_00000001", "u3_00000001", "u3_00000000", "u3_00000000"]
