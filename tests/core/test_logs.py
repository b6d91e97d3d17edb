"""ThrottledLog keeps a flood of identical warnings to one line a second."""

import logging

import pytest

from netsandbox.core.logs import ThrottledLog


def test_throttled_log_writes_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    throttled = ThrottledLog(logging.getLogger("test.throttle"), interval=60)
    with caplog.at_level(logging.WARNING, logger="test.throttle"):
        results = [throttled.warning("out of room") for _ in range(1000)]
    assert results.count(True) == 1
    assert [r.message for r in caplog.records] == ["out of room"]


def test_throttled_log_counts_what_it_suppressed(caplog: pytest.LogCaptureFixture) -> None:
    throttled = ThrottledLog(logging.getLogger("test.throttle2"), interval=0)
    throttled._interval = 60
    with caplog.at_level(logging.WARNING, logger="test.throttle2"):
        throttled.warning("full")
        throttled.warning("full")
        throttled._last -= 61
        throttled.warning("full")
    assert caplog.records[-1].message == "full (1 similar messages suppressed)"
