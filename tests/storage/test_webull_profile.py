"""Webull profiles: region, environment, signature algorithm, app key and account, an endpoint override
alone; validation in words; a file round trip; where the app secret and the access token are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.storage.profile_codec import decode_profile, encode_profile
from terminal.storage.profiles import (
    Environment,
    Profile,
    ProfileError,
    ProfileStore,
    Region,
    SignatureAlgorithm,
    Venue,
    default_book,
)
from terminal.storage.secrets import SecretStore, access_token_key, keyring_username
from tests.support.keyring import MemoryKeyring


def webull(**changes: object) -> Profile:
    return Profile("W", Venue.WEBULL, **changes)  # type: ignore[arg-type]


def test_a_webull_profile_has_sensible_defaults() -> None:
    profile = webull()
    assert (profile.region, profile.algorithm, profile.account) == (Region.HK, SignatureAlgorithm.HMAC_SHA256, "")
    assert profile.custom_hosts is None
    assert profile.rest_url is None and profile.stream_url is None


def test_a_webull_profile_survives_the_file(tmp_path: Path) -> None:
    profile = webull(
        region="us",
        environment="sandbox",
        algorithm="HMAC-SHA1",
        api_key="ak-test-0001",
        account="ACC-US-CASH-0001",
        rest_url="http://127.0.0.1:8123",
    )
    assert (profile.region, profile.environment, profile.algorithm) == (
        Region.US,
        Environment.SANDBOX,
        SignatureAlgorithm.HMAC_SHA1,
    )
    encoded = encode_profile(profile)
    assert (encoded["region"], encoded["algorithm"], encoded["account"]) == ("us", "HMAC-SHA1", "ACC-US-CASH-0001")
    assert decode_profile(encoded) == profile
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(default_book().add(profile))
    assert store.load().get("W") == profile


def test_an_older_file_without_the_webull_fields_reads_as_the_defaults() -> None:
    profile = decode_profile({"name": "W", "venue": "webull", "api_key": "AK"})
    assert (profile.region, profile.algorithm, profile.account) == (Region.HK, SignatureAlgorithm.HMAC_SHA256, "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"region": "eu"}, 'The region must be one of "hk", "us", not \'eu\''),
        ({"algorithm": "HMAC-MD5"}, 'The signature algorithm must be one of "HMAC-SHA256", "HMAC-SHA1"'),
        ({"stream_url": "wss://h"}, "A Webull profile has no stream URL"),
        ({"rest_url": "ftp://h"}, "The Webull endpoint 'ftp://h' must start with http:// or https://"),
        ({"rest_url": "https://h/openapi"}, "must be a bare host, without a path"),
        ({"account": " ACC"}, "The account ID ' ACC' starts or ends with a space"),
        ({"account": "ACC 1"}, "The account ID may not contain a space"),
        ({"account": 7}, "The account ID must be text, not int"),
        ({"api_key": "a/b"}, "may not contain a slash"),
    ],
)
def test_an_invalid_webull_profile_is_refused_with_a_sentence(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        webull(**changes)
    assert message in str(caught.value)


def test_a_bad_webull_profile_in_the_file_is_skipped_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(
        '{"version": 1, "profiles": [{"name": "Demo", "venue": "demo"},'
        ' {"name": "W", "venue": "webull", "region": "mars"}]}'
    )
    book = ProfileStore(path).load()
    assert book.names == ("Demo",)
    assert book.problems[0] == 'Profile 2 ("W") was skipped: the region must be one of "hk", "us", not \'mars\'.'


def test_the_defaults_offer_webull_in_both_regions_without_keys() -> None:
    book = default_book()
    hk, us = book.get("Webull HK"), book.get("Webull US")
    assert (hk.venue, hk.region, hk.environment, hk.api_key) == (Venue.WEBULL, Region.HK, Environment.PRODUCTION, "")
    assert (us.venue, us.region) == (Venue.WEBULL, Region.US)


def test_the_access_token_sits_next_to_the_app_secret_in_the_keyring() -> None:
    keyring = MemoryKeyring()
    secrets = SecretStore(keyring)
    secrets.set("W", "ak-1", "app-secret")
    secrets.set("W", access_token_key("ak-1"), "token-1")
    assert keyring.entries[("trading-terminal", keyring_username("W", "ak-1"))] == "app-secret"
    assert keyring.entries[("trading-terminal", "W/ak-1#token")] == "token-1"
