"""Where Webull lives: the HTTP API host of each region and environment, or a profile's own URL.

Production hosts are the SDK's (``webull/core/data/endpoints.json``, regions "hk" and "us", key
"api"); the SDK knows no sandbox, so those come from Webull's pages (see ``_KNOWN``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from terminal.venues.webull.signing import DEFAULT_ALGORITHM, check_algorithm


class Region(StrEnum):
    """The SDK's region ids (``webull/core/common/region.py``) this terminal supports."""

    HK = "hk"  # Webull Securities (Hong Kong): the 2FA access token of seed 000 is mandatory
    US = "us"


class Environment(StrEnum):
    PRODUCTION = "production"
    SANDBOX = "sandbox"  # Webull's UAT: "Tokens created in the Sandbox environment are set to NORMAL" (000)


@dataclass(frozen=True, slots=True)
class Hosts:
    """The HTTP API base URL (trading and server-to-server market data), and for later use the
    gRPC trade-events and MQTT quotes hosts. ``algorithm`` is what requests to it are signed with."""

    api_url: str
    events_host: str | None = None
    quotes_host: str | None = None
    algorithm: str = DEFAULT_ALGORITHM

    def __post_init__(self) -> None:
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"API URL {self.api_url!r} must start with https:// (or http://) and name a host")
        if parts.path.strip("/") or parts.query or parts.fragment:
            # The path is signed as the server sees it; a prefix in the base URL would break that.
            raise ValueError(f"API URL {self.api_url!r} must be a bare host, without a path")
        object.__setattr__(self, "api_url", f"{parts.scheme}://{parts.netloc}")
        check_algorithm(self.algorithm)

    @property
    def api_host(self) -> str:
        """The ``host`` that is signed: the bare host name (SIGNING.md, Webull step 1), without a port, as
        Webull's official SDK signs it (a local server on a port other than 443 is signed by its name alone)."""
        return urlsplit(self.api_url).hostname or ""


_KNOWN: dict[tuple[Region, Environment], Hosts] = {
    # endpoints.json, region_mapping "hk": its "api", "events-api" and "quotes-api" hosts.
    (Region.HK, Environment.PRODUCTION): Hosts("https://api.webull.hk", "events-api.webull.hk", "data-api.webull.hk"),
    # endpoints.json, region_mapping "us": its "api", "events-api" and "quotes-api" hosts.
    (Region.US, Environment.PRODUCTION): Hosts(
        "https://api.webull.com", "events-api.webull.com", "data-api.webull.com"
    ),
    # developer.webull.hk/apis/docs/sdk, "API Environments", Sandbox: api / events-api / data-api .sandbox.webull.hk.
    (Region.HK, Environment.SANDBOX): Hosts(
        "https://api.sandbox.webull.hk", "events-api.sandbox.webull.hk", "data-api.sandbox.webull.hk"
    ),
    # developer.webull.com API reference, "servers": https://api.sandbox.webull.com (formerly
    # us-openapi-alb.uat.webullbroker.com, the Java SDK's UatDefaultHost.API_US). No sandbox
    # events or quotes host is published for it.
    (Region.US, Environment.SANDBOX): Hosts("https://api.sandbox.webull.com"),
}


def hosts_for(region: Region, environment: Environment) -> Hosts:
    return _KNOWN[(region, environment)]
