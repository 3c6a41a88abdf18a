"""The quantity parser: numbers with scale words, units from schema/units.txt, rounding and qualifiers."""

from __future__ import annotations

import math
from decimal import Decimal

import pint
import pytest

from validator.record.quantities import (
    APPROXIMATE_TOLERANCE,
    Interval,
    QuantityError,
    format_number,
    interval_of,
    parse_quantity,
    parse_unit,
    rounding_half_width,
    unit_registry,
)

YUAN = (("[currency]", 1.0),)


@pytest.mark.parametrize(
    ("text", "number", "half_width", "dimensionality"),
    [
        ("41,165,200 yuan", "41165200", "0.5", YUAN),
        ("1.34 million yuan", "1340000", "5000", YUAN),
        ("240.1225 million yuan", "240122500", "50", YUAN),
        ("3 wan yuan", "30000", "5000", YUAN),
        ("3.5 ten thousand yuan", "35000", "500", YUAN),
        ("2.5 yi yuan", "250000000", "5000000", YUAN),
        ("1.2 billion yuan", "1200000000", "50000000", YUAN),
        ("10k yuan", "10000", "500", YUAN),  # the last written digit is the k's unit
        ("3 thousand people", "3000", "500", (("[person]", 1.0),)),
        ("8,164 households", "8164", "0.5", (("[household]", 1.0),)),
        ("360 yuan/month", "360", "0.5", (("[currency]", 1.0), ("[time]", -1.0))),
        ("22.37 km^2", "22.37", "0.005", (("[length]", 2.0),)),
        ("100 kW", "100", "0.5", (("[power]", 1.0),)),
        ("16.57 %", "16.57", "0.005", ()),
        ("16.57%", "16.57", "0.005", ()),
        ("-5 %", "-5", "0.5", ()),
    ],
)
def test_parse_quantity_applies_the_scale_word_and_reads_the_unit(text, number, half_width, dimensionality) -> None:
    parsed = parse_quantity(text)
    assert parsed.number == Decimal(number)
    assert parsed.half_width == Decimal(half_width)
    assert parsed.unit.dimensionality == dimensionality


def test_parse_quantity_keeps_the_number_as_written() -> None:
    parsed = parse_quantity("1.34 million yuan")
    assert (parsed.text, parsed.number_text, parsed.scale_word) == ("1.34 million yuan", "1.34", "million")


@pytest.mark.parametrize(("text", "base_value"), [
    ("41,165,200 yuan", 41_165_200.0),
    ("22.37 km^2", 22_370_000.0),
    ("100 kW", 100_000.0),
    ("16.57 %", 0.1657),
    ("360 yuan/month", 4320.0),  # base unit of time: the year
])
def test_base_value(text, base_value) -> None:
    assert parse_quantity(text).base_value == pytest.approx(base_value)


def test_k_before_a_unit_is_the_unit_prefix_not_a_scale_word() -> None:
    parsed = parse_quantity("100 kW")
    assert parsed.scale_word is None
    assert parsed.unit.canonical == "kilowatt"
    assert parse_quantity("10k yuan").scale_word == "k"


def test_percent_is_a_dimensionless_hundredth() -> None:
    percent = parse_unit("%")
    assert percent.dimensionality == ()
    assert percent.to_base == pytest.approx(0.01)
    assert parse_unit("percent") == percent


def test_percentage_points_are_not_percent() -> None:
    points = parse_unit("percentage_points")
    assert points.dimensionality == (("[percentage_point]", 1.0),)
    assert points.dimensionality != parse_unit("%").dimensionality
    assert parse_unit("pp").dimensionality == points.dimensionality
    # A change of 5 percentage points is not a 5 % change: the registry refuses to convert.
    with pytest.raises(pint.DimensionalityError):
        unit_registry().Quantity(5, "percentage_point").to("percent")


def test_mu_is_a_fifteenth_of_a_hectare() -> None:
    assert parse_unit("mu").to_base * 15 == pytest.approx(parse_unit("ha").to_base)
    assert parse_unit("mu").to_base == pytest.approx(10_000 / 15)


def test_acre_is_not_mu() -> None:
    acre, mu = parse_unit("acre"), parse_unit("mu")
    assert acre.dimensionality == mu.dimensionality
    assert acre.to_base / mu.to_base == pytest.approx(6.0703, rel=1e-4)
    assert parse_unit("acres") == acre


def test_yuan_per_month_converts_to_yuan_per_year() -> None:
    monthly = parse_quantity("360 yuan/month")
    assert monthly.in_unit_of(parse_unit("yuan/year")) == pytest.approx(4320.0)
    assert parse_quantity("4,320 yuan/year").in_unit_of(parse_unit("yuan/month")) == pytest.approx(360.0)
    per_person = parse_quantity("360 yuan/person/month")
    assert per_person.in_unit_of(parse_unit("yuan/person/year")) == pytest.approx(4320.0)


def test_yuan_per_month_is_not_yuan() -> None:
    assert parse_unit("yuan/month").dimensionality != parse_unit("yuan").dimensionality


def test_people_are_not_households() -> None:
    assert parse_unit("people").dimensionality != parse_unit("households").dimensionality
    assert parse_unit("person") == parse_unit("people")


@pytest.mark.parametrize(("number_text", "half_width"), [
    ("98.92", "0.005"),
    ("105,700", "0.5"),
    ("8,164", "0.5"),
    ("30,000", "0.5"),
    ("1.0", "0.05"),
    ("1.34", "0.005"),
    ("0", "0.5"),
    ("-5", "0.5"),
    ("+120", "0.5"),
])
def test_rounding_half_width(number_text, half_width) -> None:
    assert rounding_half_width(number_text) == Decimal(half_width)


def test_exact_interval_is_the_rounding_of_the_last_digit() -> None:
    interval = interval_of(parse_quantity("98.92 %"), "exact")
    assert interval.low == pytest.approx(0.98915)
    assert interval.high == pytest.approx(0.98925)


def test_approximately_widens_by_the_tolerance() -> None:
    interval = interval_of(parse_quantity("30,000 people"), "approximately")
    spread = 30_000 * APPROXIMATE_TOLERANCE
    assert (interval.low, interval.high) == pytest.approx((29_999.5 - spread, 30_000.5 + spread))


@pytest.mark.parametrize("qualifier", ["at_least", "more_than"])
def test_lower_bound_has_no_upper_end(qualifier) -> None:
    interval = interval_of(parse_quantity("8,164 households"), qualifier)
    assert 8163.5 <= interval.low <= 8164
    assert math.isinf(interval.high)


@pytest.mark.parametrize("qualifier", ["at_least", "more_than"])
def test_lower_bound_is_the_stated_number(qualifier) -> None:
    # 'more than 10,000' is never 6,000, though 10,000 alone may be rounded from anything in 5,000..15,000.
    assert interval_of(parse_quantity("10,000 people"), qualifier).low == pytest.approx(10_000)


@pytest.mark.parametrize("qualifier", ["at_most", "less_than"])
def test_upper_bound_reaches_down_to_zero(qualifier) -> None:
    interval = interval_of(parse_quantity("8,164 households"), qualifier)
    assert interval.low == 0.0
    assert 8164 <= interval.high <= 8164.5


@pytest.mark.parametrize("qualifier", ["at_most", "less_than"])
def test_upper_bound_is_the_stated_number(qualifier) -> None:
    assert interval_of(parse_quantity("10,000 people"), qualifier).high == pytest.approx(10_000)


def test_range_runs_to_the_upper_figure_with_its_rounding() -> None:
    interval = interval_of(parse_quantity("2,000 yuan/person/month"), "range", parse_quantity("3,000 yuan/person/month"))
    assert (interval.low, interval.high) == pytest.approx((1_999.5 * 12, 3_000.5 * 12))


def test_range_upper_in_another_unit() -> None:
    interval = interval_of(parse_quantity("2,000 yuan/person/month"), "range", parse_quantity("36,000 yuan/person/year"))
    assert (interval.low, interval.high) == pytest.approx((1_999.5 * 12, 36_000.5))


def test_range_without_upper_is_read_as_exact() -> None:
    parsed = parse_quantity("8,164 households")
    assert interval_of(parsed, "range") == interval_of(parsed, "exact")


def test_intervals_are_in_base_units() -> None:
    wan = interval_of(parse_quantity("4,116.52 wan yuan"), "exact")
    assert (wan.low, wan.high) == pytest.approx((41_165_150, 41_165_250))
    mu = interval_of(parse_quantity("15 mu"), "exact")
    assert (mu.low, mu.high) == pytest.approx((14.5 * 10_000 / 15, 15.5 * 10_000 / 15))


def test_share_at_the_edge_of_rounding() -> None:
    # 98.92 % of 106,900 households is 105,745.5: written 10.57万, the figure is rounded to the hundred.
    quotient = interval_of(parse_quantity("10.57 wan households"), "exact") / interval_of(parse_quantity("10.69 wan households"), "exact")
    assert quotient.overlaps(interval_of(parse_quantity("98.92 %"), "exact"))
    assert not quotient.overlaps(interval_of(parse_quantity("99.2 %"), "exact"))


def test_interval_arithmetic() -> None:
    a, b = Interval(1.0, 2.0), Interval(3.0, 5.0)
    assert a + b == Interval(4.0, 7.0)
    assert a * b == Interval(3.0, 10.0)
    assert b / a == Interval(1.5, 5.0)
    assert Interval(-1.0, 2.0) * b == Interval(-5.0, 10.0)
    assert a.overlaps(Interval(2.0, 3.0)) and not a.overlaps(b)
    assert a.scaled(-2.0) == Interval(-4.0, -2.0)


def test_dividing_by_an_interval_that_holds_zero_allows_anything() -> None:
    quotient = Interval(1.0, 2.0) / Interval(-0.5, 0.5)
    assert math.isinf(quotient.low) and math.isinf(quotient.high)


def test_open_ended_interval_arithmetic() -> None:
    open_ended = Interval(10.0, math.inf)
    assert (open_ended + Interval(1.0, 2.0)) == Interval(11.0, math.inf)
    assert Interval(0.0, 1.0) * open_ended == Interval(0.0, math.inf)
    assert open_ended.midpoint == 10.0


def test_format_number() -> None:
    assert format_number(41_165_200.0) == "41,165,200"
    assert format_number(4_116.526) == "4,116.53"
    assert format_number(0.98925) == "0.98925"
    assert format_number(math.inf) == "infinity"
    assert format_number(-math.inf) == "-infinity"


def test_unknown_unit_is_named_with_what_to_write_instead() -> None:
    with pytest.raises(QuantityError, match=r"unknown unit `furlongs`.*schema/units\.txt"):
        parse_quantity("8 furlongs")


def test_scale_word_glued_to_a_unit_is_an_unknown_unit() -> None:
    with pytest.raises(QuantityError, match="unknown unit `kyuan`"):
        parse_quantity("10 kyuan")


def test_missing_unit_suggests_one() -> None:
    with pytest.raises(QuantityError, match=r"`8,164` has no unit: write one, e.g. '8,164 households'"):
        parse_quantity("8,164")


# 'one hundred households' is read since issue 11: tests/test_numbers_as_written.py.
@pytest.mark.parametrize("text", ["yuan", "about 30,000 people", "", "a households", "half households"])
def test_text_without_a_leading_number(text) -> None:
    with pytest.raises(QuantityError, match="is not a number followed by a unit"):
        parse_quantity(text)


def test_malformed_thousands_separator_is_blamed_on_the_number() -> None:
    # '1,2345' must not be read as 1,234 of a unit called '5 yuan'.
    with pytest.raises(QuantityError, match="1,2345"):
        parse_quantity("1,2345 yuan")


def test_quantity_error_is_a_value_error() -> None:
    assert issubclass(QuantityError, ValueError)
