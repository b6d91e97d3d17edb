"""Token buckets and failure counters, on a clock the test moves."""

from __future__ import annotations

import pytest

from netsandbox.chat.limits import FailureCounter, TokenBucket
from netsandbox.chat.settings import parse_limit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(per_second=20, burst=60, clock=clock)
    assert [bucket.take("ada") for _ in range(60)] == [0.0] * 60
    assert bucket.take("ada") == pytest.approx(0.05)
    assert bucket.take("bob") == 0.0  # keys are independent
    clock.now += 0.5  # refills 10
    assert sum(bucket.take("ada") == 0.0 for _ in range(12)) == 10


def test_a_refused_request_does_not_push_the_wait_further() -> None:
    clock = Clock()
    bucket = TokenBucket(per_second=1, burst=1, clock=clock)
    bucket.take("k")
    for _ in range(100):
        assert bucket.take("k") == pytest.approx(1.0)
    clock.now += 1
    assert bucket.take("k") == 0.0


def test_failures_lock_for_the_window_and_success_clears_them() -> None:
    clock = Clock()
    counter = FailureCounter(limit=3, window=60, clock=clock)
    for _ in range(3):
        assert counter.wait("k") == 0.0
        counter.failed("k")
    assert counter.wait("k") == pytest.approx(60)
    clock.now += 59
    assert counter.wait("k") == pytest.approx(1)
    clock.now += 2
    assert counter.wait("k") == 0.0
    counter.failed("k")
    counter.succeeded("k")
    assert counter.wait("k") == 0.0


@pytest.mark.parametrize(("text", "value"), [("20,60", (20, 60)), ("0.5, 10", (0.5, 10)),
                                             ("off", None), (" OFF ", None)])  # fmt: skip
def test_parse_limit(text: str, value) -> None:
    assert parse_limit(text) == value


@pytest.mark.parametrize("text", ["20", "0,5", "-1,5", "a,b", "1,2,3", "nan,1", "inf,1"])
def test_parse_limit_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_limit(text)
