"""The force-charge command logic behind the switch: what it shows and when it sends.

Kept free of Home Assistant (time is passed in) so every rule is tested on its own:

- The switch shows the appliance's ``SAFE_CHARGE_RUNNING``; while a command waits or is in
  flight, and until a poll confirms it, it shows the requested state. The appliance may take
  a few seconds: the answer to a write can still show the old state (real answer
  09-gem-2023-12-09-write-safety-charge.json) or already the new one (real answer
  19-charger-2023-12-13-write-start-charge-running.json).
- Each command makes the appliance write its configuration to disk, and rapid toggling has
  hung its web server: two writes are at least :data:`MIN_INTERVAL_S` apart. A command that
  comes sooner is not refused: it waits (queued) and goes out when the window opens. Only the
  last wish waits, and it is sent only if the appliance does not already do what it asks, so
  there are never more writes than changes asked for.
- A queued command that fails is tried once more when the window allows; then the switch
  shows what the appliance reports.
- A release has been seen to fall back into charging about 10 s later: for a minute after a
  release the polls are watched, and a charge that comes back is released once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import Final

#: Shortest time between two writes to the appliance (seconds).
MIN_INTERVAL_S: Final = 10.0
#: How long the requested state is shown without the appliance confirming it (seconds).
CONFIRM_WITHIN_S: Final = 30.0
#: How long after a release a returning charge is released once more (seconds).
WATCH_AFTER_RELEASE_S: Final = 60.0


class Step(Enum):
    """What a command of the user needs now."""

    #: The appliance does (or is already told to do) what was asked: nothing to send.
    NOTHING = auto()
    #: Send now; the control has noted the write as in flight.
    SEND = auto()
    #: The write window is closed: the wish waits and is sent when it opens.
    QUEUED = auto()


class Observation(Enum):
    """What a poll means for the command logic."""

    NOTHING = auto()
    #: The requested state did not show within :data:`CONFIRM_WITHIN_S`.
    NOT_CONFIRMED = auto()
    #: The charge came back after a release: release once more.
    RELEASE_AGAIN = auto()


@dataclass(slots=True)
class WriteWindow:
    """When one appliance last finished taking a write, and whether one is in flight.

    Shared by everything that writes to the appliance and kept across reloads of the entry,
    so that a reload cannot bring two writes closer than :data:`MIN_INTERVAL_S`. The spacing
    counts from the end of a write: however long the appliance (or a poll holding the
    connection) took, the next write starts at least the interval after it.
    """

    done_at: float | None = None
    busy: bool = False

    def begin(self) -> None:
        """Note a write going out: the window stays shut while it is in flight."""
        self.busy = True

    def end(self, now: float) -> None:
        """Note that a write is over at ``now``: the window opens the interval later."""
        self.busy = False
        self.done_at = now

    def wait(self, now: float) -> float:
        """Seconds until the next write may start; a write in flight closes the window."""
        if self.busy:
            return MIN_INTERVAL_S
        if self.done_at is None:
            return 0.0
        return max(0.0, self.done_at + MIN_INTERVAL_S - now)


@dataclass(slots=True)
class _Pending:
    """A command sent whose effect no poll has shown yet."""

    on: bool
    sent_at: float


class ForceChargeControl:
    """State of the force-charge commands of one appliance."""

    def __init__(self, window: WriteWindow | None = None) -> None:
        """Start with no command sent; ``window`` is the appliance's shared write window."""
        self.window = window if window is not None else WriteWindow()
        self._pending: _Pending | None = None
        self._wish: bool | None = None
        self._retried = False
        self._released_at: float | None = None
        self._released_again = False

    @property
    def pending(self) -> bool | None:
        """The state sent and not yet confirmed, else None."""
        return None if self._pending is None else self._pending.on

    @property
    def wish(self) -> bool | None:
        """The state waiting for the write window, else None."""
        return self._wish

    def shown(self, running: bool | None) -> bool | None:
        """Return what the switch shows, given the appliance's last reported state."""
        if self._wish is not None:
            return self._wish
        return self._expected(running)

    def _expected(self, running: bool | None) -> bool | None:
        """Return what the appliance does, or will do once the command in flight acts."""
        return running if self._pending is None else self._pending.on

    def request(self, on: bool, running: bool | None, now: float) -> Step:
        """Take a command of the user; the last wish wins.

        A wish that the appliance does (or was told to do) anyway cancels a waiting one:
        on, off, on within the window sends nothing more than the first on.
        """
        if self._wish is not None:
            self._wish = None if on is self._expected(running) else on
            self._retried = False
            return Step.QUEUED if self._wish is not None else Step.NOTHING
        if on is self._expected(running):
            return Step.NOTHING
        if self.window.wait(now) > 0:
            self._wish = on
            self._retried = False
            return Step.QUEUED
        self.start(on, now)
        return Step.SEND

    def due(self, running: bool | None) -> bool | None:
        """Take the waiting wish when the window opens; None when nothing is to be sent.

        A wish the appliance already fulfils (a battery check ended the charge that was to
        be released, say) is dropped without a write.
        """
        wish, self._wish = self._wish, None
        if wish is None or wish is self._expected(running):
            return None
        return wish

    def start(self, on: bool, now: float, *, again: bool = False) -> None:
        """Record a write about to be sent (``again``: the automatic second release)."""
        self.window.begin()
        self._pending = _Pending(on, now)
        if again:
            return
        self._released_at = None if on else now
        self._released_again = False

    def answered(self, running: bool | None, now: float) -> None:
        """Take the answer to a write: its ``SAFE_CHARGE_RUNNING`` may already confirm it."""
        self._finish(now)
        self._retried = False
        if self._pending is not None and running is self._pending.on:
            self._pending = None

    def failed(self, now: float) -> None:
        """Forget a write that did not go through: show the reported state again.

        A release that failed released nothing, so there is no fall-back to watch for.
        """
        self._finish(now)
        self._pending = None
        self._released_at = None

    def _finish(self, now: float) -> None:
        """Note that the write is over: the window opens :data:`MIN_INTERVAL_S` from now."""
        self.window.end(now)

    def retry(self, on: bool) -> bool:
        """After a waiting command failed, queue it once more; False when it was the retry.

        A newer wish of the user, queued while the failed write was in flight, wins over the
        retry (and has its own).
        """
        if self._wish is not None:
            return True
        if self._retried:
            self._retried = False
            return False
        self._wish = on
        self._retried = True
        return True

    def observe(self, running: bool | None, now: float) -> Observation:
        """Take one successful poll's ``SAFE_CHARGE_RUNNING``; say what has to happen."""
        outcome = Observation.NOTHING
        pending = self._pending
        if pending is not None and not self.window.busy:
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
        elif (
            running
            and self._pending is None
            and self._wish is None
            and not self._released_again
            and self.window.wait(now) == 0.0
        ):
            self._released_again = True
            outcome = Observation.RELEASE_AGAIN
        return outcome
