"""register/rules.py: each figure defined once. Ongoing, the status on a day, the members and
seats in force, the reference cost year and the kind of an amount, the seat share of a whole body
and the population of a year."""

import datetime as dt
from types import SimpleNamespace as NS

import pytest

from register import rules

D = dt.date
TODAY = D(2026, 12, 6)


def arrangement(status="active", start=None, end=None):
    return NS(status=status, start_date=start, end_date=end)


# --- ongoing and the status on a day -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "start", "end", "ongoing"),
    [
        ("active", None, None, True),
        ("active", D(2019, 8, 1), D(2026, 7, 31), False),  # the school-transport agreement
        ("active", None, TODAY, True),  # the end date is its last day
        ("active", None, D(2026, 12, 5), False),
        ("renegotiation", None, D(2027, 12, 31), True),
        ("active", D(2027, 1, 1), None, False),  # starts later: not yet ongoing
        ("active", TODAY, None, True),
        ("ended", None, None, False),
        ("ended", None, D(2030, 1, 1), False),  # the status ends it whatever the dates
    ],
)
def test_ongoing_follows_the_status_and_the_dates_together(status, start, end, ongoing):
    a = arrangement(status, start, end)
    assert rules.is_ongoing(a, TODAY) is ongoing


def test_the_status_shown_is_ended_once_the_end_date_has_passed():
    assert rules.status_on(arrangement("active", end=D(2026, 7, 31)), TODAY) == "ended"
    assert rules.status_on(arrangement("renegotiation", end=D(2026, 12, 5)), TODAY) == "ended"
    assert rules.status_on(arrangement("renegotiation", end=TODAY), TODAY) == "renegotiation"
    assert rules.status_on(arrangement("stalled"), TODAY) == "stalled"
    assert rules.status_on(arrangement("ended"), TODAY) == "ended"


@pytest.mark.django_db
def test_the_query_rule_selects_what_the_python_rule_says(taby):
    from register.models import Arrangement
    from tests import factories as f

    cases = {
        "open": arrangement(),
        "ended-by-date": arrangement(end=D(2026, 7, 31)),
        "last-day": arrangement(end=TODAY),
        "later": arrangement(start=D(2027, 1, 1)),
        "ended": arrangement("ended"),
    }
    for name, a in cases.items():
        f.make_arrangement(name=name, status=a.status, start_date=a.start_date, end_date=a.end_date)
    selected = set(
        Arrangement.objects.filter(rules.ongoing_q(TODAY)).values_list("name", flat=True)
    )
    assert selected == {n for n, a in cases.items() if rules.is_ongoing(a, TODAY)}
    assert selected == {"open", "last-day"}


def test_a_member_is_in_force_from_joining_until_the_day_it_leaves():
    assert rules.member_in_force(NS(joined=None, left=None), TODAY)
    assert rules.member_in_force(NS(joined=TODAY, left=None), TODAY)
    assert not rules.member_in_force(NS(joined=D(2027, 1, 1), left=None), TODAY)
    assert not rules.member_in_force(NS(joined=None, left=TODAY), TODAY)  # out on that day
    assert rules.member_in_force(NS(joined=None, left=D(2026, 12, 7)), TODAY)


def test_we_take_part_when_the_arrangement_is_ongoing_and_our_membership_in_force():
    open_ = arrangement()
    assert rules.takes_part(open_, NS(joined=None, left=None), TODAY)
    assert not rules.takes_part(open_, NS(joined=None, left=D(2025, 1, 1)), TODAY)
    assert not rules.takes_part(arrangement(end=D(2026, 7, 31)), NS(joined=None, left=None), TODAY)


def test_a_seat_is_held_from_its_first_to_its_last_day():
    assert rules.seat_in_force(NS(term_start=None, term_end=None), TODAY)
    assert rules.seat_in_force(NS(term_start=D(2023, 1, 1), term_end=TODAY), TODAY)
    assert not rules.seat_in_force(NS(term_start=D(2023, 1, 1), term_end=D(2026, 12, 5)), TODAY)
    assert not rules.seat_in_force(NS(term_start=D(2027, 1, 1), term_end=None), TODAY)


# --- the cost year and the kind of an amount -----------------------------------------------------


def test_the_reference_year_is_the_last_closed_year_whatever_the_data():
    assert rules.reference_year(D(2026, 12, 6)) == 2025
    assert rules.reference_year(D(2027, 1, 1)) == 2026


def test_every_amount_says_which_figure_it_is():
    assert rules.amount_of(NS(year=2025, outcome=10, forecast=12, budget=9)).kind == "outcome"
    forecast = rules.amount_of(NS(year=2026, outcome=None, forecast=12, budget=9))
    assert (forecast.amount, forecast.kind, forecast.kind_label) == (12, "forecast", "prognos")
    assert forecast.is_estimate
    missing = rules.amount_of(NS(year=2026, outcome=None, forecast=None, budget=None))
    assert (missing.amount, missing.kind, missing.kind_label) == (None, "", "")


def test_a_sum_of_outcomes_and_forecasts_says_both():
    total = rules.sum_amounts(
        2025,
        [
            rules.Amount(2025, 100, frozenset({"outcome"})),
            rules.Amount(2025, None),
            rules.Amount(2025, 50, frozenset({"forecast"})),
        ],
    )
    assert (total.amount, total.kind, total.kind_label) == (150, "mixed", "utfall och prognos")
    assert total.is_estimate
    assert rules.sum_amounts(2025, []).amount is None
    only_outcomes = rules.sum_amounts(2025, [rules.Amount(2025, 1, frozenset({"outcome"}))] * 3)
    assert (only_outcomes.amount, only_outcomes.kind_label) == (3, "utfall")
    assert not only_outcomes.is_estimate


# --- the seat share of the whole body ------------------------------------------------------------


def share(**kwargs):
    return rules.seat_share(body_name="Förbundsstyrelsen", **{"unregistered": [], **kwargs})


def test_the_seat_share_divides_by_the_bodys_seats_not_by_those_registered():
    # Käppalaförbundet: Täby's one seat of the board's 11, two of them registered.
    s = share(ours=1, registered=2, seat_count=11, unregistered=["Nacka kommun"])
    assert (s.ours, s.whole, round(s.share, 4), s.basis) == (1, 11, 0.0909, "seat_count")


def test_without_the_bodys_size_the_registered_seats_count_only_when_every_member_has_them():
    s = share(ours=2, registered=4, seat_count=None)
    assert (s.whole, s.share, s.basis) == (4, 0.5, "registered")
    s = share(ours=2, registered=4, seat_count=None, unregistered=["Knivsta kommun"])
    assert s.share is None and s.whole is None
    assert "Antalet platser i Förbundsstyrelsen är inte angivet" in s.reason
    assert "Knivsta kommun" in s.reason


def test_more_registered_seats_than_the_body_has_is_a_data_problem_not_a_share():
    s = share(ours=3, registered=12, seat_count=11)
    assert s.share is None
    assert s.problem == s.reason
    assert "11 platser men 12 ordinarie ledamöter" in s.problem


def test_no_registered_seats_is_a_reason_not_a_zero():
    s = share(ours=0, registered=0, seat_count=None)
    assert s.share is None and "inga ordinarie ledamöter registrerade" in s.reason
    # With the size known, no seat of ours is a share of nought.
    assert share(ours=0, registered=0, seat_count=8).share == 0


# --- population of a year ------------------------------------------------------------------------


BY_YEAR = {2016: 70_000, 2021: 74_000, 2024: 77_744}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, rules.Population(77_744, 2024)),  # the year's own figure
        (2025, rules.Population(77_744, 2024)),  # the nearest earlier, named
        (2023, rules.Population(74_000, 2021)),
        (2016, rules.Population(70_000, 2016)),
        (2015, None),  # never a later year's figure for an earlier year
    ],
)
def test_the_population_of_a_year_is_that_years_or_the_nearest_earlier(year, expected):
    assert rules.population_in(year, BY_YEAR) == expected


def test_per_inhabitant_needs_both_figures():
    assert rules.per_inhabitant(7_000_000, 70_000) == 100
    assert rules.per_inhabitant(None, 70_000) is None
    assert rules.per_inhabitant(7_000_000, None) is None
