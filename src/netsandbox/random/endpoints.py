"""The random API's endpoints: what each draws, its parameters, and its documentation.

Every endpoint answers ``GET`` with a JSON array of ``n`` values (default 1), as the
course's code expects. With ``seed`` the sequence is drawn from a fresh generator seeded
with it, so the same request always gets the same answer; without, from the app's shared
generator.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from starlette.types import Scope

from netsandbox.core.http import invalid_parameter
from netsandbox.core.http.fast_lane import JsonEndpoint
from netsandbox.core.http.openapi import error_response
from netsandbox.random.params import QueryParam, check_below, parse_query

MAX_N = 10_000
INT_LIMIT = 10**15  # exact in every JSON reader, JavaScript's included (2**53 > 9e15)
FLOAT_LIMIT = 1e300
MAX_OPTIONS = 1_000

N = QueryParam(
    "n", int, "How many values to return (the answer is always an array).", 5,
    default=1, minimum=1, maximum=MAX_N,
)  # fmt: skip
SEED = QueryParam(
    "seed", int,
    "A whole number from 0 to 2**53 - 1: the same seed with the same parameters gives the "
    "same values every time. Leave it out for fresh values on every request.",
    42, minimum=0, maximum=2**53 - 1,  # the largest integer JavaScript (the docs page) keeps
)  # fmt: skip

Draw = Callable[[Random, dict[str, Any]], list[Any]]


@dataclass(frozen=True, slots=True)
class RandomEndpoint:
    """One ``GET`` endpoint returning a JSON array drawn by ``draw``."""

    path: str
    name: str
    summary: str
    description: str
    params: tuple[QueryParam, ...]
    draw: Draw
    item_schema: dict[str, Any]
    example: list[Any]
    try_url: str

    def endpoint(self, shared: Random) -> JsonEndpoint:
        """The ASGI endpoint serving this path, drawing from ``shared`` when unseeded."""
        params, draw = self.params, self.draw

        def answer(scope: Scope) -> list[Any]:
            values = parse_query(scope["query_string"], params)
            seed = values.get("seed")
            return draw(shared if seed is None else Random(seed), values)

        return JsonEndpoint(answer)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI path item documenting this endpoint."""
        return {
            "get": {
                "tags": ["random"],
                "summary": self.summary,
                "description": self.description,
                "operationId": self.name,
                "parameters": [param.openapi() for param in self.params],
                "responses": {
                    "200": {
                        "description": f"A JSON array of n values ({self.summary.lower()}).",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": self.item_schema,
                                    "minItems": 1,
                                    "maxItems": MAX_N,
                                },
                                "example": self.example,
                            }
                        },
                    },
                    "422": error_response(
                        "A parameter is malformed, out of range or unknown: the error names "
                        "it and the rule it broke.",
                        invalid_parameter(
                            "n", "less_than_equal", "n must be at most 10000, got 20000.",
                            value="20000",
                        ).body(),
                    ),
                },
                "x-example": self.try_url,
            }
        }


def draw_ints(rng: Random, values: dict[str, Any]) -> list[int]:
    low, high = values["min"], values["max"]
    check_below("min", low, "max", high)
    return rng.choices(range(low, high), k=values["n"])


def draw_floats(rng: Random, values: dict[str, Any]) -> list[float]:
    low, high = values["min"], values["max"]
    check_below("min", low, "max", high)
    span, draw = high - low, rng.random
    numbers = [low + span * draw() for _ in range(values["n"])]
    if numbers and max(numbers) >= high:  # rounding can reach ``high``; the range excludes it
        below = math.nextafter(high, low)
        numbers = [min(number, below) for number in numbers]
    return numbers


def draw_normals(rng: Random, values: dict[str, Any]) -> list[float]:
    mean, sd, gauss = values["mean"], values["sd"], rng.gauss
    return [gauss(mean, sd) for _ in range(values["n"])]


def draw_choices(rng: Random, values: dict[str, Any]) -> list[str]:
    options = [option.strip() for option in values["options"].split(",")]
    if not all(options):
        raise invalid_parameter(
            "options", "no_empty_option",
            "options must be a comma-separated list with no empty item, for example "
            "options=rock,paper,scissors.",
        )  # fmt: skip
    if len(options) > MAX_OPTIONS:
        raise invalid_parameter(
            "options", "too_many_options",
            f"options may list at most {MAX_OPTIONS} items, got {len(options)}.",
        )  # fmt: skip
    return rng.choices(options, k=values["n"])


def _bound(name: str, kind: type, default: Any, limit: float, what: str, example: Any):
    return QueryParam(
        name, kind, what, example, default=default, minimum=-limit, maximum=limit
    )


ENDPOINTS = (
    RandomEndpoint(
        path="/api/random/int",
        name="random_ints",
        summary="Random integers",
        description="`n` integers drawn uniformly from `[min, max)`: `min` included, `max` "
        "excluded, so the defaults give 0 to 99. `min` must be less than `max`.",
        params=(
            N,
            _bound("min", int, 0, INT_LIMIT, "Smallest possible value (included).", 1),
            _bound("max", int, 100, INT_LIMIT, "Values stay below it (excluded).", 7),
            SEED,
        ),
        draw=draw_ints,
        item_schema={"type": "integer"},
        example=[3, 1, 6, 6, 2],
        try_url="/api/random/int?n=5",
    ),
    RandomEndpoint(
        path="/api/random/float",
        name="random_floats",
        summary="Random decimal numbers",
        description="`n` numbers drawn uniformly from `[min, max)`; by default from 0 "
        "(included) to 1 (excluded). `min` must be less than `max`.",
        params=(
            N,
            _bound("min", float, 0.0, FLOAT_LIMIT, "Smallest possible value (included).", -1.5),
            _bound("max", float, 1.0, FLOAT_LIMIT, "Values stay below it (excluded).", 1.5),
            SEED,
        ),
        draw=draw_floats,
        item_schema={"type": "number"},
        example=[0.6394267984578837, 0.025010755222666936, 0.27502931836911926],
        try_url="/api/random/float?n=3",
    ),
    RandomEndpoint(
        path="/api/random/normal",
        name="random_normals",
        summary="Normally distributed numbers",
        description="`n` numbers from the normal (Gaussian) distribution with mean `mean` "
        "and standard deviation `sd`: the bell curve, where about 68% of the values fall "
        "within one `sd` of the mean.",
        params=(
            N,
            _bound("mean", float, 0.0, FLOAT_LIMIT, "Centre of the distribution.", 170.0),
            QueryParam(
                "sd", float, "Standard deviation: how spread out the values are (>= 0).",
                10.0, default=1.0, minimum=0.0, maximum=FLOAT_LIMIT,
            ),
            SEED,
        ),
        draw=draw_normals,
        item_schema={"type": "number"},
        example=[172.3, 158.9, 181.4],
        try_url="/api/random/normal?n=3&mean=170&sd=10",
    ),
    RandomEndpoint(
        path="/api/random/choice",
        name="random_choices",
        summary="Random picks from a list",
        description="`n` picks, each one uniformly among `options` (the same option can "
        "come back several times): a die, a coin, who presents first...",
        params=(
            QueryParam(
                "options", str,
                f"The comma-separated list to pick from (1 to {MAX_OPTIONS} items).",
                "rock,paper,scissors", required=True,
            ),
            N,
            SEED,
        ),
        draw=draw_choices,
        item_schema={"type": "string"},
        example=["paper", "rock", "paper"],
        try_url="/api/random/choice?options=rock,paper,scissors&n=3",
    ),
)
