"""The simulated clock: stepped by hand in tests, or running at a multiple of wall time."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Simulated time as unix seconds.

    With `speed=None` the clock only moves through `advance`. With a speed it runs at `speed`
    simulated seconds per wall second from `run()` on; `advance` then jumps ahead on top.
    """

    def __init__(self, start: datetime, speed: float | None) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        if speed is not None and not speed > 0:
            raise ValueError(f"speed must be positive (or None for a manual clock), got {speed}")
        self.start = start.timestamp()
        self.speed = speed
        self._jumped = 0.0
        self._wall_start: float | None = None

    @property
    def manual(self) -> bool:
        """Return whether time moves only when advanced."""
        return self.speed is None

    def run(self) -> None:
        """Start the running clock (no effect on a manual one, or when already running)."""
        if self._wall_start is None:
            self._wall_start = time.monotonic()

    def advance(self, seconds: float) -> None:
        """Move simulated time forward by `seconds`."""
        if not seconds >= 0:
            raise ValueError(f"the clock only moves forward, got {seconds}")
        self._jumped += seconds

    def now(self) -> float:
        """Return the simulated unix time."""
        running = 0.0
        if self.speed is not None and self._wall_start is not None:
            running = self.speed * (time.monotonic() - self._wall_start)
        return self.start + self._jumped + running
