"""Registers one endpoint under several methods, as one OpenAPI operation per method.

FastAPI gives a multi-method route a single operation id, shared by all its methods; the
docs then mix the methods up (Swagger UI keys its panels by that id). One route per method
keeps every operation distinct, each with its own "Try it out".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter

from netsandbox.echo.examples import ANY_BODY

ANY_METHOD = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def add_per_method(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    *,
    methods: Iterable[str] = ANY_METHOD,
    documented: Iterable[str] | None = None,
    body: bool = False,
    openapi_extra: dict[str, Any] | None = None,
    **options: Any,
) -> Callable[..., Any]:
    """Add ``endpoint`` at ``path`` once for each method; return it unchanged.

    ``documented`` limits the methods shown in the docs (default: all); ``body`` documents
    a request body (form, files, JSON or text) on the methods that usually carry one.
    """
    shown = set(methods if documented is None else documented)
    for method in methods:
        extra = dict(openapi_extra or {})
        if body and method in BODY_METHODS:
            extra["requestBody"] = ANY_BODY
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=f"{endpoint.__name__}_{method.lower()}",
            include_in_schema=method in shown,
            openapi_extra=extra or None,
            **options,
        )
    return endpoint


def per_method(
    router: APIRouter, path: str, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of ``add_per_method``."""
    return lambda endpoint: add_per_method(router, path, endpoint, **options)
