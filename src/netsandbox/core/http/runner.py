"""Runs one HTTP service as a process: uvicorn on uvloop and httptools, with our limits.

The same start-up and stop rules as the TCP runner: the "NAME listening on HOST:PORT" line
once the port accepts (with the real port when 0 was asked), SIGINT/SIGTERM or the parent's
exit start a graceful shutdown bounded by ``settings.shutdown_timeout``, exit status 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
import sys
from collections.abc import Callable, Iterator

import uvicorn
from starlette.types import ASGIApp

from netsandbox.core.http.protocol import HttpLimits, guarded_protocol
from netsandbox.core.logs import BatchedLines, access_logger, configure_logging
from netsandbox.core.process import new_event_loop, raise_open_files_limit, watch_parent
from netsandbox.core.settings import ServiceSettings

log = logging.getLogger("netsandbox")

API_MAX_BODY_BYTES = 64 * 1024
KEEP_ALIVE_SECONDS = 5
BACKLOG = 4096


def run_http_service(
    create_app: Callable[[ServiceSettings], ASGIApp],
    settings: ServiceSettings,
    *,
    max_body_bytes: int = API_MAX_BODY_BYTES,
    websockets: bool = False,
) -> int:
    """Serve ``create_app(settings)`` until stopped; return an exit status.

    ``max_body_bytes`` is the service's own cap on request bodies; ``settings.max_body_bytes``
    overrides it when set. ``websockets`` enables WebSocket upgrades (off: nothing to load).
    """
    configure_logging(settings.log_level)
    _send_uvicorn_logs_to_ours(settings.log_level)
    raise_open_files_limit()
    try:
        listener = _listen(settings.host, settings.port)
    except OSError as exc:
        log.error(
            "cannot listen on %s:%d for %s: %s (is another server using this port? stop it "
            "or pick another with --port)",
            settings.host, settings.port, settings.service, exc.strerror or exc,
        )  # fmt: skip
        return 1
    access = BatchedLines(access_logger(settings.service))
    limits = HttpLimits(
        request_timeout=settings.idle_timeout,
        max_body_bytes=(
            max_body_bytes if settings.max_body_bytes is None else settings.max_body_bytes
        ),
    )
    config = uvicorn.Config(
        create_app(settings),
        http=guarded_protocol(limits, access),
        ws="auto" if websockets else "none",
        lifespan="on",
        loop="none",  # we run the loop ourselves (uvloop when installed)
        log_config=None,
        access_log=False,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=settings.shutdown_timeout,  # type: ignore[arg-type]
        backlog=BACKLOG,
        headers=[("server", "netsandbox")],
    )
    server = _Server(config, settings, access)
    server.before_shutdown = getattr(getattr(config.app, "state", None), "before_shutdown", None)
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(server.serve(sockets=[listener]))
    except SystemExit as exc:  # uvicorn exits this way when the app's start-up fails
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        loop.close()
        listener.close()
    return 0


class _Server(uvicorn.Server):
    """uvicorn's server with our start-up line and signal handling.

    uvicorn re-raises the signal after its graceful shutdown (so the process dies of it);
    a stop we were asked for is a normal exit here, as with the TCP services.
    """

    def __init__(
        self, config: uvicorn.Config, settings: ServiceSettings, access: BatchedLines
    ) -> None:
        super().__init__(config)
        self.settings = settings
        self.access = access

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        installed = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.handle_exit, signum, None)
                installed.append(signum)
            except (NotImplementedError, RuntimeError):  # Windows
                signal.signal(signum, self.handle_exit)
        if self.settings.exit_with_parent:
            watch_parent(loop, self.request_stop)
        try:
            yield
        finally:
            for signum in installed:
                loop.remove_signal_handler(signum)

    def request_stop(self) -> None:
        self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # What start-up built (modules, the app, its routes and models) lives as long as
        # the process: frozen, the garbage collector stops walking it in every full
        # collection (a pause of tens of milliseconds under load, seen in the p99).
        gc.freeze()
        if self.started and sockets:
            port = sockets[0].getsockname()[1]
            log.info("%s listening on %s:%d", self.settings.service, self.settings.host, port)
            sys.stderr.flush()

    # The app's ``state.before_shutdown()``, if it has one: it ends the responses that never
    # end by themselves (event streams), which uvicorn would otherwise wait for.
    before_shutdown: Callable[[], None] | None = None

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        log.info("%s stopping", self.settings.service)
        if self.before_shutdown is not None:
            self.before_shutdown()
        await super().shutdown(sockets)
        self.access.flush()
        log.info("%s stopped", self.settings.service)


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 picks a free one); reusable at once."""
    family, _, _, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    return socket.create_server(address, family=family, backlog=BACKLOG)


def _send_uvicorn_logs_to_ours(level: str) -> None:
    """uvicorn's own messages (errors with their traceback) go to our handler, not stdout.

    Its info chatter is dropped unless we run at debug level.
    """
    ours = logging.getLogger("netsandbox")
    theirs = logging.getLogger("uvicorn")
    theirs.handlers = list(ours.handlers)
    theirs.setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    theirs.propagate = False
