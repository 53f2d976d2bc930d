"""Cursor pages: the ``pagination_key`` of the current API and the ``page_size`` + ``last_*_id`` of the
older one."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from tests.support.webull.errors import bad_parameter

T = TypeVar("T")
PAGE_SIZE = 10  # the fake's page for pagination_key lists (the older API's documented default)
MAX_PAGE_SIZE = 100


def encode_key(last_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"v": 1, "lastId": last_id}).encode()).decode()


def decode_key(key: str) -> str:
    try:
        return str(json.loads(base64.urlsafe_b64decode(key.encode()))["lastId"])
    except (ValueError, KeyError, TypeError):
        raise bad_parameter("pagination_key is invalid") from None


def after(items: Sequence[T], last_id: str | None, ident: Callable[[T], str]) -> int:
    """Index of the first item after the one called ``last_id`` (0 without one)."""
    if not last_id:
        return 0
    for index, item in enumerate(items):
        if ident(item) == last_id:
            return index + 1
    raise bad_parameter(f"{last_id!r} is not in this list")


def keyed_page(items: Sequence[T], key: str | None, ident: Callable[[T], str]) -> tuple[list[T], str | None]:
    """One page and the key of the next (None on the last page)."""
    start = after(items, decode_key(key) if key else None, ident)
    page = list(items[start : start + PAGE_SIZE])
    more = start + PAGE_SIZE < len(items)
    return page, encode_key(ident(page[-1])) if more and page else None


def sized_page(items: Sequence[T], page_size: str | None, last_id: str | None, ident: Callable[[T], str]) -> list[T]:
    size = PAGE_SIZE
    if page_size:
        if not page_size.isdigit() or not 1 <= int(page_size) <= MAX_PAGE_SIZE:
            raise bad_parameter(f"page_size must be 1..{MAX_PAGE_SIZE}")
        size = int(page_size)
    start = after(items, last_id, ident)
    return list(items[start : start + size])
