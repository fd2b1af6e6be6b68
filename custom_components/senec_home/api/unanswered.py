"""Ask only what the appliance answers: variables it does not have leave the regular polls.

Current V3 firmware (0825 and later) no longer has the lifetime totals: it answers
``STATISTIC`` empty, or every variable in it ``VARIABLE_NOT_FOUND`` (real answer
31-wastl-2025-07-statistic-vnf-tempmeasure-fanspeed.json). A V2.1 has no
``SAFE_CHARGE_RUNNING``, older firmware no ``LIVE_BAT_CHARGE_MASTER``. Asking for them in
every poll costs request bytes and the appliance's time for nothing, so a variable the
appliance does not answer (``VARIABLE_NOT_FOUND``, its section ``OBJECT_NOT_FOUND`` or empty,
or simply left out of the answer) three times in a row is left out of the regular polls. The
hourly read (and the read at every start) still asks for everything, so firmware that brings
a variable back is followed within the hour; one answer puts it back into every poll.

Three times in a row, not once: one odd answer is no firmware change. And the energy totals
hand over from the appliance's counters to integration after three missing readings
(``energy.REBASE_AFTER``), so leaving the counters out changes nothing for them: by then they
have handed over anyway, and a variable not asked reads as missing, just as an unanswered one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from .requests import Variable

#: Unanswered reads in a row after which a variable is left out of the regular polls.
LEAVE_OUT_AFTER: Final = 3


@dataclass(slots=True)
class Unanswered:
    """Which asked variables the appliance has not been answering."""

    leave_out_after: int = LEAVE_OUT_AFTER
    _misses: dict[Variable, int] = field(default_factory=dict)

    def learn(self, asked: Iterable[Variable], answered: frozenset[Variable]) -> None:
        """Take one answer: which of the ``asked`` variables the appliance ``answered``."""
        for variable in asked:
            if variable in answered:
                self._misses.pop(variable, None)
            else:
                self._misses[variable] = self._misses.get(variable, 0) + 1

    @property
    def left_out(self) -> frozenset[Variable]:
        """Return the variables the regular polls leave out."""
        return frozenset(v for v, misses in self._misses.items() if misses >= self.leave_out_after)

    def regular(self, wanted: Iterable[Variable]) -> frozenset[Variable]:
        """Return what a regular poll asks for: ``wanted`` without what goes unanswered."""
        return frozenset(wanted) - self.left_out
