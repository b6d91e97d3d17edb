"""A 405 names every method the path accepts, whichever route (or router) declares each one."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from netsandbox.core.http import configure_app


def make_app() -> FastAPI:
    app = configure_app(FastAPI(title="methods", docs_url=None, redoc_url=None))
    items = APIRouter(prefix="/items")

    @app.get("/items")
    async def list_items() -> list[int]:
        return []

    @items.post("")
    async def add_item() -> int:
        return 1

    @items.get("/{item_id}")
    async def read_item(item_id: int) -> int:
        return item_id

    @items.delete("/{item_id}")
    async def delete_item(item_id: int) -> None:
        return None

    @app.get("/only-get")
    async def only_get() -> str:
        return "ok"

    app.include_router(items)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://methods.test") as http:
        yield http


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/items", "GET, POST"),  # GET on the app, POST in an included router
        ("PUT", "/items", "GET, POST"),
        ("PATCH", "/items/3", "DELETE, GET"),  # two routes of one router, same template
        ("POST", "/only-get", "GET"),
    ],
)
async def test_allow_lists_the_methods_of_every_route_on_the_path(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers.get_list("allow") == [allowed]
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["message"].endswith(f"this path accepts: {allowed}.")


async def test_a_method_a_later_route_accepts_is_served(client: httpx.AsyncClient) -> None:
    response = await client.delete("/items/3")
    assert response.status_code == 200
