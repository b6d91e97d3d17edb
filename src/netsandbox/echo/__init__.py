"""echo (HTTP 3002): answers like httpbin.org, so the course's HTTP examples run offline."""

DEFAULT_PORT = 3002
DESCRIPTION = "httpbin-style echo: shows back the request it receives"
