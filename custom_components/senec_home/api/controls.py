"""The only writes the client sends: the two safety-charge push buttons and the restart.

``SAFE_CHARGE_FORCE`` starts a forced charge of the battery from the grid,
``SAFE_CHARGE_PROHIBIT`` releases it. Both act like push buttons: the answer to the write
echoes ``u8_01``, later reads give ``u8_00``. What lasts is ``SAFE_CHARGE_RUNNING`` (real
answers 09-gem-2023-12-09-write-safety-charge.json, 10-gem-2023-12-09-write-allow-discharge.json,
19-charger-2023-12-13-write-start-charge-running.json).
Nothing else is ever written: other settings (``LI_STORAGE_MODE_*`` starts an insulation test)
have effects no recorded answer documents. The restart (``SYS_UPDATE.USER_REBOOT_DEVICE``) is
what the widely used community integration sends; see ``requests.RESTART_FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .codec import Answer, Value, encode_value
from .errors import SenecWriteError
from .requests import RESTART_FIELDS, SAFE_CHARGE_FIELDS, RequestForm

SECTION: Final = "ENERGY"
RUNNING: Final = "SAFE_CHARGE_RUNNING"
RESTART_SECTION: Final = "SYS_UPDATE"
REBOOT: Final = "USER_REBOOT_DEVICE"
#: What a press sends and what the answer echoes.
PRESSED: Final = encode_value(1, "u8")


class SafeChargeButton(StrEnum):
    """A safety-charge button of the appliance: the variable a press writes."""

    FORCE = "SAFE_CHARGE_FORCE"
    PROHIBIT = "SAFE_CHARGE_PROHIBIT"


@dataclass(frozen=True, slots=True)
class SafeChargeAnswer:
    """What the appliance answered to a press.

    ``running`` is ``SAFE_CHARGE_RUNNING`` in the same answer: it may still show the state
    from before the press (real answer 09) or already the new one (real answer 19), so it
    only confirms a press when it shows the requested state.
    """

    button: SafeChargeButton
    running: bool | None


def as_flag(value: Value) -> bool | None:
    """Read a 0/1 variable; None when absent, unknown to the appliance or not an integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value != 0


def press_form(button: SafeChargeButton) -> RequestForm:
    """Build the write request for one press: the web page's six fields, one of them set."""
    fields = dict.fromkeys(SAFE_CHARGE_FIELDS, "")
    fields[button.value] = PRESSED
    return {SECTION: fields}


def _check_echo(answer: Answer, section_name: str, name: str) -> None:
    """Check that the appliance echoed a written 1; raise :class:`SenecWriteError` if not.

    A missing or different echo means the appliance did not take the value (for example
    ``VARIABLE_NOT_FOUND`` on an appliance without the button).
    """
    echo = answer.get(section_name, {}).get(name)
    if type(echo) is not int or echo != 1:
        raw = getattr(echo, "raw", echo)
        raise SenecWriteError(f"the appliance did not confirm {name} (answered {raw!r})")


def read_press_answer(button: SafeChargeButton, answer: Answer) -> SafeChargeAnswer:
    """Check that the appliance echoed the press and read the running flag beside it."""
    _check_echo(answer, SECTION, button.value)
    running = answer.get(SECTION, {}).get(RUNNING)
    return SafeChargeAnswer(button, None if running is None else as_flag(running))


def restart_form() -> RequestForm:
    """Build the restart request: exactly the community integration's two fields."""
    fields = dict.fromkeys(RESTART_FIELDS, "")
    fields[REBOOT] = PRESSED
    return {RESTART_SECTION: fields}


def read_restart_answer(answer: Answer) -> None:
    """Check that the appliance echoed the restart; raise :class:`SenecWriteError` if not."""
    _check_echo(answer, RESTART_SECTION, REBOOT)
