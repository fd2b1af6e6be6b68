"""Turn a decoded `lala.cgi` request into the answer object, the way the appliance does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .encoding import Kind, Typed
from .instruments import Reading
from .variables import Role, Table, Var

VARIABLE_NOT_FOUND = "VARIABLE_NOT_FOUND"
OBJECT_NOT_FOUND = "OBJECT_NOT_FOUND"

type Answer = dict[str, dict[str, str | list[str]]]


@dataclass(frozen=True, slots=True)
class Glitches:
    """Value faults for one answer: what real firmware has been seen to report by mistake."""

    totals_zero: bool = False
    totals_lower: bool = False
    nan: bool = False


def _glitch(role: Role, value: Typed, glitches: Glitches) -> Typed:
    """Apply the active value faults to one value of the given role."""
    if role is Role.PLAIN or value.kind is not Kind.FL:
        return value
    if glitches.nan:
        return Typed(Kind.FL, math.nan)
    if role is Role.TOTAL and glitches.totals_zero:
        return Typed(Kind.FL, 0.0)
    if role is Role.TOTAL and glitches.totals_lower:
        return Typed(Kind.FL, float(value.value) - 1.0)
    return value


def _render(var: Var, reading: Reading, glitches: Glitches) -> str | list[str]:
    """Read and encode one variable (a list variable becomes a list of strings)."""
    value = var.read(reading)
    if isinstance(value, list):
        return [_glitch(var.role, v, glitches).encode() for v in value]
    return _glitch(var.role, value, glitches).encode()


def build_answer(
    request: dict[str, Any], table: Table, reading: Reading, glitches: Glitches
) -> Answer:
    """Answer every requested section in the order asked.

    `{"S": {}}` (or anything but an object of names) reads the whole section; unknown
    variables read `VARIABLE_NOT_FOUND`, unknown sections `{"OBJECT_NOT_FOUND": ""}`.
    Values sent instead of `""` (writes) are not applied here: the current value is
    answered (the server acts on the safety-charge buttons and echoes them).
    """
    answer: Answer = {}
    for name, asked in request.items():
        section = table.get(name)
        if section is None:
            answer[name] = {OBJECT_NOT_FOUND: ""}
            continue
        if section.always_empty:
            answer[name] = {}
            continue
        wanted = list(asked) if isinstance(asked, dict) and asked else list(section.variables)
        rendered: dict[str, str | list[str]] = {}
        for variable in wanted:
            var = section.variables.get(variable)
            rendered[variable] = (
                VARIABLE_NOT_FOUND if var is None else _render(var, reading, glitches)
            )
        answer[name] = rendered
    return answer
