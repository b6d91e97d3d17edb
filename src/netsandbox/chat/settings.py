"""The chat service's settings: the shared ones plus database, registration and limits.

Standard library only, like the core settings: the CLI builds them before anything heavy
is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from netsandbox.core.settings import ServiceSettings, SettingsError

DATABASE_FILE = "chat.sqlite3"
REGISTRATION_HELP = "open, closed, or code:<join code> (registration needs that code)"

RegistrationKind = Literal["open", "closed", "code"]


@dataclass(frozen=True, slots=True)
class Registration:
    """Who may create an account with ``POST /api/auth/register``."""

    kind: RegistrationKind
    code: str = ""

    @classmethod
    def parse(cls, text: str) -> Registration:
        if text in ("open", "closed"):
            return cls(text)  # type: ignore[arg-type]
        if text.startswith("code:") and text[5:].strip():
            return cls("code", text[5:].strip())
        raise SettingsError(f"registration must be {REGISTRATION_HELP}; got {text!r}")


def parse_limit(text: str) -> tuple[float, float] | None:
    """``"20,60"`` -> (20.0, 60.0); ``"off"`` -> None; anything else raises ValueError."""
    if text.strip().lower() == "off":
        return None
    first, second = (float(part) for part in text.split(","))
    if not (0 < first < float("inf") and 0 < second < float("inf")):
        raise ValueError(text)
    return first, second


@dataclass(frozen=True, slots=True)
class ChatSettings(ServiceSettings):
    """Settings of the chat service.

    Environment variables, on top of the shared ones: ``NETSANDBOX_DATABASE_URL``,
    ``NETSANDBOX_CHAT_REGISTRATION``, ``NETSANDBOX_CHAT_RATE_LIMIT``,
    ``NETSANDBOX_CHAT_LOGIN_LIMIT``, ``NETSANDBOX_CHAT_REGISTRATION_LIMIT``,
    ``NETSANDBOX_CHAT_EVENTS_URL``, ``NETSANDBOX_CHAT_HEARTBEAT``,
    ``NETSANDBOX_CHAT_PRESENCE_GRACE``.
    """

    database_url: str | None = None
    registration: str = "closed"
    # "<requests per second>,<burst>" per user; "off" disables it.
    rate_limit: str = "20,60"
    # "<failed logins>,<seconds>" per username and client address.
    login_limit: str = "5,900"
    # "<accounts>,<seconds>" per client address (a class behind one school NAT fits).
    registration_limit: str = "400,3600"
    # The live event stream: its broker, the seconds between heartbeat comments, and how
    # long a user stays online after their last stream closes or their last request.
    events_url: str = "memory://"
    heartbeat: float = 15.0
    presence_grace: float = 10.0

    EXTRA_ENVIRONMENT: ClassVar = {
        "DATABASE_URL": ("database_url", str),
        "CHAT_REGISTRATION": ("registration", str),
        "CHAT_RATE_LIMIT": ("rate_limit", str),
        "CHAT_LOGIN_LIMIT": ("login_limit", str),
        "CHAT_REGISTRATION_LIMIT": ("registration_limit", str),
        "CHAT_EVENTS_URL": ("events_url", str),
        "CHAT_HEARTBEAT": ("heartbeat", float),
        "CHAT_PRESENCE_GRACE": ("presence_grace", float),
    }

    def __post_init__(self) -> None:
        ServiceSettings.__post_init__(self)
        Registration.parse(self.registration)
        for name in ("rate_limit", "login_limit", "registration_limit"):
            try:
                parse_limit(getattr(self, name))
            except ValueError:
                raise SettingsError(
                    f"{name.replace('_', ' ')} must be two positive numbers like 20,60 or "
                    f"'off'; got {getattr(self, name)!r}"
                ) from None
        if not (0 < self.heartbeat < float("inf") and 0 < self.presence_grace < float("inf")):
            raise SettingsError(
                "heartbeat and presence grace must be positive numbers of seconds; got "
                f"{self.heartbeat!r} and {self.presence_grace!r}"
            )
        if self.events_url != "memory://":
            raise SettingsError(f"events URL must be memory://; got {self.events_url!r}")
        if self.database_url is not None and "://" not in self.database_url:
            raise SettingsError(
                "database URL must look like sqlite+aiosqlite:///path/chat.sqlite3 or "
                f"postgresql+asyncpg://user@host/dbname; got {self.database_url!r}"
            )

    @property
    def registration_mode(self) -> Registration:
        return Registration.parse(self.registration)

    @property
    def resolved_database_url(self) -> str:
        """The URL given, else a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / DATABASE_FILE}"
