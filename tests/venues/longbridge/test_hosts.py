"""Longbridge hosts: the documented production and China hosts, and a profile's own URL."""

from __future__ import annotations

import pytest

from terminal.venues.longbridge.hosts import CHINA, PRODUCTION, Hosts, Region, hosts_for


def test_documented_hosts() -> None:
    assert hosts_for().api_url == "https://openapi.longportapp.com"
    assert hosts_for(Region.GLOBAL) is PRODUCTION
    assert hosts_for(Region.CHINA).api_url == "https://openapi.longportapp.cn"
    assert hosts_for(Region.CHINA) is CHINA


def test_a_custom_url_wins_and_is_normalised() -> None:
    assert hosts_for(Region.CHINA, "http://127.0.0.1:8123/").api_url == "http://127.0.0.1:8123"


@pytest.mark.parametrize("bad", ["openapi.longportapp.com", "ftp://x", "https://x.com/v1", "https://x.com/?a=1"])
def test_bad_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Hosts(bad)
