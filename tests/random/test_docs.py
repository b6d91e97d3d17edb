"""The random API documents itself: an index at /, OpenAPI, and docs whose assets are local."""

from __future__ import annotations

import re

import requests

METHODS = {"get", "post", "put", "patch", "delete"}


def spec(base: str) -> dict:
    return requests.get(base + "/openapi.json", timeout=5).json()


ENDPOINTS = ("/api/random/int", "/api/random/float", "/api/random/normal", "/api/random/choice")


def test_openapi_lists_every_endpoint(base: str) -> None:
    paths = spec(base)["paths"]
    for path in ENDPOINTS:
        assert "get" in paths[path], path


def test_every_endpoint_parameter_and_response_is_described_with_an_example(base: str) -> None:
    for path, operations in spec(base)["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("summary") and operation.get("description"), where
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (where, parameter["name"])
                assert "example" in parameter, (where, parameter["name"])
            for status, response in operation["responses"].items():
                assert response.get("description"), (where, status)
                for media, content in response.get("content", {}).items():
                    assert "example" in content, (where, status, media)


def test_errors_are_documented_in_the_common_shape(base: str) -> None:
    document = spec(base)
    assert "Error" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    unprocessable = document["paths"]["/api/random/int"]["get"]["responses"]["422"]
    content = unprocessable["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    assert content["example"]["error"]["parameter"] == "n"


def test_index_is_html_for_browsers_and_json_on_request(base: str) -> None:
    page = requests.get(base + "/", headers={"Accept": "text/html,*/*"}, timeout=5)
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'href="/docs"' in page.text and "/api/random/choice" in page.text
    listing = requests.get(base + "/", headers={"Accept": "application/json"}, timeout=5).json()
    assert listing["docs"] == "/docs" and listing["openapi"] == "/openapi.json"
    paths = {endpoint["path"] for endpoint in listing["endpoints"]}
    assert {"/api/random/int", "/api/random/float"} <= paths
    tries = [endpoint["example"] for endpoint in listing["endpoints"] if "example" in endpoint]
    for example in tries:  # every "try it" link on the page works
        assert requests.get(base + example, timeout=5).status_code == 200, example


def test_docs_pages_load_only_local_assets(base: str) -> None:
    for page in ("/docs", "/redoc"):
        html = requests.get(base + page, timeout=5).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert urls, page
        for url in urls:
            assert url.startswith("/"), (page, url)  # nothing from another host
            assert requests.get(base + url, timeout=5).status_code == 200, url
        assert "cdn" not in html.lower() and "fonts.googleapis" not in html


def test_swagger_ui_assets_are_served_with_their_types(base: str) -> None:
    script = requests.get(base + "/docs/assets/swagger-ui-bundle.js", timeout=5)
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in script.text[:2000]
    style = requests.get(base + "/docs/assets/swagger-ui.css", timeout=5)
    assert style.headers["Content-Type"].startswith("text/css")
