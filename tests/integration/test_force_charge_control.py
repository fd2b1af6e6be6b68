"""The force-charge command rules on their own, with time passed in by hand."""

from __future__ import annotations

import pytest

from custom_components.senec_home.force_charge import (
    CONFIRM_WITHIN_S,
    MIN_INTERVAL_S,
    WATCH_AFTER_RELEASE_S,
    ForceChargeControl,
    Observation,
    Step,
    WriteWindow,
)


def sent(control: ForceChargeControl, on: bool, now: float, running: bool | None) -> None:
    """Send a command now and take the write's answer at the same second."""
    assert control.request(on, running, now) is Step.SEND
    control.answered(running, now)


def test_shows_the_request_until_a_poll_confirms_it() -> None:
    control = ForceChargeControl()
    assert control.shown(False) is False
    assert control.request(True, False, 100.0) is Step.SEND
    control.answered(False, 100.0)  # the write's answer still shows the old state
    assert control.shown(False) is True
    assert control.observe(False, 105.0) is Observation.NOTHING
    assert control.shown(False) is True
    assert control.observe(True, 110.0) is Observation.NOTHING
    assert control.pending is None
    # From now on the appliance decides, e.g. a battery check ending the charge.
    assert control.shown(False) is False


def test_an_answer_that_already_shows_the_new_state_confirms_at_once() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    control.start(True, 200.0)
    control.answered(True, 200.0)
    assert control.pending is None


def test_an_unconfirmed_request_gives_way_to_the_real_state() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.observe(False, 100.0 + CONFIRM_WITHIN_S - 1) is Observation.NOTHING
    assert control.observe(False, 100.0 + CONFIRM_WITHIN_S) is Observation.NOT_CONFIRMED
    assert control.shown(False) is False


def test_a_failed_command_shows_the_real_state_but_counts_for_the_spacing() -> None:
    control = ForceChargeControl()
    assert control.request(True, False, 100.0) is Step.SEND
    control.failed(100.0)
    assert control.shown(False) is False
    assert control.window.wait(104.0) == pytest.approx(MIN_INTERVAL_S - 4)
    assert control.window.wait(100.0 + MIN_INTERVAL_S) == 0.0


def test_the_spacing_counts_from_the_end_of_a_write() -> None:
    control = ForceChargeControl()
    assert control.request(True, False, 100.0) is Step.SEND
    # However long the write takes, the window stays shut while it is in flight.
    assert control.window.busy
    assert control.window.wait(500.0) == MIN_INTERVAL_S
    control.answered(False, 108.0)
    assert control.window.wait(110.0) == pytest.approx(MIN_INTERVAL_S - 2)


def test_only_commands_that_change_something_are_sent() -> None:
    control = ForceChargeControl()
    assert control.request(False, False, 100.0) is Step.NOTHING
    assert control.request(True, True, 100.0) is Step.NOTHING  # started from the app already
    assert control.request(True, None, 100.0) is Step.SEND
    assert control.request(True, False, 100.0) is Step.NOTHING  # in flight


def test_a_command_inside_the_window_waits_and_is_shown_at_once() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.request(False, False, 103.0) is Step.QUEUED
    assert control.shown(False) is False
    assert control.shown(True) is False  # a poll showing the charge running changes nothing
    assert control.observe(True, 105.0) is Observation.NOTHING
    assert control.shown(True) is False
    assert control.due(True) is False
    assert control.wish is None


def test_the_last_wish_wins() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    # On, off, on: the charge that was started goes on, nothing more is written.
    assert control.request(False, False, 102.0) is Step.QUEUED
    assert control.request(True, False, 103.0) is Step.NOTHING
    assert control.wish is None
    assert control.shown(False) is True
    assert control.due(True) is None
    # On, off, on, off: one release waits.
    assert control.request(False, True, 104.0) is Step.QUEUED
    assert control.request(True, True, 105.0) is Step.NOTHING
    assert control.request(False, True, 106.0) is Step.QUEUED
    assert control.due(True) is False


def test_a_waiting_command_the_appliance_already_fulfils_is_dropped() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.observe(True, 105.0) is Observation.NOTHING  # confirmed
    assert control.request(False, True, 106.0) is Step.QUEUED
    # A battery check ends the charge before the window opens: no release is needed.
    assert control.due(False) is None
    assert control.shown(False) is False


def test_a_waiting_release_of_an_unconfirmed_start_is_sent() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.request(False, False, 101.0) is Step.QUEUED
    # No poll has seen the start yet, but the appliance took it: the release must go out.
    assert control.due(False) is False


def test_a_waiting_command_that_fails_is_retried_once() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.request(False, True, 101.0) is Step.QUEUED
    assert control.due(True) is False
    control.start(False, 110.0)
    control.failed(110.0)
    assert control.retry(False)
    assert control.shown(True) is False  # still on its way
    assert control.due(True) is False
    control.start(False, 120.0)
    control.failed(120.0)
    assert not control.retry(False)
    assert control.shown(True) is True  # the appliance's truth


def test_a_retry_that_succeeds_leaves_the_next_command_its_own_retry() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.request(False, True, 101.0) is Step.QUEUED
    control.start(False, 110.0)
    control.failed(110.0)
    assert control.retry(False)
    control.start(False, 120.0)
    control.answered(False, 120.0)
    assert control.request(True, False, 121.0) is Step.QUEUED
    control.start(True, 130.0)
    control.failed(130.0)
    assert control.retry(True)


def test_a_new_wish_while_a_waiting_command_fails_wins_over_its_retry() -> None:
    control = ForceChargeControl()
    sent(control, True, 100.0, running=False)
    assert control.request(False, True, 101.0) is Step.QUEUED
    assert control.due(True) is False
    control.start(False, 110.0)
    assert control.request(True, True, 111.0) is Step.QUEUED  # the write is in flight
    control.failed(112.0)
    assert control.retry(False)
    assert control.wish is True


def test_the_window_is_shared_by_controls_of_the_same_appliance() -> None:
    window = WriteWindow()
    first = ForceChargeControl(window)
    sent(first, True, 100.0, running=False)
    # The entry reloads: a new switch, the same appliance.
    second = ForceChargeControl(window)
    assert second.request(False, True, 105.0) is Step.QUEUED


def test_a_charge_back_after_a_release_is_released_once_more() -> None:
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    assert control.observe(False, 110.0) is Observation.NOTHING
    assert control.observe(True, 120.0) is Observation.RELEASE_AGAIN
    control.start(False, 120.0, again=True)
    control.answered(False, 120.0)
    assert control.observe(False, 130.0) is Observation.NOTHING
    # Back once more: left alone, the switch shows it.
    assert control.observe(True, 140.0) is Observation.NOTHING
    assert control.shown(True) is True


def test_a_release_that_never_showed_is_sent_again_after_the_confirmation_time() -> None:
    control = ForceChargeControl()
    assert control.request(False, True, 100.0) is Step.SEND
    control.answered(True, 100.0)  # like the recorded answer to a release
    assert control.observe(True, 110.0) is Observation.NOTHING
    assert control.observe(True, 100.0 + CONFIRM_WITHIN_S) is Observation.RELEASE_AGAIN


def test_the_second_release_waits_for_the_spacing() -> None:
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    assert control.observe(False, 103.0) is Observation.NOTHING
    assert control.observe(True, 105.0) is Observation.NOTHING  # too soon to send
    assert control.observe(True, 110.0) is Observation.RELEASE_AGAIN


def test_no_second_release_while_a_command_waits_or_a_write_is_in_flight() -> None:
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    assert control.observe(False, 103.0) is Observation.NOTHING
    assert control.request(True, False, 104.0) is Step.QUEUED  # the user wants it back on
    assert control.observe(True, 110.0) is Observation.NOTHING
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    assert control.observe(False, 103.0) is Observation.NOTHING
    control.start(True, 111.0)
    # A poll that ran before the write cannot confirm it, nor call for a release.
    assert control.observe(True, 112.0) is Observation.NOTHING
    assert control.pending is True


def test_the_watch_ends_after_a_minute_and_with_a_new_start() -> None:
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    assert control.observe(False, 110.0) is Observation.NOTHING
    # A charge started later (a schedule, the app) is nobody's fall-back.
    assert control.observe(True, 101.0 + WATCH_AFTER_RELEASE_S) is Observation.NOTHING
    control = ForceChargeControl()
    sent(control, False, 100.0, running=True)
    sent(control, True, 120.0, running=False)
    assert control.observe(True, 130.0) is Observation.NOTHING
