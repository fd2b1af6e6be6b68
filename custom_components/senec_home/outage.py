"""When the appliance is expected to be away: it restarts as asked, or it installs an update.

An outage the appliance announced is no error: the owner pressed *Restart*, or the last
answer said an update or restart is in progress (``SYS_UPDATE.FSM_STATE`` other than 1).
Such an outage gets one INFO line instead of an ERROR line, and polling goes on at the normal
interval (no back-off) so the values return as soon as the appliance does. If it is not back
after :data:`EXPECTED_FOR_S`, it is a real outage after all. Kept free of Home Assistant (time
is passed in) so the rules are tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Final

from .api import updating as update_in_progress

#: How long an announced outage may last before it counts as a real one (seconds).
EXPECTED_FOR_S: Final = 15 * 60.0
#: What a restart usually takes, for the log line: SENEC documents nothing; owners report
#: "a few minutes" and the appliance is slow to start its web server.
RESTART_TAKES_MIN: Final = 2


class Verdict(Enum):
    """What a failed poll means."""

    #: Nobody said the appliance would be away: a real outage.
    UNEXPECTED = auto()
    #: The first failure of an announced outage: say once, at INFO, what is going on.
    EXPECTED_FIRST = auto()
    #: A further failure of an announced outage: nothing more to say.
    EXPECTED = auto()
    #: An announced outage that lasted too long: say it once, at ERROR.
    OVERDUE = auto()


@dataclass(slots=True)
class OutageWatch:
    """What the appliance announced, and since when it is silent."""

    #: When the owner's restart was confirmed (unix seconds), None when none is pending.
    restart_at: float | None = None
    #: The last answer's update state: an update or a restart in progress.
    updating: bool = False
    #: When the current outage began (unix seconds), None while the appliance answers.
    outage_since: float | None = None
    _announced_start: float | None = None
    _overdue: bool = False

    def restarting(self, now: float) -> None:
        """Note a restart the appliance confirmed at ``now``."""
        self.restart_at = now

    def expecting(self, now: float) -> bool:
        """Tell whether a failure now is most likely the announced absence (no retry then)."""
        start = self._start()
        return start is not None and now - start < EXPECTED_FOR_S

    def _start(self) -> float | None:
        """Return when the announced absence began, None when nothing is announced."""
        if self.restart_at is not None:
            return self.restart_at
        if self.updating and self.outage_since is not None:
            return self.outage_since
        return None

    def failed(self, now: float) -> Verdict:
        """Take a failed poll at ``now``."""
        if self.outage_since is None:
            self.outage_since = now
        start = self._start()
        if start is None or self._overdue:
            return Verdict.UNEXPECTED
        if now - start >= EXPECTED_FOR_S:
            self._overdue = True
            return Verdict.OVERDUE
        if self._announced_start == start:
            return Verdict.EXPECTED
        self._announced_start = start
        return Verdict.EXPECTED_FIRST if self.restart_at is None else Verdict.EXPECTED

    def answered(self, update_state: int | None, now: float) -> None:
        """Take a successful poll: the outage, if any, is over.

        A restart stays pending until its outage has come and gone (an answer right after
        the confirmation comes before the appliance goes down), or its time is over.
        """
        if self.restart_at is not None and (
            self.outage_since is not None or now - self.restart_at >= EXPECTED_FOR_S
        ):
            self.restart_at = None
        self.updating = update_in_progress(update_state)
        self.outage_since = None
        self._announced_start = None
        self._overdue = False
