"""Every published real answer replayed to the integration over real HTTPS.

A small HTTPS server with a self-signed certificate (the appliance's own situation) answers
the poll with the fixture file byte for byte. Published answers mostly lack
``FACTORY.DEVICE_ID``, so the identity request (the one asking for it) gets a fixed identity
instead: a V3 hybrid with four battery modules, so that module lists in an answer become
entities. Each entity's state is then compared with the independent meaning of the raw value
(:func:`tests.real_answers.meaning`), computed here without the project's code.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.api import SYSTEM_STATES, UPDATE_STATES, WALLBOX_STATES
from custom_components.senec_home.const import CONF_SCHEME, DOMAIN
from custom_components.senec_home.sensor import (
    METER2_SENSORS,
    MODULE_SENSORS,
    PHASE_SENSORS,
    SENSORS,
    TRACKER_SENSORS,
    WALLBOX_SENSORS,
)
from senec_simulator.tls import make_certificate, server_context

from ..real_answers import ANSWERS, answer_ids, answered, items, load, meaning

# Each answer exactly as published, read once at import.
BODIES = {path: path.read_bytes() for path in ANSWERS}
SERIAL = "1234567890123456789012345"
IDENTITY = {
    "FACTORY": {"DEVICE_ID": f"st_{SERIAL}", "SYS_TYPE": "u8_13", "COUNTRY": "u8_00"},
    "WIZARD": {"APPLICATION_VERSION": "st_0826", "INTERFACE_VERSION": "st_3.16.32"},
    "SYS_UPDATE": {"NPU_VER": "u1_000B", "NPU_IMAGE_VERSION": "u1_0968"},
    "BMS": {"MODULES_CONFIGURED": "u8_04"},
}
#: The identity variables an answer's own values replace, so that the device shows the
#: versions of the appliance that sent it (files 29 and 30 have them).
VERSIONS = (
    ("WIZARD", "APPLICATION_VERSION"),
    ("WIZARD", "INTERFACE_VERSION"),
    ("SYS_UPDATE", "NPU_VER"),
    ("SYS_UPDATE", "NPU_IMAGE_VERSION"),
)


def identity_for(answer: dict[str, Any]) -> dict[str, Any]:
    """The fixed identity, with the answer's own versions where it has them."""
    identity = {section: dict(variables) for section, variables in IDENTITY.items()}
    for section, name in VERSIONS:
        if answered(answer, section, name):
            identity[section][name] = answer[section][name]
    return identity


def firmware_line(identity: dict[str, Any]) -> str:
    """The device's firmware line: the MCU revision and the NPU image, as the README says."""
    application = _decoded(identity["WIZARD"]["APPLICATION_VERSION"])
    image = _decoded(identity["SYS_UPDATE"]["NPU_IMAGE_VERSION"])
    return f"{application} (NPU {image})"


MODULES = 4
DEADBAND = 5.0
_NEGATIVE_ZERO = re.compile(r"^-0(\.0*)?$")

type Expect = Callable[[float | int | str], Any]


def _number(value: float | int | str) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _within(low: float, high: float) -> Expect:
    def check(value: float | int | str) -> float | None:
        number = _number(value)
        return number if number is not None and low <= number <= high else None

    return check


def _split(sign: int) -> Expect:
    def check(value: float | int | str) -> float | None:
        number = _number(value)
        if number is None:
            return None
        return number * sign if number * sign > DEADBAND else 0.0

    return check


def _state(value: float | int | str) -> str | None:
    return SYSTEM_STATES.get(value) if isinstance(value, int) else None


def _timestamp(value: float | int | str) -> str | None:
    if not isinstance(value, int):
        return None
    return datetime.fromtimestamp(value, UTC).isoformat()


# entity key -> (section, variable, what the state must be for a decoded value)
SCALARS: dict[str, tuple[str, str, Expect]] = {
    "system_state": ("ENERGY", "STAT_STATE", _state),
    "statistic_state": ("STATISTIC", "CURRENT_STATE", _state),
    "measure_time": ("STATISTIC", "MEASURE_TIME", _timestamp),
    "solar_power": ("ENERGY", "GUI_INVERTER_POWER", _number),
    "house_power": ("ENERGY", "GUI_HOUSE_POW", _number),
    "grid_power": ("ENERGY", "GUI_GRID_POW", _number),
    "grid_import_power": ("ENERGY", "GUI_GRID_POW", _split(1)),
    "grid_export_power": ("ENERGY", "GUI_GRID_POW", _split(-1)),
    "battery_power": ("ENERGY", "GUI_BAT_DATA_POWER", _number),
    "battery_charge_power": ("ENERGY", "GUI_BAT_DATA_POWER", _split(1)),
    "battery_discharge_power": ("ENERGY", "GUI_BAT_DATA_POWER", _split(-1)),
    "battery_soc": ("ENERGY", "GUI_BAT_DATA_FUEL_CHARGE", _within(0, 100)),
    "battery_voltage": ("ENERGY", "GUI_BAT_DATA_VOLTAGE", _within(0, 1000)),
    "battery_current": ("ENERGY", "GUI_BAT_DATA_CURRENT", _number),
    "hours_of_operation": ("ENERGY", "STAT_HOURS_OF_OPERATION", _number),
    "export_limit": ("PV1", "POWER_RATIO", _within(0, 100)),
    "pv_p_total": ("PV1", "P_TOTAL", _number),
    "design_capacity": ("FACTORY", "DESIGN_CAPACITY", lambda v: _number(v) and v / 1000),
    "max_charge_power": ("FACTORY", "MAX_CHARGE_POWER_DC", _number),
    "max_discharge_power": ("FACTORY", "MAX_DISCHARGE_POWER_DC", _number),
    # Temperatures outside -40..100 degC are no value (MCU_TEMP reads -155 on some).
    "battery_temperature": ("TEMPMEASURE", "BATTERY_TEMP", _within(-40, 100)),
    "case_temperature": ("TEMPMEASURE", "CASE_TEMP", _within(-40, 100)),
    "mcu_temperature": ("TEMPMEASURE", "MCU_TEMP", _within(-40, 100)),
    "grid_frequency": ("PM1OBJ1", "FREQ", _within(40, 70)),
    "grid_meter_power": ("PM1OBJ1", "P_TOTAL", _number),
    "spare_capacity": ("BAT1", "SPARE_CAPACITY", _within(0, 100)),
    "meter2_power": ("PM1OBJ2", "P_TOTAL", _number),
    "update_state": (
        "SYS_UPDATE",
        "FSM_STATE",
        lambda v: UPDATE_STATES.get(v) if isinstance(v, int) else None,
    ),
    "gui_version": ("WIZARD", "INTERFACE_VERSION", lambda v: v if isinstance(v, str) else None),
    "npu_version": ("SYS_UPDATE", "NPU_VER", _number),
    "npu_image_version": ("SYS_UPDATE", "NPU_IMAGE_VERSION", _number),
}
# The force-charge switch and the firmware update sensor show a flag as the appliance
# reports it.
SWITCHES: dict[str, tuple[str, str, Expect]] = {
    "force_charge": (
        "ENERGY",
        "SAFE_CHARGE_RUNNING",
        lambda v: {0: "off", 1: "on"}.get(v) if isinstance(v, int) else None,
    ),
    "firmware_update": (
        "SYS_UPDATE",
        "UPDATE_AVAILABLE",
        lambda v: {0: "off", 1: "on"}.get(v) if isinstance(v, int) else None,
    ),
}
# (group, entity key) -> (section, variable, state for a decoded value)
LISTS: dict[tuple[str, str], tuple[str, str, Expect]] = {
    # u3 milliwatt-hours, shown in kWh.
    ("module", "charged_energy"): ("BMS", "CHARGED_ENERGY", lambda v: _number(v) and v / 1e6),
    ("module", "discharged_energy"): ("BMS", "DISCHARGED_ENERGY", lambda v: _number(v) and v / 1e6),
    ("module", "cycles"): ("BMS", "CYCLES", _number),
    ("mpp", "power"): ("PV1", "MPP_POWER", _number),
    ("mpp", "voltage"): ("PV1", "MPP_VOL", _number),
    ("mpp", "current"): ("PV1", "MPP_CUR", _number),
    ("module", "soc"): ("BMS", "SOC", _within(0, 100)),
    ("module", "soh"): ("BMS", "SOH", _within(0, 100)),
    ("phase", "power"): ("PM1OBJ1", "P_AC", _number),
    ("phase", "voltage"): ("PM1OBJ1", "U_AC", _number),
    ("phase", "current"): ("PM1OBJ1", "I_AC", _number),
    ("meter2_phase", "power"): ("PM1OBJ2", "P_AC", _number),
    # A charging power is never negative.
    ("wallbox", "power"): (
        "WALLBOX",
        "APPARENT_CHARGING_POWER",
        lambda v: _number(v) and max(v, 0.0),
    ),
    ("wallbox", "state"): (
        "WALLBOX",
        "STATE",
        lambda v: WALLBOX_STATES.get(v) if isinstance(v, int) else None,
    ),
    ("wallbox", "l1_current"): ("WALLBOX", "L1_CHARGING_CURRENT", _number),
    ("wallbox", "l2_current"): ("WALLBOX", "L2_CHARGING_CURRENT", _number),
    ("wallbox", "l3_current"): ("WALLBOX", "L3_CHARGING_CURRENT", _number),
}
# Per module (A = module 1) summaries of the cell lists: min, max, max - min of the
# plausible cells (mV 1500..5000, degC -40..100).
CELLS: dict[str, tuple[str, tuple[float, float], Callable[[list[float]], float]]] = {
    "cell_voltage_min": ("CELL_VOLTAGES_MODULE_", (1500, 5000), min),
    "cell_voltage_max": ("CELL_VOLTAGES_MODULE_", (1500, 5000), max),
    "cell_voltage_spread": ("CELL_VOLTAGES_MODULE_", (1500, 5000), lambda c: max(c) - min(c)),
    "cell_temperature_min": ("CELL_TEMPERATURES_MODULE_", (-40, 100), min),
    "cell_temperature_max": ("CELL_TEMPERATURES_MODULE_", (-40, 100), max),
    "cell_temperature_spread": ("CELL_TEMPERATURES_MODULE_", (-40, 100), lambda c: max(c) - min(c)),
}
# Energy dashboard totals -> the appliance's own counters, first name found wins.
TOTALS: dict[str, tuple[str, ...]] = {
    "grid_imported_energy": ("LIVE_GRID_IMPORT",),
    "grid_exported_energy": ("LIVE_GRID_EXPORT",),
    "solar_energy": ("LIVE_PV_GEN",),
    "battery_charged_energy": ("LIVE_BAT_CHARGE_MASTER", "LIVE_BAT_CHARGE"),
    "battery_discharged_energy": ("LIVE_BAT_DISCHARGE_MASTER", "LIVE_BAT_DISCHARGE"),
    "house_energy": ("LIVE_HOUSE_CONS",),
}


def _wallboxes(answer: dict[str, Any]) -> list[int]:
    """The wallbox slots: HW_TYPE != 0, else a non-empty serial, else a charging or plugged slot."""
    wallbox = answer.get("WALLBOX", {})
    if answered(answer, "WALLBOX", "HW_TYPE"):
        return [i for i, raw in enumerate(wallbox["HW_TYPE"]) if _decoded(raw) not in (None, 0)]
    if answered(answer, "WALLBOX", "SERIAL_NUMBER"):
        return [i for i, raw in enumerate(wallbox["SERIAL_NUMBER"]) if _decoded(raw)]
    power = [_decoded(raw) for raw in wallbox.get("APPARENT_CHARGING_POWER", [])]
    plugged = [_decoded(raw) for raw in wallbox.get("EV_CONNECTED", [])]
    return [
        i
        for i in range(max(len(power), len(plugged)))
        if (i < len(power) and isinstance(power[i], float) and power[i] > 0)
        or (i < len(plugged) and plugged[i])
    ]


def _grid_meter_enabled(answer: dict[str, Any]) -> bool:
    return _decoded(answer.get("PM1OBJ1", {}).get("ENABLED")) != 0


def _meter2_present(answer: dict[str, Any]) -> bool:
    """ENABLED where answered, else a meter that measures a frequency or a voltage."""
    meter = answer.get("PM1OBJ2", {})
    if answered(answer, "PM1OBJ2", "ENABLED"):
        return _decoded(meter["ENABLED"]) not in (None, 0)
    readings = [_decoded(meter.get("FREQ", "")), *map(_decoded, meter.get("U_AC", []))]
    return any(isinstance(value, float) and value != 0 for value in readings)


def _decoded(raw: Any) -> float | int | str | None:
    return meaning(raw) if isinstance(raw, str) else None


def expected_states(answer: dict[str, Any]) -> dict[str, Any]:
    """Unique id suffix -> expected state (None = unknown) for every entity that must exist."""
    expected: dict[str, Any] = {}
    meter = _grid_meter_enabled(answer)
    meter2 = _meter2_present(answer)
    wallboxes = _wallboxes(answer)
    for key, (section, name, expect) in (SCALARS | SWITCHES).items():
        if (section == "PM1OBJ1" and not meter) or (section == "PM1OBJ2" and not meter2):
            continue
        if answered(answer, section, name):
            value = _decoded(answer[section][name])
            expected[key] = None if value is None else expect(value)
    for (group, key), (section, name, expect) in LISTS.items():
        if not answered(answer, section, name) or not isinstance(answer[section][name], list):
            continue
        values = items(answer[section][name])
        slots = {
            "module": range(min(len(values), MODULES)),
            "wallbox": [i for i in wallboxes if i < len(values)],
            "phase": range(len(values) if meter else 0),
            "meter2_phase": range(len(values) if meter2 else 0),
        }.get(group, range(len(values)))
        for index in slots:
            value = _decoded(values[index])
            expected[f"{group}_{index + 1}_{key}"] = None if value is None else expect(value)
    for key, (prefix, (low, high), summary) in CELLS.items():
        for index, letter in enumerate("ABCD"[:MODULES]):
            if not answered(answer, "BMS", prefix + letter):
                continue
            decoded = [_decoded(raw) for raw in answer["BMS"][prefix + letter]]
            cells = [v for v in decoded if isinstance(v, (int, float)) and low <= v <= high]
            expected[f"module_{index + 1}_{key}"] = float(summary(cells)) if cells else None
    if answered(answer, "WALLBOX", "L1_USED"):
        flags = [[_decoded(raw) for raw in answer["WALLBOX"][f"L{p}_USED"]] for p in (1, 2, 3)]
        for index in wallboxes:
            used = [phase[index] for phase in flags]
            expected[f"wallbox_{index + 1}_phases_used"] = (
                None if None in used else float(sum(bool(flag) for flag in used))
            )
    if answered(answer, "WALLBOX", "EV_CONNECTED"):
        plugged = [_decoded(raw) for raw in answer["WALLBOX"]["EV_CONNECTED"]]
        for index in wallboxes:
            value = plugged[index]
            expected[f"wallbox_{index + 1}_ev_connected"] = (
                None if not isinstance(value, int) else "on" if value else "off"
            )
    if wallboxes:
        expected["wallbox_energy"] = 0.0
    image = _decoded(identity_for(answer)["SYS_UPDATE"]["NPU_IMAGE_VERSION"])
    if isinstance(image, int) and image >= 2408:
        expected["restart"] = None  # a button never pressed has no state yet
    statistic = answer.get("STATISTIC", {})
    for key, names in TOTALS.items():
        readings = [_decoded(statistic.get(name)) for name in names if name in statistic]
        found = [r for r in readings if isinstance(r, float) and r > 0]
        # To the watt-hour, rounded up (never below what finer digits showed).
        expected[key] = math.ceil(found[0] * 1000) / 1000 if found else 0.0
    return expected


def _shown_digits(description: SensorEntityDescription) -> int | None:
    """The decimals a number is published with: as shown, where shown in its own unit."""
    if description.suggested_unit_of_measurement is not None:
        return None
    return description.suggested_display_precision


# Entity key (without the slot number) -> the decimals its number is published with.
SHOWN_DIGITS: dict[str, int | None] = {d.key: _shown_digits(d) for d in SENSORS} | {
    f"{d.group}_{d.key}": _shown_digits(d)
    for d in (*MODULE_SENSORS, *TRACKER_SENSORS, *PHASE_SENSORS, *METER2_SENSORS, *WALLBOX_SENSORS)
}


def shown(key: str, expected: Any) -> Any:
    """The expected value at the precision the entity is shown with, as a user sees it."""
    digits = SHOWN_DIGITS.get(re.sub(r"_\d+_", "_", key, count=1))
    if isinstance(expected, float) and digits is not None:
        return round(expected, digits)
    return expected


def _matches(state: str, expected: Any) -> bool:
    """Compare a state string with the expected value."""
    if expected is None:
        return state == STATE_UNKNOWN
    if isinstance(expected, str):
        return state == expected
    return math.isclose(float(state), expected, rel_tol=1e-9, abs_tol=1e-9)


type Serve = Callable[[bytes], Awaitable[str]]


@pytest.fixture
async def serve_answer(socket_enabled: None, unused_tcp_port: int) -> AsyncIterator[Serve]:
    """Serve one answer body over HTTPS; returns the host:port to configure."""
    runners: list[web.AppRunner] = []
    cert, key = make_certificate()

    async def serve(body: bytes) -> str:
        identity = identity_for(orjson.loads(body))

        async def lala(request: web.Request) -> web.Response:
            asked = orjson.loads(await request.read())
            if "DEVICE_ID" in asked.get("FACTORY", {}):
                return web.json_response(identity)
            return web.Response(body=body, content_type="application/json")

        app = web.Application()
        app.router.add_post("/lala.cgi", lala)
        runner = web.AppRunner(app)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(
            runner, "127.0.0.1", unused_tcp_port, ssl_context=server_context(cert, key)
        )
        await site.start()
        return f"127.0.0.1:{unused_tcp_port}"

    yield serve
    for runner in runners:
        await runner.cleanup()


def test_the_expectations_cover_every_sensor_the_integration_has() -> None:
    assert {d.key for d in SENSORS} == set(SCALARS)
    lists = (
        *MODULE_SENSORS,
        *TRACKER_SENSORS,
        *PHASE_SENSORS,
        *METER2_SENSORS,
        *WALLBOX_SENSORS,
    )
    assert {(d.group, d.key) for d in lists} == {
        *LISTS,
        *(("module", key) for key in CELLS),
        ("wallbox", "phases_used"),
    }
    for description in SENSORS:
        assert description.source == SCALARS[description.key][:2]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("path", ANSWERS, ids=answer_ids())
async def test_real_answer_replayed(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    serve_answer: Serve,
    caplog: pytest.LogCaptureFixture,
    path: Path,
) -> None:
    caplog.set_level(logging.WARNING)
    raw = load(path)
    host = await serve_answer(BODIES[path])
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SENEC.Home",
        data={CONF_HOST: host, CONF_SCHEME: "https"},
        unique_id=SERIAL,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    expected = expected_states(raw)
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    by_key = {item.unique_id.removeprefix(f"{SERIAL}_"): item.entity_id for item in entries}
    assert set(by_key) == set(expected)
    for key, entity_id in by_key.items():
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        assert not _NEGATIVE_ZERO.match(state.state), f"{entity_id} shows {state.state}"
        assert _matches(state.state, shown(key, expected[key])), (
            f"{entity_id}: {state.state} != {expected[key]}"
        )
        if key in ("system_state", "statistic_state", "update_state"):
            section, name, _ = SCALARS[key]
            assert state.attributes["code"] == _decoded(raw[section][name])
        if key.startswith("wallbox_") and key.endswith("_state"):
            index = int(key.split("_")[1]) - 1
            assert state.attributes["code"] == _decoded(raw["WALLBOX"]["STATE"][index])
    (device,) = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert device.sw_version == firmware_line(identity_for(raw))
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, [record.getMessage() for record in errors]


# A second meter that says it is there; its phases in a real answer's types (file 21).
SECOND_METER = {
    "ENERGY": {"STAT_STATE": "u8_10"},
    "PM1OBJ2": {
        "ENABLED": "u8_01",
        "P_AC": ["fl_C34FFD70", "fl_43648A3D", "fl_C20B47AE"],
        "P_TOTAL": "fl_C1647AE1",
    },
}


async def test_a_second_meter_gets_its_entities(hass: HomeAssistant, serve_answer: Serve) -> None:
    host = await serve_answer(orjson.dumps(SECOND_METER))
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_HOST: host, CONF_SCHEME: "https"}, unique_id=SERIAL
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert float(hass.states.get("sensor.senec_home_second_meter_power").state) == (
        -14.0  # -14.28 W, shown to the watt
    )


# A V3 with one wallbox, its slots as a full real dump shows them, in a state code that the
# table does not know.
ONE_WALLBOX = {
    "ENERGY": {"STAT_STATE": "u8_10", "GUI_GRID_POW": "fl_00000000"},
    "WALLBOX": {
        "HW_TYPE": ["u8_14", "u8_00", "u8_00", "u8_00"],
        "SERIAL_NUMBER": ["st_4711", "st_", "st_", "st_"],
        "STATE": ["u8_77", "u8_00", "u8_00", "u8_00"],
        "EV_CONNECTED": ["u8_01", "u8_00", "u8_00", "u8_00"],
        "APPARENT_CHARGING_POWER": ["fl_00000000"] * 4,
    },
}


async def test_an_unknown_wallbox_state_shows_unknown_with_its_code(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, serve_answer: Serve
) -> None:
    host = await serve_answer(orjson.dumps(ONE_WALLBOX))
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_HOST: host, CONF_SCHEME: "https"}, unique_id=SERIAL
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("sensor.senec_home_wallbox_1_state")
    assert state.state == STATE_UNKNOWN
    assert state.attributes["code"] == 0x77
    assert hass.states.get("binary_sensor.senec_home_wallbox_1_car_connected").state == "on"
    keys = {e.unique_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)}
    assert not any("_wallbox_2_" in key for key in keys)


async def test_a_wallbox_known_only_by_its_activity_keeps_its_entities_while_the_car_is_away(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    socket_enabled: None,
    unused_tcp_port: int,
) -> None:
    """Firmware without HW_TYPE / SERIAL_NUMBER: a plugged car shows the wallbox (file 18)."""
    plugged = {"WALLBOX": {"EV_CONNECTED": ["u8_01", "u8_00", "u8_00", "u8_00"]}}
    away = {"WALLBOX": {"EV_CONNECTED": ["u8_00", "u8_00", "u8_00", "u8_00"]}}
    answers = [plugged]

    async def lala(request: web.Request) -> web.Response:
        asked = orjson.loads(await request.read())
        if "DEVICE_ID" in asked.get("FACTORY", {}):
            return web.json_response(IDENTITY)
        return web.json_response(answers[-1])

    cert, key = make_certificate()
    app = web.Application()
    app.router.add_post("/lala.cgi", lala)
    runner = web.AppRunner(app)
    await runner.setup()
    context = server_context(cert, key)
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port, ssl_context=context).start()
    try:
        entry = MockConfigEntry(
            domain=DOMAIN,
            data={CONF_HOST: f"127.0.0.1:{unused_tcp_port}", CONF_SCHEME: "https"},
            unique_id=SERIAL,
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        connected = "binary_sensor.senec_home_wallbox_1_car_connected"
        assert hass.states.get(connected).state == "on"
        answers.append(away)
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        assert entity_registry.async_get(connected) is not None
        assert hass.states.get(connected).state == "off"
        assert hass.states.get("sensor.senec_home_wallbox_energy") is not None
    finally:
        await runner.cleanup()
