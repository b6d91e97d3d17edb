"""The service's changes as events, each with its audience. Called by the write paths once
their commit is done, so a client never hears of data it cannot read yet."""

from __future__ import annotations

from typing import Any

from netsandbox.chat.events.broker import Broker
from netsandbox.chat.events.model import (
    MESSAGE_CREATED,
    MESSAGE_READ,
    USER_CREATED,
    USER_PRESENCE,
    USER_STATUS,
)
from netsandbox.chat.events.presence import Presence, presence_data


class Publisher:
    def __init__(self, broker: Broker, presence: Presence) -> None:
        self.broker = broker
        self.presence = presence

    def message_created(self, message: dict[str, Any]) -> None:
        """To the recipient, and to the sender (their other sessions, their other tabs)."""
        audience = frozenset((message["from"], message["to"]))
        self.broker.publish(MESSAGE_CREATED, message, audience)

    def message_read(self, message: dict[str, Any]) -> None:
        """To the sender, who shows the read mark, and to the reader's other sessions."""
        audience = frozenset((message["from"], message["to"]))
        self.broker.publish(MESSAGE_READ, message, audience)

    def user_changed(self, user: dict[str, Any]) -> None:
        self.broker.publish(USER_STATUS, self.presence.annotate(dict(user)))

    def user_created(self, user: dict[str, Any]) -> None:
        self.broker.publish(USER_CREATED, self.presence.annotate(dict(user)))

    def presence_changed(self, user: int, state: str) -> None:
        self.broker.publish(USER_PRESENCE, presence_data(user, state))
