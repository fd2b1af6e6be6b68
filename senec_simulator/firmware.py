"""The appliance's update state machine and its restart (`SYS_UPDATE`), on simulated time.

`FSM_STATE` is 1 in normal operation (a real full dump, corpus file 29: all `SYS_UPDATE`
values `u8`). The other states, as the appliance's web page names them: 0 reporting boot,
2 reporting status, 3 downloading controller software, 4 and 7 downloading checksums,
5 validating checksums, 6 downloading the GUI, 8 validating and extracting the GUI,
9 system reboot. A restart (`USER_REBOOT_DEVICE = u8_01`) keeps the appliance silent for a
while; it then reports boot (0) for a little and is back to normal (1). An update walks
through the download and validation states, reboots, and comes back with nothing pending.
How long each step takes is not documented anywhere: the durations here are assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

#: Simulated seconds a restart keeps the appliance silent unless told otherwise.
DEFAULT_RESTART_S: Final = 90.0
#: Simulated seconds the appliance reports boot (FSM_STATE 0) after coming back.
BOOT_REPORT_S: Final = 30.0


class FsmState(IntEnum):
    """`SYS_UPDATE.FSM_STATE` codes the simulator uses."""

    REPORTING_BOOT = 0
    WAITING = 1
    REPORTING_STATUS = 2
    DOWNLOADING_CONTROLLER = 3
    DOWNLOADING_CHECKSUMS = 4
    VALIDATING_CHECKSUMS = 5
    DOWNLOADING_GUI = 6
    VALIDATING_GUI = 8
    SYSTEM_REBOOT = 9


#: An update's steps and how long each lasts (simulated seconds); the reboot follows.
UPDATE_STEPS: Final = (
    (FsmState.REPORTING_STATUS, 10.0),
    (FsmState.DOWNLOADING_CONTROLLER, 120.0),
    (FsmState.DOWNLOADING_CHECKSUMS, 20.0),
    (FsmState.VALIDATING_CHECKSUMS, 30.0),
    (FsmState.DOWNLOADING_GUI, 60.0),
    (FsmState.VALIDATING_GUI, 30.0),
    (FsmState.SYSTEM_REBOOT, 10.0),
)


@dataclass(slots=True)
class Firmware:
    """Whether an update is offered or running, and when a restart ends (simulated time)."""

    #: `WIZARD.APPLICATION_VERSION` and `SYS_UPDATE.NPU_IMAGE_VERSION` now (the profile's at
    #: start; an update may bring new ones).
    application_version: str
    npu_image_version: int | None
    restart_s: float = DEFAULT_RESTART_S
    update_available: bool = False
    #: Restarts so far (asked for, or at the end of an update).
    restarts: int = 0
    _silent_until: float | None = None
    _booted_at: float | None = None
    _update_started: float | None = None
    _steps: tuple[tuple[FsmState, float], ...] = field(default=UPDATE_STEPS)
    _next_versions: tuple[str | None, int | None] = (None, None)

    def fsm_state(self, now: float) -> int:
        """Return `FSM_STATE` at simulated time `now`."""
        if self._update_started is not None:
            elapsed = now - self._update_started
            for state, seconds in self._steps:
                if elapsed < seconds:
                    return int(state)
                elapsed -= seconds
            return int(FsmState.SYSTEM_REBOOT)
        if self._booted_at is not None and now - self._booted_at < BOOT_REPORT_S:
            return int(FsmState.REPORTING_BOOT)
        return int(FsmState.WAITING)

    def silent(self) -> bool:
        """Return whether the appliance is restarting (its web server does not answer)."""
        return self._silent_until is not None

    @property
    def silent_until(self) -> float | None:
        """Return when a restart ends (simulated unix time), None when not restarting."""
        return self._silent_until

    def restart(self, now: float, seconds: float | None = None) -> None:
        """Begin a restart at `now`: silent for `seconds` (default :attr:`restart_s`)."""
        self._silent_until = now + (self.restart_s if seconds is None else seconds)
        self.restarts += 1

    def start_update(
        self,
        now: float,
        application_version: str | None = None,
        npu_image_version: int | None = None,
    ) -> None:
        """Begin installing the offered update (what SENEC's servers start remotely).

        The versions given are what the appliance reports after the update's reboot.
        """
        self.update_available = True
        self._update_started = now
        self._next_versions = (application_version, npu_image_version)

    def update_reboot_due(self, now: float) -> bool:
        """Tell whether a running update has reached its reboot."""
        if self._update_started is None:
            return False
        return now - self._update_started >= sum(seconds for _, seconds in self._steps)

    def finish_update(self, now: float) -> None:
        """End a running update with its reboot: nothing is pending any more."""
        self._update_started = None
        self.update_available = False
        application, image = self._next_versions
        self.application_version = application or self.application_version
        if image is not None:
            self.npu_image_version = image
        self._next_versions = (None, None)
        self.restart(now)

    def back_due(self, now: float) -> bool:
        """Tell whether a restart is over at `now`."""
        return self._silent_until is not None and now >= self._silent_until

    def come_back(self, now: float) -> None:
        """End the restart: the appliance answers again and reports boot for a little."""
        self._silent_until = None
        self._booted_at = now
