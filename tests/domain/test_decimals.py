"""Decimal parsing, formatting and quantization (terminal/domain/decimals.py)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.decimals import (
    MAX_MAGNITUDE,
    DecimalParseError,
    ceil_to,
    decimals_of,
    div,
    floor_to,
    format_decimal,
    is_multiple,
    mul,
    parse_decimal,
    parse_wire_decimal,
    quantize,
    to_plain,
)

D = Decimal

# Steps of every shape the venues use: powers of ten, and grids that are not (0.5, 0.25, 5, 2.5).
STEPS = [D(text) for text in ("0.00001", "0.001", "0.01", "0.1", "1", "10", "0.5", "0.25", "5", "2.5", "0.2")]

finite = st.decimals(allow_nan=False, allow_infinity=False, min_value=D("-1e30"), max_value=D("1e30"), places=12)
steps = st.sampled_from(STEPS)
ROUNDINGS = [
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING,
    decimal.ROUND_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_05UP,
]


# --- parse_decimal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("101.237", D("101.237")),
        ("  42 ", D("42")),
        ("-0.5", D("-0.5")),
        ("1e-8", D("0.00000001")),
        ("1E+3", D("1000")),
        ("1_000", D("1000")),
        ("206381.2785765348009", D("206381.2785765348009")),
        (7, D(7)),
        (-3, D(-3)),
        (D("0.10"), D("0.10")),
    ],
)
def test_parse_decimal_accepts_text_ints_and_decimals(raw: object, expected: Decimal) -> None:
    result = parse_decimal(raw)
    assert isinstance(result, Decimal)
    assert result == expected


def test_parse_decimal_keeps_every_digit_of_the_wire_text() -> None:
    assert str(parse_decimal("0.00010000")) == "0.00010000"


@pytest.mark.parametrize(
    "raw",
    [
        1.5,
        0.1,
        True,
        False,
        "NaN",
        "nan",
        "sNaN",
        "inf",
        "-Infinity",
        "",
        "   ",
        "abc",
        "1.2.3",
        "1,000",
        "0x10",
        "1e",
        "--1",
        "1__0",
        "_1",
        "1_",
        "1_.5",
        None,
        [1],
        b"1",
    ],
)
def test_parse_decimal_refuses_what_is_not_a_finite_number(raw: object) -> None:
    with pytest.raises(DecimalParseError) as caught:
        parse_decimal(raw, field="price")
    assert str(caught.value).startswith("price ")


def test_parse_decimal_refuses_a_finite_decimal_that_is_nan() -> None:
    with pytest.raises(DecimalParseError, match="quantity"):
        parse_decimal(D("NaN"), field="quantity")
    with pytest.raises(DecimalParseError, match="quantity"):
        parse_decimal(D("-Infinity"), field="quantity")


def test_parse_decimal_messages_are_sentences() -> None:
    with pytest.raises(DecimalParseError, match=r"^price is empty$"):
        parse_decimal("  ", field="price")
    with pytest.raises(DecimalParseError, match=r"^price must be a number, not float$"):
        parse_decimal(1.5, field="price")
    with pytest.raises(DecimalParseError, match=r"^price 'abc' is not a number$"):
        parse_decimal("abc", field="price")
    with pytest.raises(DecimalParseError, match=r"^price must be a number, not True$"):
        parse_decimal(True, field="price")


def test_parse_decimal_default_field_name() -> None:
    with pytest.raises(DecimalParseError, match=r"^value "):
        parse_decimal("x")


@pytest.mark.parametrize("raw", ["1e999999999", "1e-999999999", f"1e{MAX_MAGNITUDE + 1}", "0e99999999", 10**1200])
def test_parse_decimal_refuses_absurd_magnitudes(raw: object) -> None:
    # Such a value would be expanded to a billion digits the first time it is formatted.
    with pytest.raises(DecimalParseError, match="out of range"):
        parse_decimal(raw, field="quantity")


def test_parse_decimal_accepts_the_edges_of_its_range() -> None:
    assert parse_decimal(f"1e{MAX_MAGNITUDE}") == D(10) ** MAX_MAGNITUDE
    assert parse_decimal(f"1e-{MAX_MAGNITUDE}") == D(f"1e-{MAX_MAGNITUDE}")


def test_parse_decimal_error_is_a_value_error() -> None:
    assert issubclass(DecimalParseError, ValueError)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_decimal_fuzz_text_raises_only_parse_errors(text: str) -> None:
    try:
        result = parse_decimal(text, field="ticket")
    except DecimalParseError as error:
        assert "ticket" in str(error)
    else:
        assert isinstance(result, Decimal)
        assert result.is_finite()


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A\s*[-+]?[0-9_]{0,6}(\.[0-9_]{0,6})?([eE][-+]?[0-9]{1,12})?\s*\Z"))
def test_parse_decimal_fuzz_number_like_text(text: str) -> None:
    try:
        result = parse_decimal(text)
    except DecimalParseError as error:
        assert str(error).startswith("value ")
        return
    assert result.is_finite()
    assert result.is_zero() or abs(result.adjusted()) <= MAX_MAGNITUDE


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_parse_decimal_round_trips_through_to_plain(value: Decimal) -> None:
    assert parse_decimal(to_plain(value)) == value


# --- to_plain and format_decimal -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0"), "0"),
        (D("-0"), "0"),
        (D("0E-8"), "0"),
        (D("1E+3"), "1000"),
        (D("100"), "100"),
        (D("1.500"), "1.5"),
        (D("1E-8"), "0.00000001"),
        (D("-2.50E-7"), "-0.00000025"),
        (D("12345678901234567890.123456789"), "12345678901234567890.123456789"),
    ],
)
def test_to_plain(value: Decimal, text: str) -> None:
    assert to_plain(value) == text


def test_to_plain_never_rounds_long_values() -> None:
    # More digits than the module's 60-digit context: still every digit.
    text = "1234567890" * 7 + ".0987654321"
    assert to_plain(D(text)) == text


def test_to_plain_handles_exponents_beyond_the_context_range() -> None:
    assert to_plain(D("1E+1000")) == "1" + "0" * 1000
    assert to_plain(D("1E-1000")) == "0." + "0" * 999 + "1"


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_to_plain_never_uses_exponent_notation(value: Decimal) -> None:
    text = to_plain(value)
    assert "e" not in text.lower()
    assert D(text) == value
    if "." in text:
        assert not text.endswith("0")
        assert not text.endswith(".")


@pytest.mark.parametrize(
    ("value", "step", "grouping", "text"),
    [
        (D("101.237"), D("0.01"), False, "101.24"),
        (D("101.2"), D("0.01"), False, "101.20"),
        (D("101.235"), D("0.01"), False, "101.24"),  # half up, not half even
        (D("101.225"), D("0.01"), False, "101.23"),
        (D("-101.235"), D("0.01"), False, "-101.24"),
        (D("1234567.891"), D("0.01"), True, "1,234,567.89"),
        (D("1234567.891"), D("0.01"), False, "1234567.89"),
        (D("-1234567"), D("1"), True, "-1,234,567"),
        (D("1234.5"), D("10"), False, "1235"),
        (D("1.26"), D("0.5"), False, "1.3"),
        (D("1.2"), D("0.25"), False, "1.20"),
        (D("0.00000001"), D("0.00000001"), False, "0.00000001"),
        (D("5"), D("0.001"), True, "5.000"),
        (D("1E+3"), D("0.1"), True, "1,000.0"),
    ],
)
def test_format_decimal_with_step(value: Decimal, step: Decimal, grouping: bool, text: str) -> None:
    assert format_decimal(value, step, grouping=grouping) == text


@pytest.mark.parametrize(
    ("value", "grouping", "text"),
    [
        (D("101.2370"), False, "101.237"),
        (D("1E+6"), False, "1000000"),
        (D("1E+6"), True, "1,000,000"),
        (D("-1234567.125"), True, "-1,234,567.125"),
        (D("-0.5"), True, "-0.5"),
        (D("0.5"), True, "0.5"),
        (D("0"), True, "0"),
        (D("999"), True, "999"),
    ],
)
def test_format_decimal_without_step(value: Decimal, grouping: bool, text: str) -> None:
    assert format_decimal(value, grouping=grouping) == text


def test_format_decimal_does_not_fail_on_many_digits() -> None:
    # A 70-digit quantity typed into a ticket must still format (the context holds 60 digits).
    assert format_decimal(D("1e70"), D("0.01")) == "1" + "0" * 70 + ".00"


@settings(max_examples=200, deadline=None)
@given(finite, steps, st.booleans())
def test_format_decimal_shows_the_steps_decimals(value: Decimal, step: Decimal, grouping: bool) -> None:
    text = format_decimal(value, step, grouping=grouping)
    places = decimals_of(step)
    _, dot, frac = text.partition(".")
    assert len(frac) == places
    assert bool(dot) == (places > 0)
    assert abs(D(text.replace(",", "")) - value) <= D(1).scaleb(-places) / 2


# --- decimals_of, is_multiple, quantize, floor_to, ceil_to ---------------------------------


@pytest.mark.parametrize(
    ("step", "places"),
    [
        (D("0.01"), 2),
        (D("0.010"), 2),
        (D("0.5"), 1),
        (D("0.25"), 2),
        (D("10"), 0),
        (D("1E+1"), 0),
        (D("5"), 0),
        (D("1"), 0),
        (D("0.00000001"), 8),
    ],
)
def test_decimals_of(step: Decimal, places: int) -> None:
    assert decimals_of(step) == places


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (D("101.24"), D("0.01"), True),
        (D("101.237"), D("0.01"), False),
        (D("1.5"), D("0.5"), True),
        (D("1.25"), D("0.5"), False),
        (D("0.75"), D("0.25"), True),
        (D("0.8"), D("0.25"), False),
        (D("15"), D("5"), True),
        (D("16"), D("5"), False),
        (D("0"), D("0.01"), True),
        (D("-0.03"), D("0.01"), True),
        (D("1e70"), D("0.01"), True),
        (D("1" + "0" * 70 + ".001"), D("0.01"), False),
    ],
)
def test_is_multiple(value: Decimal, step: Decimal, expected: bool) -> None:
    assert is_multiple(value, step) is expected


@pytest.mark.parametrize("bad", [D(0), D("-0.01")])
def test_a_step_must_be_positive(bad: Decimal) -> None:
    with pytest.raises(ValueError, match="step must be positive"):
        is_multiple(D(1), bad)
    with pytest.raises(ValueError, match="step must be positive"):
        quantize(D(1), bad)
    with pytest.raises(ValueError, match="step must be positive"):
        floor_to(D(1), bad)
    with pytest.raises(ValueError, match="step must be positive"):
        ceil_to(D(1), bad)


def test_non_finite_values_are_refused_by_quantize() -> None:
    with pytest.raises(ValueError, match="finite"):
        quantize(D("Infinity"), D("0.01"))
    with pytest.raises(ValueError, match="finite"):
        is_multiple(D("NaN"), D("0.01"))


@pytest.mark.parametrize(
    ("value", "step", "rounded", "floor", "ceil"),
    [
        (D("101.237"), D("0.01"), "101.24", "101.23", "101.24"),
        (D("101.235"), D("0.01"), "101.24", "101.23", "101.24"),
        (D("101.234"), D("0.01"), "101.23", "101.23", "101.24"),
        (D("101.23"), D("0.01"), "101.23", "101.23", "101.23"),
        (D("-101.235"), D("0.01"), "-101.24", "-101.24", "-101.23"),
        (D("1.26"), D("0.5"), "1.5", "1.0", "1.5"),
        (D("1.25"), D("0.5"), "1.5", "1.0", "1.5"),
        (D("1.24"), D("0.5"), "1.0", "1.0", "1.5"),
        (D("0.3"), D("0.25"), "0.25", "0.25", "0.50"),
        (D("0.375"), D("0.25"), "0.50", "0.25", "0.50"),
        (D("12"), D("5"), "10", "10", "15"),
        (D("12.5"), D("5"), "15", "10", "15"),
        (D("7"), D("10"), "10", "0", "10"),
        (D("3.75"), D("2.5"), "5.0", "2.5", "5.0"),
        (D("0.0004"), D("0.001"), "0.000", "0.000", "0.001"),
    ],
)
def test_quantize_floor_ceil(value: Decimal, step: Decimal, rounded: str, floor: str, ceil: str) -> None:
    # Compared as text: the result must carry exactly the step's decimals.
    assert str(quantize(value, step)) == rounded
    assert str(floor_to(value, step)) == floor
    assert str(ceil_to(value, step)) == ceil


def test_quantize_is_exact_beyond_the_context_precision() -> None:
    value = D("1" * 70 + ".005")
    assert quantize(value, D("0.01")) == D("1" * 70 + ".01")
    assert floor_to(value, D("0.01")) == D("1" * 70)
    assert ceil_to(D("1" + "0" * 70 + ".001"), D("0.25")) == D("1" + "0" * 70 + ".25")


def test_quantize_of_a_tiny_negative_is_plain_zero() -> None:
    assert str(quantize(D("-0.001"), D("0.01"))) == "0.00"


@settings(max_examples=300, deadline=None)
@given(finite, steps)
def test_quantize_properties(value: Decimal, step: Decimal) -> None:
    result = quantize(value, step)
    assert is_multiple(result, step)
    assert abs(result - value) <= step / 2
    assert quantize(result, step) == result
    assert str(quantize(result, step)) == str(result)
    exponent = result.as_tuple().exponent
    assert exponent == -decimals_of(step)


@settings(max_examples=300, deadline=None)
@given(finite, steps)
def test_floor_and_ceil_bracket_the_value(value: Decimal, step: Decimal) -> None:
    low, high = floor_to(value, step), ceil_to(value, step)
    assert is_multiple(low, step)
    assert is_multiple(high, step)
    assert low <= value <= high
    assert high - low in (0, step)
    assert (high == low) == is_multiple(value, step)


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=D("-1e20"), max_value=D("1e20")),
    st.integers(min_value=-8, max_value=4),
    st.sampled_from(ROUNDINGS),
)
def test_quantize_agrees_with_decimal_for_powers_of_ten(value: Decimal, exponent: int, rounding: str) -> None:
    step = D(1).scaleb(exponent)
    context = decimal.Context(prec=200, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    assert quantize(value, step, rounding) == value.quantize(step, rounding=rounding, context=context)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**6), max_value=10**6), steps)
def test_multiples_are_recognised(units: int, step: Decimal) -> None:
    value = units * step
    assert is_multiple(value, step)
    assert quantize(value, step) == value
    assert floor_to(value, step) == ceil_to(value, step) == value


def test_mul_and_div_use_the_wide_context() -> None:
    a = D("206381.2785765348009")
    b = D("1234.56789012345678901")
    assert mul(a, b) == D("254791699.653213942623520391051633658109")  # 39 digits: exact
    assert div(D(1), D(3)) == D("0." + "3" * 60)
    assert div(D(2), D(3)) == D("0." + "6" * 59 + "7")


def test_div_rounding_is_directed_on_request() -> None:
    assert div(D(2), D(3), decimal.ROUND_FLOOR) == D("0." + "6" * 60)
    assert div(D(1), D(3), decimal.ROUND_CEILING) == D("0." + "3" * 59 + "4")
    third = Fraction(1, 3)
    assert Fraction(div(D(1), D(3), decimal.ROUND_FLOOR)) < third < Fraction(div(D(1), D(3), decimal.ROUND_CEILING))


def test_mul_does_not_overflow_to_infinity() -> None:
    product = mul(D("1E+999999"), D("1E+10"))
    assert product.is_finite()
    assert product == D("1E+1000009")


@given(
    st.one_of(st.text(max_size=50), st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{1,12})?([eE]-?[0-9]{1,4})?", fullmatch=True))
)
def test_the_wire_fast_path_agrees_with_parse_decimal(text: str) -> None:
    try:
        expected: object = parse_decimal(text, field="f")
    except DecimalParseError as exc:
        expected = str(exc)
    try:
        got: object = parse_wire_decimal(text, "f")
    except DecimalParseError as exc:
        got = str(exc)
    assert got == expected
    if isinstance(got, Decimal):
        assert got.as_tuple() == expected.as_tuple()  # type: ignore[union-attr]
