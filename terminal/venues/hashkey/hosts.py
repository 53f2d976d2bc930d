"""Where HashKey lives: REST and WebSocket bases of each deployment and environment.

MENA ("pro") hosts are from the source document (004, "Sandbox Environment", "Production
Environment"); the Global ("glb") deployment speaks the same API on its own hosts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Deployment(StrEnum):
    PRO = "pro"  # HashKey MENA
    GLOBAL = "glb"  # HashKey Global


class Environment(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"


def _check(url: str, schemes: tuple[str, ...], what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"{what} {url!r} must start with {' or '.join(s + '://' for s in schemes)} and name a host")


@dataclass(frozen=True, slots=True)
class Hosts:
    """A REST base URL and the WebSocket base to which the documented paths are appended."""

    rest_url: str
    stream_url: str

    def __post_init__(self) -> None:
        _check(self.rest_url, ("http", "https"), "REST URL")
        _check(self.stream_url, ("ws", "wss"), "stream URL")
        object.__setattr__(self, "rest_url", self.rest_url.rstrip("/"))
        object.__setattr__(self, "stream_url", self.stream_url.rstrip("/"))

    @property
    def public_v1(self) -> str:
        return f"{self.stream_url}/quote/ws/v1"

    @property
    def public_v2(self) -> str:
        return f"{self.stream_url}/quote/ws/v2"

    def private(self, listen_key: str) -> str:
        return f"{self.stream_url}/api/v1/ws/{listen_key}"


_KNOWN: dict[tuple[Deployment, Environment], Hosts] = {
    (Deployment.PRO, Environment.PRODUCTION): Hosts("https://api-pro.hashkey.com", "wss://stream-pro.hashkey.com"),
    (Deployment.PRO, Environment.SANDBOX): Hosts(
        "https://api-pro.sim.hashkeydev.com", "wss://stream-pro.sim.hashkeydev.com"
    ),
    (Deployment.GLOBAL, Environment.PRODUCTION): Hosts("https://api-glb.hashkey.com", "wss://stream-glb.hashkey.com"),
    (Deployment.GLOBAL, Environment.SANDBOX): Hosts(
        "https://api-glb.sim.hashkeydev.com", "wss://stream-glb.sim.hashkeydev.com"
    ),
}


def hosts_for(deployment: Deployment, environment: Environment) -> Hosts:
    return _KNOWN[(deployment, environment)]
