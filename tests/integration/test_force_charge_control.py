"""The force-charge command rules on their own, with time passed in by hand."""

from __future__ import annotations

import pytest

from custom_components.senec_home.force_charge import (
    CONFIRM_WITHIN_S,
    MIN_INTERVAL_S,
    WATCH_AFTER_RELEASE_S,
    ForceChargeControl,
    Observation,
)


def test_shows_the_request_until_a_poll_confirms_it() -> None:
    control = ForceChargeControl()
    assert control.shown(False) is False
    control.start(True, 100.0)
    control.answered(False)  # the write's answer still shows the old state
    assert control.shown(False) is True
    assert control.observe(False, 105.0) is Observation.NOTHING
    assert control.shown(False) is True
    assert control.observe(True, 110.0) is Observation.NOTHING
    assert control.pending is None
    # From now on the appliance decides, e.g. a battery check ending the charge.
    assert control.shown(False) is False


def test_an_answer_that_already_shows_the_new_state_confirms_at_once() -> None:
    control = ForceChargeControl()
    control.start(True, 100.0)
    control.answered(True)
    assert control.pending is None


def test_an_unconfirmed_request_gives_way_to_the_real_state() -> None:
    control = ForceChargeControl()
    control.start(True, 100.0)
    assert control.observe(False, 100.0 + CONFIRM_WITHIN_S - 1) is Observation.NOTHING
    assert control.observe(False, 100.0 + CONFIRM_WITHIN_S) is Observation.NOT_CONFIRMED
    assert control.shown(False) is False


def test_a_failed_command_shows_the_real_state_but_counts_for_the_rate_limit() -> None:
    control = ForceChargeControl()
    control.start(True, 100.0)
    control.failed()
    assert control.shown(False) is False
    assert control.wait(104.0) == pytest.approx(MIN_INTERVAL_S - 4)
    assert control.wait(100.0 + MIN_INTERVAL_S) == 0.0


def test_only_commands_that_change_something_are_needed() -> None:
    control = ForceChargeControl()
    assert not control.needed(False, False)
    assert control.needed(True, False)
    assert not control.needed(True, True)  # started from the app already
    assert control.needed(True, None)
    control.start(True, 100.0)
    assert not control.needed(True, False)  # in flight
    assert control.needed(False, False)  # changing one's mind is a command


def test_a_charge_back_after_a_release_is_released_once_more() -> None:
    control = ForceChargeControl()
    control.start(False, 100.0)
    assert control.observe(False, 110.0) is Observation.NOTHING
    assert control.observe(True, 120.0) is Observation.RELEASE_AGAIN
    control.start(False, 120.0, again=True)
    assert control.observe(False, 130.0) is Observation.NOTHING
    # Back once more: left alone, the switch shows it.
    assert control.observe(True, 140.0) is Observation.NOTHING
    assert control.shown(True) is True


def test_a_release_that_never_showed_is_sent_again_after_the_confirmation_time() -> None:
    control = ForceChargeControl()
    control.start(False, 100.0)
    control.answered(True)  # like the recorded answer to a release
    assert control.observe(True, 110.0) is Observation.NOTHING
    assert control.observe(True, 100.0 + CONFIRM_WITHIN_S) is Observation.RELEASE_AGAIN


def test_the_second_release_waits_for_the_rate_limit() -> None:
    control = ForceChargeControl()
    control.start(False, 100.0)
    assert control.observe(False, 103.0) is Observation.NOTHING
    assert control.observe(True, 105.0) is Observation.NOTHING  # too soon to send
    assert control.observe(True, 110.0) is Observation.RELEASE_AGAIN


def test_the_watch_ends_after_a_minute_and_with_a_new_start() -> None:
    control = ForceChargeControl()
    control.start(False, 100.0)
    assert control.observe(False, 110.0) is Observation.NOTHING
    # A charge started later (a schedule, the app) is nobody's fall-back.
    assert control.observe(True, 101.0 + WATCH_AFTER_RELEASE_S) is Observation.NOTHING
    control = ForceChargeControl()
    control.start(False, 100.0)
    control.start(True, 120.0)
    assert control.observe(True, 130.0) is Observation.NOTHING
