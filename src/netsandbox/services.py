"""The list of services: what ``netsandbox up`` starts and ``netsandbox serve`` knows.

Each service package has the same shape: ``DEFAULT_PORT`` and ``DESCRIPTION`` in its
``__init__`` and a ``serve(settings) -> int`` in ``server``; modules are imported only
when the service runs, so listing services stays cheap.
"""

from __future__ import annotations

import dataclasses
import importlib
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netsandbox.core.settings import ServiceSettings, SettingsError


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What the CLI needs to know about a service without importing it."""

    name: str
    protocol: str
    default_port: int
    description: str
    # A service with settings of its own names their class ("module:Class"); it must
    # import nothing heavy.
    settings_class: str = "netsandbox.core.settings:ServiceSettings"
    # Defaults `netsandbox up` uses when it listens on loopback only (a demo on one machine);
    # NETSANDBOX_* variables and flags still win.
    loopback_up_defaults: Mapping[str, Any] = field(default_factory=dict)
    # "module:function" that `netsandbox up` calls with the settings before starting the
    # service; it returns lines to print under the table of services.
    before_up: str | None = None

    def server(self) -> Callable[[ServiceSettings], int]:
        """The service's ``serve`` function (imports the service)."""
        return importlib.import_module(f"netsandbox.{self.name}.server").serve

    def settings_type(self) -> type[ServiceSettings]:
        module, _, name = self.settings_class.partition(":")
        return getattr(importlib.import_module(module), name)

    def settings(
        self, defaults: Mapping[str, Any] | None = None, **overrides: object
    ) -> ServiceSettings:
        """Settings for this service: defaults, then NETSANDBOX_* variables, then overrides.

        An override the service has no setting for (``--registration`` for hello) is an error.
        """
        kind = self.settings_type()
        known = {f.name for f in dataclasses.fields(kind)}
        given = {name: value for name, value in overrides.items() if value is not None}
        unknown = sorted(set(given) - known)
        if unknown:
            flags = ", ".join("--" + name.replace("_", "-") for name in unknown)
            raise SettingsError(f"{flags} does not apply to the {self.name} service")
        return kind.load(self.name, self.default_port, given, defaults=defaults)

    def prepare_up(self, settings: ServiceSettings) -> list[str]:
        """Run the service's ``before_up`` hook, if any; returns the lines it wants printed."""
        if self.before_up is None:
            return []
        module, _, name = self.before_up.partition(":")
        return getattr(importlib.import_module(module), name)(settings)


def is_loopback(host: str) -> bool:
    """True if ``host`` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


SERVICES: dict[str, ServiceInfo] = {
    info.name: info
    for info in (
        ServiceInfo("hello", "TCP", 3000, "replies to one message and closes"),
        ServiceInfo("contacts", "TCP", 3001, "contact book, one JSON command per connection"),
        ServiceInfo("echo", "HTTP", 3002, "httpbin-style echo: shows back the request it receives"),
        ServiceInfo("random", "HTTP", 3003, "random numbers API: /api/random/int?n=20"),
        ServiceInfo(
            "chat", "HTTP", 3004, "messaging: web client at /, REST API (docs: /docs)",
            settings_class="netsandbox.chat.settings:ChatSettings",
            loopback_up_defaults={"registration": "open"},
            before_up="netsandbox.chat.accounts:prepare_up",
        ),
    )
}
