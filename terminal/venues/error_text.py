"""Pieces every venue's error mapping uses: a venue's text cut to a readable length, and an error of
the tree built with the wait a rate limit implies when the venue names none."""

from __future__ import annotations

from terminal.venues.errors import RateLimited, VenueError


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (cut with "…")."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def make_error(
    kind: type[VenueError], code: str, message: str, status: int, retry_after: float | None, default_wait: float
) -> VenueError:
    """An error of ``kind``; a RateLimited one waits ``retry_after``, else ``default_wait`` seconds."""
    if issubclass(kind, RateLimited):
        return kind(code, message, status, retry_after=default_wait if retry_after is None else retry_after)
    return kind(code, message, status)
