"""The open streams of each credential (an API token or a session), so that revoking the
credential also ends the streams opened with it.

Kept beside the broker rather than in it: the broker fans events out to users and does not
need to know how each stream was authenticated. Only ``Subscription.close`` is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netsandbox.chat.events.model import LOGGED_OUT

if TYPE_CHECKING:
    from netsandbox.chat.events.broker import Subscription


class CredentialStreams:
    def __init__(self) -> None:
        self._open: dict[str, set[Subscription]] = {}

    def opened(self, credential: str, subscription: Subscription) -> None:
        self._open.setdefault(credential, set()).add(subscription)

    def closed(self, credential: str, subscription: Subscription) -> None:
        streams = self._open.get(credential)
        if streams is not None:
            streams.discard(subscription)
            if not streams:
                del self._open[credential]

    def revoked(self, credential: str) -> int:
        """Close every stream opened with ``credential`` (each gets ``closed`` with
        ``logged_out`` last); how many there were."""
        streams = self._open.pop(credential, set())
        for subscription in streams:
            subscription.close(LOGGED_OUT)
        return len(streams)
