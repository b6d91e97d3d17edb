"""The contacts service: one JSON command per connection, answered from the contact book."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable

from netsandbox.contacts.framing import MAX_REQUEST_BYTES, RequestFramer
from netsandbox.contacts.protocol import (
    COMMANDS,
    Request,
    encode_error,
    encode_reply,
    parse_request,
    parse_whole,
)
from netsandbox.contacts.store import FILENAME, ContactStore, StoreError
from netsandbox.core.datadir import ensure_data_dir
from netsandbox.core.errors import ServiceError
from netsandbox.core.logs import configure_logging
from netsandbox.core.runner import run_tcp_service
from netsandbox.core.settings import ServiceSettings
from netsandbox.core.tcp import EndReason, Reply

log = logging.getLogger("netsandbox.contacts")

# The parsed requests kept, keyed by their bytes: at most this many, each at most this long.
KNOWN_REQUESTS = 256
KNOWN_REQUEST_BYTES = 1024


class ContactsReader:
    """Frames one connection's request and hands it to the service once complete."""

    def __init__(self, service: ContactsService) -> None:
        self._service = service
        self._framer: RequestFramer | None = None  # made when the first read is not enough

    def feed(self, data: bytes) -> Reply | Awaitable[Reply] | None:
        framer = self._framer
        if framer is None:
            try:
                request = self._service.whole_request(data)
            except ServiceError as error:
                return failure("invalid", error)
            if request is not None:
                return self._service.handle(request)
            framer = self._framer = RequestFramer()
        try:
            raw = framer.feed(data)
        except ServiceError as error:  # spotted before the request ended: more may follow
            return failure("invalid", error, early=True)
        if raw is None:
            return None
        try:
            request = parse_request(raw)
        except ServiceError as error:
            return failure("invalid", error)
        return self._service.handle(request)

    def end(self, reason: EndReason) -> Reply:
        framer = self._framer or RequestFramer()
        return failure("invalid", framer.end(reason, self._service.deadline))


class ContactsService:
    """The contacts service as the TCP runner sees it."""

    name = "contacts"
    max_request_bytes = MAX_REQUEST_BYTES

    def __init__(self, store: ContactStore, deadline: float) -> None:
        self.store = store
        self.deadline = deadline
        self._list_reply: tuple[int, Reply] | None = None
        self._known: dict[bytes, Request] = {}

    def reader(self) -> ContactsReader:
        return ContactsReader(self)

    def busy_reply(self) -> bytes:
        return encode_error(
            ServiceError("busy", "the server has too many open connections: try again in a moment")
        )

    async def close(self) -> None:
        await self.store.close()

    def whole_request(self, data: bytes) -> Request | None:
        """The request when ``data``, a first read, is all of it, else None (see ``parse_whole``).

        Why: clients repeat the same few requests (``list`` above all), and what a request
        means depends on its bytes alone, so small ones are kept once parsed: a repeated
        request costs a dictionary look-up, and with ``list``'s reply kept per change of
        the contact book, a repeated ``list`` costs little more than a bare reply.
        """
        request = self._known.get(data)
        if request is None:
            request = parse_whole(data)
            if request is not None and len(data) <= KNOWN_REQUEST_BYTES:
                if len(self._known) >= KNOWN_REQUESTS:
                    self._known.clear()
                self._known[data] = request
        return request

    def handle(self, request: Request) -> Reply | Awaitable[Reply]:
        """Reads are answered at once from memory; writes once they are on disk."""
        args = request.args
        try:
            match request.cmd:
                case "help":
                    return success("help", _help_message(), _help_data())
                case "list":
                    return self._list()
                case "get":
                    return success("get", *self._get(args["name"]))
                case "search":
                    found = self.store.search(args["query"])
                    return success("search", f"{_count(len(found))} matching", found)
                case "add":
                    return self._add(args["name"], args["mail"])
                case "remove":
                    return self._remove(args["name"])
        except ServiceError as error:
            return failure(request.cmd, error)
        raise AssertionError(f"command {request.cmd!r} is in COMMANDS but not handled")

    def _list(self) -> Reply:
        """The whole book, encoded once per change: ``list`` is what clients ask most."""
        cached = self._list_reply
        if cached is None or cached[0] != self.store.revision:
            contacts = self.store.all()
            cached = (self.store.revision, success("list", _count(len(contacts)), contacts))
            self._list_reply = cached
        return cached[1]

    def _get(self, name: str) -> tuple[str, dict[str, str]]:
        mail = self.store.get(name)
        if mail is None:
            raise self._not_found(name)
        return f"contact {name!r}", {name: mail}

    async def _add(self, name: str, mail: str) -> Reply:
        try:
            previous = await self.store.put(name, mail)
        except sqlite3.Error as exc:
            return failure("add", _storage_error(exc))
        if previous is None:
            return success("add", f"contact {name!r} added", {name: mail})
        return success("add", f"contact {name!r} updated (mail was {previous})", {name: mail})

    async def _remove(self, name: str) -> Reply:
        try:
            removed = await self.store.remove(name)
        except sqlite3.Error as exc:
            return failure("remove", _storage_error(exc))
        if removed is None:
            return failure("remove", self._not_found(name))
        return success("remove", f"contact {name!r} removed", {name: removed})

    def _not_found(self, name: str) -> ServiceError:
        similar = self.store.name_like(name)
        hint = f" (did you mean {similar!r}? names are case-sensitive)" if similar else ""
        return ServiceError(
            "not_found",
            f'no contact named {name!r}{hint}: send {{"cmd": "list"}} to see every name',
            name=name,
        )


def success(cmd: str, msg: str, data: object) -> Reply:
    return Reply(encode_reply(msg, data), request=cmd)


def failure(cmd: str, error: ServiceError, *, early: bool = False) -> Reply:
    return Reply(encode_error(error), request=cmd, outcome=f"error {error.code}", early=early)


def _storage_error(exc: sqlite3.Error) -> ServiceError:
    log.error("contacts database write failed: %s", exc)
    return ServiceError(
        "storage_error", f"the server could not save the change ({exc}); nothing was changed"
    )


def _count(n: int) -> str:
    return f"{n} contact" + ("" if n == 1 else "s")


def _help_message() -> str:
    return (
        'send one JSON object per connection, {"cmd": "<command>", "args": {...}}; '
        f"commands: {', '.join(COMMANDS)}"
    )


def _help_data() -> dict[str, dict[str, object]]:
    return {
        cmd: {"args": {arg: "string" for arg in spec.args}, "description": spec.description}
        for cmd, spec in COMMANDS.items()
    }


def serve(settings: ServiceSettings) -> int:
    """Run the contacts service until stopped; return the exit status."""
    configure_logging(settings.log_level)
    try:
        store = ContactStore.open(ensure_data_dir(settings.data_dir) / FILENAME)
    except (StoreError, OSError) as exc:
        log.error("%s", exc)
        return 1
    return run_tcp_service(ContactsService(store, settings.idle_timeout), settings)
