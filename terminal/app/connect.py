"""From a profile to a venue: hosts, credentials from the keyring, the demo exchange when asked for."""

from __future__ import annotations

from dataclasses import dataclass

from terminal.app.demo_process import DemoProcess
from terminal.storage.profiles import Profile
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore
from terminal.venues.base import Venue
from terminal.venues.deriv.endpoints import DEFAULT_WS_URL
from terminal.venues.deriv.venue import DerivVenue
from terminal.venues.hashkey.hosts import Deployment, Environment, Hosts, hosts_for
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue


@dataclass(frozen=True, slots=True)
class Connection:
    """A venue ready to start, and what the user should know about how it was set up."""

    venue: Venue
    description: str  # "HashKey MENA sandbox at https://…", "the demo exchange at http://127.0.0.1:…"
    notice: str = ""  # e.g. "no secret stored for key X: market data only"


def hosts_of(profile: Profile) -> Hosts:
    custom = profile.custom_hosts
    if custom is not None:
        return Hosts(*custom)
    return hosts_for(Deployment(profile.deployment.value), Environment(profile.environment.value))


async def connect(
    profile: Profile,
    secrets: SecretStore,
    demo: DemoProcess,
    *,
    secret_override: str | None = None,
    demo_arguments: list[str] | None = None,
) -> Connection:
    """The venue for ``profile`` (not started). For the Demo profile without its own URLs the
    built-in exchange is started as a child process and its demo user's keys are used."""
    if profile.venue is VenueKind.DEMO and profile.custom_hosts is None:
        endpoints = await demo.start(demo_arguments)
        demo_hosts = Hosts(endpoints.rest_url, endpoints.stream_url)
        demo_key = Credentials(endpoints.api_key, endpoints.api_secret)
        venue = HashKeyVenue(demo_hosts, demo_key, recv_window=profile.recv_window)
        return Connection(venue, f"the demo exchange at {demo_hosts.rest_url}")
    if profile.venue is VenueKind.DERIV:
        return _deriv(profile, secrets, secret_override)
    hosts = hosts_of(profile)
    credentials, notice = _credentials(profile, secrets, secret_override)
    return Connection(
        HashKeyVenue(hosts, credentials, recv_window=profile.recv_window), f"{profile.name} at {hosts.rest_url}", notice
    )


def _credentials(profile: Profile, secrets: SecretStore, override: str | None) -> tuple[Credentials | None, str]:
    if not profile.api_key:
        return None, "No API key in this profile: market data only (add a key in Profiles to trade)."
    secret = override if override is not None else secrets.get(profile.name, profile.api_key)
    if not secret:
        where = "the keyring" if secrets.available else "this session"
        return None, f"No secret for API key {profile.api_key[:6]}… in {where}: market data only."
    return Credentials(profile.api_key, secret), ""


def _deriv(profile: Profile, secrets: SecretStore, override: str | None) -> Connection:
    """Deriv: the token named by the profile's account comes from the keyring; without one, market data only."""
    url = profile.stream_url or DEFAULT_WS_URL
    token = ""
    notice = ""
    if not profile.api_key:
        notice = "No Deriv account in this profile: market data only (add an API token or log in, in Profiles)."
    else:
        token = override if override is not None else (secrets.get(profile.name, profile.api_key) or "")
        if not token:
            where = "the keyring" if secrets.available else "this session"
            notice = f"No API token for {profile.api_key} in {where}: market data only."
    venue = DerivVenue(url, profile.app_id, token or None)
    return Connection(venue, f"{profile.name} at {url} (app {profile.app_id})", notice)
