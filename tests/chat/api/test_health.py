"""/api/health, the documentation, and errors outside any route."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("app")


async def test_health_needs_no_token(client, database_url: str) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": database_url.split("+")[0]}


async def test_openapi_documents_every_endpoint_with_the_token_flow(client) -> None:
    schema = (await client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path in ("/api/auth/token", "/api/auth/register", "/api/users", "/api/users/me",
                 "/api/users/{user_id}", "/api/messages", "/api/messages/{message_id}",
                 "/api/messages/{message_id}/read", "/api/conversations",
                 "/api/conversations/{user_id}", "/api/health"):  # fmt: skip
        assert path in paths, path
    flows = schema["components"]["securitySchemes"]["token"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/auth/token"
    assert "401" in paths["/api/users"]["get"]["responses"]


async def test_docs_page_uses_local_assets(client) -> None:
    page = (await client.get("/docs")).text
    assert "/docs/assets/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


async def test_unknown_paths_and_methods_are_json(client) -> None:
    missing = await client.get("/api/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = await client.put("/api/health")
    assert wrong.status_code == 405
    assert "error" in wrong.json()
