"""An installation of the previous release comes through the update with the same entities.

The entity registry is filled with what the previous release created (unique ids, entity
ids, stored options), then this version is set up against the same appliance: every entity
keeps its entity id and history, nothing is duplicated, and the module energies keep their
kWh unit with values that are now right (the appliance counts mWh).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.senec_home.const import DOMAIN

PREVIOUS: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "previous_registry.json").read_text()
)
RENAMED = "sensor.my_roof"
# Entities this release adds on top of the previous one's (unique id suffixes).
# The values this release adds: temperatures, grid meter, spare capacity, per module state
# of charge and health and cells (the simulator has 2 modules on legacy, 3 on v3-0826).
_NEW = {
    "battery_temperature",
    "case_temperature",
    "mcu_temperature",
    "grid_frequency",
    "grid_meter_power",
    "spare_capacity",
    *(f"phase_{n}_{key}" for n in (1, 2, 3) for key in ("power", "voltage", "current")),
    # Firmware and updates: the update on offer and its state, the other versions.
    "firmware_update",
    "update_state",
    "gui_version",
    "npu_version",
}
_MODULE = (
    "soc",
    "soh",
    "cell_voltage_min",
    "cell_voltage_max",
    "cell_voltage_spread",
    "cell_temperature_min",
    "cell_temperature_max",
    "cell_temperature_spread",
)


def _new(modules: int) -> set[str]:
    return _NEW | {f"module_{n}_{key}" for n in range(1, modules + 1) for key in _MODULE}


# The V3 (NPU image 2408) has the force charge, an NPU image and the restart.
ADDED: dict[str, set[str]] = {
    "legacy": _new(2),
    "v3-0826": _new(3) | {"force_charge", "npu_image_version", "restart"},
}


def _seed(
    entity_registry: er.EntityRegistry, entry: MockConfigEntry, previous: list[dict[str, Any]]
) -> dict[str, str]:
    """Register the previous release's entities; return unique id -> entity id."""
    expected = {}
    for item in previous:
        created = entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            item["unique_id"],
            config_entry=entry,
            suggested_object_id=item["entity_id"].removeprefix("sensor."),
            entity_category=(
                EntityCategory(item["entity_category"]) if "entity_category" in item else None
            ),
        )
        assert created.entity_id == item["entity_id"]
        for domain, options in item.get("options", {}).items():
            entity_registry.async_update_entity_options(created.entity_id, domain, options)
        expected[item["unique_id"]] = item["entity_id"]
    return expected


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("simulator", ["legacy", "v3-0826"], indirect=True)
async def test_the_previous_release_s_entities_are_kept(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    request: pytest.FixtureRequest,
) -> None:
    profile = request.node.callspec.params["simulator"]
    config_entry.add_to_hass(hass)
    expected = _seed(entity_registry, config_entry, PREVIOUS[profile])
    # An owner renamed one of them.
    solar = next(uid for uid in expected if uid.endswith("_solar_power"))
    entity_registry.async_update_entity(expected[solar], new_entity_id=RENAMED)
    expected[solar] = RENAMED

    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    entries = er.async_entries_for_config_entry(entity_registry, config_entry.entry_id)
    found = {entry.unique_id: entry.entity_id for entry in entries}
    assert {uid: eid for uid, eid in found.items() if uid in expected} == expected
    prefix = f"{config_entry.unique_id}_"
    assert {uid.removeprefix(prefix) for uid in found if uid not in expected} == ADDED[profile]
    assert float(hass.states.get(RENAMED).state) > 0

    raw = config_entry.runtime_data.client.last_raw
    assert raw is not None
    module_mwh = int(raw["BMS"]["CHARGED_ENERGY"][0].removeprefix("u3_"), 16)
    state = hass.states.get("sensor.senec_home_module_1_charged_energy")
    assert state.attributes["unit_of_measurement"] == "kWh"
    assert float(state.state) == pytest.approx(module_mwh / 1e6)
