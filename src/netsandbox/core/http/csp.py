"""``ContentSecurityPolicy``: an ASGI middleware that sends a policy with every HTML page.

The policy is what makes an injected ``<script>`` (or ``onerror=...``) inert even if some
text ever reached a page as HTML: with ``script-src 'self'`` the browser runs only script
files served by us, never inline code. Only HTML needs it, so API paths (JSON, the hot
requests) are passed through untouched, at no cost.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicy:
    """Adds ``Content-Security-Policy: policy`` to every ``text/html`` response that has none
    of its own (a page that needs another policy sets it), except under ``skip_prefix``
    (JSON APIs: their paths are not even looked at)."""

    def __init__(self, app: ASGIApp, policy: str = STRICT_POLICY, skip_prefix: str = "") -> None:
        self.app = app
        self._header = (b"content-security-policy", policy.encode("latin-1"))
        self._skip = skip_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self._skip and scope["path"].startswith(self._skip)):
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start" and _needs_policy(message):
                message["headers"] = [*message.get("headers", ()), self._header]
            await send(message)

        await self.app(scope, receive, send_with_policy)


def _needs_policy(start: Message) -> bool:
    """An HTML response without a policy of its own."""
    html = False
    for name, value in start.get("headers", ()):
        name = name.lower()
        if name == b"content-security-policy":
            return False
        if name == b"content-type":
            html = value.lower().startswith(b"text/html")
    return html
