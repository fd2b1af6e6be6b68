"""Diagnostics: the last raw answer and the decoded snapshot, identifying values redacted."""

from __future__ import annotations

import importlib
import json

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from senec_simulator import Simulator

# The diagnostics download imports the hassio integration on first use (for the system
# information). In 2025.4 that import fails under the tests' frozen clock (its
# dataclass decoders look the frozen datetime class up in the datetime module), so it is
# imported here, before any clock is frozen.
importlib.import_module("homeassistant.components.hassio")


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
    assert diagnostics["last_raw_answer"]["ENERGY"]["STAT_STATE"].startswith("u8_")
    assert diagnostics["snapshot"]["system_state"] == simulator.truth.state
