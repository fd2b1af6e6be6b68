"""The README's Energy dashboard tables name the fields as the frontend users run does."""

from __future__ import annotations

import pytest

from .frontend import frontend_labels, readme_energy_section
from .stack import ensure_hass_venv

pytestmark = pytest.mark.e2e

ENERGY = "ui.panel.config.energy."
#: The frontend's texts the README quotes, in English and German (the dialogs' fields).
FIELDS = (
    "grid.dialog.energy_from_grid",
    "grid.dialog.energy_to_grid",
    "solar.dialog.solar_production_energy",
    "home.dialog.home_energy",
    "battery.dialog.energy_out_of_battery",
    "battery.dialog.energy_into_battery",
    "battery.dialog.state_of_charge",
    "battery.dialog.capacity",
    "device_consumption.dialog.device_consumption_energy",
    "grid.dialog.sensor_type",
    "grid.dialog.power",
    "solar.dialog.solar_production_power",
    "home.dialog.home_power",
    "battery.dialog.type_inverted",
    "battery.dialog.power",
    "battery.dialog.type_two_sensors",
    "battery.dialog.power_from",
    "battery.dialog.power_to",
    "device_consumption.dialog.device_consumption_power",
)
#: ... and, in English only, the sections and their buttons.
SECTIONS = (
    "grid.title",
    "grid.add_connection",
    "solar.title",
    "solar.add_solar_production",
    "home.title",
    "home.add_home_meter",
    "battery.title",
    "battery.add_battery_system",
    "device_consumption.title",
    "device_consumption.add_device",
    "grid.dialog.type_standard",
)


@pytest.mark.parametrize(("language", "keys"), [("en", FIELDS + SECTIONS), ("de", FIELDS)])
def test_the_readme_uses_the_frontends_labels(language: str, keys: tuple[str, ...]) -> None:
    ensure_hass_venv()
    labels = frontend_labels(language)
    # Tables wrap nothing, prose may break a label across lines.
    section = " ".join(readme_energy_section().split())
    missing = [
        f"{key}: {labels[ENERGY + key]!r}" for key in keys if labels[ENERGY + key] not in section
    ]
    assert not missing, "the README does not quote these labels:\n" + "\n".join(missing)
