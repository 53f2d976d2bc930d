"""Longbridge profiles: region, app key, the REST and quote-socket overrides each alone; validation in
words; a file round trip; older files; where the app secret and the token record are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.storage.profile_codec import decode_profile, encode_profile
from terminal.storage.profiles import (
    LongbridgeRegion,
    Profile,
    ProfileError,
    ProfileStore,
    Venue,
    default_book,
)
from terminal.storage.secrets import SecretStore, access_token_key, keyring_username
from tests.support.keyring import MemoryKeyring


def longbridge(**changes: object) -> Profile:
    return Profile("L", Venue.LONGBRIDGE, **changes)  # type: ignore[arg-type]


def test_a_longbridge_profile_has_sensible_defaults() -> None:
    profile = longbridge()
    assert profile.longbridge_region is LongbridgeRegion.GLOBAL
    assert profile.rest_url is None and profile.stream_url is None and profile.custom_hosts is None


def test_each_override_stands_alone() -> None:
    rest = longbridge(rest_url="http://127.0.0.1:8123")
    socket = longbridge(stream_url="wss://openapi-quote.example.com")
    assert rest.stream_url is None and socket.rest_url is None
    both = longbridge(rest_url="http://127.0.0.1:8123", stream_url="ws://127.0.0.1:9000")
    assert both.custom_hosts is None  # HashKey's pair, not Longbridge's


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"rest_url": "ftp://x"}, "The Longbridge endpoint 'ftp://x' must start with http:// or https://"),
        ({"rest_url": "https://h.example/v1"}, "must be a bare host, without a path"),
        ({"stream_url": "https://quote.example"}, "The Longbridge quote socket"),
        ({"longbridge_region": "mars"}, 'The Longbridge region must be one of "global", "cn"'),
        ({"api_key": "a/b"}, "may not contain a slash"),
    ],
)
def test_validation_is_in_words(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ProfileError) as caught:
        longbridge(**changes)
    assert words in str(caught.value)


def test_a_longbridge_profile_survives_the_file(tmp_path: Path) -> None:
    profile = longbridge(
        longbridge_region="cn",
        api_key="lb-app-key-0001",
        rest_url="http://127.0.0.1:8123",
        stream_url="ws://127.0.0.1:9000/ws",
    )
    encoded = encode_profile(profile)
    assert encoded["longbridge_region"] == "cn" and encoded["venue"] == "longbridge"
    assert decode_profile(encoded) == profile
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(default_book().add(profile))
    assert store.load().get("L") == profile


def test_an_older_file_without_the_region_reads_as_global() -> None:
    profile = decode_profile({"name": "L", "venue": "longbridge", "api_key": "AK"})
    assert profile.longbridge_region is LongbridgeRegion.GLOBAL
    other = decode_profile({"name": "H", "venue": "hashkey"})  # files from before Longbridge still load
    assert other.longbridge_region is LongbridgeRegion.GLOBAL


def test_the_default_book_offers_longbridge_without_keys() -> None:
    profile = default_book().get("Longbridge")
    assert (profile.venue, profile.api_key, profile.rest_url, profile.stream_url) == (Venue.LONGBRIDGE, "", None, None)


def test_the_app_secret_and_the_token_record_sit_side_by_side() -> None:
    backend = MemoryKeyring()
    secrets = SecretStore(backend)
    secrets.set("L", "lb-app-key-0001", "the-secret")
    record = '{"token":"tok","expires_at":"2027-02-14T00:00:00.000Z"}'
    secrets.set("L", access_token_key("lb-app-key-0001"), record)
    assert keyring_username("L", access_token_key("lb-app-key-0001")) == "L/lb-app-key-0001#token"
    assert SecretStore(backend).get("L", access_token_key("lb-app-key-0001")) == record
    assert SecretStore(backend).get("L", "lb-app-key-0001") == "the-secret"
