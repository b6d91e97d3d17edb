"""The names of the cookies our services set, in one place so that every service knows them.

Browsers do not separate cookies by port: a cookie the chat sets on ``127.0.0.1`` (or on the
classroom server's address) is also sent to the echo service on the same host. The echo
service, which shows a request's cookies back, uses this to keep the chat's session out of
what it echoes.
"""

from __future__ import annotations

CHAT_SESSION_COOKIE = "netsandbox_session"
