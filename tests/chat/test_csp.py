"""Every HTML page of the chat sends the strict Content-Security-Policy and has no inline
script; the endpoint listing lives at /api (the web client has /)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("app")

STRICT = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)  # onclick=, onerror=...


@pytest.mark.parametrize(
    ("path", "extra"),
    [("/", ""), ("/api", ""), ("/docs", "; img-src 'self' data:")],  # Swagger UI's icons
)
async def test_pages_send_the_strict_policy_and_no_inline_script(client, path, extra) -> None:
    response = await client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == STRICT + extra
    assert INLINE_SCRIPT.findall(response.text) == []
    assert "<style" not in response.text and " style=" not in response.text
    assert INLINE_HANDLER.search(response.text) is None


async def test_redoc_may_style_itself_but_runs_no_inline_script(client) -> None:
    response = await client.get("/redoc")
    policy = response.headers["content-security-policy"]
    assert policy.startswith(STRICT)
    assert "script-src 'self';" in policy and "unsafe-inline" in policy.split("style-src")[1]
    assert "unsafe" not in policy.split("style-src")[0]
    assert INLINE_SCRIPT.findall(response.text) == []


async def test_the_swagger_start_up_script_is_a_served_file(client) -> None:
    page = (await client.get("/docs")).text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/docs/static/swagger-init.js" in scripts
    script = await client.get("/docs/static/swagger-init.js")
    assert script.status_code == 200 and "SwaggerUIBundle(" in script.text
    assert script.headers["content-type"].startswith("text/javascript")


async def test_the_api_is_not_slowed_by_the_policy(client, ada) -> None:
    for path in ("/api/users", "/api/info", "/openapi.json"):
        response = await client.get(path, headers=ada.headers)
        assert response.status_code == 200
        assert "content-security-policy" not in response.headers


async def test_the_endpoint_listing_is_at_api(client) -> None:
    listing = (await client.get("/api", headers={"Accept": "application/json"})).json()
    paths = {(e["method"], e["path"]) for e in listing["endpoints"]}
    assert {("POST", "/api/session"), ("GET", "/api/info"), ("POST", "/api/tokens")} <= paths
    assert ("GET", "/api") not in paths
    page = await client.get("/api", headers={"Accept": "text/html"})
    assert 'href="/docs/static/index.css"' in page.text
    assert (await client.get("/docs/static/index.css")).status_code == 200


async def test_a_wrong_path_points_to_the_listing(client) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "GET /api lists the endpoints" in response.json()["error"]["message"]
