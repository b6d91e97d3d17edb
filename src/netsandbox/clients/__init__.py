"""The reference Python clients, one module per service."""

from netsandbox.clients.contacts import (
    ContactClient,
    ContactClientError,
    ContactConnectionError,
    ContactError,
)

__all__ = ["ContactClient", "ContactClientError", "ContactConnectionError", "ContactError"]
