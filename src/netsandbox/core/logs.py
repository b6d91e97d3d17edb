"""Log set-up shared by every service: one line per request, warnings throttled."""

from __future__ import annotations

import logging
import sys
import time

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s  %(message)s"


class _Formatter(logging.Formatter):
    """The standard formatter, with the date text built once a second, not once a line.

    Why: a busy HTTP service writes one line per request, and the date was the dearest part.
    """

    _second = -1
    _date = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._date = time.strftime("%Y-%m-%d %H:%M:%S", self.converter(record.created))
            self._second = second
        return f"{self._date},{int(record.msecs):03d}"


def configure_logging(level: str) -> None:
    """Send every netsandbox logger to stderr at ``level`` (debug, info, warning, error)."""
    root = logging.getLogger("netsandbox")
    root.setLevel(level.upper())
    if not any(getattr(h, "_netsandbox", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter(_FORMAT))
        handler._netsandbox = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.propagate = False


def access_logger(service: str) -> logging.Logger:
    """The logger a service writes its one-line-per-request log to."""
    return logging.getLogger(f"netsandbox.{service}.access")


class ThrottledLog:
    """Logs a recurring warning at most once per ``interval`` seconds.

    Why: when a flood of connections exhausts the server, the same warning would otherwise
    be written thousands of times a second and slow the server down further.
    """

    def __init__(self, logger: logging.Logger, interval: float = 1.0) -> None:
        self._logger = logger
        self._interval = interval
        self._last = float("-inf")
        self._suppressed = 0

    def warning(self, message: str) -> bool:
        """Log ``message`` unless one was logged less than ``interval`` ago; True if logged."""
        now = time.monotonic()
        if now - self._last < self._interval:
            self._suppressed += 1
            return False
        if self._suppressed:
            message = f"{message} ({self._suppressed} similar messages suppressed)"
        self._logger.warning(message)
        self._last = now
        self._suppressed = 0
        return True
