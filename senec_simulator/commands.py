"""Writes the simulated appliance takes: the two safety-charge push buttons and the restart.

A write is the same `POST /lala.cgi` as a read with a typed value instead of `""`. The
appliance echoes the written value in its answer, and later reads of the buttons give
`u8_00` again (real answers 09-gem-2023-12-09-write-safety-charge.json,
10-gem-2023-12-09-write-allow-discharge.json,
19-charger-2023-12-13-write-start-charge-running.json). Values written to anything else are
not applied: the current value is answered, as before.

The restart is the request the widely used community integration sends on appliances with
NPU image 2408 and later: `{"SYS_UPDATE": {"BOOT_REPORT_SUCCESS": "", "USER_REBOOT_DEVICE":
"u8_01"}}`. No recorded answer to it is public; the simulator echoes the written value like
the safety-charge writes and then restarts (see firmware.py).
"""

from __future__ import annotations

from typing import Any, Final

SECTION: Final = "ENERGY"
PRESSED: Final = "u8_01"
#: button -> whether pressing it starts (True) or releases (False) the forced charge
BUTTONS: Final = {"SAFE_CHARGE_FORCE": True, "SAFE_CHARGE_PROHIBIT": False}
#: Simulated seconds the appliance takes to act on a press: the answer to the write still
#: shows the old `SAFE_CHARGE_RUNNING` (as in real answer 09); the next poll shows the new one.
ACTION_DELAY_S: Final = 2.0
#: A release that falls back (the charge_fallback fault) does so this long after it acted.
FALLBACK_AFTER_S: Final = 10.0
RESTART_SECTION: Final = "SYS_UPDATE"
RESTART: Final = "USER_REBOOT_DEVICE"


def presses(request: dict[str, Any]) -> list[tuple[str, bool]]:
    """Return the buttons pressed by a request, in request order, with what each does."""
    asked = request.get(SECTION)
    if not isinstance(asked, dict):
        return []
    return [
        (name, BUTTONS[name])
        for name, value in asked.items()
        if name in BUTTONS and value == PRESSED
    ]


def echo(answer: dict[str, Any], pressed: list[tuple[str, bool]]) -> None:
    """Put the written values into the answer, where the appliance echoes them."""
    section = answer.get(SECTION)
    if not isinstance(section, dict):
        return
    for name, _ in pressed:
        if name in section:
            section[name] = PRESSED


def restart_requested(request: dict[str, Any]) -> bool:
    """Tell whether a request writes the restart."""
    asked = request.get(RESTART_SECTION)
    return isinstance(asked, dict) and asked.get(RESTART) == PRESSED


def echo_restart(answer: dict[str, Any]) -> None:
    """Put the written restart value into the answer."""
    section = answer.get(RESTART_SECTION)
    if isinstance(section, dict) and RESTART in section:
        section[RESTART] = PRESSED
