"""ThrottledLog keeps a flood of identical warnings to one line a second; access lines batch."""

import logging
import re
import time
from datetime import datetime

import pytest

from netsandbox.core.logs import BatchedAccessLines, ThrottledLog


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


async def test_access_lines_are_built_when_their_batch_is_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    access = BatchedAccessLines(logging.getLogger("netsandbox.test.access"), interval=60)
    started = time.monotonic() - 0.0123
    access.record(("127.0.0.1", 5000), "list", "ok", started)
    access.record(None, "-", "client closed before a complete request", started)
    assert capsys.readouterr().err == ""
    access.flush()
    first, second = capsys.readouterr().err.splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO    netsandbox\.test\.access  "
    assert re.fullmatch(stamp + r"127\.0\.0\.1:5000 list ok 12\.\dms", first)
    assert re.fullmatch(stamp + r"\? - client closed before a complete request 12\.\dms", second)
    written = datetime.strptime(first[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    assert abs(written - time.time()) < 5
