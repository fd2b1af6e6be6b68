"""Docs and translations: the README names every entity; every language says everything."""

from __future__ import annotations

import json
from pathlib import Path

from custom_components.senec_home.api import SYSTEM_STATES

ROOT = Path(__file__).resolve().parents[1]


def test_every_entity_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = json.loads(
        (ROOT / "custom_components/senec_home/translations/en.json").read_text(encoding="utf-8")
    )["entity"]["sensor"]
    missing = [
        entry["name"]
        for entry in names.values()
        if f"| {entry['name'].replace('{number}', 'n')} |" not in readme
    ]
    assert not missing


def test_translations_have_the_same_keys_in_every_language() -> None:
    folder = ROOT / "custom_components/senec_home/translations"

    def keys(node: object, prefix: str = "") -> set[str]:
        if not isinstance(node, dict):
            return {prefix}
        return set().union(*(keys(value, f"{prefix}/{key}") for key, value in node.items()))

    english = keys(json.loads((folder / "en.json").read_text(encoding="utf-8")))
    for path in folder.glob("*.json"):
        assert keys(json.loads(path.read_text(encoding="utf-8"))) == english, path.name


def test_every_system_state_has_a_name() -> None:
    folder = ROOT / "custom_components/senec_home/translations"
    for path in folder.glob("*.json"):
        sensor = json.loads(path.read_text(encoding="utf-8"))["entity"]["sensor"]
        assert set(sensor["system_state"]["state"]) == set(SYSTEM_STATES.values()), path.name
        assert len(SYSTEM_STATES) == 101
        assert set(SYSTEM_STATES) == set(range(101))
