"""Which first profile makes the app launch the demo exchange early (before the window is built)."""

from __future__ import annotations

import argparse

from terminal.app.run import _opens_the_demo
from terminal.storage.profiles import Profile, Venue, default_book


def _args(profile: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(profile=profile)


def test_the_demo_is_launched_early_for_the_profile_the_window_opens_first() -> None:
    book = default_book().add(Profile("Live", Venue.HASHKEY, api_key="AK1"))
    assert _opens_the_demo(_args(), book)  # the default book opens Demo
    assert not _opens_the_demo(_args("Live"), book)
    assert _opens_the_demo(_args("Nobody"), book)  # an unknown name falls back to the last used
    assert not _opens_the_demo(_args(), book.with_last_used("Live"))
    assert _opens_the_demo(_args("Demo"), book.with_last_used("Live"))
