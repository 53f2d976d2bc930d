"""Compare a reply with the document's example: the same keys with the same JSON types."""

from __future__ import annotations

from typing import Any


def assert_shape(actual: Any, example: Any, path: str = "$") -> None:
    """Every key of ``example`` is in ``actual`` with the same JSON type, recursively.

    A list of objects or of lists is homogeneous: each item of ``actual`` is compared with the
    example's first. A list of scalars is a row (a kline, a [price, quantity] level): compared
    position by position, with the same length.
    """
    if isinstance(example, dict):
        assert isinstance(actual, dict), f"{path} should be an object, is {actual!r:.80}"
        for key, value in example.items():
            assert key in actual, f"{path}.{key} is missing from {sorted(actual)}"
            assert_shape(actual[key], value, f"{path}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list), f"{path} should be a list, is {actual!r:.80}"
        if not example:
            return
        if isinstance(example[0], dict | list):
            for i, item in enumerate(actual):
                assert_shape(item, example[0], f"{path}[{i}]")
        else:
            assert len(actual) == len(example), f"{path} should have {len(example)} fields: {actual!r:.120}"
            for i, (item, model) in enumerate(zip(actual, example, strict=True)):
                assert_shape(item, model, f"{path}[{i}]")
    else:
        assert type(actual) is type(example), (
            f"{path} is {actual!r:.60}, a {type(actual).__name__}, not a {type(example).__name__}"
        )
