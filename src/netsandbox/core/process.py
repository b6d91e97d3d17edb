"""Process-level concerns of a server: event loop choice, file limits, parent watching."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

log = logging.getLogger("netsandbox.process")

PARENT_POLL_SECONDS = 0.2


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop when installed (about twice the connections per second), else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def raise_open_files_limit() -> int:
    """Raise the soft limit on open files to the hard limit; return the new soft limit.

    Every connection costs a descriptor, and the usual soft limit (1024) is far below
    what a classroom of hammering scripts can open.
    """
    try:
        import resource
    except ImportError:  # Windows has no such limit to raise
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 1 << 20)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            log.debug("could not raise the open files limit to %s: %s", hard, exc)
    return soft


def watch_parent(loop: asyncio.AbstractEventLoop, on_exit: Callable[[], None]) -> None:
    """Call ``on_exit`` soon after the process that started us is gone.

    Why: a notebook starts servers with ``Popen(cmd, shell=True)`` and stops them with
    ``proc.terminate()``, which reaches only the shell on systems whose ``/bin/sh`` does
    not exec its command. Polling ``getppid`` works on every POSIX system.
    """
    parent = os.getppid()

    def check() -> None:
        if os.getppid() != parent:
            log.info("parent process %s exited; stopping", parent)
            on_exit()
            return
        loop.call_later(PARENT_POLL_SECONDS, check)

    loop.call_later(PARENT_POLL_SECONDS, check)
