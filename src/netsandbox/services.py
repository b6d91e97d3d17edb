"""The list of services: what ``netsandbox up`` starts and ``netsandbox serve`` knows.

Each service package has the same shape: ``DEFAULT_PORT`` and ``DESCRIPTION`` in its
``__init__`` and a ``serve(settings) -> int`` in ``server``; modules are imported only
when the service runs, so listing services stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from netsandbox.core.settings import ServiceSettings


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What the CLI needs to know about a service without importing it."""

    name: str
    protocol: str
    default_port: int
    description: str

    def server(self) -> Callable[[ServiceSettings], int]:
        """The service's ``serve`` function (imports the service)."""
        return importlib.import_module(f"netsandbox.{self.name}.server").serve

    def settings(self, **overrides: object) -> ServiceSettings:
        """Settings for this service: defaults, then NETSANDBOX_* variables, then overrides."""
        return ServiceSettings.load(self.name, self.default_port, overrides)


SERVICES: dict[str, ServiceInfo] = {
    info.name: info
    for info in (
        ServiceInfo("hello", "TCP", 3000, "replies to one message and closes"),
        ServiceInfo("contacts", "TCP", 3001, "contact book, one JSON command per connection"),
    )
}
