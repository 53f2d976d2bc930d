"""Profiles: what the user connects with (never a secret), kept in a versioned JSON file.

The public face of profile_model, profile_book, profile_codec and profile_store.
"""

from __future__ import annotations

from terminal.domain.risk import RiskAction, RiskLimit, RiskLimits, RiskLimitsError
from terminal.storage.profile_book import ProfileBook, default_book
from terminal.storage.profile_codec import FORMAT_VERSION
from terminal.storage.profile_model import (
    DEFAULT_RECV_WINDOW_MS,
    RECV_WINDOW_MAX_MS,
    RECV_WINDOW_MIN_MS,
    Deployment,
    Environment,
    JsonValue,
    LongbridgeRegion,
    Profile,
    ProfileError,
    Region,
    SignatureAlgorithm,
    Venue,
)
from terminal.storage.profile_store import ProfileStore

__all__ = [
    "DEFAULT_RECV_WINDOW_MS",
    "FORMAT_VERSION",
    "RECV_WINDOW_MAX_MS",
    "RECV_WINDOW_MIN_MS",
    "Deployment",
    "Environment",
    "JsonValue",
    "LongbridgeRegion",
    "Profile",
    "ProfileBook",
    "ProfileError",
    "ProfileStore",
    "Region",
    "RiskAction",
    "RiskLimit",
    "RiskLimits",
    "RiskLimitsError",
    "SignatureAlgorithm",
    "Venue",
    "default_book",
]
