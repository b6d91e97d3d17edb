"""The saved-token file: private from its first byte, one token per server, never half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netsandbox.chat.token_file import SavedToken, TokenFile, TokenFileError

URL = "http://127.0.0.1:3004"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_tokens_are_kept_per_server_in_a_private_file(tmp_path: Path) -> None:
    tokens = TokenFile.in_folder(tmp_path / "config" / "netsandbox")
    assert tokens.get(URL) is None
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        tokens.save(URL, SavedToken("t1", "ada"))
        tokens.save("http://school:3004", SavedToken("t2", "ada.b"))
    finally:
        os.umask(old_umask)
    assert mode(tokens.path) == 0o600
    assert mode(tokens.path.parent) == 0o700
    assert tokens.get(URL) == SavedToken("t1", "ada")
    assert tokens.forget(URL) is True
    assert tokens.forget(URL) is False
    assert tokens.get(URL) is None
    assert tokens.get("http://school:3004") == SavedToken("t2", "ada.b")
    assert [p.name for p in tokens.path.parent.iterdir()] == ["chat-token.json"]


def test_a_looser_file_is_made_private_again_when_written(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "chat-token.json")
    tokens.path.write_text("{}")
    tokens.path.chmod(0o644)
    tokens.save(URL, SavedToken("t", "ada"))
    assert mode(tokens.path) == 0o600


@pytest.mark.parametrize("content", ["not json", "[1, 2]"])
def test_a_damaged_file_says_what_to_do(tmp_path: Path, content: str) -> None:
    tokens = TokenFile(tmp_path / "chat-token.json")
    tokens.path.write_text(content)
    with pytest.raises(TokenFileError, match="delete it, then log in again"):
        tokens.get(URL)
