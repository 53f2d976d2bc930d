"""Webull's hosts: the SDK's production hosts, the documented sandboxes, and a profile's own URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import webull.core

from terminal.venues.webull.hosts import Environment, Hosts, Region, hosts_for


def _sdk_endpoints() -> dict[str, dict[str, str]]:
    path = Path(webull.core.__file__).parent / "data" / "endpoints.json"
    mapping: dict[str, dict[str, str]] = json.loads(path.read_text())["region_mapping"]
    return mapping


@pytest.mark.parametrize("region", list(Region))
def test_production_hosts_are_the_sdks(region: Region) -> None:
    sdk = _sdk_endpoints()[region.value]
    hosts = hosts_for(region, Environment.PRODUCTION)
    assert hosts.api_url == f"https://{sdk['api']}"
    assert hosts.events_host == sdk["events-api"]
    assert hosts.quotes_host == sdk["quotes-api"]


def test_the_sandboxes() -> None:
    assert hosts_for(Region.HK, Environment.SANDBOX).api_url == "https://api.sandbox.webull.hk"
    assert hosts_for(Region.US, Environment.SANDBOX).api_url == "https://api.sandbox.webull.com"


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("environment", list(Environment))
def test_every_known_host_signs_with_hmac_sha256_over_https(region: Region, environment: Environment) -> None:
    hosts = hosts_for(region, environment)
    assert hosts.algorithm == "HMAC-SHA256"
    assert hosts.api_url.startswith("https://")
    assert hosts.api_host == hosts.api_url.removeprefix("https://")


def test_a_custom_url_is_allowed_and_the_bare_host_name_is_signed() -> None:
    hosts = Hosts("http://127.0.0.1:8123/")
    assert hosts.api_url == "http://127.0.0.1:8123"
    assert hosts.api_host == "127.0.0.1"  # SIGNING.md: "host (bare host name)", as Webull's SDK signs it
    assert Hosts("https://api.webull.hk:443").api_host == "api.webull.hk"


@pytest.mark.parametrize(
    "url", ["api.webull.hk", "ftp://api.webull.hk", "https://", "https://api.webull.hk/openapi", "https://h/?a=1"]
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="API URL"):
        Hosts(url)


def test_an_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Webull signature algorithm"):
        Hosts("https://api.webull.hk", algorithm="HMAC-MD5")
    assert Hosts("https://api.webull.hk", algorithm="HMAC-SHA1").algorithm == "HMAC-SHA1"
