"""The OpenAPI document every app serves at /openapi.json, fixed to tell the truth.

FastAPI documents its own validation error (``{"detail": [...]}``), which our apps never
send: here every 422 is documented with the common error shape instead, the ``Error``
schema is added once, and operations served outside FastAPI's routing (plain Starlette
routes, chosen where speed matters) can be documented with ``document_operations``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from netsandbox.core.errors import error_body

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "description": "Every error: a stable machine-readable code and a sentence saying what to fix.",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "For programs: a stable word."},
                "message": {"type": "string", "description": "For people."},
                "parameter": {"type": "string", "description": "422 only: the bad parameter."},
                "location": {"type": "string", "description": "422 only: query, path, body..."},
                "rule": {"type": "string", "description": "422 only: the rule it broke."},
                "errors": {
                    "type": "array",
                    "description": "422 only: every problem found, first one repeated above.",
                    "items": {"type": "object"},
                },
            },
            "additionalProperties": True,
        }
    },
    "example": error_body("not_found", "Nothing at /api/nothing. GET / lists the endpoints."),
}

VALIDATION_EXAMPLE = error_body(
    "invalid_parameter",
    "n (query): Input should be less than or equal to 10000; got '20000'.",
    parameter="n",
    location="query",
    rule="less_than_equal",
    input="20000",
    errors=[{"parameter": "n", "location": "query", "rule": "less_than_equal"}],
)


def error_response(description: str, example: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI response object for an error in the common shape, with its example."""
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_REF, "example": example}},
    }


def install_openapi(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the document uses our error shape and extra operations."""
    generate = app.openapi
    app.state.extra_openapi_paths = {}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _document_our_errors(schema)
            for path, operations in app.state.extra_openapi_paths.items():
                schema.setdefault("paths", {}).setdefault(path, {}).update(operations)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document_operations(app: FastAPI, paths: dict[str, dict[str, Any]]) -> None:
    """Add hand-written OpenAPI path items (``{path: {method: operation}}``) to the document."""
    app.state.extra_openapi_paths.update(paths)
    app.openapi_schema = None


def _document_our_errors(schema: dict[str, Any]) -> None:
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = error_response(
                    "A parameter is missing, malformed or out of range: the error names it "
                    "and the rule it broke.",
                    VALIDATION_EXAMPLE,
                )
