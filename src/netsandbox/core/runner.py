"""Runs one TCP service as a process: start-up, wait for a stop signal, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from netsandbox.core.logs import configure_logging
from netsandbox.core.process import new_event_loop, raise_open_files_limit, watch_parent
from netsandbox.core.settings import ServiceSettings
from netsandbox.core.tcp import RESERVED_DESCRIPTORS, OneShotService, TcpServer

log = logging.getLogger("netsandbox")


def run_tcp_service(service: OneShotService, settings: ServiceSettings) -> int:
    """Serve until SIGINT/SIGTERM (or the parent exits, if asked); return an exit status."""
    configure_logging(settings.log_level)
    limit = raise_open_files_limit()
    max_connections = max(16, limit - RESERVED_DESCRIPTORS) if limit else 10_000
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_serve(service, settings, max_connections))
    finally:
        loop.close()


async def _serve(service: OneShotService, settings: ServiceSettings, max_connections: int) -> int:
    loop = asyncio.get_running_loop()
    server = TcpServer(
        service,
        settings.host,
        settings.port,
        deadline=settings.idle_timeout,
        max_connections=max_connections,
    )
    try:
        await server.start()
    except OSError as exc:
        log.error("%s", exc.strerror)
        return 1
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))
    if settings.exit_with_parent:
        watch_parent(loop, stop.set)
    log.info("%s listening on %s:%d", service.name, settings.host, server.port)
    sys.stderr.flush()
    await stop.wait()
    log.info("%s stopping", service.name)
    await server.stop(settings.shutdown_timeout)
    await service.close()
    log.info("%s stopped", service.name)
    return 0
