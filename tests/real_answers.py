"""The real appliance answers in ``fixtures/real_answers`` and an independent reading of them.

Every ``*.json`` there that is not a ``*.request.json`` is an answer SENEC owners published
(or sent in their diagnostics, ``scripts/add-answer``); tests parametrize over
:data:`ANSWERS`, so an answer dropped into the folder is checked like the others. Each has a
row in the folder README's provenance table (:func:`provenance`). ``SENEC_REAL_ANSWERS``
names another folder of the same form to replay instead (a test of ``scripts/add-answer``
uses it to replay fixtures it has just written).

:func:`meaning` decodes one raw value from the protocol description with ``struct`` and
``int``, on purpose without the project's codec: the replay tests compare the codec and the
entities against it.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
from pathlib import Path
from typing import Any, Final

FIXTURES: Final = Path(
    os.environ.get("SENEC_REAL_ANSWERS") or Path(__file__).parent / "fixtures" / "real_answers"
)
ANSWERS: Final = sorted(
    path for path in FIXTURES.glob("*.json") if not path.name.endswith(".request.json")
)
END_OF_ARRAY: Final = "st_END_OF_ARRAY"

# prefix -> (hex digits, signed)
_INTEGERS: Final = {
    "u8": (2, False),
    "u1": (4, False),
    "u3": (8, False),
    "u6": (16, False),
    "i8": (2, True),
    "i1": (4, True),
    "i3": (8, True),
}


def provenance() -> dict[str, dict[str, str]]:
    """The fixture README's provenance table: answer file stem -> column name -> cell."""
    lines = (FIXTURES / "README.md").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| file |"))
    columns = [cell.strip() for cell in header.strip().strip("|").split("|")]
    table: dict[str, dict[str, str]] = {}
    for line in lines:
        if not line.startswith("| ") or line == header or not set(line) - set("|- "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        table[cells[0].split()[0].removesuffix(".json")] = dict(zip(columns, cells, strict=True))
    return table


def protocol(row: dict[str, str]) -> str | None:
    """The protocol a provenance row names (``http`` or ``https``), None when it names none."""
    match = re.search(r"\bhttps?\b", row["proto"])
    return match.group() if match else None


def answer_ids() -> list[str]:
    """Test ids: the file names without the extension."""
    return [path.stem for path in ANSWERS]


def load(path: Path) -> dict[str, Any]:
    """Read an answer with the standard library's JSON parser."""
    answer: dict[str, Any] = json.loads(path.read_bytes())
    return answer


def request_for(path: Path) -> bytes | None:
    """Return the request that produced an answer, as published, where the source has it."""
    for suffix in (".request.json", ".request.txt"):
        candidate = path.with_name(path.stem + suffix)
        if candidate.exists():
            return candidate.read_bytes()
    return None


def meaning(raw: str) -> float | int | str | None:
    """Decode one typed value; None for anything that is no usable value.

    None covers the sentinels (``VARIABLE_NOT_FOUND`` ...), ``u1_FFFF`` ("unset"), NaN,
    infinities and the encoder's stand-ins for them (|x| >= 1e38).
    """
    prefix, sep, payload = raw.partition("_")
    if not sep:
        return None
    if prefix == "fl":
        if len(payload) != 8:
            return None
        value: float = struct.unpack(">f", bytes.fromhex(payload))[0]
        return value if math.isfinite(value) and abs(value) < 1e38 else None
    if prefix in ("st", "ch"):
        return payload
    if prefix not in _INTEGERS or raw.upper() == "U1_FFFF":
        return None
    digits, signed = _INTEGERS[prefix]
    if len(payload) != digits:
        return None
    number = int(payload, 16)
    if signed and number >= 1 << (digits * 4 - 1):
        number -= 1 << (digits * 4)
    return number


def items(raw: list[str]) -> list[str]:
    """Return a list's items up to an ``st_END_OF_ARRAY`` marker."""
    return raw[: raw.index(END_OF_ARRAY)] if END_OF_ARRAY in raw else raw


def is_negative_zero(value: object) -> bool:
    """Tell whether ``value`` is the float -0.0."""
    return isinstance(value, float) and value == 0 and math.copysign(1.0, value) < 0


def answered(answer: dict[str, Any], section: str, name: str) -> bool:
    """Tell whether the appliance has a variable: anything but not-found or a missing key."""
    variables = answer.get(section)
    if not isinstance(variables, dict) or "OBJECT_NOT_FOUND" in variables:
        return False
    return name in variables and variables[name] != "VARIABLE_NOT_FOUND"
