"""Turn an owner's diagnostics download into real-answer test fixtures.

The download holds the appliance's raw answers of the set-up read, the last regular poll and
the last hourly read, each with its request and with identifying values already replaced.
Each becomes ``NAME-KIND.json`` (the answer) and ``NAME-KIND.request.json`` (the request) in
``tests/fixtures/real_answers``, with a provenance row in that folder's README, so that the
replay tests (codec, Home Assistant over HTTPS, the simulator's comparison with the real
answers of its firmware era) pick them up with no other change.

Standard library only: it runs with any Python 3.11 or newer.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real_answers"
KINDS = {
    "setup": "the set-up read (every variable the integration knows)",
    "poll": "the last regular poll",
    "hourly": "the last hourly read (with the slow values)",
}
NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


class AddAnswerError(Exception):
    """Something about the download or the name that stops the script, said plainly."""


def load_diagnostics(path: Path) -> tuple[dict[str, Any], str]:
    """Read a download (the whole file, or only its ``data`` part).

    Return its ``data`` and the version of the integration that made it.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise AddAnswerError(f"cannot read {path}: {err}") from err
    data = document.get("data", document) if isinstance(document, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("raw_answers"), dict):
        raise AddAnswerError(
            f"{path} has no raw answers: it is not a SENEC.Home diagnostics download, or one"
            " made by a version that did not keep them yet"
        )
    if not data["raw_answers"]:
        raise AddAnswerError(f"{path} has no raw answers: the appliance had not answered yet")
    manifest = document.get("integration_manifest") or {}
    return data, str(manifest.get("version") or "version unknown")


def _cell(text: str) -> str:
    """Make text safe for one cell of a Markdown table."""
    return text.replace("|", "/").replace("\n", " ")


def provenance_row(
    file_name: str, kind: str, exchange: dict[str, Any], data: dict[str, Any], version: str
) -> str:
    """Return the README table row that says where an answer comes from."""
    appliance = data.get("appliance", {})
    at = datetime.fromisoformat(exchange["at"]).astimezone(UTC)
    firmware = appliance.get("firmware") or "?"
    npu = appliance.get("npu_image") or "?"
    modules = appliance.get("battery_modules")
    wallboxes = appliance.get("wallboxes")
    not_found = _not_found(exchange["answer"])
    notable = [
        f"{modules} battery modules" if modules is not None else "battery modules unknown",
        f"{wallboxes} wallboxes" if wallboxes is not None else "wallboxes unknown",
        "VARIABLE_NOT_FOUND: " + (", ".join(not_found) if not_found else "none"),
    ]
    cells = [
        f"{file_name} (+request)",
        f"from an owner's diagnostics: {KINDS[kind]}, SENEC.Home {version}",
        at.strftime("%Y-%m-%d %H:%M:%SZ"),
        f"{appliance.get('model', '?')} (type {appliance.get('system_type')});"
        f" firmware `st_{firmware}`, NPU image {npu}",
        str(appliance.get("scheme") or "?"),
        "; ".join(notable),
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _not_found(answer: dict[str, Any]) -> list[str]:
    """What an answer says the appliance does not have."""
    missing = []
    for section, variables in answer.items():
        if isinstance(variables, dict) and "OBJECT_NOT_FOUND" in variables:
            missing.append(f"{section} (whole section)")
        elif isinstance(variables, dict):
            missing += [f"{section}.{n}" for n, v in variables.items() if v == "VARIABLE_NOT_FOUND"]
    return missing


def add_answers(download: Path, name: str, into: Path, kinds: list[str]) -> list[Path]:
    """Write the fixtures and their provenance rows; return the answer files written."""
    if not NAME.match(name):
        raise AddAnswerError(
            f"{name!r}: use lower-case letters, digits, dots and dashes, for example"
            " 41-owner-2026-12-v3-0826"
        )
    data, version = load_diagnostics(download)
    readme = into / "README.md"
    if not readme.exists():
        raise AddAnswerError(f"{readme} is missing: the provenance table lives there")
    exchanges = {kind: data["raw_answers"][kind] for kind in kinds if kind in data["raw_answers"]}
    if not exchanges:
        raise AddAnswerError(f"{download} has none of the reads {', '.join(kinds)}")
    planned = {
        kind: (into / f"{name}-{kind}.json", into / f"{name}-{kind}.request.json")
        for kind in exchanges
    }
    for answer_path, request_path in planned.values():
        for path in (answer_path, request_path):
            if path.exists():
                raise AddAnswerError(f"{path} exists already: choose another name")
    rows = []
    for kind, (answer_path, request_path) in planned.items():
        exchange = exchanges[kind]
        answer_path.write_text(_json(exchange["answer"]), encoding="utf-8")
        request_path.write_text(_json(exchange["request"]), encoding="utf-8")
        rows.append(provenance_row(answer_path.name, kind, exchange, data, version))
    _append_rows(readme, rows)
    return [answer for answer, _ in planned.values()]


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _append_rows(readme: Path, rows: list[str]) -> None:
    """Add rows after the last row of the provenance table."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("| "))
    lines[last + 1 : last + 1] = rows
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/add-answer",
        description="Write the raw answers of a SENEC.Home diagnostics download as real-answer"
        " test fixtures, with their provenance.",
    )
    parser.add_argument("diagnostics", type=Path, help="the downloaded diagnostics file")
    parser.add_argument(
        "name", help="file name stem, e.g. 41-owner-2026-12-v3-0826 (-setup/-poll/-hourly added)"
    )
    parser.add_argument(
        "--reads",
        default=",".join(KINDS),
        help=f"which reads to write, comma-separated (default: {','.join(KINDS)})",
    )
    parser.add_argument(
        "--into", type=Path, default=FIXTURES, help="the fixture folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    kinds = [kind.strip() for kind in args.reads.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        parser.error(f"unknown read {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    try:
        written = add_answers(args.diagnostics, args.name, args.into, kinds)
    except AddAnswerError as err:
        print(f"add-answer: {err}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} (+ its request), provenance row added to {args.into / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
