"""From a profile to a venue: hosts, credentials from the keyring, the demo exchange when asked for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from terminal.app.demo_process import DemoProcess
from terminal.storage.profiles import Profile
from terminal.storage.profiles import Venue as VenueKind
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui.dialogs.longbridge_setup import expired_message, longbridge_hosts, stored_token
from terminal.venues.base import Venue
from terminal.venues.deriv.endpoints import DEFAULT_WS_URL
from terminal.venues.deriv.venue import DerivVenue
from terminal.venues.hashkey.hosts import Deployment, Environment, Hosts, hosts_for
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.venue import HashKeyVenue
from terminal.venues.webull.hosts import Environment as WebullEnvironment
from terminal.venues.webull.hosts import Hosts as WebullHosts
from terminal.venues.webull.hosts import Region
from terminal.venues.webull.hosts import hosts_for as webull_hosts_for
from terminal.venues.webull.venue import WebullVenue

if TYPE_CHECKING:
    from terminal.venues.longbridge.token import AccessToken


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
    access_token: str | None = None,
    token_required: bool = True,
    poll_intervals: tuple[float, float] | None = None,
    longbridge_token: AccessToken | None = None,
) -> Connection:
    """The venue for ``profile`` (not started). For the Demo profile without its own URLs the
    built-in exchange is started as a child process and its demo user's keys are used. For Webull,
    ``access_token`` (when given) is sent instead of the token stored in the keyring,
    ``token_required`` is False for an account that trades without one, and ``poll_intervals`` are
    the seconds between polls of market data and of the account (default: the venue's). For
    Longbridge, ``longbridge_token`` (when given) replaces the token record stored in the keyring."""
    if profile.venue is VenueKind.DEMO and profile.custom_hosts is None:
        endpoints = await demo.start(demo_arguments)
        demo_hosts = Hosts(endpoints.rest_url, endpoints.stream_url)
        demo_key = Credentials(endpoints.api_key, endpoints.api_secret)
        venue = HashKeyVenue(demo_hosts, demo_key, recv_window=profile.recv_window)
        return Connection(venue, f"the demo exchange at {demo_hosts.rest_url}")
    if profile.venue is VenueKind.DERIV:
        return _deriv(profile, secrets, secret_override)
    if profile.venue is VenueKind.WEBULL:
        return webull_connection(profile, secrets, secret_override, access_token, token_required, poll_intervals)
    if profile.venue is VenueKind.LONGBRIDGE:
        return longbridge_connection(profile, secrets, secret_override, longbridge_token)
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


def webull_hosts(profile: Profile) -> WebullHosts:
    """The profile's endpoint override, or its region's and environment's host; signed with its algorithm."""
    if profile.rest_url is not None:
        return WebullHosts(profile.rest_url, algorithm=profile.algorithm.value)
    known = webull_hosts_for(Region(profile.region.value), WebullEnvironment(profile.environment.value))
    return replace(known, algorithm=profile.algorithm.value)


def webull_secret(profile: Profile, secrets: SecretStore, override: str | None) -> str:
    """The app secret; ValueError in words without an app key or secret: Webull signs every request,
    market data included, so there is nothing to show without them."""
    if not profile.api_key:
        raise ValueError("this Webull profile has no app key (enter the app key and app secret in Profiles)")
    secret = override if override is not None else secrets.get(profile.name, profile.api_key)
    if not secret:
        where = "the keyring" if secrets.available else "this session"
        raise ValueError(
            f"no app secret for Webull app key {profile.api_key[:6]}… in {where}: Webull signs every request, "
            "so it cannot connect without one (enter it in Profiles)"
        )
    return secret


def webull_connection(
    profile: Profile,
    secrets: SecretStore,
    override: str | None,
    access_token: str | None = None,
    token_required: bool = True,
    poll_intervals: tuple[float, float] | None = None,
) -> Connection:
    """Webull: the app secret from the keyring (or ``override``), the 2FA token given or from the keyring
    (terminal/app/webull_auth.py); without a token the venue connects read only."""
    hosts = webull_hosts(profile)
    secret = webull_secret(profile, secrets, override)
    token = access_token or secrets.get(profile.name, access_token_key(profile.api_key)) or None
    market, account = poll_intervals if poll_intervals is not None else (2.0, 3.0)
    venue = WebullVenue(
        hosts,
        profile.api_key,
        secret,
        token,
        token_required=token_required,
        account_id=profile.account or None,
        poll_interval=market,
        account_interval=account,
    )
    read_only = token_required and not token
    notice = "No Webull access token: read only (Get access token… in Profiles to trade)." if read_only else ""
    return Connection(venue, f"{profile.name} at {hosts.api_url}", notice)


def longbridge_secret(profile: Profile, secrets: SecretStore, override: str | None) -> str:
    """The app secret; ValueError in words without an app key or secret (every request is signed)."""
    if not profile.api_key:
        raise ValueError("this Longbridge profile has no app key (enter the app key and app secret in Profiles)")
    secret = override if override is not None else secrets.get(profile.name, profile.api_key)
    if not secret:
        where = "the keyring" if secrets.available else "this session"
        raise ValueError(
            f"no app secret for Longbridge app key {profile.api_key[:6]}… in {where}: Longbridge signs every "
            "request, so it cannot connect without one (enter it in Profiles)"
        )
    return secret


def longbridge_token_of(
    profile: Profile, secrets: SecretStore, given: AccessToken | None, now: datetime | None = None
) -> AccessToken:
    """The access token to connect with (``given``, else the keyring's record); ValueError in words when
    there is none, it cannot be read, or it has expired (Longbridge refreshes only a valid token)."""
    token = given if given is not None else stored_token(secrets, profile.name, profile.api_key)
    if token is None:
        raise ValueError(
            f"no Longbridge access token for {profile.name}: create one on Longbridge's developer site and "
            "enter it with its expiry date in Profiles"
        )
    if token.is_expired(now or datetime.now(UTC)):
        raise ValueError(expired_message(profile.name, token))
    return token


def longbridge_connection(
    profile: Profile,
    secrets: SecretStore,
    override: str | None,
    access_token: AccessToken | None = None,
    *,
    now: datetime | None = None,
) -> Connection:
    """Longbridge: the app secret and the token record from the keyring (or the command line); trading
    over signed REST, quotes over the official SDK's socket (``rest_url``/``stream_url`` override each)."""
    from terminal.venues.longbridge.market import LongbridgeMarket  # the SDK loads only for a Longbridge profile
    from terminal.venues.longbridge.venue import LongbridgeVenue

    hosts = longbridge_hosts(profile)
    secret = longbridge_secret(profile, secrets, override)
    token = longbridge_token_of(profile, secrets, access_token, now)
    market = LongbridgeMarket(
        profile.api_key, secret, token.token, http_url=profile.rest_url, quote_ws_url=profile.stream_url
    )
    venue = LongbridgeVenue(hosts, profile.api_key, secret, token, quotes=market)
    moment = now or datetime.now(UTC)
    notice = ""
    if token.needs_warning(moment):
        expiry = token.expiry_text(moment)
        notice = f"The Longbridge access token {expiry}: refresh it (Trading → Refresh access token…)."
    return Connection(venue, f"{profile.name} at {hosts.api_url}", notice)
