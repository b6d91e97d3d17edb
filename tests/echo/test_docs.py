"""GET / lists the endpoints; /openapi.json documents every one; /docs is served locally."""

from __future__ import annotations

import re

import pytest
import requests

REQUIRED_PATHS = {
    "/get", "/post", "/put", "/patch", "/delete", "/anything", "/anything/{path}", "/headers",
    "/ip", "/user-agent", "/status/{codes}", "/delay/{n}", "/json", "/html", "/bytes/{n}",
    "/redirect/{n}", "/relative-redirect/{n}", "/absolute-redirect/{n}", "/redirect-to",
    "/basic-auth/{user}/{passwd}", "/bearer", "/cookies", "/cookies/set", "/cookies/delete",
    "/uuid", "/base64/{value}", "/gzip",
}  # fmt: skip


@pytest.fixture(scope="module")
def openapi(echo) -> dict:
    return requests.get(f"http://{echo.host}:{echo.port}/openapi.json", timeout=5).json()


def operations(openapi: dict):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_index_page_lists_endpoints_and_links_docs(base_url: str) -> None:
    out = requests.get(base_url, headers={"Accept": "text/html"}, timeout=5)
    assert out.headers["Content-Type"].startswith("text/html")
    assert 'href="/docs"' in out.text
    for path in ("/get", "/post", "/basic-auth/{user}/{passwd}"):
        assert f"<code>{path}</code>" in out.text


def test_index_as_json_when_asked(base_url: str) -> None:
    out = requests.get(base_url, headers={"Accept": "application/json"}, timeout=5)
    listing = out.json()
    assert listing["docs"] == "/docs"
    paths = {(e["method"], e["path"]) for e in listing["endpoints"]}
    assert {("GET", "/get"), ("POST", "/post"), ("DELETE", "/delete")} <= paths


def test_every_required_endpoint_is_documented(openapi: dict) -> None:
    assert set(openapi["paths"]) >= REQUIRED_PATHS


def test_every_operation_has_a_summary_description_and_example(openapi: dict) -> None:
    for path, method, operation in operations(openapi):
        if path == "/":  # the shared index page (netsandbox.core.http.index), tested there
            continue
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        for status, response in operation["responses"].items():
            assert response.get("description"), f"{where} {status}"
            contents = response.get("content", {})
            if status.startswith("2") and path not in ("/status/{codes}",):
                assert contents, f"{where} {status} shows no body"
            for media, content in contents.items():
                has_example = "example" in content or "examples" in content
                assert has_example or "$ref" in content.get("schema", {}), f"{where} {media}"


def test_every_parameter_has_a_description_and_example(openapi: dict) -> None:
    for path, method, operation in operations(openapi):
        for parameter in operation.get("parameters", []):
            where = f"{method.upper()} {path} {parameter['name']}"
            assert parameter.get("description"), where
            schema = parameter.get("schema", {})
            assert "example" in parameter or "examples" in parameter or "examples" in schema, where


def test_operation_ids_are_unique(openapi: dict) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(openapi)]
    assert len(ids) == len(set(ids))


def test_docs_page_loads_its_assets_from_this_server(base_url: str) -> None:
    page = requests.get(f"{base_url}/docs", timeout=5)
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the echo service"
        assert requests.get(base_url + asset, timeout=5).status_code == 200, asset
