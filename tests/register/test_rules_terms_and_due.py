"""register/rules.py: mandate periods and the rules of what is due, against fixed dates."""

import datetime as dt

import pytest

from register import rules

D = dt.date


# --- Elections and mandate periods -------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "day"),
    [(2022, D(2022, 9, 11)), (2026, D(2026, 9, 13)), (2030, D(2030, 9, 8)), (2034, D(2034, 9, 10))],
)
def test_the_election_is_on_the_second_sunday_of_september(year, day):
    assert rules.election_day(year) == day
    assert rules.election_day(year).weekday() == 6


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2027])
def test_it_refuses_an_election_day_in_a_year_without_election(year):
    with pytest.raises(ValueError):
        rules.election_day(year)


def test_a_term_runs_from_15_october_to_14_october_four_years_later():
    term = rules.term_of(2026)
    assert (term.start, term.end) == (D(2026, 10, 15), D(2030, 10, 14))
    assert term.election == D(2026, 9, 13)
    assert str(term) == "2026–2030"
    assert term.next.start == D(2030, 10, 15)
    assert term.previous.end == D(2026, 10, 14)


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (D(2025, 1, 1), 2022),
        (D(2026, 9, 12), 2022),  # the day before election day
        (D(2026, 9, 13), 2022),  # election day: the old councils are still in office
        (D(2026, 10, 1), 2022),  # between election day and 15 October
        (D(2026, 10, 14), 2022),
        (D(2026, 10, 15), 2026),  # the new term starts
        (D(2026, 12, 1), 2026),
        (D(2030, 10, 14), 2026),
        (D(2030, 10, 15), 2030),
    ],
)
def test_the_current_term_on_a_day(day, start_year):
    assert rules.current_term(day).start_year == start_year
    assert day in rules.current_term(day)


@pytest.mark.parametrize(
    ("day", "election"),
    [
        (D(2026, 9, 12), D(2022, 9, 11)),
        (D(2026, 9, 13), D(2026, 9, 13)),
        (D(2026, 10, 1), D(2026, 9, 13)),  # elected but not yet in office
        (D(2027, 3, 1), D(2026, 9, 13)),
        (D(2024, 1, 1), D(2022, 9, 11)),
    ],
)
def test_the_last_election_before_a_day(day, election):
    assert rules.last_election(day) == election


def test_it_refuses_a_term_that_does_not_start_in_an_election_year():
    with pytest.raises(ValueError):
        rules.term_of(2025)


# --- Notice deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "months", "deadline"),
    [
        (D(2027, 3, 31), 6, D(2026, 9, 30)),  # crosses a year end
        (D(2027, 1, 31), 3, D(2026, 10, 31)),
        (D(2027, 2, 28), 12, D(2026, 2, 28)),
        (D(2026, 5, 31), 3, D(2026, 2, 28)),  # to the last day of a shorter month
        (D(2028, 5, 31), 3, D(2028, 2, 29)),  # a leap year
        (D(2027, 12, 31), 24, D(2025, 12, 31)),
    ],
)
def test_the_notice_deadline_counts_the_notice_period_back_from_the_end(end, months, deadline):
    assert rules.notice_deadline(end, months) == deadline


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (D(2025, 3, 31), -1, D(2025, 2, 28)),  # to the last day of a shorter month
        (D(2024, 3, 31), -1, D(2024, 2, 29)),  # a leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # across a year end
        (D(2024, 3, 15), -15, D(2022, 12, 15)),
        (D(2024, 3, 15), 0, D(2024, 3, 15)),
    ],
)
def test_moving_a_date_by_months_lands_on_the_last_day_of_a_shorter_month(day, months, moved):
    assert rules.add_months(day, months) == moved


def test_there_is_no_notice_deadline_without_an_end_or_a_notice_period():
    assert rules.notice_deadline(None, 6) is None
    assert rules.notice_deadline(D(2027, 1, 1), None) is None
    assert rules.notice_deadline(D(2027, 1, 1), 0) is None


def test_the_dashboard_looks_twelve_months_ahead():
    assert rules.due_horizon(D(2026, 12, 1)) == D(2027, 12, 1)


# --- Evaluations due ----------------------------------------------------------------------------


def test_an_arrangement_never_evaluated_is_due_an_evaluation():
    assert rules.evaluation_is_due(D(2026, 12, 1), None, None)


def test_an_evaluation_is_due_two_years_after_the_last_by_default():
    assert rules.DEFAULT_EVALUATION_INTERVAL_YEARS == 2
    assert rules.evaluation_due_date(D(2024, 12, 1), None) == D(2026, 12, 1)
    assert rules.evaluation_is_due(D(2026, 12, 1), D(2024, 12, 1), None)
    assert not rules.evaluation_is_due(D(2026, 11, 30), D(2024, 12, 1), None)


def test_an_organisations_own_interval_decides_when_an_evaluation_is_due():
    assert not rules.evaluation_is_due(D(2026, 12, 1), D(2024, 6, 1), None, 3)
    assert rules.evaluation_is_due(D(2026, 12, 1), D(2025, 6, 1), None, 1)


def test_a_planned_next_evaluation_date_decides_over_the_interval():
    assert rules.evaluation_is_due(D(2026, 12, 1), D(2026, 1, 1), D(2026, 11, 1))
    assert not rules.evaluation_is_due(D(2026, 12, 1), D(2020, 1, 1), D(2027, 1, 1))


# --- Costs --------------------------------------------------------------------------------------


def test_a_cost_up_more_than_ten_per_cent_is_flagged():
    assert rules.cost_rose_too_much(100_000, 110_001)
    assert not rules.cost_rose_too_much(100_000, 110_000)
    assert not rules.cost_rose_too_much(100_000, 90_000)
    assert rules.cost_rose_too_much(100_000, 106_000, threshold=5)


def test_a_cost_increase_is_unknown_without_both_years():
    assert rules.cost_increase_percent(None, 100) is None
    assert rules.cost_increase_percent(0, 100) is None
    assert rules.cost_increase_percent(200, 250) == 25


def test_a_share_is_a_part_of_the_whole_in_per_cent():
    assert rules.share_percent(2, 8) == 25
    assert rules.share_percent(2, None) is None
    assert rules.share_percent(None, 8) is None
