"""register/rules.py: each domain rule, written once."""

import re
from itertools import product
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from register import rules
from register.models import Body, CooperationForm, Cost, Participation
from tests import factories as f

NBSP = "\u00a0"
Role = Participation.Role


# --- The role of a participant ---------------------------------------------------------------


def form(slug):
    return None if slug is None else CooperationForm.objects.get(slug=slug)


@pytest.mark.django_db
def test_the_host_of_an_agreement_provides_and_the_others_purchase():
    assert rules.participant_role(form("agreement"), is_host=True) == Role.PROVIDER
    assert rules.participant_role(form("agreement"), is_host=False) == Role.PURCHASER


@pytest.mark.django_db
def test_every_participant_in_a_joint_company_is_an_owner_host_or_not():
    assert rules.participant_role(form("joint_company"), is_host=True) == Role.OWNER
    assert rules.participant_role(form("joint_company"), is_host=False) == Role.OWNER


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["municipal_federation", "joint_committee", "network", None])
def test_in_any_other_form_the_host_hosts_and_the_others_are_members(slug):
    assert rules.participant_role(form(slug), is_host=True) == Role.HOST
    assert rules.participant_role(form(slug), is_host=False) == Role.MEMBER


@pytest.mark.django_db
def test_only_a_joint_company_has_owners():
    assert rules.has_owners(form("joint_company"))
    assert not rules.has_owners(form("agreement"))
    assert not rules.has_owners(None)


@pytest.mark.django_db
def test_a_new_form_is_a_data_change_the_rules_follow():
    # A new form of cooperation is a new row; nothing in the code names it.
    region_company = CooperationForm.objects.create(
        slug="regional_company",
        name="Regionalt bolag",
        participant_roles=CooperationForm.Roles.OWNERS,
        deciding_body_kind=Body.Kind.COMPANY_BOARD,
        deciding_body_name="Bolagsstyrelsen",
    )
    assert rules.participant_role(region_company, is_host=False) == Role.OWNER
    assert rules.has_owners(region_company)
    assert rules.deciding_body(region_company) == ("company_board", "Bolagsstyrelsen")
    assert rules.body_for_seats(region_company) == ("company_board", "Bolagsstyrelsen")
    assert rules.body_for_seats(form("network")) == ("steering_group", "Styrgruppen")


@pytest.mark.django_db
def test_a_form_names_both_kind_and_name_of_its_deciding_body_or_neither():
    half = CooperationForm(slug="half", name="Halv", deciding_body_kind=Body.Kind.OTHER)
    with pytest.raises(ValidationError, match="både typ och namn"):
        half.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        half.save()


# --- The best figure of a year ---------------------------------------------------------------


def test_the_best_amount_is_the_outcome_else_the_forecast_else_the_budget():
    assert rules.best_amount(NS(outcome=3, forecast=2, budget=1)) == 3
    assert rules.best_amount(NS(outcome=None, forecast=2, budget=1)) == 2
    assert rules.best_amount(NS(outcome=None, forecast=None, budget=1)) == 1
    assert rules.best_amount(NS(outcome=None, forecast=None, budget=None)) is None


def test_a_zero_outcome_is_a_figure_not_a_missing_one():
    assert rules.best_amount(NS(outcome=0, forecast=2, budget=1)) == 0


@pytest.mark.django_db
def test_the_best_amount_in_a_query_agrees_with_the_rule(taby):
    participation = f.make_participation(f.make_arrangement(), taby)
    figures = list(product([None, 0, 7], repeat=3))
    for year, (outcome, forecast, budget) in enumerate(figures, start=2000):
        Cost.objects.create(
            participation=participation,
            year=year,
            outcome=outcome,
            forecast=forecast,
            budget=budget,
        )
    queried = Cost.objects.annotate(best=rules.BEST_AMOUNT).order_by("year")
    assert [c.best for c in queried] == [rules.best_amount(c) for c in queried]


# --- Swedish numbers -------------------------------------------------------------------------


def test_kronor_have_non_breaking_spaces_between_thousands_and_before_the_unit():
    assert rules.format_kronor(1234567) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert rules.format_kronor(0) == f"0{NBSP}kr"


def test_a_negative_amount_has_a_minus_sign():
    assert rules.format_kronor(-1500) == f"\u22121{NBSP}500{NBSP}kr"
    assert rules.format_number(-1500) == f"\u22121{NBSP}500"


def test_a_missing_amount_is_empty_and_text_stays_text():
    assert rules.format_kronor(None) == ""
    assert rules.format_kronor("") == ""
    assert rules.format_kronor("okänt") == "okänt"
    assert rules.format_kronor(float("nan")) == "nan"
    assert rules.format_number(float("inf")) == "inf"


def test_a_large_amount_keeps_every_digit():
    assert rules.format_number(123_456_789_012_345_678) == NBSP.join(
        ["123", "456", "789", "012", "345", "678"]
    )
    assert rules.format_number("9007199254740993") == NBSP.join(
        ["9", "007", "199", "254", "740", "993"]
    )


def test_decimals_have_a_decimal_comma_and_no_trailing_zeros():
    assert rules.format_decimal("12.50") == "12,5"
    assert rules.format_decimal(23) == "23"
    assert rules.format_decimal(-0.25) == "\u22120,25"
    assert rules.format_percent(12.5) == f"12,5{NBSP}%"
    assert rules.format_percent(None) == ""


# --- The body that decides -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordination_federation_and_a_company_are_decided_by_their_styrelse():
    assert rules.deciding_body(form("coordination_federation")) == ("federation_board", "Styrelsen")
    assert rules.deciding_body(form("joint_company")) == ("company_board", "Styrelsen")


@pytest.mark.django_db
def test_a_federation_is_decided_by_its_direktion_and_a_joint_committee_by_itself():
    assert rules.deciding_body(form("municipal_federation")) == (
        "federation_board",
        "Förbundsdirektionen",
    )
    assert rules.deciding_body(form("joint_committee")) == ("joint_committee", "Gemensamma nämnden")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["agreement", "network", "association", None])
def test_a_form_without_a_joint_body_has_no_deciding_body(slug):
    assert rules.deciding_body(form(slug)) is None


def test_no_code_outside_the_migrations_names_a_form_to_decide_a_rule():
    # The rules read the form's row; a slug in the code would make a new form a code change.
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""==\s*["'](agreement|joint_company|municipal_federation)["']""")
    offenders = [
        str(path.relative_to(root))
        for folder in ("register", "importers")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_seed_gives_each_form_its_deciding_body_last():
    from register.management.commands.seed_scale import _bodies

    for cooperation_form in CooperationForm.objects.all():
        deciding = rules.deciding_body(cooperation_form)
        if deciding is not None:
            kind, name, powers = _bodies(cooperation_form)[-1]
            assert (kind, name) == deciding and powers == "decides"


# --- in force on a date, and the deciding body (the partner network) -------------------------


def test_a_period_covers_its_first_day_and_not_its_last():
    from datetime import date

    from register.rules import in_force

    assert in_force(date(2024, 1, 1), None, date(2024, 1, 1))
    assert not in_force(None, date(2024, 1, 1), date(2024, 1, 1))
    assert in_force(None, None, date(2024, 1, 1))
    assert not in_force(date(2025, 1, 1), None, date(2024, 1, 1))


def test_the_deciding_body_is_the_forms_own_among_those_that_decide():
    from types import SimpleNamespace as B

    from register.rules import choose_deciding_body

    assembly = B(id=1, kind="federation_assembly", powers="decides")
    board = B(id=2, kind="federation_board", powers="decides")
    officials = B(id=3, kind="officials_group", powers="prepares")
    assert choose_deciding_body("federation_board", [assembly, board, officials]) is board
    assert choose_deciding_body("", [officials]) is None
    steering = B(id=4, kind="steering_group", powers="decides")
    assert choose_deciding_body("", [officials, steering]) is steering


def test_one_rule_for_a_year_on_year_change():
    # The arrangement page, the overview, the review and the due list all ask change_percent.
    from register.selectors.costs import CostTrend

    assert rules.change_percent(110, 100) == 10.0
    assert rules.change_percent(-50, -100) == 50.0  # an income that shrank: per cent of its size
    assert rules.change_percent(1, 3, digits=None) == pytest.approx(-66.6667, abs=1e-3)
    assert rules.cost_increase_percent(100, 111) == rules.change_percent(111, 100, digits=None)
    assert rules.cost_increase_percent(-100, 50) is None  # no cost the year before
    trend = CostTrend(year=2025, amount=-50, previous_year=2024, previous_amount=-100)
    assert trend.change_percent == rules.change_percent(-50, -100)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_a_whole_number_is_written_as_the_same_number_given_as_text(value):
    """Numbers take a shorter way than texts and decimals: the same text."""
    assert rules.format_number(value) == rules.format_number(str(value))
    assert rules.format_kronor(value) == rules.format_kronor(str(value))
