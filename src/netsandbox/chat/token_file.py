"""The tokens ``netsandbox chat login`` saves: one per server URL, in a file only you can read.

A token is as good as a password until it is revoked, so the file is created with mode 0600
(in a folder with mode 0700) and replaced atomically: a crash mid-write leaves the old file,
never a half-written one. Standard library only (the CLI loads it before any HTTP code).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "chat-token.json"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class TokenFileError(Exception):
    """The file exists but cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class SavedToken:
    token: str
    username: str


class TokenFile:
    """``{server URL: {"token": ..., "username": ...}}`` as JSON at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, config_dir: Path) -> TokenFile:
        return cls(config_dir / FILE_NAME)

    def get(self, url: str) -> SavedToken | None:
        entry = self._read().get(url)
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str):
            return None
        return SavedToken(entry["token"], str(entry.get("username", "")))

    def save(self, url: str, saved: SavedToken) -> None:
        entries = self._read()
        entries[url] = {"token": saved.token, "username": saved.username}
        self._write(entries)

    def forget(self, url: str) -> bool:
        """Remove the token for ``url``; False if there was none."""
        entries = self._read()
        if entries.pop(url, None) is None:
            return False
        self._write(entries)
        return True

    def _read(self) -> dict[str, object]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise TokenFileError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            entries = json.loads(text)
        except ValueError:
            entries = None
        if not isinstance(entries, dict):
            raise TokenFileError(
                f"{self.path} is damaged: delete it, then log in again (netsandbox chat login)"
            )
        return entries

    def _write(self, entries: dict[str, object]) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
            # mkstemp creates the file with mode 0600 whatever the umask.
            fd, temporary = tempfile.mkstemp(prefix=".chat-token-", dir=folder)
        except OSError as exc:
            raise TokenFileError(f"cannot write in {folder}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(entries, out, indent=2, sort_keys=True)
                out.write("\n")
            os.chmod(temporary, PRIVATE_FILE)
            os.replace(temporary, self.path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                raise TokenFileError(f"cannot write {self.path}: {exc.strerror}") from None
            raise
