"""Responses shaped like httpbin's: indented JSON, and redirects that show their target."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

from starlette.responses import JSONResponse, Response


class EchoJSON(JSONResponse):
    """JSON indented by two spaces, keys sorted, ending with a newline: httpbin's layout.

    Students print ``response.text`` in the course; the same layout as httpbin.org keeps what
    they see identical to the notes.
    """

    def render(self, content: Any) -> bytes:
        return (json.dumps(content, indent=2, sort_keys=True) + "\n").encode("ascii")


def redirect(location: str, status_code: int = 302) -> Response:
    """A redirect whose body also shows the target, for clients that do not follow it.

    Spaces, line breaks and non-ASCII characters in ``location`` are percent-encoded: a
    header cannot carry them (and a line break would let a URL inject headers).
    """
    location = quote(location, safe=":/%#?=@[]!$&'()*+,;~")
    target = html.escape(location)
    body = (
        "<!doctype html>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        f'<p>You should be redirected automatically to <a href="{target}">{target}</a>.</p>\n'
    )
    return Response(body, status_code, headers={"Location": location}, media_type="text/html")
