"""The chat API's OpenAPI document, as a real server serves it: complete enough to learn from.

Every operation is described, every parameter has a description and an example, and every
documented error shows what the server sends, in the common error shape. /docs works with
no internet: its assets come from the server itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.chat.live import base_url, running_chat
from tests.conftest import ServiceProcess

# A fixed example would make every client that sends it (the docs' "Try it out", a fuzzer)
# reuse one key for different messages; its description says what to send instead.
NO_FIXED_EXAMPLE = {("header", "idempotency-key")}


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with running_chat(tmp_path_factory.mktemp("chat-openapi")) as service:
        yield service


@pytest.fixture(scope="module")
def document(chat: ServiceProcess) -> dict[str, Any]:
    response = requests.get(f"{base_url(chat)}/openapi.json", timeout=10)
    response.raise_for_status()
    return response.json()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_summary_and_a_description(document: dict[str, Any]) -> None:
    found = dict(operations(document))
    assert len(found) >= 15
    missing = [name for name, op in found.items()
               if not op.get("summary") or not op.get("description")]  # fmt: skip
    assert missing == []


def test_every_parameter_has_a_description_and_an_example(document: dict[str, Any]) -> None:
    problems = []
    for name, operation in operations(document):
        for parameter in operation.get("parameters", []):
            where = f"{name} {parameter['in']} {parameter['name']}"
            if not parameter.get("description"):
                problems.append(f"{where}: no description")
            key = (parameter["in"], parameter["name"].lower())
            has_example = any(
                "example" in place or "examples" in place
                for place in (parameter, parameter.get("schema", {}))
            )
            if key in NO_FIXED_EXAMPLE:
                assert not has_example, f"{where}: must not have a fixed example"
                assert "uuid" in parameter["description"].lower()
            elif not has_example:
                problems.append(f"{where}: no example")
    assert problems == []


def error_examples(response: dict[str, Any]) -> list[Any]:
    content = response.get("content", {}).get("application/json", {})
    found = [content["example"]] if "example" in content else []
    return found + [example["value"] for example in content.get("examples", {}).values()]


def assert_common_shape(body: Any, status: int, where: str) -> None:
    assert isinstance(body, dict) and list(body) == ["error"], where
    error = body["error"]
    assert isinstance(error.get("code"), str) and re.fullmatch(r"[a-z_]+", error["code"]), where
    assert isinstance(error.get("message"), str) and len(error["message"]) > 10, where
    if status == 422 and error["code"] == "invalid_parameter":
        assert {"parameter", "location", "rule", "errors"} <= set(error), where


def test_every_documented_error_has_an_example_in_the_common_shape(
    document: dict[str, Any],
) -> None:
    checked = 0
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if not status.isdigit() or int(status) < 400:
                continue
            where = f"{name} -> {status}"
            content = response.get("content", {}).get("application/json", {})
            assert content.get("schema") == {"$ref": "#/components/schemas/Error"}, where
            examples = error_examples(response)
            assert examples, f"{where}: no example"
            for body in examples:
                assert_common_shape(body, int(status), where)
                checked += 1
    assert checked >= 60


def test_the_errors_a_route_really_answers_are_its_examples(
    chat: ServiceProcess, document: dict[str, Any]
) -> None:
    """Spot checks: a mistake gets the very body /docs shows for it."""
    url = base_url(chat)
    responses = document["paths"]["/api/users/me"]["get"]["responses"]
    shown = {body["error"]["code"]: body for body in error_examples(responses["401"])}
    assert requests.get(f"{url}/api/users/me", timeout=10).json() == shown["missing_token"]
    bad = requests.get(f"{url}/api/users/me", headers={"Authorization": "Bearer x"}, timeout=10)
    assert bad.json() == shown["invalid_token"]
    login = document["paths"]["/api/auth/token"]["post"]["responses"]
    wrong = requests.post(f"{url}/api/auth/token",
                          data={"username": "nobody", "password": "wrong"}, timeout=10)  # fmt: skip
    assert wrong.json() == error_examples(login["401"])[0]
    session = document["paths"]["/api/session"]["get"]["responses"]["401"]
    shown = {body["error"]["code"]: body for body in error_examples(session)}
    assert requests.get(f"{url}/api/session", timeout=10).json() == shown["missing_session"]
    garbled = requests.get(f"{url}/api/session", headers={"Cookie": "netsandbox_session=%"},
                           timeout=10)  # fmt: skip
    assert garbled.json() == shown["malformed_session"]


def test_changes_made_with_the_cookie_document_the_csrf_header(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["session"] == {**schemes["session"], "type": "apiKey", "in": "cookie",
                                  "name": "netsandbox_session"}  # fmt: skip
    assert schemes["csrf"]["in"] == "header" and schemes["csrf"]["name"] == "X-CSRF-Token"
    for name, operation in operations(document):
        security = operation.get("security", [])
        if not any("session" in requirement for requirement in security):
            continue
        unsafe = name.split()[0] in ("POST", "PUT", "PATCH", "DELETE")
        assert all(("csrf" in r) == unsafe for r in security if "session" in r), name
        if unsafe:
            refusals = error_examples(operation["responses"]["403"])
            assert "csrf_failed" in {body["error"]["code"] for body in refusals}, name


def test_success_answers_have_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("UserOut", "UserPage", "MessageOut", "MessagePage", "ConversationPage",
                 "TokenOut", "HealthOut", "SessionOut", "InfoOut"):  # fmt: skip
        assert "example" in schemas[name], name


def test_docs_pages_load_everything_from_this_server(chat: ServiceProcess) -> None:
    url = base_url(chat)
    for page in ("/docs", "/redoc"):
        html = requests.get(url + page, timeout=10).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
            assert requests.get(url + asset, timeout=10).status_code == 200, asset
    swagger = requests.get(url + "/docs", timeout=10).text
    assert "/openapi.json" in swagger
