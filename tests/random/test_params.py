"""The random API's parameter parsing and drawing, as pure functions (no server)."""

from __future__ import annotations

import math
from random import Random

import pytest

from netsandbox.core.http import HttpError
from netsandbox.random.endpoints import ENDPOINTS, draw_floats, draw_ints
from netsandbox.random.params import QueryParam, check_below, parse_query

N = QueryParam("n", int, "how many", 5, default=1, minimum=1, maximum=10)
LOW = QueryParam("low", float, "bottom", 0.5, default=0.0)
NAME = QueryParam("name", str, "who", "Ada", required=True)


def rule_of(call) -> tuple[str, str]:
    with pytest.raises(HttpError) as caught:
        call()
    error = caught.value
    assert error.status == 422 and error.code == "invalid_parameter"
    return error.details["parameter"], error.details["rule"]


def test_defaults_and_conversions() -> None:
    assert parse_query(b"", (N, LOW)) == {"n": 1, "low": 0.0}
    assert parse_query(b"n=7&low=-2.5", (N, LOW)) == {"n": 7, "low": -2.5}
    assert parse_query(b"name=Ada%20L.", (NAME,)) == {"name": "Ada L."}
    assert parse_query(b"n=3&n=4", (N,)) == {"n": 4}  # the last one wins, as in FastAPI


def test_each_broken_rule_is_named() -> None:
    assert rule_of(lambda: parse_query(b"n=0", (N,))) == ("n", "greater_than_equal")
    assert rule_of(lambda: parse_query(b"n=11", (N,))) == ("n", "less_than_equal")
    assert rule_of(lambda: parse_query(b"n=1.0", (N,))) == ("n", "int_parsing")
    assert rule_of(lambda: parse_query(b"low=x", (LOW,))) == ("low", "float_parsing")
    assert rule_of(lambda: parse_query(b"low=-inf", (LOW,))) == ("low", "finite_number")
    assert rule_of(lambda: parse_query(b"", (NAME,))) == ("name", "missing")
    assert rule_of(lambda: parse_query(b"nn=1", (N,))) == ("nn", "unknown_parameter")
    assert rule_of(lambda: check_below("min", 3, "max", 3)) == ("min", "min_below_max")


def test_messages_say_what_to_fix() -> None:
    with pytest.raises(HttpError) as caught:
        parse_query(b"n=20", (N,))
    assert caught.value.message == "n must be at most 10, got 20."
    with pytest.raises(HttpError) as caught:
        parse_query(b"count=3", (N, LOW))
    assert caught.value.message == "Unknown parameter 'count'; this endpoint takes: n, low."


def test_openapi_parameter_object() -> None:
    assert N.openapi() == {
        "name": "n",
        "in": "query",
        "required": False,
        "description": "how many",
        "schema": {"type": "integer", "default": 1, "minimum": 1, "maximum": 10},
        "example": 5,
    }
    assert NAME.openapi()["required"] is True


def test_every_documented_example_is_a_valid_value() -> None:
    for endpoint in ENDPOINTS:
        for param in endpoint.params:
            assert param.parse(str(param.example)) is not None, (endpoint.path, param.name)


class AlmostOne(Random):
    def random(self) -> float:
        return 1 - 2**-53  # the largest value random() can return


def test_floats_never_reach_max_even_when_rounding_would() -> None:
    high = math.nextafter(1.0, 2.0)
    values = draw_floats(AlmostOne(), {"n": 3, "min": 1.0, "max": high})
    assert all(1.0 <= value < high for value in values)


def test_ints_use_pythons_choices() -> None:
    values = draw_ints(Random(5), {"n": 6, "min": -2, "max": 3})
    assert values == Random(5).choices(range(-2, 3), k=6)
