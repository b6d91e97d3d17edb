"""Settings of the client commands: the server's URL, a token, where saved tokens live."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsandbox.core.settings import ClientSettings, SettingsError

DEFAULT = "http://127.0.0.1:3004"


def test_defaults_follow_the_home_folder() -> None:
    settings = ClientSettings.load("chat", DEFAULT, environ={"HOME": "/home/ada"})
    assert settings.url == DEFAULT
    assert settings.token is None
    assert settings.config_dir == Path("/home/ada/.config/netsandbox")


def test_environment_then_flag() -> None:
    env = {"HOME": "/h", "XDG_CONFIG_HOME": "/cfg", "NETSANDBOX_CHAT_URL": "http://school:3004/",
           "NETSANDBOX_TOKEN": " abc "}  # fmt: skip
    settings = ClientSettings.load("chat", DEFAULT, environ=env)
    assert (settings.url, settings.token) == ("http://school:3004", "abc")
    assert settings.config_dir == Path("/cfg/netsandbox")
    flagged = ClientSettings.load("chat", DEFAULT, url="https://elsewhere", environ=env)
    assert flagged.url == "https://elsewhere"


@pytest.mark.parametrize("url", ["127.0.0.1:3004", "ftp://host", "http://"])
def test_a_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(SettingsError, match="must look like http://"):
        ClientSettings.load("chat", DEFAULT, url=url, environ={})
