"""Log set-up shared by every service: one line per request, warnings throttled."""

from __future__ import annotations

import asyncio
import logging
import sys
import time

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s  %(message)s"


class _DateText:
    """The date of a log line as the standard formatter writes it, built once a second.

    Why: a busy HTTP service writes one line per request, and the date was the dearest part.
    """

    def __init__(self) -> None:
        self._second = -1
        self._text = ""

    def __call__(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created))
            self._second = second
        return f"{self._text},{int((created - second) * 1000):03d}"


class _Formatter(logging.Formatter):
    """The standard formatter, with a cheaper date."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self._date = _DateText()

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self._date(record.created)


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


class BatchedLines:
    """One logger's INFO lines, formatted like every other line and written in batches.

    Why: Python's logging costs about 10 µs a line, as much as an HTTP service spends
    answering a request. A busy access log goes through here instead: the line is built
    directly (about 1 µs) and the lines of the last ``interval`` seconds reach stderr in
    one write. The logger's level still decides whether anything is written.
    """

    def __init__(self, logger: logging.Logger, interval: float = 0.05) -> None:
        self.logger = logger
        self._interval = interval
        self._infix = f" {'INFO':<7} {logger.name}  "
        self._date = _DateText()
        self._lines: list[str] = []

    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    def add(self, message: str) -> None:
        """Queue one line; the first of a batch schedules the write (needs a running loop)."""
        if not self._lines:
            asyncio.get_running_loop().call_later(self._interval, self.flush)
        self._lines.append(f"{self._date(time.time())}{self._infix}{message}\n")

    def flush(self) -> None:
        """Write the queued lines now (also called at shutdown)."""
        if self._lines:
            text, self._lines = "".join(self._lines), []
            sys.stderr.write(text)
            sys.stderr.flush()


# One request of a TCP service: (peer address, request, outcome, seconds until the reply).
AccessRecord = tuple[object, str, str, float]


class BatchedAccessLines(BatchedLines):
    """A TCP service's access log: each request's fields kept as they are, lines built in batches.

    Why: in the running server, building each line when its request was answered (its own
    date, address, duration) cost a fifth of hello's CPU time, several times what the same
    code costs in a loop. Here a request only appends a tuple; the lines of a batch are
    built together when it is written, every ``interval`` (10 ms), and share one time
    stamp: when the batch was written, at most about 10 ms after each reply (the duration
    on each line is exact, measured when the reply was sent).
    """

    def __init__(self, logger: logging.Logger, interval: float = 0.01) -> None:
        super().__init__(logger, interval)
        self._records: list[AccessRecord] = []

    def record(self, peer: object, request: str, outcome: str, started: float) -> None:
        """Queue one request's line; ``peer`` is the transport's ``peername`` (or None),
        ``started`` when the connection was made (``time.monotonic()``)."""
        if not self._records:
            asyncio.get_running_loop().call_later(self._interval, self.flush)
        self._records.append((peer, request, outcome, time.monotonic() - started))

    def flush(self) -> None:
        if self._records:
            records, self._records = self._records, []
            head = f"{self._date(time.time())}{self._infix}"
            self._lines += [
                f"{head}{peer[0]}:{peer[1]} {request} {outcome} {elapsed * 1000:.1f}ms\n"
                if type(peer) is tuple
                else f"{head}? {request} {outcome} {elapsed * 1000:.1f}ms\n"
                for peer, request, outcome, elapsed in records
            ]
        super().flush()


def peer_text(peer: object) -> str:
    """``host:port`` for a ``peername`` tuple, ``?`` when the address is unknown."""
    return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "?"
