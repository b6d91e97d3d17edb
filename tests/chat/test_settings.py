"""Chat settings: database URL and registration mode from flags or NETSANDBOX_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsandbox.chat.settings import ChatSettings, Registration
from netsandbox.core.settings import SettingsError
from netsandbox.services import SERVICES


def test_defaults_sqlite_in_the_data_dir_and_closed_registration() -> None:
    settings = ChatSettings.load("chat", 3004, {"data_dir": "/srv/ns"}, environ={})
    assert settings.resolved_database_url == "sqlite+aiosqlite:////srv/ns/chat.sqlite3"
    assert settings.registration_mode == Registration("closed")


def test_environment_variables() -> None:
    env = {"NETSANDBOX_DATABASE_URL": "postgresql+asyncpg://u@db/chat",
           "NETSANDBOX_CHAT_REGISTRATION": "code:blue-42", "NETSANDBOX_CHAT_PORT": "4004"}
    settings = ChatSettings.load("chat", 3004, environ=env)  # fmt: skip
    assert settings.resolved_database_url == "postgresql+asyncpg://u@db/chat"
    assert settings.registration_mode == Registration("code", "blue-42")
    assert settings.port == 4004
    flag = ChatSettings.load("chat", 3004, {"registration": "open"}, environ=env)
    assert flag.registration == "open"


@pytest.mark.parametrize("value", ["maybe", "code:", "code:  ", "OPEN"])
def test_bad_registration_modes(value: str) -> None:
    with pytest.raises(SettingsError, match="registration must be"):
        ChatSettings.load("chat", 3004, {"registration": value}, environ={})


def test_a_database_url_must_be_a_url() -> None:
    with pytest.raises(SettingsError, match="database URL"):
        ChatSettings.load("chat", 3004, {"database_url": "chat.db"}, environ={})


def test_the_service_list_builds_chat_settings(tmp_path: Path) -> None:
    settings = SERVICES["chat"].settings(data_dir=tmp_path, registration="open")
    assert isinstance(settings, ChatSettings)
    assert settings.port == 3004


def test_chat_only_flags_are_refused_for_other_services() -> None:
    with pytest.raises(SettingsError, match="--registration does not apply to the hello"):
        SERVICES["hello"].settings(registration="open")


def test_up_passes_chat_settings_to_its_child(tmp_path: Path) -> None:
    from netsandbox.supervisor import command_for

    settings = SERVICES["chat"].settings(data_dir=tmp_path, defaults={"registration": "open"})
    command = command_for(settings)
    assert command[command.index("--registration") + 1] == "open"
    assert "--database-url" not in command
