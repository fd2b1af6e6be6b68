"""Failures a real appliance shows, switched on and off at run time.

Faults are kept on a board; each `lala.cgi` request takes the active set once, which also
counts down the faults that were set for a limited number of requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Fault(StrEnum):
    """A failure mode of the appliance (or of the nginx in front of it)."""

    LATENCY = "latency"
    HANG = "hang"
    HTTP_500 = "http_500"
    HTTP_504 = "http_504"
    RESET = "reset"
    MALFORMED = "malformed"
    TRUNCATED = "truncated"
    EMPTY = "empty"
    TOTALS_ZERO = "totals_zero"
    TOTALS_LOWER = "totals_lower"
    NAN = "nan"
    DROP_SESSIONS = "drop_sessions"
    #: The appliance starts a battery check, which cancels a forced charge (acts at once).
    BATTERY_CHECK = "battery_check"
    #: A release falls back into the forced charge about 10 s later (for COUNT releases).
    CHARGE_FALLBACK = "charge_fallback"


#: The parameters each fault accepts, with their defaults.
PARAMETERS: dict[Fault, dict[str, float]] = {
    Fault.LATENCY: {"ms": 1000.0},
    Fault.HANG: {"seconds": 60.0},
}


@dataclass(slots=True)
class ActiveFault:
    """A fault on the board: its parameters and how many requests it still applies to."""

    fault: Fault
    params: dict[str, float]
    remaining: int | None


def parse_fault(fault: Fault | str, count: int | None, params: dict[str, object]) -> ActiveFault:
    """Validate a fault request; raise ValueError for unknown names or bad parameters."""
    try:
        kind = Fault(fault)
    except ValueError:
        known = ", ".join(f.value for f in Fault)
        raise ValueError(f"unknown fault {fault!r} (known: {known})") from None
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise ValueError(f"count must be a positive integer or None, got {count!r}")
    allowed = PARAMETERS.get(kind, {})
    unknown = set(params) - set(allowed)
    if unknown:
        raise ValueError(f"fault {kind.value} takes no parameter {', '.join(sorted(unknown))}")
    values = dict(allowed)
    for key, raw in params.items():
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            raise ValueError(f"{key} must be a non-negative number, got {raw!r}")
        values[key] = float(raw)
    return ActiveFault(kind, values, count)


class FaultBoard:
    """The set of active faults."""

    def __init__(self) -> None:
        self._active: dict[Fault, ActiveFault] = {}

    def set(self, fault: ActiveFault) -> None:
        """Switch a fault on (again), replacing its earlier parameters and count."""
        self._active[fault.fault] = fault

    def clear(self) -> None:
        """Switch every fault off."""
        self._active.clear()

    def active(self) -> list[ActiveFault]:
        """Return the active faults, for display."""
        return list(self._active.values())

    def take(self) -> dict[Fault, dict[str, float]]:
        """Return the faults that apply to this request, counting down the limited ones."""
        taken = {}
        for fault in list(self._active.values()):
            taken[fault.fault] = dict(fault.params)
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._active[fault.fault]
        return taken


def malformed(body: bytes) -> bytes:
    """Insert a stray quote the way the appliance does: after the first string in an array.

    Without an array in the answer the quote goes after the first value string instead;
    either way the body still looks like JSON but no parser accepts it.
    """
    start = body.find(b'["')
    if start < 0:
        start = body.find(b':"')
    if start < 0:
        return body[:-1] + b'""' + body[-1:] if body else b'"'
    close = body.find(b'"', start + 2)
    return body[: close + 1] + b'"' + body[close + 1 :]


def truncated(body: bytes) -> bytes:
    """Cut the body off part-way (about two thirds in, always at least one byte short)."""
    return body[: max(0, min(len(body) - 1, len(body) * 2 // 3))]
