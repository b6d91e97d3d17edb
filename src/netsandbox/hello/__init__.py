"""hello (TCP 3000): replies to one message and closes."""

DEFAULT_PORT = 3000
DESCRIPTION = "replies to one message and closes"
