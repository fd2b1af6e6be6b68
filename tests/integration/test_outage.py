"""When an outage is announced (a restart, an update), with time passed in by hand."""

from __future__ import annotations

from custom_components.senec_home.outage import EXPECTED_FOR_S, OutageWatch, Verdict


def test_an_outage_nobody_announced_is_unexpected() -> None:
    watch = OutageWatch()
    watch.answered(1, 0.0)
    assert watch.failed(10.0) is Verdict.UNEXPECTED
    assert not watch.expecting(20.0)
    assert watch.failed(20.0) is Verdict.UNEXPECTED
    watch.answered(1, 30.0)
    assert watch.outage_since is None


def test_a_restart_is_expected_for_fifteen_minutes_then_overdue_once() -> None:
    watch = OutageWatch()
    watch.restarting(100.0)
    assert watch.expecting(100.0)
    assert watch.failed(110.0) is Verdict.EXPECTED  # its INFO line came with the press
    assert watch.failed(120.0) is Verdict.EXPECTED
    assert watch.failed(100.0 + EXPECTED_FOR_S) is Verdict.OVERDUE
    assert not watch.expecting(100.0 + EXPECTED_FOR_S)
    assert watch.failed(110.0 + EXPECTED_FOR_S) is Verdict.UNEXPECTED
    watch.answered(1, 120.0 + EXPECTED_FOR_S)
    assert watch.restart_at is None


def test_an_answer_before_the_restart_goes_down_keeps_it_announced() -> None:
    watch = OutageWatch()
    watch.restarting(100.0)
    watch.answered(1, 105.0)
    assert watch.restart_at == 100.0
    assert watch.failed(110.0) is Verdict.EXPECTED
    watch.answered(0, 200.0)  # back, reporting boot
    assert watch.restart_at is None


def test_an_update_in_progress_announces_the_outage_that_follows() -> None:
    watch = OutageWatch()
    watch.answered(3, 0.0)  # downloading controller software
    assert not watch.expecting(5.0)
    assert watch.failed(10.0) is Verdict.EXPECTED_FIRST
    assert watch.expecting(15.0)
    assert watch.failed(20.0) is Verdict.EXPECTED
    watch.answered(0, 100.0)
    # Reporting boot still counts as busy: another outage right away is expected too.
    assert watch.failed(110.0) is Verdict.EXPECTED_FIRST
    watch.answered(1, 120.0)
    assert watch.failed(130.0) is Verdict.UNEXPECTED


def test_an_update_outage_that_lasts_is_overdue_once() -> None:
    watch = OutageWatch()
    watch.answered(9, 0.0)  # system reboot
    assert watch.failed(10.0) is Verdict.EXPECTED_FIRST
    assert watch.failed(10.0 + EXPECTED_FOR_S) is Verdict.OVERDUE
    assert watch.failed(20.0 + EXPECTED_FOR_S) is Verdict.UNEXPECTED


def test_a_restart_whose_time_is_over_is_forgotten() -> None:
    watch = OutageWatch(restart_at=0.0)  # confirmed before a reload, long ago
    watch.answered(1, EXPECTED_FOR_S + 1)
    assert watch.restart_at is None
    assert watch.failed(EXPECTED_FOR_S + 10) is Verdict.UNEXPECTED
