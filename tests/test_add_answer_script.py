"""scripts/add-answer refuses what it cannot use, with a plain message and nothing written.

The whole way from a real diagnostics download to replayed fixtures is tested in
tests/integration/test_add_answer.py; these are the ways it stops.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "add-answer"
FIXTURES = ROOT / "tests" / "fixtures" / "real_answers"
EXCHANGE = {
    "at": "2026-06-21T09:00:00+00:00",
    "request": {"ENERGY": {"STAT_STATE": ""}},
    "answer": {"ENERGY": {"STAT_STATE": "u8_0E"}},
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the fixture folder to write into."""
    shutil.copytree(FIXTURES, tmp_path / "real_answers")
    return tmp_path / "real_answers"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *map(str, args)], capture_output=True, text=True, check=False, timeout=60
    )


def _download(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "diagnostics.json"
    path.write_text(json.dumps({"data": data}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is no JSON", "cannot read"),
        ('{"data": {"snapshot": {}}}', "no raw answers"),
        ('{"data": {"raw_answers": {}}}', "had not answered yet"),
    ],
    ids=["not-json", "older-version", "nothing-read"],
)
def test_a_file_without_raw_answers_is_refused(
    tmp_path: Path, folder: Path, content: str, message: str
) -> None:
    path = tmp_path / "diagnostics.json"
    path.write_text(content, encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    result = _run(path, "41-owner", "--into", folder)
    assert result.returncode == 1
    assert message in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_name_that_is_no_plain_file_name_is_refused(tmp_path: Path, folder: Path) -> None:
    path = _download(tmp_path, {"raw_answers": {"poll": EXCHANGE}})
    for name in ("../escape", "Owner Name", "/abs"):
        result = _run(path, name, "--into", folder)
        assert result.returncode == 1, name
        assert "lower-case letters" in result.stderr
    assert not list(tmp_path.glob("*-poll.json"))


def test_an_existing_fixture_is_never_overwritten(tmp_path: Path, folder: Path) -> None:
    path = _download(tmp_path, {"raw_answers": {"poll": EXCHANGE}})
    assert _run(path, "41-owner", "--into", folder).returncode == 0
    readme = (folder / "README.md").read_text(encoding="utf-8")
    written = (folder / "41-owner-poll.json").read_bytes()
    again = _run(path, "41-owner", "--into", folder)
    assert again.returncode == 1
    assert "exists already" in again.stderr
    assert (folder / "README.md").read_text(encoding="utf-8") == readme
    assert (folder / "41-owner-poll.json").read_bytes() == written
    # The one row it added says where the answer comes from, even with little to go on.
    row = next(line for line in readme.splitlines() if line.startswith("| 41-owner-poll.json"))
    assert "from an owner's diagnostics: the last regular poll" in row
    assert "2026-06-21 09:00:00Z" in row


def test_only_the_reads_asked_for(tmp_path: Path, folder: Path) -> None:
    path = _download(tmp_path, {"raw_answers": {"poll": EXCHANGE, "setup": EXCHANGE}})
    assert _run(path, "41-owner", "--reads", "poll", "--into", folder).returncode == 0
    assert (folder / "41-owner-poll.json").exists()
    assert not (folder / "41-owner-setup.json").exists()
    unknown = _run(path, "42-owner", "--reads", "daily", "--into", folder)
    assert unknown.returncode == 2
    assert "unknown read daily" in unknown.stderr
