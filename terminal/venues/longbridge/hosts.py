"""Where Longbridge lives: the OpenAPI HTTP host of each region, or a profile's own URL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit


class Region(StrEnum):
    GLOBAL = "global"
    CHINA = "cn"


@dataclass(frozen=True, slots=True)
class Hosts:
    """The HTTP API base URL: scheme and host (and port), no path, since the path is signed as the
    server sees it."""

    api_url: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"API URL {self.api_url!r} must start with https:// (or http://) and name a host")
        if parts.path.strip("/") or parts.query or parts.fragment:
            raise ValueError(f"API URL {self.api_url!r} must be a bare host, without a path")
        object.__setattr__(self, "api_url", f"{parts.scheme}://{parts.netloc}")


# Seed 002, "API Path": "All API paths start with https://openapi.longportapp.com". The China host is
# how-to-access-api.legacy.md's ("Discovery endpoints", China: https://openapi.longportapp.cn).
PRODUCTION = Hosts("https://openapi.longportapp.com")
CHINA = Hosts("https://openapi.longportapp.cn")

_KNOWN = {Region.GLOBAL: PRODUCTION, Region.CHINA: CHINA}


def hosts_for(region: Region = Region.GLOBAL, custom_url: str | None = None) -> Hosts:
    """The region's documented host, or ``custom_url`` when a profile names its own (a test server)."""
    if custom_url:
        return Hosts(custom_url)
    return _KNOWN[region]
