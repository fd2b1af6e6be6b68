"""The appliance's own words: the last raw answer of each kind of read, for diagnostics.

Kept exactly as received, with the request that produced it, so that an owner's diagnostics
download can become a real-answer test fixture (``scripts/add-answer``). Keeping them costs
two references per poll; they are copied, anonymized and serialised only for a download.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from homeassistant.util import dt as dt_util

from .api import SenecClient
from .api.anonymize import anonymize_answer

NOT_FOUND = "VARIABLE_NOT_FOUND"
SECTION_NOT_FOUND = "OBJECT_NOT_FOUND"


class ReadKind(StrEnum):
    """Which read an answer belongs to."""

    #: The first read after set-up: every variable the integration knows.
    SETUP = "setup"
    #: A regular poll: what the enabled entities show.
    POLL = "poll"
    #: The poll once an hour that also carries the slow values.
    HOURLY = "hourly"


@dataclass(frozen=True, slots=True)
class RawExchange:
    """One request as sent and its answer as received."""

    request: bytes
    answer: dict[str, Any]
    at: datetime


class RawAnswers:
    """The last exchange of each kind."""

    def __init__(self) -> None:
        """Start with nothing read."""
        self._last: dict[ReadKind, RawExchange] = {}

    def keep(self, kind: ReadKind, client: SenecClient) -> None:
        """Remember the client's last exchange as the last read of ``kind``."""
        if client.last_request is not None and client.last_raw is not None:
            self._last[kind] = RawExchange(client.last_request, client.last_raw, dt_util.utcnow())

    def as_dict(self) -> dict[str, Any]:
        """Return each kept exchange (time, request, answer), identifying values replaced."""
        return {
            kind.value: {
                "at": exchange.at.isoformat(),
                "request": anonymize_answer(orjson.loads(exchange.request)),
                "answer": anonymize_answer(exchange.answer),
            }
            for kind in ReadKind
            if (exchange := self._last.get(kind)) is not None
        }

    def not_found(self) -> tuple[list[str], list[str]]:
        """Return what the appliance does not have: variables (``SECTION.NAME``), sections."""
        variables: set[str] = set()
        sections: set[str] = set()
        for exchange in self._last.values():
            for section, answered in exchange.answer.items():
                if not isinstance(answered, dict):
                    continue
                if SECTION_NOT_FOUND in answered:
                    sections.add(section)
                    continue
                variables.update(
                    f"{section}.{name}" for name, raw in answered.items() if raw == NOT_FOUND
                )
        return sorted(variables), sorted(sections)
