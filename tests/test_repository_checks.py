"""What HACS and Home Assistant's hassfest check in the repository, and the supported range.

HACS installs only on a Home Assistant at least as new as `hacs.json`'s `homeassistant`;
the README must say the same, and the suite must run on a release at least that new.
scripts/test runs this on the current pin and on the oldest release supported.

The manifest checks are the rules of hassfest's custom-integration manifest schema and of
HACS' integration manifest check that can be checked without their code: required keys,
no unknown keys, key order, URLs, a version string.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "senec_home"

# hassfest's manifest schema for custom integrations (the keys a custom integration may use).
MANIFEST_KEYS = {
    "domain",
    "name",
    "after_dependencies",
    "bluetooth",
    "codeowners",
    "config_flow",
    "dependencies",
    "dhcp",
    "disabled",
    "documentation",
    "homekit",
    "import_executor",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "mqtt",
    "quality_scale",
    "requirements",
    "single_config_entry",
    "ssdp",
    "usb",
    "version",
    "zeroconf",
}
# HACS' hacs.json schema.
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}


def load(path: Path) -> Any:
    """Read a JSON file of the repository."""
    return json.loads(path.read_text(encoding="utf-8"))


def test_hacs_json_is_valid_and_names_a_release() -> None:
    hacs = load(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert isinstance(hacs["name"], str)
    assert hacs["name"]
    assert isinstance(hacs["render_readme"], bool)
    assert re.fullmatch(r"20\d\d\.\d{1,2}\.\d+", hacs["homeassistant"])


def test_this_home_assistant_is_not_older_than_the_floor() -> None:
    floor = load(ROOT / "hacs.json")["homeassistant"]
    assert AwesomeVersion(ha_version) >= AwesomeVersion(floor)


def test_the_readme_states_the_floor() -> None:
    floor = load(ROOT / "hacs.json")["homeassistant"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Home Assistant {floor} or newer is required" in readme


def test_the_manifest_passes_the_hassfest_and_hacs_rules() -> None:
    manifest = load(INTEGRATION / "manifest.json")
    assert set(manifest) <= MANIFEST_KEYS
    # HACS requires these; hassfest requires all but issue_tracker (and version for
    # custom integrations).
    for key in ("domain", "name", "codeowners", "documentation", "issue_tracker", "version"):
        assert manifest.get(key), key
    assert manifest["domain"] == INTEGRATION.name
    # hassfest: domain and name first, then the other keys in alphabetical order.
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in ("documentation", "issue_tracker"):
        assert re.fullmatch(r"https://\S+", manifest[key]), key
    # A custom integration's documentation is its own, not Home Assistant's site.
    assert "home-assistant.io" not in manifest["documentation"]
    assert AwesomeVersion(manifest["version"]).valid
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    assert (INTEGRATION / "config_flow.py").is_file() == manifest["config_flow"]


def test_the_license_file_is_the_one_pyproject_names() -> None:
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject
    assert license_text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in license_text


def strings(node: Any) -> list[str]:
    """Return every text of a translation file."""
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings(value)]
    return [node]


def test_translations_pass_the_hassfest_text_rules() -> None:
    # hassfest reads translations/en.json as a custom integration's strings; the other
    # languages follow the same rules. Host names with a domain count as URLs there
    # (use a placeholder); bare IP addresses do not.
    url = re.compile(r"(\b[a-z][a-z0-9+]*://|www\.)[a-z0-9.-]*\.[a-z]{2,5}\b", re.IGNORECASE)
    for language in ("en", "de", "it"):
        for text in strings(load(INTEGRATION / "translations" / f"{language}.json")):
            assert isinstance(text, str)
            assert text == text.strip(), (language, text)
            assert not re.search(r"<[a-z/][^>]*>", text, re.IGNORECASE), (language, text)
            assert not re.search(r"'\{\w+\}'", text), (language, text)
            assert not url.search(text), (language, text)
