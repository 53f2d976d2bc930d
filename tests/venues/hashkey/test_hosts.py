"""Known hosts of both deployments, and validation of custom base URLs."""

from __future__ import annotations

import pytest

from terminal.venues.hashkey.hosts import Deployment, Environment, Hosts, hosts_for


def test_mena_production_hosts_from_the_document() -> None:
    hosts = hosts_for(Deployment.PRO, Environment.PRODUCTION)
    assert hosts.rest_url == "https://api-pro.hashkey.com"
    assert hosts.public_v1 == "wss://stream-pro.hashkey.com/quote/ws/v1"
    assert hosts.public_v2 == "wss://stream-pro.hashkey.com/quote/ws/v2"
    assert hosts.private("KEY") == "wss://stream-pro.hashkey.com/api/v1/ws/KEY"


@pytest.mark.parametrize(
    ("deployment", "environment", "rest"),
    [
        (Deployment.PRO, Environment.SANDBOX, "https://api-pro.sim.hashkeydev.com"),
        (Deployment.GLOBAL, Environment.PRODUCTION, "https://api-glb.hashkey.com"),
        (Deployment.GLOBAL, Environment.SANDBOX, "https://api-glb.sim.hashkeydev.com"),
    ],
)
def test_every_deployment_and_environment(deployment: Deployment, environment: Environment, rest: str) -> None:
    hosts = hosts_for(deployment, environment)
    assert hosts.rest_url == rest
    assert hosts.stream_url == rest.replace("https://api-", "wss://stream-")


def test_custom_hosts_for_the_demo_exchange() -> None:
    hosts = Hosts("http://127.0.0.1:8123/", "ws://127.0.0.1:8123")
    assert hosts.rest_url == "http://127.0.0.1:8123"
    assert hosts.public_v2 == "ws://127.0.0.1:8123/quote/ws/v2"


@pytest.mark.parametrize(("rest", "stream"), [("ftp://x", "ws://x"), ("http://x", "http://x"), ("https://", "wss://x")])
def test_bad_urls_are_refused_with_a_reason(rest: str, stream: str) -> None:
    with pytest.raises(ValueError, match="must start with"):
        Hosts(rest, stream)
