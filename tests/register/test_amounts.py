"""register/amounts.py: the one amount parser, for the importer's cells and the forms' fields."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from register.amounts import AmountError, find_unit, parse_amount


@pytest.mark.parametrize(
    ("text", "multiplier", "kronor"),
    [
        ("1 250,5 tkr", 1, 1_250_500),
        ("1\u00a0250,5 tkr", 1, 1_250_500),
        ("12 500", 1, 12_500),
        ("12 500 kr", 1, 12_500),
        ("ca 12,5 mnkr", 1, 12_500_000),
        ("-0,6 mnkr", 1000, -600_000),
        ("(300)", 1, -300),
        ("1.234.567", 1, 1_234_567),
        ("1,234,567", 1, 1_234_567),
        ("2,5", 1000, 2_500),
        ("0,5", 1, 1),  # half up
        ("-", 1, None),
        ("", 1, None),
        (None, 1, None),
        (45_950_000, 1, 45_950_000),
        (12.5, 1000, 12_500),
        (Decimal("0.4"), 1, 0),
    ],
)
def test_amounts_read_as_people_write_them(text, multiplier, kronor):
    assert parse_amount(text, multiplier) == kronor


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tolv", "Beloppet ”tolv” kunde inte tolkas"),
        (True, "inte ett tal"),
        ("10" * 20, "orimligt stort"),
    ],
)
def test_what_is_no_amount_is_refused_with_a_swedish_message(value, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(value)


def test_a_unit_is_found_in_a_header_or_a_cell():
    assert (find_unit("Kostnad (tkr)"), find_unit("12 mnkr"), find_unit("Kostnad")) == (
        1000,
        1_000_000,
        None,
    )


def test_the_importer_reads_amounts_with_the_registers_parser():
    from importers.values import ValueProblem
    from importers.values import parse_amount as importer_parse_amount

    assert importer_parse_amount("1 250,5 tkr") == parse_amount("1 250,5 tkr") == 1_250_500
    with pytest.raises(ValueProblem, match="kunde inte tolkas"):
        importer_parse_amount("tolv")


@given(
    value=st.integers(min_value=-(10**16), max_value=10**16),
    multiplier=st.sampled_from([1, 1000, 1_000_000]),
)
def test_a_whole_number_reads_as_the_same_number_written_as_a_decimal(value, multiplier):
    """A cell's whole number takes a shorter way: the same kronor, the same refusal."""

    def read(written):
        try:
            return parse_amount(written, multiplier)
        except AmountError as exc:
            return (exc.code, str(exc))

    assert read(value) == read(Decimal(value))
