"""Profiles and profile books: validation with clear sentences, immutable edits, round trips through the file."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.storage.profile_codec import decode_profile, encode_profile
from terminal.storage.profiles import (
    Deployment,
    Environment,
    JsonValue,
    LongbridgeRegion,
    Profile,
    ProfileBook,
    ProfileError,
    ProfileStore,
    Region,
    RiskAction,
    RiskLimit,
    RiskLimits,
    RiskLimitsError,
    SignatureAlgorithm,
    Venue,
    default_book,
)

D = Decimal


def hashkey(name: str, **changes: object) -> Profile:
    return Profile(name, Venue.HASHKEY, **changes)  # type: ignore[arg-type]


# --- strategies ----------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=64).filter(lambda text: text.isprintable() and text == text.strip())
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,15}(\.[a-z]{2,6}){0,2}", fullmatch=True)
ports = st.one_of(st.just(""), st.integers(1, 65535).map(lambda port: f":{port}"))
url_paths = st.sampled_from(["", "/", "/api", "/v1/x"])
positive = st.decimals(min_value=D("0.00000001"), max_value=D("1e15"), allow_nan=False, allow_infinity=False)
symbols = st.from_regex(r"[A-Z]{2,8}(USDT|USD)?", fullmatch=True) | st.just("*")
json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
json_values: st.SearchStrategy[JsonValue] = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def urls(draw: st.DrawFn, schemes: tuple[str, str]) -> str:
    return f"{draw(st.sampled_from(schemes))}://{draw(hosts)}{draw(ports)}{draw(url_paths)}"


risks = st.builds(
    RiskLimits,
    max_order_notional=st.none() | positive,
    max_quantity_per_symbol=st.dictionaries(symbols, positive, max_size=3),
    max_price_distance_pct=st.none() | positive,
    max_open_orders=st.none() | st.integers(1, 10_000),
    actions=st.dictionaries(st.sampled_from(RiskLimit), st.sampled_from(RiskAction)),
    cancel_on_disconnect_s=st.none() | st.integers(5, 3600),
)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    custom = draw(st.booleans())
    venue = draw(st.sampled_from(Venue))
    return Profile(
        name=draw(names),
        venue=venue,
        deployment=draw(st.sampled_from(Deployment)),
        environment=draw(st.sampled_from(Environment)),
        rest_url=(
            None
            if not custom or venue is Venue.DERIV
            else f"{draw(st.sampled_from(('http', 'https')))}://{draw(hosts)}{draw(ports)}"
            if venue in (Venue.WEBULL, Venue.LONGBRIDGE)
            else draw(urls(("http", "https")))
        ),
        stream_url=draw(urls(("ws", "wss"))) if custom and venue is not Venue.WEBULL else None,
        api_key=draw(st.text("abcdefABCDEF0123456789-_", max_size=40)),
        recv_window=draw(st.integers(1, 60_000)),
        app_id=draw(st.integers(1, 2**31 - 1)),
        region=draw(st.sampled_from(Region)),
        algorithm=draw(st.sampled_from(SignatureAlgorithm)),
        account=draw(st.text("ACEGHKMNRSU-0123456789", max_size=24)),
        longbridge_region=draw(st.sampled_from(LongbridgeRegion)),
        risk=draw(risks),
        ui=draw(st.dictionaries(st.text(max_size=10), json_values, max_size=4)),
    )


@st.composite
def books(draw: st.DrawFn) -> ProfileBook:
    chosen = draw(st.lists(profiles(), min_size=1, max_size=4, unique_by=lambda profile: profile.name.casefold()))
    last_used = draw(st.none() | st.sampled_from([profile.name for profile in chosen]))
    return ProfileBook(tuple(chosen), last_used)


# --- round trips ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(profiles())
def test_any_valid_profile_survives_encoding(profile: Profile) -> None:
    assert decode_profile(encode_profile(profile)) == profile


@settings(max_examples=60, deadline=None)
@given(books())
def test_any_valid_book_comes_back_from_the_file_equal(book: ProfileBook) -> None:
    with tempfile.TemporaryDirectory() as directory:
        store = ProfileStore(Path(directory) / "profiles.json")
        assert store.save(book)
        loaded = store.load()
        assert loaded == book
        assert loaded.problems == []
        assert [path.name for path in Path(directory).iterdir()] == ["profiles.json"]  # no temp file left


# --- defaults ------------------------------------------------------------------------------------


def test_defaults_offer_the_demo_the_four_hashkey_hosts_and_deriv_without_keys() -> None:
    book = default_book()
    assert book.names == (
        "Demo",
        "HashKey MENA sandbox",
        "HashKey MENA production",
        "HashKey Global sandbox",
        "HashKey Global production",
        "Deriv",
        "Webull HK",
        "Webull US",
        "Longbridge",
    )
    assert book.get("Demo").venue is Venue.DEMO
    deriv = book.get("Deriv")
    assert (deriv.venue, deriv.app_id, deriv.stream_url, deriv.rest_url) == (Venue.DERIV, 1089, None, None)
    assert [(p.deployment, p.environment) for p in book.profiles[1:5]] == [
        (Deployment.PRO, Environment.SANDBOX),
        (Deployment.PRO, Environment.PRODUCTION),
        (Deployment.GLOBAL, Environment.SANDBOX),
        (Deployment.GLOBAL, Environment.PRODUCTION),
    ]
    assert all(profile.api_key == "" and profile.recv_window == 5000 for profile in book.profiles)
    assert book.problems == []
    assert book.current.name == "Demo"


# --- one profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "profile name is empty"),
        ({"name": "x" * 65}, "longer than 64"),
        ({"name": "two\nlines"}, "cannot be shown"),
        ({"name": " padded"}, "starts or ends with a space"),
        ({"venue": "deriv-someday"}, 'venue must be one of "demo", "hashkey", "deriv"'),
        ({"venue": "deriv", "rest_url": "https://h", "stream_url": "wss://h"}, "A Deriv profile has no REST URL"),
        ({"venue": "deriv", "stream_url": "https://h"}, "The WebSocket endpoint 'https://h' must start with ws://"),
        ({"app_id": 0}, "app ID must be a whole number from 1 to 2147483647, not 0"),
        ({"app_id": "1089"}, "app ID must be a whole number"),
        ({"deployment": "eu"}, 'deployment must be one of "pro", "glb"'),
        ({"environment": "test"}, 'environment must be one of "sandbox", "production"'),
        ({"rest_url": "https://api.example"}, "both the REST URL and the stream URL"),
        ({"rest_url": "ftp://h", "stream_url": "wss://h"}, "must start with http:// or https://"),
        ({"rest_url": "https://h", "stream_url": "https://h"}, "must start with ws:// or wss://"),
        ({"rest_url": "https://", "stream_url": "wss://h"}, "name a host"),
        ({"rest_url": "https://h:99999", "stream_url": "wss://h"}, "is not a valid URL"),
        ({"rest_url": "https://h/a b", "stream_url": "wss://h"}, "contains a space"),
        ({"api_key": "a/b"}, "may not contain a slash"),
        ({"recv_window": 0}, "between 1 and 60000 ms, not 0"),
        ({"recv_window": 60_001}, "between 1 and 60000 ms, not 60001"),
        ({"recv_window": True}, "whole number of milliseconds"),
        ({"ui": {"size": {1, 2}}}, "not JSON"),
        ({"ui": {"size": float("nan")}}, "JSON cannot store"),
        ({"ui": {"big": 2**70}}, "too large"),
        ({"ui": {1: "x"}}, "not text"),
    ],
)
def test_an_invalid_profile_is_refused_with_a_sentence(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"name": "P", "venue": Venue.HASHKEY, **changes}
    with pytest.raises(ProfileError, match=message.replace("(", r"\(")):
        Profile(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"max_order_notional": D(0)}, "max_order_notional must be greater than zero"),
        ({"max_price_distance_pct": D("-1")}, "max_price_distance_pct must be greater than zero"),
        ({"max_order_notional": D("NaN")}, "not a finite number"),
        ({"max_quantity_per_symbol": {"BTCUSDT": D(0)}}, r"max_quantity_per_symbol\[BTCUSDT\]"),
        ({"max_quantity_per_symbol": {"": D(1)}}, "symbol in max_quantity_per_symbol is empty"),
        ({"max_open_orders": 0}, "at least 1"),
        ({"actions": {"max_fun": "block"}}, 'A limit in actions must be one of "max_order_notional"'),
        ({"actions": {RiskLimit.NOTIONAL: "deny"}}, 'action for max_order_notional must be one of "block", "confirm"'),
        ({"cancel_on_disconnect_s": 4}, "from 5 to 3600, not 4"),
    ],
)
def test_invalid_risk_limits_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(RiskLimitsError, match=message):
        RiskLimits(**changes)  # type: ignore[arg-type]


def _with_risk(risk: object) -> dict[str, object]:
    return {"name": "P", "venue": "hashkey", "risk": risk}


def test_a_profile_without_the_newer_risk_fields_reads_with_their_defaults() -> None:
    profile = decode_profile(_with_risk({"max_order_notional": "100", "max_open_orders": 3}))
    assert profile.risk.actions == dict.fromkeys(RiskLimit, RiskAction.CONFIRM)
    assert profile.risk.cancel_on_disconnect_s is None
    assert profile.risk.max_order_notional == D(100)
    assert decode_profile({"name": "P", "venue": "demo"}).risk == RiskLimits()


def test_actions_and_the_disconnect_option_survive_encoding() -> None:
    risk = RiskLimits(
        max_quantity_per_symbol={"*": D(5), "BTCUSDT": D("0.5")},
        actions={RiskLimit.QUANTITY: RiskAction.BLOCK},
        cancel_on_disconnect_s=30,
    )
    encoded = encode_profile(Profile("P", risk=risk))["risk"]
    assert isinstance(encoded, dict)
    assert encoded["actions"] == {
        "max_order_notional": "confirm",
        "max_quantity_per_symbol": "block",
        "max_price_distance_pct": "confirm",
        "max_open_orders": "confirm",
    }
    assert encoded["cancel_on_disconnect_s"] == 30
    assert encoded["max_quantity_per_symbol"] == {"*": "5", "BTCUSDT": "0.5"}
    assert decode_profile(encode_profile(Profile("P", risk=risk))).risk == risk


@pytest.mark.parametrize(
    ("risk", "message"),
    [
        ({"actions": ["block"]}, '"actions" should be an object, not list'),
        ({"actions": {"max_nonsense": "block"}}, "A limit in actions must be one of"),
        ({"actions": {"max_open_orders": "maybe"}}, 'action for max_open_orders must be one of "block", "confirm"'),
        ({"actions": {"max_open_orders": True}}, "not True"),
        ({"cancel_on_disconnect_s": "30"}, '"cancel_on_disconnect_s" should be a whole number of seconds or null'),
        ({"cancel_on_disconnect_s": 30.0}, "should be a whole number"),
        ({"cancel_on_disconnect_s": True}, "should be a whole number"),
        ({"cancel_on_disconnect_s": 3601}, "from 5 to 3600, not 3601"),
        ({"max_open_orders": 0}, "at least 1"),
        ({"max_quantity_per_symbol": {"BTCUSDT": "1", "btcusdt": "2"}}, "names BTCUSDT twice"),
    ],
)
def test_bad_risk_values_in_a_file_are_profile_errors_with_a_sentence(risk: object, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        decode_profile(_with_risk(risk))


def test_a_deriv_profile_may_name_its_websocket_endpoint_alone() -> None:
    profile = Profile("D", Venue.DERIV, stream_url="wss://ws.derivws.com/websockets/v3", app_id=36544, api_key="VRTC1")
    assert (profile.stream_url, profile.rest_url, profile.app_id) == ("wss://ws.derivws.com/websockets/v3", None, 36544)
    assert decode_profile(encode_profile(profile)) == profile


def test_custom_urls_override_the_known_hosts_and_strings_become_enums() -> None:
    profile = Profile("Local", "hashkey", "glb", "production", "http://127.0.0.1:8080", "ws://127.0.0.1:8080")  # type: ignore[arg-type]
    assert profile.venue is Venue.HASHKEY
    assert profile.deployment is Deployment.GLOBAL
    assert profile.environment is Environment.PRODUCTION
    assert profile.custom_hosts == ("http://127.0.0.1:8080", "ws://127.0.0.1:8080")
    assert hashkey("Known").custom_hosts is None


def test_ui_preferences_are_copied_and_changed_through_with_ui() -> None:
    sizes: dict[str, JsonValue] = {"BTCUSDT": "0.01"}
    preferences: dict[str, JsonValue] = {"default_size": sizes, "columns": ("price", "qty")}  # type: ignore[dict-item]
    profile = Profile("P", ui=preferences)
    sizes["BTCUSDT"] = "99"  # the caller's dict is not the profile's
    assert profile.ui == {"default_size": {"BTCUSDT": "0.01"}, "columns": ["price", "qty"]}
    changed = profile.with_ui("theme", "dark")
    assert changed.ui["theme"] == "dark"
    assert "theme" not in profile.ui
    assert hash(changed) == hash(profile)  # hashable despite the dicts inside


# --- books ---------------------------------------------------------------------------------------


def test_edits_return_new_books_and_leave_the_old_one_alone() -> None:
    book = default_book()
    added = book.add(hashkey("Mine", api_key="KEY1"))
    assert added.names[-1] == "Mine"
    assert "Mine" not in book.names
    updated = added.update(hashkey("Mine", api_key="KEY2", recv_window=10_000))
    assert updated.get("Mine").api_key == "KEY2"
    assert updated.names == added.names  # same place
    removed = updated.remove("Mine")
    assert removed.names == book.names


def test_book_errors_say_what_is_wrong() -> None:
    book = default_book()
    with pytest.raises(ProfileError, match='A profile named "Demo" already exists'):
        book.add(Profile("Demo"))
    with pytest.raises(ProfileError, match='"Demo" already exists \\(names differ only in case: "DEMO"\\)'):
        book.add(Profile("DEMO"))
    with pytest.raises(ProfileError, match='There is no profile named "Nope"'):
        book.update(Profile("Nope"))
    with pytest.raises(ProfileError, match='There is no profile named "Nope"'):
        book.remove("Nope")
    with pytest.raises(ProfileError, match='There is no profile named "Nope"'):
        book.rename("Nope", "Other")
    with pytest.raises(ProfileError, match='"HashKey MENA sandbox" already exists'):
        book.rename("Demo", "HashKey MENA sandbox")
    with pytest.raises(ProfileError, match="profile name is empty"):
        book.rename("Demo", "")
    with pytest.raises(ProfileError, match='"Solo" is the only profile and cannot be removed'):
        ProfileBook((Profile("Solo"),)).remove("Solo")
    with pytest.raises(ProfileError, match="at least one profile"):
        ProfileBook(())
    with pytest.raises(ProfileError, match="already exists"):
        ProfileBook((Profile("A"), Profile("a")))
    with pytest.raises(ProfileError, match='There is no profile named "Ghost"'):
        book.with_last_used("Ghost")


def test_last_used_follows_renames_and_removals() -> None:
    book = default_book().with_last_used("hashkey mena sandbox")  # found whatever the case
    assert book.last_used == "HashKey MENA sandbox"
    renamed = book.rename("HashKey MENA sandbox", "MENA test")
    assert renamed.last_used == "MENA test"
    assert renamed.current.name == "MENA test"
    assert renamed.names.index("MENA test") == 1
    assert renamed.get("MENA test").deployment is Deployment.PRO
    assert renamed.rename("MENA test", "mena TEST").last_used == "mena TEST"  # a change of case is allowed
    removed = renamed.remove("MENA test")
    assert removed.last_used is None
    assert removed.current.name == "Demo"
