"""Where a running demo exchange listens and its demo user's keys: all a parent process needs, kept
apart from the server so that the terminal can start one without importing it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where a running demo exchange listens, and the keys of its demo user (printed as JSON)."""

    rest_url: str
    stream_url: str
    ws_public_v1: str
    ws_public_v2: str
    ws_private: str
    api_key: str
    api_secret: str
    readonly_api_key: str
    readonly_api_secret: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
