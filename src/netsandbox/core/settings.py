"""One settings object per service: CLI flags and NETSANDBOX_* variables meet here.

Built on the standard library on purpose: a TCP service must start listening in a few tens
of milliseconds, and importing pydantic would cost more than the whole start-up.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from netsandbox.core.datadir import default_config_dir, default_data_dir

ENV_PREFIX = "NETSANDBOX_"
LOG_LEVELS = ("debug", "info", "warning", "error")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Everything a service needs to run; passed in, never read from globals.

    Environment variables: ``NETSANDBOX_HOST``, ``NETSANDBOX_DATA_DIR``,
    ``NETSANDBOX_LOG_LEVEL``, ``NETSANDBOX_IDLE_TIMEOUT``, and per service
    ``NETSANDBOX_<SERVICE>_PORT`` (for example ``NETSANDBOX_CONTACTS_PORT``).
    HTTP services also read ``NETSANDBOX_SHUTDOWN_TIMEOUT``, ``NETSANDBOX_MAX_BODY_BYTES``
    and ``NETSANDBOX_FORWARDED_ALLOW_IPS``.
    """

    service: str
    port: int
    host: str = "127.0.0.1"
    data_dir: Path = field(default_factory=default_data_dir)
    idle_timeout: float = 10.0
    log_level: str = "info"
    exit_with_parent: bool = False
    shutdown_timeout: float = 5.0
    # HTTP only. None: the service's own cap (64 KiB for APIs, more for echo).
    max_body_bytes: int | None = None
    # HTTP only. Comma-separated addresses whose X-Forwarded-* headers are believed; empty:
    # nobody's, so a client cannot pretend to come from elsewhere.
    forwarded_allow_ips: str = ""

    # Variables a service's own settings class adds, without the prefix: a subclass sets for
    # example {"DATABASE_URL": ("database_url", str)} to read NETSANDBOX_DATABASE_URL.
    EXTRA_ENVIRONMENT: ClassVar[Mapping[str, tuple[str, type]]] = {}

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be between 0 and 65535, got {self.port}")
        if self.idle_timeout <= 0:
            raise SettingsError(f"idle timeout must be positive, got {self.idle_timeout}")
        if self.shutdown_timeout < 0:
            raise SettingsError(f"shutdown timeout must be >= 0, got {self.shutdown_timeout}")
        if self.max_body_bytes is not None and self.max_body_bytes < 0:
            raise SettingsError(f"max body bytes must be >= 0, got {self.max_body_bytes}")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(
                f"log level must be one of {', '.join(LOG_LEVELS)}, got {self.log_level!r}"
            )

    def replace(self, **changes: Any) -> ServiceSettings:
        """A copy with some fields changed (tests and launchers use it)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def load(
        cls,
        service: str,
        default_port: int,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> ServiceSettings:
        """Defaults, then environment variables, then explicit overrides (CLI flags).

        ``None`` in ``overrides`` means "not given" so Typer options can pass straight through.
        ``defaults`` replace the class's own defaults (``netsandbox up`` uses it).
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {"service": service, "port": default_port, **(defaults or {})}
        values.update(_from_environment(service, env, cls.EXTRA_ENVIRONMENT))
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        data_dir = values.get("data_dir")
        values["data_dir"] = Path(data_dir).expanduser() if data_dir else default_data_dir(env)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """What a client command needs: the server's URL, a token the environment may give, and
    the folder where its own files (saved tokens) live.

    Environment variables: ``NETSANDBOX_<SERVICE>_URL`` (for example ``NETSANDBOX_CHAT_URL``),
    ``NETSANDBOX_TOKEN``, and ``XDG_CONFIG_HOME`` for the folder (see ``default_config_dir``).
    """

    url: str
    token: str | None = None
    config_dir: Path = field(default_factory=default_config_dir)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(
                f"the server URL must look like http://127.0.0.1:3004; got {self.url!r}"
            )

    @classmethod
    def load(
        cls,
        service: str,
        default_url: str,
        url: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> ClientSettings:
        """``url`` (a CLI flag) if given, else ``NETSANDBOX_<SERVICE>_URL``, else the default."""
        env = os.environ if environ is None else environ
        chosen = url or env.get(f"{ENV_PREFIX}{service.upper()}_URL") or default_url
        return cls(
            url=chosen.rstrip("/"),
            token=env.get(f"{ENV_PREFIX}TOKEN", "").strip() or None,
            config_dir=default_config_dir(env),
        )


def _from_environment(
    service: str,
    env: Mapping[str, str],
    extra: Mapping[str, tuple[str, type]] | None = None,
) -> dict[str, Any]:
    """Read the NETSANDBOX_* variables that apply to ``service``, converted to field types."""
    readers: dict[str, tuple[str, type]] = {
        **{f"{ENV_PREFIX}{name}": reader for name, reader in (extra or {}).items()},
        f"{ENV_PREFIX}HOST": ("host", str),
        f"{ENV_PREFIX}DATA_DIR": ("data_dir", str),
        f"{ENV_PREFIX}LOG_LEVEL": ("log_level", str),
        f"{ENV_PREFIX}IDLE_TIMEOUT": ("idle_timeout", float),
        f"{ENV_PREFIX}SHUTDOWN_TIMEOUT": ("shutdown_timeout", float),
        f"{ENV_PREFIX}MAX_BODY_BYTES": ("max_body_bytes", int),
        f"{ENV_PREFIX}FORWARDED_ALLOW_IPS": ("forwarded_allow_ips", str),
        f"{ENV_PREFIX}{service.upper()}_PORT": ("port", int),
    }
    values: dict[str, Any] = {}
    for variable, (name, kind) in readers.items():
        raw = env.get(variable)
        if raw is None or raw == "":
            continue
        try:
            values[name] = kind(raw.lower() if name == "log_level" else raw)
        except ValueError:
            raise SettingsError(
                f"{variable}={raw!r} is not a valid {kind.__name__}"
            ) from None
    return values
