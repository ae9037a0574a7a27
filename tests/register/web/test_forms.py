"""Forms reject bad input with a Swedish message and offer only the choices a user may make."""

from datetime import date

import pytest
from django import forms
from django.forms.models import BaseModelForm

from register.access import Access
from register.models import Arrangement, Membership, Organisation, Participation, TotalCost
from register.web.forms import (
    SHARE_ERROR,
    ArrangementForm,
    ContributionForm,
    CostForm,
    DecisionForm,
    EvaluationForm,
    GoalForm,
    OrganisationForm,
    ParticipationForm,
    PersonForm,
    SeatForm,
    TotalCostForm,
    WholeKronorField,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


END_BEFORE_START = "Slutdatum kan inte ligga före startdatum."


def arrangement_data(**overrides):
    data = {
        "name": "Gemensam lönenämnd",
        "form": f.form("joint_committee").pk,
        "status": Arrangement.Status.ACTIVE,
        "service_areas": [f.area("administration").pk] if _has_area("administration") else [],
    }
    data.update(overrides)
    return data


def _has_area(slug):
    from register.models import ServiceArea

    return ServiceArea.objects.filter(slug=slug).exists()


# --- Whole kronor ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("1 234 567", 1_234_567),
        ("1\u00a0234\u00a0567", 1_234_567),
        ("1\u202f234", 1234),
        ("  250000 ", 250_000),
        ("-5 000", -5000),
        ("12 000 kr", 12_000),
        ("", None),
        # The importer's parser: a unit with decimals that come out whole (issue 19).
        ("1 250,5 tkr", 1_250_500),
        ("12 tkr", 12_000),
        ("2,5 mnkr", 2_500_000),
        ("12,0", 12),
    ],
)
def test_whole_kronor_accepts_spaces_as_thousands_separators(typed, expected):
    assert WholeKronorField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["1 234,50", "1234.5", "1,2345 tkr", "tolv", "1e6"])
def test_whole_kronor_rejects_decimals_and_text_in_swedish(typed):
    field = WholeKronorField(required=False)
    with pytest.raises(Exception) as excinfo:
        field.clean(typed)
    assert "hela kronor" in " ".join(excinfo.value.messages)


def test_whole_kronor_shows_amounts_with_spaces():
    # rules.format_number, the register's one number format: non-breaking spaces, a minus sign.
    assert WholeKronorField().prepare_value(1234567) == "1\u00a0234\u00a0567"
    assert WholeKronorField().prepare_value(-1234567) == "\u22121\u00a0234\u00a0567"


@pytest.mark.parametrize("amount", [0, 7, 1234567, -1234567, 999_999_999_999_999])
def test_whole_kronor_reads_back_what_it_shows(amount):
    field = WholeKronorField(required=False)
    assert field.clean(field.prepare_value(amount)) == amount


# --- Arrangement -----------------------------------------------------------------------------


def test_it_rejects_end_before_start(taby_editor):
    form = ArrangementForm(
        data=arrangement_data(start_date="2024-05-01", end_date="2023-12-31"),
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert END_BEFORE_START in form.errors["end_date"]
    assert not Arrangement.objects.filter(name="Gemensam lönenämnd").exists()


def test_it_rejects_an_orgnr_with_a_bad_check_digit(taby_editor):
    form = ArrangementForm(
        data=arrangement_data(orgnr="212000-0143"), access=Access.for_user(taby_editor)
    )
    assert not form.is_valid()
    assert "fel kontrollsiffra" in form.errors["orgnr"][0]


def test_it_accepts_an_orgnr_with_hyphen_and_stores_ten_digits(taby_editor):
    form = ArrangementForm(
        data=arrangement_data(orgnr="212000-0142"), access=Access.for_user(taby_editor)
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["orgnr"] == "2120000142"


def test_a_text_typed_with_browser_line_breaks_is_kept_with_plain_ones(taby_editor):
    form = ArrangementForm(
        data=arrangement_data(public_description="Varför:\r\nbrandskydd\roch räddning"),
        access=Access.for_user(taby_editor),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["public_description"] == "Varför:\nbrandskydd\noch räddning"


def test_every_textarea_of_a_register_form_keeps_plain_line_breaks(taby_editor):
    from register.web.forms import Textarea

    form = ArrangementForm(access=Access.for_user(taby_editor))
    textareas = [f for f in form.fields.values() if isinstance(f.widget, forms.Textarea)]
    assert textareas
    assert all(isinstance(f.widget, Textarea) for f in textareas)
    assert all(f.widget.attrs.get("rows") != "10" for f in textareas)


def test_dates_are_native_date_inputs(taby_editor):
    html = str(ArrangementForm(access=Access.for_user(taby_editor))["start_date"])
    assert 'type="date"' in html


def test_an_editor_of_one_organisation_is_not_asked_for_whom(taby_editor):
    form = ArrangementForm(access=Access.for_user(taby_editor))
    assert "for_organisation" not in form.fields


def test_an_editor_of_several_organisations_must_say_for_whom(taby_editor, vaxholm):
    Membership.objects.create(user=taby_editor, organisation=vaxholm, role="editor")
    access = Access.for_user(taby_editor)
    form = ArrangementForm(data=arrangement_data(), access=access)
    assert not form.is_valid()
    assert form.errors["for_organisation"]
    assert set(form.fields["for_organisation"].queryset) == {f.municipality("0160"), vaxholm}


def test_the_for_organisation_choice_excludes_organisations_the_user_only_reads(
    taby_editor, vaxholm, knivsta
):
    Membership.objects.create(user=taby_editor, organisation=vaxholm, role="editor")
    Membership.objects.create(user=taby_editor, organisation=knivsta, role="reader")
    form = ArrangementForm(
        data=arrangement_data(for_organisation=knivsta.pk),
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert "for_organisation" in form.errors


# --- Participation ---------------------------------------------------------------------------


def test_it_rejects_a_share_over_100(shared_arrangement, taby_editor, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    form = ParticipationForm(
        data={"role": "host", "ownership_share": "100,5", "cost_share": "101"},
        instance=participation,
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert form.errors["ownership_share"] == [SHARE_ERROR]
    assert form.errors["cost_share"] == [SHARE_ERROR]
    participation.refresh_from_db()
    assert participation.ownership_share is None


def test_it_accepts_a_share_with_decimal_comma(shared_arrangement, taby_editor, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    form = ParticipationForm(
        data={"role": "host", "ownership_share": "62,5"},
        instance=participation,
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["ownership_share"]) == "62.5"


def test_it_rejects_a_duplicate_participation_with_a_message(shared_arrangement, taby_editor):
    form = ParticipationForm(
        data={"organisation": f.municipality("0187").pk, "role": "member"},
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert "Organisationen deltar redan i den här samverkan." in form.non_field_errors()
    assert shared_arrangement.participations.count() == 2


def test_it_rejects_left_before_joined(shared_arrangement, taby_editor, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    form = ParticipationForm(
        data={"role": "host", "joined": "2020-01-01", "left": "2019-01-01"},
        instance=participation,
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert "före" in form.errors["left"][0]


def test_the_organisation_of_an_existing_participation_cannot_be_switched(
    shared_arrangement, taby_editor, taby, knivsta
):
    participation = shared_arrangement.participations.get(organisation=taby)
    form = ParticipationForm(
        data={"organisation": knivsta.pk, "role": "member"},
        instance=participation,
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == taby


# --- Seats, costs, totals ----------------------------------------------------------------------


def test_a_seat_can_only_be_appointed_by_the_editors_own_participating_organisation(
    shared_arrangement, taby_editor, taby, vaxholm
):
    body = f.make_body(shared_arrangement)
    person = f.make_person(organisation=vaxholm)
    access = Access.for_user(taby_editor)
    form = SeatForm(
        data={"person": person.pk, "appointed_by": vaxholm.pk, "role": "member"},
        body=body,
        access=access,
    )
    assert list(form.fields["appointed_by"].queryset) == [taby]
    assert not form.is_valid()
    assert "appointed_by" in form.errors


def test_an_admin_may_appoint_for_any_participant(shared_arrangement, admin_user, taby, vaxholm):
    body = f.make_body(shared_arrangement)
    form = SeatForm(body=body, access=Access.for_user(admin_user))
    assert set(form.fields["appointed_by"].queryset) == {taby, vaxholm}


def test_a_seat_rejects_term_end_before_start(shared_arrangement, taby_editor, taby):
    body = f.make_body(shared_arrangement)
    person = f.make_person(organisation=taby)
    form = SeatForm(
        data={
            "person": person.pk,
            "appointed_by": taby.pk,
            "role": "member",
            "term_start": "2023-01-01",
            "term_end": "2022-12-31",
        },
        body=body,
        access=Access.for_user(taby_editor),
    )
    form.instance.body = body
    assert not form.is_valid()
    assert END_BEFORE_START in form.errors["term_end"]


def test_costs_can_only_be_entered_on_the_editors_own_participations(
    shared_arrangement, taby_editor, taby, vaxholm
):
    own = shared_arrangement.participations.get(organisation=taby)
    other = shared_arrangement.participations.get(organisation=vaxholm)
    form = CostForm(
        data={"participation": other.pk, "year": 2024, "outcome": "1 000"},
        access=Access.for_user(taby_editor),
    )
    assert list(form.fields["participation"].queryset) == [own]
    assert not form.is_valid()
    assert "participation" in form.errors


def test_a_cost_needs_at_least_one_amount(shared_arrangement, taby_editor, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    form = CostForm(
        data={"participation": own.pk, "year": 2024}, access=Access.for_user(taby_editor)
    )
    assert not form.is_valid()
    assert "minst ett belopp" in form.non_field_errors()[0]


def test_a_cost_rejects_a_duplicate_year(shared_arrangement, taby_editor, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2024)
    form = CostForm(
        data={"participation": own.pk, "year": 2024, "budget": "5 000"},
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert "Det finns redan en kostnad för det året." in form.non_field_errors()


def test_a_total_cost_rejects_a_duplicate_year_in_swedish(shared_arrangement, taby_editor):
    TotalCost.objects.create(arrangement=shared_arrangement, year=2024, outcome=10)
    form = TotalCostForm(
        data={"year": 2024, "outcome": "12 000 000"}, access=Access.for_user(taby_editor)
    )
    form.instance.arrangement = shared_arrangement
    assert not form.is_valid()
    assert "Det finns redan en total kostnad för det året." in form.non_field_errors()


# --- Goals, evaluations, decisions -----------------------------------------------------------


def test_a_goal_parent_must_be_within_the_same_organisation(taby_editor, taby, vaxholm):
    own_parent = f.make_goal(organisation=taby, level="focus_area")
    foreign = f.make_goal(organisation=vaxholm, level="focus_area")
    form = GoalForm(
        data={"level": "goal", "title": "Trygg kommun", "parent": foreign.pk, "sort_order": 1},
        owner=taby,
        access=Access.for_user(taby_editor),
    )
    assert list(form.fields["parent"].queryset) == [own_parent]
    assert not form.is_valid()
    assert "parent" in form.errors


def test_a_contribution_links_only_the_editors_own_goals(shared_arrangement, taby_editor, taby):
    own = f.make_goal(organisation=taby)
    f.make_goal(organisation=f.municipality("0187"))
    form = ContributionForm(arrangement=shared_arrangement, access=Access.for_user(taby_editor))
    assert list(form.fields["goal"].queryset) == [own]


def test_a_duplicate_contribution_is_a_form_error(shared_arrangement, taby_editor, taby):
    goal = f.make_goal(organisation=taby)
    data = {"goal": goal.pk, "strength": "some"}
    access = Access.for_user(taby_editor)
    first = ContributionForm(data=data, arrangement=shared_arrangement, access=access)
    assert first.is_valid(), first.errors
    first.save()
    second = ContributionForm(data=data, arrangement=shared_arrangement, access=access)
    assert not second.is_valid()
    assert "Samverkan är redan kopplad till det målet." in second.non_field_errors()


def test_an_evaluation_is_made_by_the_editors_organisation_or_jointly(
    shared_arrangement, taby_editor, taby, vaxholm
):
    form = EvaluationForm(
        data={"organisation": vaxholm.pk, "date": "2024-06-01", "goal_attainment": "met"},
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert list(form.fields["organisation"].queryset) == [taby]
    assert form.fields["organisation"].required is False
    assert not form.is_valid()
    assert "organisation" in form.errors
    joint = EvaluationForm(
        data={"organisation": "", "date": "2024-06-01", "goal_attainment": "met"},
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert joint.is_valid(), joint.errors


def test_a_decision_offers_only_the_arrangements_own_bodies(shared_arrangement, taby_editor):
    own_body = f.make_body(shared_arrangement)
    f.make_body(f.make_arrangement(members=[f.municipality("0160")]))
    form = DecisionForm(arrangement=shared_arrangement, access=Access.for_user(taby_editor))
    assert list(form.fields["body"].queryset) == [own_body]


def test_a_decision_date_is_required_with_a_swedish_message(shared_arrangement, taby_editor):
    form = DecisionForm(
        data={"deciding_body": "KF", "title": "Inträde", "kind": "entry", "date": "1 mars"},
        arrangement=shared_arrangement,
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert form.errors["date"] == ["Fyll i ett giltigt datum."]


# --- People and organisations ----------------------------------------------------------------


def test_an_editor_registers_people_for_their_own_organisation_only(taby_editor, taby):
    form = PersonForm(
        data={"name": "Anna Svensson", "kind": "politician"}, access=Access.for_user(taby_editor)
    )
    assert list(form.fields["organisation"].queryset) == [taby]
    assert not form.is_valid()
    assert "organisation" in form.errors


def test_an_organisation_rejects_a_bad_orgnr(admin_user):
    form = OrganisationForm(
        data={"kind": "company", "name": "Roslagsvatten AB", "orgnr": "556036-0790"},
        access=Access.for_user(admin_user),
    )
    assert not form.is_valid()
    assert "fel kontrollsiffra" in form.errors["orgnr"][0]
    assert not Organisation.objects.filter(name="Roslagsvatten AB").exists()


def test_an_organisation_rejects_a_municipality_code_of_the_wrong_length(admin_user):
    form = OrganisationForm(
        data={"kind": "municipality", "name": "Nya kommunen", "code": "12"},
        access=Access.for_user(admin_user),
    )
    assert not form.is_valid()
    assert "fyra siffror" in form.errors["code"][0]


def test_an_editor_cannot_change_the_reference_facts_of_their_municipality(taby_editor, taby):
    form = OrganisationForm(
        data={"kind": "company", "name": "Annat namn", "code": "9999", "website": "https://x.se"},
        instance=taby,
        access=Access.for_user(taby_editor),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Täby kommun"
    assert form.cleaned_data["code"] == "0160"


def test_nothing_is_written_by_a_form_that_fails(taby_editor):
    before = Participation.objects.count(), Arrangement.objects.count()
    form = ArrangementForm(
        data=arrangement_data(start_date=date(2024, 1, 2), end_date=date(2024, 1, 1), orgnr="1"),
        access=Access.for_user(taby_editor),
    )
    assert not form.is_valid()
    assert (Participation.objects.count(), Arrangement.objects.count()) == before


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("outcome", "1" + "0" * 30, "Beloppet är orimligt stort."),
        ("outcome", "1 000 000 000 000 000", "Beloppet är orimligt stort."),
        ("budget", "-9223372036854775809", "Beloppet är orimligt stort."),
        ("year", "99999999999999999999", "Året ska ligga mellan 1900 och 2100."),
        ("year", "1850", "Året ska ligga mellan 1900 och 2100."),
        ("year", "2024,5", "Ange året med fyra siffror, till exempel 2024."),
    ],
)
def test_a_cost_rejects_absurd_amounts_and_years_in_plain_swedish(
    shared_arrangement, taby_editor, taby, field, typed, message
):
    own = shared_arrangement.participations.get(organisation=taby)
    data = {"participation": own.pk, "year": 2024, "outcome": "5"} | {field: typed}
    form = CostForm(data=data, access=Access.for_user(taby_editor))
    assert not form.is_valid()
    assert form.errors[field][0].startswith(message)


def test_the_largest_reasonable_amount_is_accepted(shared_arrangement, taby_editor, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    form = CostForm(
        data={"participation": own.pk, "year": 2024, "outcome": "999 999 999 999 999"},
        access=Access.for_user(taby_editor),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["outcome"] == 999_999_999_999_999


def test_a_service_area_id_beyond_the_database_range_is_an_invalid_choice(admin_user):
    form = ArrangementForm(
        data={"name": "Ny", "form": f.form().pk, "service_areas": ["9" * 25], "status": "active"},
        access=Access.for_user(admin_user),
    )
    assert not form.is_valid()
    assert "service_areas" in form.errors
    assert "9999999999" in form.errors["service_areas"][0]


def test_the_model_checks_cover_the_fields_the_view_sets(shared_arrangement, taby_editor, taby):
    """Pins ``RegisterForm._get_validation_exclusions``, the one private Django hook the forms
    use: Django alone leaves the arrangement (set by the view, not a form field) out of the
    model's checks; the wrapper puts it back, so a duplicate is a form error, not a crash."""
    goal = f.make_goal(organisation=taby)
    data = {"goal": goal.pk, "strength": "some"}
    access = Access.for_user(taby_editor)
    ContributionForm(data=data, arrangement=shared_arrangement, access=access).save()
    form = ContributionForm(data=data, arrangement=shared_arrangement, access=access)
    assert not form.is_valid()
    assert "Samverkan är redan kopplad till det målet." in form.non_field_errors()
    assert "arrangement" in BaseModelForm._get_validation_exclusions(form)
    assert "arrangement" not in form._get_validation_exclusions()
