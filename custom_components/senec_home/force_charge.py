"""The force-charge command logic behind the switch: what it shows and when it may send.

Kept free of Home Assistant (time is passed in) so every rule is tested on its own:

- The switch shows the appliance's ``SAFE_CHARGE_RUNNING``; while a command is in flight and
  until a poll confirms it, it shows the requested state. The appliance may take a few
  seconds: the answer to a write can still show the old state (real answer
  09-gem-2023-12-09-write-safety-charge.json) or already the new one (real answer
  19-charger-2023-12-13-write-start-charge-running.json).
- Each command makes the appliance write its configuration to disk, and rapid toggling has
  hung its web server: a new command less than :data:`MIN_INTERVAL_S` after the last one is
  refused.
- A release has been seen to fall back into charging about 10 s later: for a minute after a
  release the polls are watched, and a charge that comes back is released once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Final

#: Shortest time between two commands to the appliance (seconds).
MIN_INTERVAL_S: Final = 10.0
#: How long the requested state is shown without the appliance confirming it (seconds).
CONFIRM_WITHIN_S: Final = 30.0
#: How long after a release a returning charge is released once more (seconds).
WATCH_AFTER_RELEASE_S: Final = 60.0


class Observation(Enum):
    """What a poll means for the command logic."""

    NOTHING = auto()
    #: The requested state did not show within :data:`CONFIRM_WITHIN_S`.
    NOT_CONFIRMED = auto()
    #: The charge came back after a release: release once more.
    RELEASE_AGAIN = auto()


@dataclass(slots=True)
class _Pending:
    """A command whose effect no poll has shown yet."""

    on: bool
    sent_at: float


class ForceChargeControl:
    """State of the force-charge commands of one appliance."""

    def __init__(self) -> None:
        """Start with no command sent."""
        self._last_sent: float | None = None
        self._pending: _Pending | None = None
        self._released_at: float | None = None
        self._released_again = False

    @property
    def pending(self) -> bool | None:
        """The requested state while it is unconfirmed, else None."""
        return None if self._pending is None else self._pending.on

    def shown(self, running: bool | None) -> bool | None:
        """Return what the switch shows, given the appliance's last reported state."""
        return running if self._pending is None else self._pending.on

    def needed(self, on: bool, running: bool | None) -> bool:
        """Tell whether ``on`` needs a command: not when it is already requested or reported."""
        if self._pending is not None:
            return self._pending.on != on
        return running is not on

    def wait(self, now: float) -> float:
        """Seconds until the next command may be sent; 0 when it may be sent now."""
        if self._last_sent is None:
            return 0.0
        return max(0.0, self._last_sent + MIN_INTERVAL_S - now)

    def start(self, on: bool, now: float, *, again: bool = False) -> None:
        """Record a command about to be sent (``again``: the automatic second release)."""
        self._last_sent = now
        self._pending = _Pending(on, now)
        if again:
            return
        self._released_at = None if on else now
        self._released_again = False

    def answered(self, running: bool | None) -> None:
        """Take the ``SAFE_CHARGE_RUNNING`` of the write's answer: it may already confirm."""
        if self._pending is not None and running is self._pending.on:
            self._pending = None

    def failed(self) -> None:
        """Forget a command that did not go through: show the reported state again."""
        self._pending = None

    def observe(self, running: bool | None, now: float) -> Observation:
        """Take one successful poll's ``SAFE_CHARGE_RUNNING``; say what has to happen."""
        outcome = Observation.NOTHING
        pending = self._pending
        if pending is not None:
            if running is pending.on:
                self._pending = None
            elif now - pending.sent_at >= CONFIRM_WITHIN_S:
                self._pending = None
                outcome = Observation.NOT_CONFIRMED
            else:
                return outcome
        released_at = self._released_at
        if released_at is None or now - released_at > WATCH_AFTER_RELEASE_S:
            self._released_at = None
        elif running and not self._released_again and self.wait(now) == 0.0:
            self._released_again = True
            outcome = Observation.RELEASE_AGAIN
        return outcome
