"""Load and save the profiles file; a bad file is set aside and explained, never a crash.

A file written by a newer version is left alone: ``load`` returns the defaults marked
``keep_existing_file`` (saving them writes nothing), and only when the user changes the profiles
is the newer file moved aside (``<name>.v<N>-<timestamp>``) before ours is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import orjson

from terminal.storage.atomic_file import write_atomically
from terminal.storage.profile_book import ProfileBook, default_book
from terminal.storage.profile_codec import FORMAT_VERSION, DocumentError, NewerFormatError, decode_book, encode_book
from terminal.storage.profile_model import ProfileError

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ProfileStore:
    """The profiles file at ``path`` (normally ``AppPaths.profiles_file``)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = path
        self._clock = clock

    def load(self) -> ProfileBook:
        """The saved book, or the defaults (no file yet, or a file that cannot be used); never raises."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return default_book()
        except OSError as error:
            why = f"could not be read ({error.strerror or error})"
            return self._defaults([f"The profiles file {self.path} {why}. {self._set_aside()[0]}{_USING_DEFAULTS}"])
        try:
            decoded = decode_book(data)
        except NewerFormatError as newer:
            problem = (
                f"The profiles file {self.path} was written by a newer version of the terminal ({newer}; this "
                f"version reads format {FORMAT_VERSION}). It is left as it is and is replaced only if you change "
                "the profiles; until then the default profiles are used."
            )
            return replace(self._defaults([problem]), keep_existing_file=True)
        except DocumentError as error:
            return self._defaults([f"The profiles file {self.path} {error}. {self._set_aside()[0]}{_USING_DEFAULTS}"])
        if not decoded.profiles:
            kept, _ = self._set_aside()
            tail = f"No usable profile was left in {self.path}. {kept}{_USING_DEFAULTS}"
            return self._defaults([*decoded.problems, tail])
        if not decoded.problems:
            return ProfileBook(decoded.profiles, decoded.last_used)
        kept, moved = self._set_aside()
        book = ProfileBook(decoded.profiles, decoded.last_used)
        if not moved:  # overwriting the file in place would lose the skipped profiles
            tail = kept
        else:
            try:
                self._write(book)
                tail = f"{kept}The other profiles were saved back to {self.path}."
            except ProfileError as error:
                tail = f"{kept}{error}."
        return self._with_problems(book, [*decoded.problems, tail])

    def save(self, book: ProfileBook) -> bool:
        """Write ``book`` atomically; False when it asks to keep a newer version's file. Raises ProfileError."""
        if book.keep_existing_file:
            log.info("Profiles not saved: %s belongs to a newer version and the profiles were not changed", self.path)
            return False
        self._move_newer_file_aside()
        self._write(book)
        return True

    def _write(self, book: ProfileBook) -> None:
        try:
            write_atomically(self.path, encode_book(book))
        except OSError as error:
            raise ProfileError(f"The profiles could not be saved to {self.path} ({error.strerror or error})") from None

    def _move_newer_file_aside(self) -> None:
        try:
            top = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return
        version = top.get("version") if isinstance(top, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            try:
                target = self._rename_aside(f"v{version}")
            except OSError as error:
                raise ProfileError(
                    f"The profiles file {self.path} of a newer version could not be moved aside "
                    f"({error.strerror or error}), so the profiles were not saved"
                ) from None
            log.warning("The newer version's profiles file was moved to %s before saving", target)

    def _set_aside(self) -> tuple[str, bool]:
        """Move a bad file out of the way; returns a sentence saying where it went (ending in a space), and success."""
        try:
            target = self._rename_aside("bad")
        except OSError as error:
            return f"It could not be moved aside ({error.strerror or error}) and was left in place. ", False
        return f"The original was kept as {target}. ", True

    def _rename_aside(self, kind: str) -> Path:
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.{kind}-{stamp}")
        counter = 1
        while target.exists():  # two bad files in one second: never overwrite the first
            counter += 1
            target = self.path.with_name(f"{self.path.name}.{kind}-{stamp}-{counter}")
        self.path.rename(target)
        return target

    def _defaults(self, problems: list[str]) -> ProfileBook:
        return self._with_problems(default_book(), problems)

    def _with_problems(self, book: ProfileBook, problems: list[str]) -> ProfileBook:
        problems = [problem.strip() for problem in problems]
        for problem in problems:
            log.warning("%s", problem)
        return replace(book, problems=problems)


_USING_DEFAULTS = "The default profiles are used instead."
