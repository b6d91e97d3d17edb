"""The error shape on the wire is pinned here: every service builds it with error_body."""

from netsandbox.core.errors import ServiceError, error_body


def test_error_body_shape() -> None:
    assert error_body("bad_thing", "Fix it like this.") == {
        "error": {"code": "bad_thing", "message": "Fix it like this."}
    }


def test_error_body_extra_fields_follow() -> None:
    body = error_body("invalid_field", "name must be text", field="name")
    assert body["error"] == {
        "code": "invalid_field",
        "message": "name must be text",
        "field": "name",
    }


def test_service_error_carries_the_same_body() -> None:
    exc = ServiceError("not_found", "No contact named 'Bob'.", name="Bob")
    assert exc.body() == error_body("not_found", "No contact named 'Bob'.", name="Bob")
    assert str(exc) == "No contact named 'Bob'."
