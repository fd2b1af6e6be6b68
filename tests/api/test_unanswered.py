"""The bookkeeping of what the appliance does not answer."""

from __future__ import annotations

from custom_components.senec_home.api.unanswered import LEAVE_OUT_AFTER, Unanswered

GRID = ("ENERGY", "GUI_GRID_POW")
TOTAL = ("STATISTIC", "LIVE_GRID_IMPORT")
ASKED = frozenset({GRID, TOTAL})


def test_a_variable_is_left_out_after_three_unanswered_reads_in_a_row() -> None:
    unanswered = Unanswered()
    for _ in range(LEAVE_OUT_AFTER - 1):
        unanswered.learn(ASKED, frozenset({GRID}))
        assert unanswered.regular(ASKED) == ASKED
    unanswered.learn(ASKED, frozenset({GRID}))
    assert unanswered.left_out == {TOTAL}
    assert unanswered.regular(ASKED) == {GRID}


def test_an_answer_in_between_starts_the_count_again() -> None:
    unanswered = Unanswered()
    unanswered.learn(ASKED, frozenset({GRID}))
    unanswered.learn(ASKED, frozenset({GRID}))
    unanswered.learn(ASKED, ASKED)
    unanswered.learn(ASKED, frozenset({GRID}))
    unanswered.learn(ASKED, frozenset({GRID}))
    assert unanswered.regular(ASKED) == ASKED


def test_one_answer_brings_a_left_out_variable_back() -> None:
    unanswered = Unanswered(leave_out_after=1)
    unanswered.learn(ASKED, frozenset({GRID}))
    assert unanswered.regular(ASKED) == {GRID}
    unanswered.learn({GRID}, frozenset({GRID}))  # a regular poll does not ask: nothing learnt
    assert unanswered.regular(ASKED) == {GRID}
    unanswered.learn(ASKED, ASKED)  # the hourly read finds it again
    assert unanswered.regular(ASKED) == ASKED
