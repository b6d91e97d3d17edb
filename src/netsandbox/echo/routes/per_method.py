"""Registers one endpoint under several methods, as one OpenAPI operation per method.

FastAPI gives a multi-method route a single operation id, shared by all its methods; the
docs then mix the methods up (Swagger UI keys its panels by that id). One route per method
keeps every operation distinct, each with its own "Try it out".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter

ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE")


def add_per_method(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    methods: Iterable[str] = ANY_METHOD,
    **options: Any,
) -> Callable[..., Any]:
    """Add ``endpoint`` at ``path`` once for each method; return it unchanged."""
    for method in methods:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=f"{endpoint.__name__}_{method.lower()}",
            **options,
        )
    return endpoint


def per_method(
    router: APIRouter, path: str, methods: Iterable[str] = ANY_METHOD, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of ``add_per_method``."""
    return lambda endpoint: add_per_method(router, path, endpoint, methods, **options)
