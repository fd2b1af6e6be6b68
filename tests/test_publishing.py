"""What publishing needs: versions that agree, the zip HACS installs, issue forms that work.

The rule for versions: the CHANGELOG's newest heading is the version in manifest.json (and
pyproject.toml). A release is tagged with that heading; scripts/package.py refuses any other.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "senec_home"
PACKAGE = ROOT / "scripts" / "package.py"
VERSION = r"\d+\.\d+\.\d+((a|b|rc)\d+)?"


def newest_heading() -> str:
    """The CHANGELOG's first ``## `` heading."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## (.+)$", changelog, re.MULTILINE)
    assert match is not None, "CHANGELOG.md has no '## ' heading"
    return match.group(1).strip()


def test_the_manifest_version_is_the_changelogs_newest_heading() -> None:
    newest = newest_heading()
    assert re.fullmatch(VERSION, newest), (
        f"the CHANGELOG's newest heading {newest!r} must be a version like 0.1.0: add changes"
        " under it, or open the next version's heading and set the manifest to it"
    )
    manifest = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == newest
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{newest}"\n' in pyproject


def _package(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PACKAGE), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_release_zip_is_what_hacs_unpacks(tmp_path: Path) -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert hacs["zip_release"] is True
    version = newest_heading()
    result = _package(f"v{version}", str(tmp_path))
    assert result.returncode == 0, result.stderr
    target = tmp_path / hacs["filename"]
    expected = sorted(
        path.relative_to(INTEGRATION).as_posix()
        for path in INTEGRATION.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    with zipfile.ZipFile(target) as archive:
        # The integration's files at the root: HACS unpacks into custom_components/senec_home.
        assert sorted(archive.namelist()) == expected
        assert "manifest.json" in expected
        assert "__init__.py" in expected
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["version"] == version
        assert manifest["domain"] == "senec_home"
        assert archive.read("sensor.py") == (INTEGRATION / "sensor.py").read_bytes()
    # The same files and tag give the same zip.
    again = tmp_path / "again"
    assert _package(version, str(again)).returncode == 0
    assert (again / hacs["filename"]).read_bytes() == target.read_bytes()


def test_a_release_the_changelog_does_not_describe_is_refused(tmp_path: Path) -> None:
    for tag, message in (("v99.0.0", "newest heading is"), ("latest", "no release version")):
        result = _package(tag, str(tmp_path))
        assert result.returncode == 1, tag
        assert message in result.stderr, tag
    assert not list(tmp_path.iterdir())


def test_the_release_workflow_builds_and_attaches_that_zip() -> None:
    workflow: dict[Any, Any] = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    )
    # YAML reads the key `on` as True.
    assert workflow[True] == {"release": {"types": ["published"]}}
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("scripts/package.py" in run for run in steps)
    assert any("gh release upload" in run and "senec_home.zip" in run for run in steps)


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_the_issue_forms_ask_for_the_diagnostics_and_their_links_work() -> None:
    forms = ROOT / ".github" / "ISSUE_TEMPLATE"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    anchors = {_slug(line.lstrip("#")) for line in readme.splitlines() if line.startswith("#")}
    for path in sorted(forms.glob("*.yml")):
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "config.yml":
            assert form["blank_issues_enabled"] is False
            for link in form["contact_links"]:
                assert link["url"].startswith("https://github.com/senec-home/senec-home#")
                assert link["url"].partition("#")[2] in anchors, link["url"]
            continue
        assert form["name"]
        assert form["description"]
        ids = [item["id"] for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids)), path.name
        assert "diagnostics" in ids, path.name
        diagnostics = next(item for item in form["body"] if item.get("id") == "diagnostics")
        assert diagnostics["validations"]["required"] is True
    assert {path.name for path in forms.glob("*.yml")} == {
        "bug_report.yml",
        "new_firmware_or_model.yml",
        "config.yml",
    }
