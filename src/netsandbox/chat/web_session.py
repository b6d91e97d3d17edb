"""The web client's session cookie: reading it, setting and clearing it, and the checks that
keep other sites from using it (cross-site request forgery).

A browser sends the cookie by itself with every request to this server, including requests
a page of another site makes it send. So a request authenticated by the cookie is trusted to
change something only when it proves it comes from one of our own pages:

* ``SameSite=Strict``: the browser leaves the cookie out of requests started by another
  site (a link, a form, a script there);
* the ``X-CSRF-Token`` header: only a page that could read ``GET /api/session`` knows it,
  and the same-origin policy keeps other origins (another port of this host included, which
  ``SameSite`` counts as the same site) from reading our answers;
* the ``Origin`` header, when the browser sends one, must name this server.

Requests with ``Authorization: Bearer`` need none of this: a browser never adds that header
by itself, so a forged request cannot carry it.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request

from netsandbox.chat.errors import SIGN_IN_AGAIN, ChatError, unauthorized
from netsandbox.chat.security import csrf_token
from netsandbox.core.http.cookies import CHAT_SESSION_COOKIE

COOKIE_NAME = CHAT_SESSION_COOKIE
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What new_token() makes (43 characters of URL-safe base64), with room to change it; anything
# else is refused before it reaches a cache or the database.
SESSION_FORMAT = re.compile(r"[A-Za-z0-9_-]{20,128}")
DEFAULT_PORTS = {"http": 80, "https": 443}
ORIGIN_SHOWN = 100  # characters of a refused Origin quoted back in the error


def session_cookie(session: str, request: Request) -> str:
    """The ``Set-Cookie`` value that stores ``session`` in the browser (until it closes)."""
    return f"{COOKIE_NAME}={session}; {_attributes(request)}"


def cleared_cookie(request: Request) -> str:
    """The ``Set-Cookie`` value that makes the browser drop the session cookie."""
    return f"{COOKIE_NAME}=; Max-Age=0; {_attributes(request)}"


def _attributes(request: Request) -> str:
    # HttpOnly: page scripts cannot read it; Secure: over https, never sent in the clear.
    secure = "; Secure" if request.url.scheme == "https" else ""
    return f"HttpOnly; SameSite=Strict; Path=/{secure}"


def session_values(cookie_headers: Iterable[str]) -> list[str]:
    """Every value of the session cookie in these ``Cookie`` headers (normally one or none)."""
    found = []
    for header in cookie_headers:
        for pair in header.split(";"):
            name, equals, value = pair.partition("=")
            if equals and name.strip() == COOKIE_NAME:
                found.append(value.strip().strip('"'))
    return found


def cached_session_of(cookie_header: str) -> str | None:
    """The session a ``Cookie`` header carries, if it is well formed (the rate limiter's
    quick look; ``read_session`` says what is wrong with the others)."""
    values = session_values((cookie_header,))
    if len(values) == 1 and SESSION_FORMAT.fullmatch(values[0]):
        return values[0]
    return None


def read_session(request: Request) -> str | None:
    """The request's session cookie; None without one; a 401 when it cannot be ours."""
    values = session_values(request.headers.getlist("cookie"))
    if not values:
        return None
    if len(values) > 1 or not SESSION_FORMAT.fullmatch(values[0]):
        raise malformed_session(len(values))
    return values[0]


def check_csrf(request: Request, session: str) -> None:
    """Refuse (403) an unsafe request made with the session cookie that does not prove it
    comes from one of our pages: a foreign ``Origin``, or no or a wrong ``X-CSRF-Token``."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        raise missing_csrf()
    expected = csrf_token(session)
    if not hmac.compare_digest(sent.encode("latin-1"), expected.encode("latin-1")):
        raise wrong_csrf()


def check_origin(request: Request) -> None:
    """Refuse (403) a request whose ``Origin`` header names another server than this one."""
    origin = request.headers.get("origin")
    if origin is not None and not same_host(origin, request.headers.get("host", "")):
        raise foreign_origin(origin)


def same_host(origin: str, host: str) -> bool:
    """True when the ``Origin`` names the host and port of the ``Host`` header.

    The scheme is not compared: behind a proxy that terminates TLS the browser says https
    and the server sees http. A missing port is the scheme's default one.
    """
    try:
        theirs = urlsplit(origin)
        ours = urlsplit(f"//{host}")
        if theirs.scheme not in DEFAULT_PORTS or not theirs.hostname or not ours.hostname:
            return False
        default = DEFAULT_PORTS[theirs.scheme]
        return (theirs.hostname, theirs.port or default) == (ours.hostname, ours.port or default)
    except ValueError:  # a port that is not a number, a broken IPv6 address
        return False


# --- the errors (also shown as examples in the OpenAPI document) --------------------------


def missing_session() -> ChatError:
    return unauthorized(
        "missing_session",
        f"This endpoint needs the {COOKIE_NAME} cookie, which POST /api/session sets. "
        + SIGN_IN_AGAIN,
    )


def invalid_session() -> ChatError:
    return unauthorized(
        "invalid_session", "This session is unknown or has ended (signed out). " + SIGN_IN_AGAIN
    )


def malformed_session(count: int = 1) -> ChatError:
    if count > 1:
        problem = (
            f"The request carries {count} {COOKIE_NAME} cookies, and this server sets one: "
            "clear this site's cookies in the browser."
        )
    else:
        problem = (
            f"The {COOKIE_NAME} cookie is not one this server sets (a session is 43 letters, "
            "digits, '-' and '_')."
        )
    return unauthorized("malformed_session", f"{problem} {SIGN_IN_AGAIN}")


def missing_csrf() -> ChatError:
    return ChatError(
        403,
        "csrf_failed",
        f"This request is authenticated by the session cookie, so it must send the header "
        f"{CSRF_HEADER} with the csrf_token that POST or GET /api/session returned "
        "(scripts send 'Authorization: Bearer <token>' instead and need none).",
    )


def wrong_csrf() -> ChatError:
    return ChatError(
        403,
        "csrf_failed",
        f"The {CSRF_HEADER} header does not match this session: send the csrf_token that "
        "GET /api/session returns (each sign-in has its own).",
    )


def foreign_origin(origin: str) -> ChatError:
    return ChatError(
        403,
        "csrf_failed",
        f"This request comes from a page of another site (Origin: {origin[:ORIGIN_SHOWN]!r}), "
        "which may not use this server's session cookie: use the web client served here, "
        "or send 'Authorization: Bearer <token>'.",
    )
