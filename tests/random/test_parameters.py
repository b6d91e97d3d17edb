"""Every parameter of the random API over HTTP: ranges, defaults, seeds and each bad value."""

from __future__ import annotations

import statistics
from random import Random

import pytest
import requests


def get(base: str, path: str, **params: object) -> requests.Response:
    return requests.get(base + path, params=params, timeout=5)


def test_n_sets_the_length_up_to_ten_thousand(base: str) -> None:
    assert len(get(base, "/api/random/int", n=1).json()) == 1
    assert len(get(base, "/api/random/float", n=10_000).json()) == 10_000


def test_int_range_is_min_included_max_excluded(base: str) -> None:
    values = get(base, "/api/random/int", n=2000, min=-3, max=2).json()
    assert set(values) == {-3, -2, -1, 0, 1}
    assert get(base, "/api/random/int", n=50, min=7, max=8).json() == [7] * 50


def test_float_range(base: str) -> None:
    values = get(base, "/api/random/float", n=2000, min=-1.5, max=-1).json()
    assert all(-1.5 <= x < -1 for x in values)
    assert max(values) - min(values) > 0.4


def test_normal_distribution(base: str) -> None:
    values = get(base, "/api/random/normal", n=5000, mean=170, sd=10).json()
    assert 169 < statistics.fmean(values) < 171
    assert 9 < statistics.stdev(values) < 11


def test_choice_picks_among_the_options(base: str) -> None:
    values = get(base, "/api/random/choice", options="rock, paper,scissors", n=300).json()
    assert set(values) == {"rock", "paper", "scissors"}


@pytest.mark.parametrize(
    "path", ["/api/random/int", "/api/random/float", "/api/random/normal"]
)
def test_seed_gives_the_same_values_every_time(base: str, path: str) -> None:
    first = get(base, path, n=20, seed=42).json()
    assert get(base, path, n=20, seed=42).json() == first
    assert get(base, path, n=20, seed=43).json() != first


def test_seeded_ints_are_pythons_own_sequence(base: str) -> None:
    # Documented behaviour: Random(seed).choices(range(min, max), k=n), reproducible anywhere.
    expected = Random(2024).choices(range(10, 20), k=8)
    assert get(base, "/api/random/int", n=8, min=10, max=20, seed=2024).json() == expected


def test_seeded_choice_is_reproducible(base: str) -> None:
    first = get(base, "/api/random/choice", options="a,b,c,d", n=10, seed=7).json()
    assert get(base, "/api/random/choice", options="a,b,c,d", n=10, seed=7).json() == first


BAD = [
    # path, parameters, the parameter named, the rule broken
    ("/api/random/int", {"n": 0}, "n", "greater_than_equal"),
    ("/api/random/int", {"n": 10_001}, "n", "less_than_equal"),
    ("/api/random/int", {"n": -5}, "n", "greater_than_equal"),
    ("/api/random/int", {"n": "abc"}, "n", "int_parsing"),
    ("/api/random/int", {"n": "2.5"}, "n", "int_parsing"),
    ("/api/random/int", {"n": ""}, "n", "int_parsing"),
    ("/api/random/int", {"min": "x"}, "min", "int_parsing"),
    ("/api/random/int", {"max": "1e3"}, "max", "int_parsing"),
    ("/api/random/int", {"min": 5, "max": 5}, "min", "min_below_max"),
    ("/api/random/int", {"min": 100}, "min", "min_below_max"),  # the default max is 100
    ("/api/random/int", {"max": 10**16}, "max", "less_than_equal"),
    ("/api/random/int", {"min": -(10**16)}, "min", "greater_than_equal"),
    ("/api/random/int", {"seed": -1}, "seed", "greater_than_equal"),
    ("/api/random/int", {"seed": 2**53}, "seed", "less_than_equal"),
    ("/api/random/int", {"seed": "abc"}, "seed", "int_parsing"),
    ("/api/random/int", {"N": 5}, "N", "unknown_parameter"),
    ("/api/random/int", {"count": 5}, "count", "unknown_parameter"),
    ("/api/random/float", {"n": "many"}, "n", "int_parsing"),
    ("/api/random/float", {"min": "zero"}, "min", "float_parsing"),
    ("/api/random/float", {"max": "nan"}, "max", "finite_number"),
    ("/api/random/float", {"max": "inf"}, "max", "finite_number"),
    ("/api/random/float", {"min": 2, "max": 1}, "min", "min_below_max"),
    ("/api/random/float", {"max": 1e301}, "max", "less_than_equal"),
    ("/api/random/normal", {"sd": -1}, "sd", "greater_than_equal"),
    ("/api/random/normal", {"mean": "middle"}, "mean", "float_parsing"),
    ("/api/random/choice", {}, "options", "missing"),
    ("/api/random/choice", {"options": "a,,b"}, "options", "no_empty_option"),
    ("/api/random/choice", {"options": ""}, "options", "no_empty_option"),
    ("/api/random/choice", {"options": ",".join("x" * 1001)}, "options", "too_many_options"),
    ("/api/random/choice", {"options": "a,b", "n": 0}, "n", "greater_than_equal"),
]


@pytest.mark.parametrize(("path", "params", "parameter", "rule"), BAD)
def test_bad_parameter_is_a_422_saying_which_and_why(
    base: str, path: str, params: dict, parameter: str, rule: str
) -> None:
    response = get(base, path, **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["parameter"] == parameter
    assert error["rule"] == rule
    assert error["location"] == "query"
    assert parameter in error["message"]
    assert error["errors"][0]["parameter"] == parameter
