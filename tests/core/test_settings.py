"""Settings: defaults, then NETSANDBOX_* variables, then explicit overrides."""

from pathlib import Path

import pytest

from netsandbox.core.datadir import default_data_dir
from netsandbox.core.settings import ServiceSettings, SettingsError


def test_defaults_bind_loopback() -> None:
    settings = ServiceSettings.load("hello", 3000, environ={"HOME": "/home/ada"})
    assert settings.host == "127.0.0.1"
    assert settings.port == 3000
    assert settings.idle_timeout == 10.0
    assert settings.data_dir == Path("/home/ada/.local/share/netsandbox")


def test_environment_then_overrides() -> None:
    env = {
        "NETSANDBOX_HELLO_PORT": "4000",
        "NETSANDBOX_HOST": "0.0.0.0",
        "NETSANDBOX_LOG_LEVEL": "DEBUG",
        "NETSANDBOX_DATA_DIR": "/srv/ns",
    }
    settings = ServiceSettings.load("hello", 3000, environ=env)
    assert (settings.port, settings.host, settings.log_level) == (4000, "0.0.0.0", "debug")
    assert settings.data_dir == Path("/srv/ns")
    overridden = ServiceSettings.load("hello", 3000, {"port": 5000, "host": None}, environ=env)
    assert overridden.port == 5000
    assert overridden.host == "0.0.0.0"  # None means "flag not given"


def test_other_services_port_variable_is_ignored() -> None:
    settings = ServiceSettings.load("hello", 3000, environ={"NETSANDBOX_CONTACTS_PORT": "9"})
    assert settings.port == 3000


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NETSANDBOX_HELLO_PORT": "abc"}, "NETSANDBOX_HELLO_PORT='abc' is not a valid int"),
        ({"NETSANDBOX_HELLO_PORT": "70000"}, "port must be between 0 and 65535"),
        ({"NETSANDBOX_IDLE_TIMEOUT": "0"}, "idle timeout must be positive"),
        ({"NETSANDBOX_LOG_LEVEL": "loud"}, "log level must be one of"),
    ],
)
def test_bad_values_say_what_to_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        ServiceSettings.load("hello", 3000, environ=env)


def test_xdg_data_home_is_respected() -> None:
    path = default_data_dir({"HOME": "/h", "XDG_DATA_HOME": "/xdg"})
    assert path == Path("/xdg/netsandbox")
