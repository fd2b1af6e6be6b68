"""From an owner's diagnostics download to replayed real-answer fixtures: the whole loop.

The integration reads the simulated appliance (set-up read, an hourly read, a regular poll);
its diagnostics are downloaded as an owner would; ``scripts/add-answer`` writes them as
fixtures into a copy of the fixture folder; then the replay tests run, unchanged, in a
separate pytest on that folder: the codec against the independent decode, the anonymized
answer, Home Assistant over HTTPS, the provenance table and the firmware era.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

import orjson
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from senec_simulator import Simulator

from ..real_answers import FIXTURES
from .clock import poll
from .conftest import Download

ROOT = Path(__file__).parents[2]
NAME = "90-owner-2026-06-v3-0826"
KINDS = ("setup", "poll", "hourly")
# The replay tests that run once per real answer, and those about the folder as a whole.
PER_ANSWER = (
    "tests/api/test_real_answers.py::test_every_value_decodes_to_its_meaning",
    "tests/api/test_real_answers.py::test_no_snapshot_value_is_negative_zero",
    "tests/api/test_real_answers.py::test_the_snapshot_knows_which_variables_the_appliance_has",
    "tests/api/test_anonymize.py::test_every_real_answer_decodes_the_same_way_once_anonymized",
    "tests/integration/test_real_answers.py::test_real_answer_replayed",
)
FOR_THE_FOLDER = (
    "tests/api/test_real_answers.py::"
    "test_every_answer_has_its_provenance_and_every_provenance_its_answer",
    "tests/simulator/test_like_real_answers.py::test_every_real_answer_belongs_to_an_era",
)


async def _run(*command: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a command from the repository root; return its exit code and output."""
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


@pytest.mark.parametrize("simulator", ["v3-0826"], indirect=True)
async def test_an_owners_diagnostics_become_fixtures_that_the_replay_tests_pass(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    download_diagnostics: Download,
    tmp_path: Path,
) -> None:
    await poll(hass, simulator, freezer, 3600)  # the hourly read
    await poll(hass, simulator, freezer)  # a regular poll
    download = await download_diagnostics(setup_integration)
    diagnostics = tmp_path / "config_entry-senec_home.json"
    fixtures = tmp_path / "real_answers"
    await asyncio.to_thread(diagnostics.write_bytes, download)
    await asyncio.to_thread(shutil.copytree, FIXTURES, fixtures)

    code, output = await _run(
        str(ROOT / "scripts" / "add-answer"), str(diagnostics), NAME, "--into", str(fixtures)
    )
    assert code == 0, output

    raw_answers = orjson.loads(download)["data"]["raw_answers"]
    readme = (fixtures / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        answer = json.loads((fixtures / f"{NAME}-{kind}.json").read_text(encoding="utf-8"))
        request = json.loads((fixtures / f"{NAME}-{kind}.request.json").read_text("utf-8"))
        assert answer == raw_answers[kind]["answer"]
        assert request == raw_answers[kind]["request"]
        row = next(line for line in readme.splitlines() if line.startswith(f"| {NAME}-{kind}"))
        assert "from an owner's diagnostics" in row
        assert "2026-06-21" in row
        assert "firmware `st_0826`" in row
        assert "| https |" in row
    # Nothing else in the folder changed.
    for path in FIXTURES.iterdir():
        if path.name != "README.md":
            assert (fixtures / path.name).read_bytes() == path.read_bytes()

    code, output = await _run(
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-v",
        "-k",
        f"{NAME} or provenance or belongs_to_an_era",
        *sorted({test.partition("::")[0] for test in PER_ANSWER + FOR_THE_FOLDER}),
        env={**os.environ, "SENEC_REAL_ANSWERS": str(fixtures)},
    )
    assert code == 0, output
    expected = [f"{test}[{NAME}-{kind}]" for test in PER_ANSWER for kind in KINDS]
    expected += list(FOR_THE_FOLDER)
    for test in expected:
        assert f"{test} PASSED" in output, test
    assert f"{len(expected)} passed" in output
