"""The edit pages: what they save, what they refuse, and that a refused form saves nothing."""

import inspect
import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from register import versions
from register.access import Access
from register.models import Arrangement, Cost, Decision, Membership, Participation, Person, Seat
from register.web import edit, generic, urls
from tests import factories as f

pytestmark = pytest.mark.django_db


def formset_data(prefix: str, rows: list[dict], *, initial: int) -> dict:
    """Return the POST data of a formset: management form plus one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = "" if value is None else value
    return data


def row_ids(page: str, prefix: str) -> list[int]:
    """Return the ids of the existing rows a formset page lets the user edit."""
    return [int(pk) for pk in re.findall(rf'name="{prefix}-\d+-id" value="(\d+)"', page)]


def version(client, url) -> dict:
    """Return the version token the page carries now (what a browser sends back with it)."""
    page = client.get(url).content.decode()
    return {versions.FIELD: re.search(rf'name="{versions.FIELD}" value="(\d*)"', page).group(1)}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def participation_row(p: Participation, **changes) -> dict:
    row = {
        "id": p.pk,
        "arrangement": p.arrangement_id,
        "organisation": p.organisation_id,
        "role": p.role,
    }
    row.update(changes)
    return row


# --- Creating an arrangement -------------------------------------------------------------------


def new_arrangement(**overrides):
    data = {"name": "Roslagens lönenämnd", "form": f.form("joint_committee").pk, "status": "active"}
    data.update(overrides)
    return data


def test_creating_an_arrangement_adds_the_creators_organisation(client, taby_editor, taby):
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:arrangement_create"), new_arrangement(host=taby.pk), follow=False
    )
    arrangement = Arrangement.objects.get(name="Roslagens lönenämnd")
    assert response.status_code == 302
    assert response["Location"] == arrangement.get_absolute_url()
    participation = arrangement.participations.get()
    assert participation.organisation == taby
    assert participation.role == Participation.Role.HOST
    assert any("har sparats" in m for m in messages_of(response))


def test_creating_an_arrangement_with_end_before_start_saves_nothing(client, taby_editor):
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:arrangement_create"),
        new_arrangement(start_date="2024-01-01", end_date="2023-01-01"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Slutdatum kan inte ligga före startdatum." in body
    assert "Inget har sparats." in body
    assert not Arrangement.objects.filter(name="Roslagens lönenämnd").exists()
    assert not Participation.objects.filter(arrangement__name="Roslagens lönenämnd").exists()


def test_an_editor_of_several_organisations_chooses_for_which(client, taby_editor, vaxholm):
    Membership.objects.create(user=taby_editor, organisation=vaxholm, role="editor")
    client.force_login(taby_editor)
    url = reverse("register:arrangement_create")
    refused = client.post(url, new_arrangement())
    assert refused.status_code == 200
    assert "För organisation" in refused.content.decode()
    assert not Arrangement.objects.filter(name="Roslagens lönenämnd").exists()
    client.post(url, new_arrangement(for_organisation=vaxholm.pk))
    arrangement = Arrangement.objects.get(name="Roslagens lönenämnd")
    assert list(arrangement.participations.values_list("organisation", flat=True)) == [vaxholm.pk]


# --- Participations ----------------------------------------------------------------------------


def test_an_editor_adds_a_partner_and_sees_the_others_rows_read_only(
    client, taby_editor, shared_arrangement, taby, knivsta
):
    own = shared_arrangement.participations.get(organisation=taby)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    page = client.get(url).content.decode()
    assert "Andra parters deltaganden" in page
    assert "Vaxholms kommun" in page
    assert row_ids(page, "participations") == [own.pk]

    data = formset_data(
        "participations",
        [participation_row(own, cost_share="55"), {"organisation": knivsta.pk, "role": "member"}],
        initial=1,
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 302
    assert shared_arrangement.participations.filter(organisation=knivsta).exists()
    own.refresh_from_db()
    assert own.cost_share == 55


def test_a_duplicate_participation_in_the_formset_saves_no_row(
    client, taby_editor, shared_arrangement, taby, knivsta
):
    own = shared_arrangement.participations.get(organisation=taby)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    data = formset_data(
        "participations",
        [
            participation_row(own, cost_share="40"),
            {"organisation": knivsta.pk, "role": "member"},
            {"organisation": knivsta.pk, "role": "owner"},
        ],
        initial=1,
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 200
    assert "Samma organisation finns på flera rader." in response.content.decode()
    assert not shared_arrangement.participations.filter(organisation=knivsta).exists()
    own.refresh_from_db()
    assert own.cost_share is None


def test_adding_an_organisation_that_already_takes_part_is_a_message_not_an_error(
    client, taby_editor, shared_arrangement, vaxholm
):
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    own = shared_arrangement.participations.get(organisation__code="0160")
    client.force_login(taby_editor)
    data = formset_data(
        "participations",
        [participation_row(own), {"organisation": vaxholm.pk, "role": "member"}],
        initial=1,
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 200
    assert "Organisationen deltar redan i den här samverkan." in response.content.decode()
    assert shared_arrangement.participations.filter(organisation=vaxholm).count() == 1


def test_one_bad_row_in_the_participation_formset_saves_nothing(
    client, taby_editor, shared_arrangement, taby, knivsta
):
    own = shared_arrangement.participations.get(organisation=taby)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    data = formset_data(
        "participations",
        [
            participation_row(own, cost_share="30", joined="2020-01-01"),
            {"organisation": knivsta.pk, "role": "member", "ownership_share": "150"},
        ],
        initial=1,
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 200
    assert "Andelen ska vara mellan 0 och 100 procent." in response.content.decode()
    own.refresh_from_db()
    assert (own.cost_share, own.joined) == (None, None)
    assert shared_arrangement.participations.count() == 2


def test_an_editor_cannot_change_another_organisations_participation_through_the_formset(
    client, taby_editor, shared_arrangement, taby, vaxholm
):
    own = shared_arrangement.participations.get(organisation=taby)
    other = shared_arrangement.participations.get(organisation=vaxholm)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    data = formset_data(
        "participations",
        [participation_row(own), participation_row(other, cost_share="1", role="owner")],
        initial=2,
    )
    response = client.post(url, data | version(client, url))
    assert response.status_code == 200
    assert "får bara ändras av en annan organisation" in response.content.decode()
    other.refresh_from_db()
    assert (other.cost_share, other.role) == (None, "member")


def test_an_editor_cannot_delete_another_organisations_participation_through_the_formset(
    client, taby_editor, shared_arrangement, taby, vaxholm
):
    own = shared_arrangement.participations.get(organisation=taby)
    other = shared_arrangement.participations.get(organisation=vaxholm)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    data = formset_data(
        "participations",
        [participation_row(own), participation_row(other, DELETE="on")],
        initial=2,
    )
    client.post(url, data | version(client, url))
    assert Participation.objects.filter(pk=other.pk).exists()


def test_the_administrator_edits_every_participation(
    client, admin_user, shared_arrangement, vaxholm
):
    other = shared_arrangement.participations.get(organisation=vaxholm)
    rows = [participation_row(p) for p in shared_arrangement.participations.order_by("pk")]
    for row in rows:
        if row["id"] == other.pk:
            row["cost_share"] = "12,5"
    client.force_login(admin_user)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    data = formset_data("participations", rows, initial=len(rows))
    response = client.post(url, data | version(client, url))
    assert response.status_code == 302
    other.refresh_from_db()
    assert str(other.cost_share) == "12.50"


# --- Costs -------------------------------------------------------------------------------------


def cost_url(participation):
    return reverse("register:participation_costs", args=[participation.pk])


def test_costs_accept_amounts_with_spaces(client, taby_editor, shared_arrangement, taby):
    own = shared_arrangement.participations.get(organisation=taby)
    client.force_login(taby_editor)
    data = formset_data(
        "costs",
        [
            {"year": "2023", "budget": "1 200 000", "outcome": "1\u00a0234\u00a0567"},
            {"year": "2024", "forecast": "1 300 000"},
        ],
        initial=0,
    )
    response = client.post(cost_url(own), data | version(client, cost_url(own)))
    assert response.status_code == 302
    assert list(
        own.costs.order_by("year").values_list("year", "budget", "outcome", "forecast")
    ) == [
        (2023, 1_200_000, 1_234_567, None),
        (2024, None, None, 1_300_000),
    ]
    page = client.get(cost_url(own)).content.decode()
    assert 'value="1\u00a0234\u00a0567"' in page


def test_costs_reject_decimals_with_a_swedish_message_and_save_no_row(
    client, taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    client.force_login(taby_editor)
    data = formset_data(
        "costs",
        [{"year": "2023", "budget": "1 000 000"}, {"year": "2024", "budget": "1 234,50"}],
        initial=0,
    )
    response = client.post(cost_url(own), data | version(client, cost_url(own)))
    assert response.status_code == 200
    assert "hela kronor" in response.content.decode()
    assert not own.costs.exists()


def test_a_duplicate_cost_year_in_the_formset_saves_no_row(
    client, taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    client.force_login(taby_editor)
    data = formset_data(
        "costs", [{"year": "2024", "budget": "1"}, {"year": "2024", "outcome": "2"}], initial=0
    )
    response = client.post(cost_url(own), data | version(client, cost_url(own)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Samma år finns på flera rader." in page
    assert "Året finns redan på en annan rad." in page
    assert not own.costs.exists()


def test_a_cost_year_that_already_exists_is_a_message(
    client, taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    existing = f.make_cost(own, year=2024, outcome=10)
    client.force_login(taby_editor)
    data = formset_data(
        "costs",
        [{"id": existing.pk, "participation": own.pk, "year": "2024", "outcome": "10"}]
        + [{"year": "2024", "outcome": "20"}],
        initial=1,
    )
    response = client.post(cost_url(own), data | version(client, cost_url(own)))
    assert response.status_code == 200
    assert "Samma år finns på flera rader." in response.content.decode()
    assert list(own.costs.values_list("outcome", flat=True)) == [10]


def test_an_editor_cannot_post_a_cost_for_another_organisations_participation(
    client, taby_editor, shared_arrangement, taby, vaxholm
):
    own = shared_arrangement.participations.get(organisation=taby)
    other = shared_arrangement.participations.get(organisation=vaxholm)
    foreign_cost = f.make_cost(other, year=2024, outcome=500)
    client.force_login(taby_editor)
    # By URL: Vaxholm's cost page is closed.
    assert client.post(cost_url(other), formset_data("costs", [], initial=0)).status_code == 403
    # Through the form: Vaxholm's cost row smuggled into Täby's own cost page.
    data = formset_data(
        "costs",
        [{"id": foreign_cost.pk, "participation": own.pk, "year": "2024", "outcome": "1"}],
        initial=1,
    )
    response = client.post(cost_url(own), data | version(client, cost_url(own)))
    assert response.status_code == 200
    foreign_cost.refresh_from_db()
    assert (foreign_cost.participation, foreign_cost.outcome) == (other, 500)
    assert not Cost.objects.filter(participation=own).exists()


# --- Bodies and seats --------------------------------------------------------------------------


def test_an_editor_adds_a_seat_for_their_own_organisation_only(
    client, taby_editor, shared_arrangement, taby, vaxholm
):
    body = f.make_body(shared_arrangement)
    foreign_seat = f.make_seat(body, f.make_person(name="Vaxholms ledamot"), vaxholm)
    person = f.make_person(name="Anna Täby", organisation=taby)
    url = reverse("register:body_seats", args=[body.pk])
    client.force_login(taby_editor)
    page = client.get(url).content.decode()
    assert "Vaxholms ledamot" in page
    assert foreign_seat.pk not in row_ids(page, "seats")

    refused = client.post(
        url,
        formset_data(
            "seats",
            [{"person": person.pk, "appointed_by": vaxholm.pk, "role": "member"}],
            initial=0,
        )
        | version(client, url),
    )
    assert refused.status_code == 200
    assert "Välj ett giltigt alternativ" in refused.content.decode()
    assert body.seats.count() == 1

    accepted = client.post(
        url,
        formset_data(
            "seats",
            [{"person": person.pk, "appointed_by": taby.pk, "role": "chair", "party": "M"}],
            initial=0,
        )
        | version(client, url),
    )
    assert accepted.status_code == 302
    assert Seat.objects.get(person=person).appointed_by == taby


def test_an_editor_adds_a_body(client, taby_editor, shared_arrangement):
    url = reverse("register:arrangement_bodies", args=[shared_arrangement.pk])
    client.force_login(taby_editor)
    response = client.post(
        url,
        formset_data(
            "bodies",
            [
                {
                    "kind": "joint_committee",
                    "name": "Miljö- och hälsoskyddsnämnden",
                    "powers": "decides",
                }
            ],
            initial=0,
        )
        | version(client, url),
    )
    assert response.status_code == 302
    assert shared_arrangement.bodies.get().name == "Miljö- och hälsoskyddsnämnden"


# --- Records on an arrangement ------------------------------------------------------------------


def test_a_decision_for_another_organisation_is_refused(
    client, taby_editor, shared_arrangement, vaxholm
):
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:decision_create", args=[shared_arrangement.pk]),
        {
            "organisation": vaxholm.pk,
            "deciding_body": "Kommunfullmäktige",
            "date": "2024-03-01",
            "title": "Inträde",
            "kind": "entry",
        },
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_an_editor_records_their_own_decision(client, taby_editor, shared_arrangement, taby):
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:decision_create", args=[shared_arrangement.pk]),
        {
            "organisation": taby.pk,
            "deciding_body": "Kommunfullmäktige",
            "date": "2024-03-01",
            "title": "Inträde i nämnden",
            "kind": "entry",
            "impact_cost": "on",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert (decision.organisation, decision.date, decision.impact_cost) == (
        taby,
        date(2024, 3, 1),
        True,
    )


# --- Deleting ----------------------------------------------------------------------------------


def test_delete_asks_first_and_deletes_only_on_post(client, taby_editor, taby):
    person = f.make_person(name="Att ta bort", organisation=taby)
    url = reverse("register:person_delete", args=[person.pk])
    client.force_login(taby_editor)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Vill du ta bort" in confirm.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    response = client.post(url, version(client, url))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert any("har tagits bort" in m for m in messages_of(response))


def test_deleting_a_person_with_seats_is_a_message_not_an_error(
    client, taby_editor, shared_arrangement, taby
):
    person = f.make_person(name="Sitter kvar", organisation=taby)
    f.make_seat(f.make_body(shared_arrangement), person, taby)
    client.force_login(taby_editor)
    url = reverse("register:person_delete", args=[person.pk])
    response = client.post(url, version(client, url), follow=True)
    assert response.status_code == 200
    assert any("kan inte tas bort" in m for m in messages_of(response))
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_an_organisation_that_takes_part_is_a_message(
    client, admin_user, shared_arrangement, vaxholm
):
    client.force_login(admin_user)
    url = reverse("register:organisation_delete", args=[vaxholm.pk])
    response = client.post(url, version(client, url))
    assert response.status_code == 302
    assert any("kan inte tas bort" in m for m in messages_of(response))
    assert Participation.objects.filter(organisation=vaxholm).exists()


def test_an_editor_deletes_an_arrangement_only_their_organisation_takes_part_in(
    client, taby_editor, taby
):
    own = f.make_arrangement(members=[taby])
    client.force_login(taby_editor)
    url = reverse("register:arrangement_delete", args=[own.pk])
    response = client.post(url, version(client, url))
    assert response.status_code == 302
    assert response["Location"] == reverse("register:arrangement_list")
    assert not Arrangement.objects.filter(pk=own.pk).exists()


def test_the_forbidden_page_is_in_swedish(client, taby_reader, shared_arrangement):
    client.force_login(taby_reader)
    response = client.get(reverse("register:arrangement_update", args=[shared_arrangement.pk]))
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()


def test_a_tampered_row_count_is_refused_quickly_with_a_message(
    client, taby_editor, shared_arrangement, taby
):
    own = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(own, year=2024, outcome=100)
    client.force_login(taby_editor)
    url = reverse("register:participation_costs", args=[own.pk])
    data = {
        "costs-TOTAL_FORMS": "100000",
        "costs-INITIAL_FORMS": "1",
        "costs-0-id": own.costs.get().pk,
        "costs-0-year": "2024",
        "costs-0-outcome": "200",
    }
    response = client.post(url, data | version(client, url))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Högst 500 rader kan sparas på en gång." in html
    assert html.count('name="costs-') < 100  # the rows on the page, not 100,000 or 501
    assert own.costs.get().outcome == 100


def read_only_rows(page: str) -> list[list[str]]:
    """Return the cells of the table of rows the user sees but does not edit."""
    table = re.search(r'<table class="readonly-rows">(.*?)</table>', page, re.S).group(1)
    return [
        [
            re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_the_participations_page_lists_the_other_partners_rows_with_their_values(
    client, taby_editor, shared_arrangement, vaxholm
):
    shared_arrangement.participations.filter(organisation=vaxholm).update(
        joined=date(2020, 1, 1), ownership_share="12.5", cost_share=None
    )
    client.force_login(taby_editor)
    url = reverse("register:arrangement_participations", args=[shared_arrangement.pk])
    assert read_only_rows(client.get(url).content.decode()) == [
        ["Organisation", "Roll", "Gick med", "Lämnade", "Ägarandel (%)", "Kostnadsandel (%)"],
        ["Vaxholms kommun", "Medlem", "1 januari 2020", "", "12,50", ""],
    ]


def test_the_seats_page_lists_the_seats_other_partners_appointed(
    client, taby_editor, shared_arrangement, vaxholm
):
    body = f.make_body(shared_arrangement)
    person = f.make_person(name="Anna <Andersson>", organisation=vaxholm)
    f.make_seat(body, person, vaxholm, role="member", party="S", term_start=date(2023, 1, 1))
    client.force_login(taby_editor)
    page = client.get(reverse("register:body_seats", args=[body.pk])).content.decode()
    assert read_only_rows(page) == [
        ["Person", "Utsedd av", "Roll", "Parti", "Mandatperiod"],
        ["Anna &lt;Andersson&gt;", "Vaxholms kommun", "Ledamot", "S", "2023-01-01"],
    ]


# --- The views themselves ------------------------------------------------------------------------


def test_every_edit_view_is_a_class_defined_under_its_own_name():
    """No factory builds views out of closures or generated classes: each edit URL's view is a
    class written in register.web.edit (``as_view`` may set its model, form or anchor)."""
    patterns = [p for p in urls.urlpatterns if p.callback.__module__ == "register.web.edit"]
    assert len(patterns) == 39
    for pattern in patterns:
        view_class = pattern.callback.view_class
        assert issubclass(view_class, generic.EditView), pattern.name
        assert getattr(edit, view_class.__name__) is view_class, pattern.name
    # Those that share a class differ only in what as_view gave them, never in code.
    shared = [p for p in patterns if p.callback.view_initkwargs]
    assert {p.callback.view_class.__name__ for p in shared} == {
        "OnArrangementUpdate",
        "OnArrangementDelete",
    }


def test_no_url_names_a_view_of_the_generic_framework_itself():
    """The framework (register.web.generic) holds kinds of page, edit.py the pages: every URL
    names a page, so that the edit URLs stay findable (and counted) by their module."""
    for pattern in urls.urlpatterns:
        assert pattern.callback.__module__ != "register.web.generic", pattern.name


def test_the_kinds_of_page_are_djangos_generic_edit_views():
    from django.views.generic.edit import FormMixin, ModelFormMixin, ProcessFormView

    for kind in (generic.RecordCreateView, generic.RecordUpdateView):
        assert issubclass(kind, ModelFormMixin) and issubclass(kind, ProcessFormView)
    for kind in (generic.RecordDeleteView, generic.RowsView):
        assert issubclass(kind, FormMixin) and issubclass(kind, ProcessFormView)


def test_every_join_view_is_a_plain_function_named_after_its_url():
    patterns = [p for p in urls.urlpatterns if p.callback.__module__ == "register.web.join"]
    assert len(patterns) == 4
    for pattern in patterns:
        view = inspect.unwrap(pattern.callback)
        assert view.__qualname__ == pattern.name
        assert getattr(inspect.getmodule(view), pattern.name) is pattern.callback


def test_an_edit_page_refuses_other_methods_before_looking_anything_up(client, shared_arrangement):
    client.force_login(f.make_user(superuser=True))
    url = reverse("register:decision_create", args=[shared_arrangement.pk])
    assert client.put(url).status_code == 405
    assert client.head(url).status_code == 405
    assert client.put(reverse("register:decision_update", args=[999999])).status_code == 405


def test_a_refused_formset_shows_only_the_refusal_above_the_rows(shared_arrangement, taby):
    participation = shared_arrangement.participations.get(organisation=taby)
    formset = edit.CostFormSet(
        formset_data("costs", [{"year": "2024", "budget": "x"}], initial=0),
        instance=participation,
        form_kwargs={"access": Access.for_user(f.make_user(superuser=True))},
    )
    assert not formset.is_valid()
    formset.refuse(["Inget har sparats."])
    assert list(formset.non_form_errors()) == ["Inget har sparats."]
    assert formset.total_error_count() == 2  # the refusal and the row's own error
    assert not formset.is_valid()


@pytest.mark.parametrize(
    ("formset", "duplicate", "duplicate_row"),
    [
        ("ParticipationFormSet", "Samma organisation finns", "Organisationen finns redan"),
        ("CostFormSet", "Samma år finns", "Året finns redan"),
        ("TotalCostFormSet", "Samma år finns", "Året finns redan"),
        ("ReviewItemFormSet", "Samma samverkan finns", "Samverkan finns redan"),
        ("BodyFormSet", "Samma uppgift finns", "Den här raden är en dubblett"),
        ("SeatFormSet", "Samma uppgift finns", "Den här raden är en dubblett"),
    ],
)
def test_each_formset_names_a_duplicate_in_its_own_words(formset, duplicate, duplicate_row):
    rows = getattr(edit, formset)()
    assert rows.get_unique_error_message(["year"]).startswith(duplicate)
    assert rows.get_form_error().startswith(duplicate_row)
