"""chat (HTTP 3004): users, statuses and direct messages over a documented REST API."""

DEFAULT_PORT = 3004
DESCRIPTION = "chat API: users, statuses and direct messages (docs at /docs)"
