"""The profiles file: its format, atomic saves, and bad files set aside and explained instead of a crash."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

from terminal.storage.profiles import (
    Profile,
    ProfileBook,
    ProfileError,
    ProfileStore,
    RiskAction,
    RiskLimit,
    RiskLimits,
    Venue,
    default_book,
)

FIXED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
BAD_NAME = "profiles.json.bad-20250304T050607Z"


def fixed_clock() -> datetime:
    return FIXED


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profiles.json"


@pytest.fixture
def store(path: Path) -> ProfileStore:
    return ProfileStore(path, clock=fixed_clock)


def write_json(path: Path, document: object) -> bytes:
    data = orjson.dumps(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def profile_json(name: str, **fields: object) -> dict[str, object]:
    return {"name": name, "venue": "hashkey", **fields}


# --- the format ----------------------------------------------------------------------------------


def test_no_file_means_the_defaults_and_nothing_written(store: ProfileStore, path: Path) -> None:
    assert store.load() == default_book()
    assert not path.exists()


def test_the_file_is_versioned_pretty_stable_and_keeps_decimals_as_text(store: ProfileStore, path: Path) -> None:
    risk = RiskLimits(
        max_order_notional=Decimal("2500.50"),
        max_quantity_per_symbol={"ETHUSDT": Decimal("3"), "BTCUSDT": Decimal("0.25")},
        max_open_orders=20,
        actions={RiskLimit.NOTIONAL: RiskAction.BLOCK},
        cancel_on_disconnect_s=45,
    )
    profile = Profile("Mine", Venue.HASHKEY, api_key="AK1", risk=risk, ui={"z": 1, "a": {"y": 2, "b": 3}})
    book = default_book().add(profile).with_last_used("Mine")
    assert store.save(book)
    text = path.read_text("utf-8")
    assert text.startswith('{\n  "version": 1,\n  "last_used": "Mine",\n  "profiles": [\n')
    stored = orjson.loads(text)["profiles"][-1]
    assert list(stored) == [
        "name",
        "venue",
        "deployment",
        "environment",
        "rest_url",
        "stream_url",
        "api_key",
        "recv_window",
        "app_id",
        "region",
        "algorithm",
        "account",
        "longbridge_region",
        "risk",
        "ui",
    ]
    assert stored["risk"] == {
        "max_order_notional": "2500.5",
        "max_quantity_per_symbol": {"BTCUSDT": "0.25", "ETHUSDT": "3"},
        "max_price_distance_pct": None,
        "max_open_orders": 20,
        "actions": {
            "max_order_notional": "block",
            "max_quantity_per_symbol": "confirm",
            "max_price_distance_pct": "confirm",
            "max_open_orders": "confirm",
        },
        "cancel_on_disconnect_s": 45,
    }
    assert list(stored["ui"]) == ["a", "z"]
    assert list(stored["ui"]["a"]) == ["b", "y"]
    assert store.save(store.load())
    assert path.read_text("utf-8") == text  # saving what was loaded changes nothing
    assert store.load() == book


def test_a_hand_edited_file_is_read_leniently(store: ProfileStore, path: Path) -> None:
    document = {
        "version": 1,
        "profiles": [
            {"name": "Short", "venue": "demo", "rest_url": "", "stream_url": ""},  # empty URLs mean none
            profile_json("Numbers", risk={"max_order_notional": 0.1, "max_price_distance_pct": 5}, extra="ignored"),
        ],
    }
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(document))  # with the byte-order mark some editors add
    book = store.load()
    assert book.problems == []
    assert book.get("Short").custom_hosts is None
    assert book.get("Numbers").risk.max_order_notional == Decimal("0.1")
    assert book.get("Numbers").risk.max_price_distance_pct == Decimal(5)


def test_a_failed_save_raises_a_profile_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(ProfileError, match=f"The profiles could not be saved to {blocker / 'profiles.json'}"):
        ProfileStore(blocker / "profiles.json").save(default_book())


def test_a_save_that_fails_midway_leaves_the_old_file_and_no_temporary_one(
    store: ProfileStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(default_book())
    before = path.read_bytes()

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ProfileError, match="Permission denied"):
        store.save(default_book().add(Profile("New")))
    monkeypatch.undo()
    assert [entry.name for entry in path.parent.iterdir()] == ["profiles.json"]
    assert path.read_bytes() == before


# --- whole files that cannot be used -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"\x00\xff\xfe garbage \x80", "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b'{"version": 1, "profiles": [', "is not valid JSON"),
        (b"[1, 2, 3]", "holds a JSON list instead of an object"),
        (b'{"profiles": []}', 'has no "version"'),
        (b'{"version": "1", "profiles": []}', "has an unknown \"version\" '1'"),
        (b'{"version": 0, "profiles": []}', 'has an unknown "version" 0'),
        (b'{"version": 1, "profiles": {"Demo": {}}}', 'has no list of "profiles" \\(found object\\)'),
        (b'{"version": 1}', 'has no list of "profiles" \\(found null\\)'),
        (b'{"version": 1, "profiles": []}', "holds no profiles"),
    ],
)
def test_an_unusable_file_is_set_aside_and_the_defaults_are_used(
    store: ProfileStore, path: Path, content: bytes, sentence: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    book = store.load()
    assert book.profiles == default_book().profiles
    assert len(book.problems) == 1
    problem = book.problems[0]
    assert problem.startswith(f"The profiles file {path} ")
    assert re.search(sentence, problem), problem
    assert f"The original was kept as {path.parent / BAD_NAME}." in problem
    assert problem.endswith("The default profiles are used instead.")
    assert not path.exists()
    assert (path.parent / BAD_NAME).read_bytes() == content  # kept byte for byte


def test_an_unreadable_file_is_set_aside_too(store: ProfileStore, path: Path) -> None:
    path.mkdir(parents=True)  # a directory where the file should be: reading it fails
    book = store.load()
    assert book.profiles == default_book().profiles
    assert "could not be read" in book.problems[0]
    assert (path.parent / BAD_NAME).is_dir()


def test_two_bad_files_in_one_second_never_overwrite_each_other(store: ProfileStore, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"first")
    store.load()
    path.write_bytes(b"second")
    assert "kept as" in store.load().problems[0]
    assert (path.parent / BAD_NAME).read_bytes() == b"first"
    assert (path.parent / f"{BAD_NAME}-2").read_bytes() == b"second"


# --- files with some bad profiles ----------------------------------------------------------------


def test_bad_profiles_are_skipped_and_the_good_ones_survive(store: ProfileStore, path: Path) -> None:
    original = write_json(
        path,
        {
            "version": 1,
            "last_used": "Good",
            "profiles": [
                profile_json("Good", api_key="AK", deployment="glb"),
                profile_json("Window", recv_window="5000"),
                profile_json("Range", recv_window=0),
                {"name": "Future", "venue": "ibkr"},
                profile_json("Url", rest_url="ftp://x", stream_url="wss://x"),
                "just text",
                {"venue": "demo"},
                profile_json("good"),
                profile_json("Risky", risk={"max_order_notional": "lots"}),
                profile_json("Strict", risk={"actions": {"max_order_notional": "forbid"}}),
                profile_json("Patient", risk={"cancel_on_disconnect_s": 1}),
                profile_json("Also good", recv_window=60_000),
            ],
        },
    )
    book = store.load()
    assert book.names == ("Good", "Also good")
    assert book.last_used == "Good"
    assert book.get("Good").api_key == "AK"
    assert book.problems[:-1] == [
        'Profile 2 ("Window") was skipped: "recv_window" should be a whole number, not \'5000\'.',
        'Profile 3 ("Range") was skipped: recv_window must be between 1 and 60000 ms, not 0.',
        'Profile 4 ("Future") was skipped: the venue must be one of "demo", "hashkey", "deriv", "webull", '
        "\"longbridge\", not 'ibkr'.",
        "Profile 5 (\"Url\") was skipped: the REST URL 'ftp://x' must start with http:// or https:// and name a host.",
        "Profile 6 was skipped: it is a JSON text, not an object.",
        "Profile 7 was skipped: it has no name.",
        'Profile 8 ("good") was skipped: its name repeats the profile "Good" before it.',
        'Profile 9 ("Risky") was skipped: "max_order_notional" \'lots\' is not a number.',
        'Profile 10 ("Strict") was skipped: the action for max_order_notional must be one of "block", "confirm", '
        "not 'forbid'.",
        'Profile 11 ("Patient") was skipped: cancel_on_disconnect_s must be a whole number of seconds from 5 to '
        "3600, not 1.",
    ]
    kept = path.parent / BAD_NAME
    assert book.problems[-1] == f"The original was kept as {kept}. The other profiles were saved back to {path}."
    assert kept.read_bytes() == original
    reloaded = store.load()  # repaired: the next start is clean
    assert reloaded.problems == []
    assert reloaded.names == ("Good", "Also good")


def test_a_bad_file_that_cannot_be_moved_is_left_untouched(
    store: ProfileStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write_json(path, {"version": 1, "profiles": [profile_json("A"), profile_json("B", recv_window=0)]})

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)
    book = store.load()
    assert book.names == ("A",)
    assert book.problems[-1] == "It could not be moved aside (Permission denied) and was left in place."
    assert path.read_bytes() == original  # not rewritten: that would lose profile B


def test_a_file_whose_profiles_are_all_bad_gives_the_defaults(store: ProfileStore, path: Path) -> None:
    write_json(path, {"version": 1, "profiles": [profile_json("A", recv_window=-1), 42]})
    book = store.load()
    assert book.profiles == default_book().profiles
    assert len(book.problems) == 3
    assert book.problems[-1].startswith(f"No usable profile was left in {path}. The original was kept as ")
    assert not path.exists()


def test_a_last_used_that_is_not_a_name_is_forgotten(store: ProfileStore, path: Path) -> None:
    write_json(path, {"version": 1, "last_used": 3, "profiles": [profile_json("A")]})
    book = store.load()
    assert book.last_used is None
    assert book.problems[0] == 'The last used profile was forgotten: "last_used" should be a name, not 3.'


def test_a_last_used_naming_no_profile_is_quietly_dropped(store: ProfileStore, path: Path) -> None:
    write_json(path, {"version": 1, "last_used": "Gone", "profiles": [profile_json("A")]})
    book = store.load()
    assert (book.last_used, book.problems) == (None, [])


# --- a newer format ------------------------------------------------------------------------------


def test_a_newer_file_is_kept_until_the_user_changes_the_profiles(store: ProfileStore, path: Path) -> None:
    newer = write_json(path, {"version": 2, "profiles": [{"name": "From the future", "venue": "longbridge"}]})
    book = store.load()
    assert book.profiles == default_book().profiles
    assert book.keep_existing_file
    assert book.problems == [
        f"The profiles file {path} was written by a newer version of the terminal (format version 2; this "
        "version reads format 1). It is left as it is and is replaced only if you change the profiles; until "
        "then the default profiles are used."
    ]
    assert not store.save(book)
    assert not store.save(book.with_last_used("Demo"))  # remembering a choice is not a change
    assert path.read_bytes() == newer

    changed = book.add(Profile("New"))
    assert not changed.keep_existing_file
    assert store.save(changed)
    assert (path.parent / "profiles.json.v2-20250304T050607Z").read_bytes() == newer  # moved aside, not lost
    assert store.load().names[-1] == "New"


def test_a_book_built_by_hand_is_saved_normally(store: ProfileStore, path: Path) -> None:
    assert store.save(ProfileBook((Profile("Only"),)))
    assert store.load().names == ("Only",)
