"""Who may change what, through every edit URL.

An editor of one municipality cannot change another's data by typing a URL (GET or POST to an
update, delete or formset URL of the other's participation, cost, seat, decision … is a 403 or 404
and the database is unchanged); a reader cannot change anything; an editor changes their own; the
register administrator changes everything.
"""

import re
from html.parser import HTMLParser

import pytest
from django.db.models import Q
from django.urls import reverse

from register import versions
from register.access import Access, Rule
from register.models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    JoinRequest,
    Membership,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)
from register.web import urls
from tests import factories as f

pytestmark = pytest.mark.django_db


EDIT_URL_NAMES = sorted(
    p.name for p in urls.urlpatterns if p.callback.__module__ == "register.web.edit"
)

# URLs that change or delete existing records: each page carries the version of what it shows.
VERSIONED_URL_NAMES = [n for n in EDIT_URL_NAMES if not n.endswith("_create")]
# URLs that create something new for the user's own organisation and take no object.
OWN_CREATE_URLS = {"arrangement_create", "person_create", "review_create"}
# URLs of the shared arrangement itself (or its bodies), which every participant's editor edits.
SHARED_URLS = {
    "arrangement_update",
    "arrangement_participations",
    "arrangement_bodies",
    "arrangement_totalcosts",
    "arrangement_goal_create",
    "contribution_create",
    "goalconflict_create",
    "evaluation_create",
    "alternative_create",
    "decision_create",
    "body_seats",
}

WATCHED = [
    Arrangement,
    Participation,
    Cost,
    TotalCost,
    Body,
    Seat,
    Goal,
    Contribution,
    GoalConflict,
    Evaluation,
    Alternative,
    Decision,
    Person,
    Review,
    ReviewItem,
    Organisation,
]


def snapshot():
    """Return every watched row's values, to show that a refused request changed nothing."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in WATCHED}


@pytest.fixture
def world(shared_arrangement, taby, vaxholm):
    """Täby's and Vaxholm's records on the shared arrangement."""
    TotalCost.objects.create(arrangement=shared_arrangement, year=2024, outcome=5_000_000)
    f.make_goal(arrangement=shared_arrangement, title="Samverkans mål")
    return {
        "arrangement": shared_arrangement,
        "taby": f.make_own_records(shared_arrangement, taby, label="Täby"),
        "vaxholm": f.make_own_records(shared_arrangement, vaxholm, label="Vaxholm"),
    }


def url_for(name: str, world, side: str) -> str:
    """Return the URL named ``name`` pointing at ``side``'s object (or the shared arrangement)."""
    records = world[side]
    arrangement = world["arrangement"]
    by_arrangement = {
        "arrangement_update",
        "arrangement_delete",
        "arrangement_participations",
        "arrangement_bodies",
        "arrangement_totalcosts",
        "arrangement_goal_create",
        "contribution_create",
        "goalconflict_create",
        "evaluation_create",
        "alternative_create",
        "decision_create",
    }
    if name in OWN_CREATE_URLS or name == "organisation_create":
        return reverse(f"register:{name}")
    if name in by_arrangement:
        return reverse(f"register:{name}", args=[arrangement.pk])
    if name == "organisation_goal_create":
        return reverse(f"register:{name}", args=[records["organisation"].pk])
    if name == "participation_costs":
        return reverse(f"register:{name}", args=[records["participation"].pk])
    if name == "body_seats":
        return reverse(f"register:{name}", args=[records["body"].pk])
    if name == "review_items":
        return reverse(f"register:{name}", args=[records["review"].pk])
    entity = name.rsplit("_", 1)[0]
    return reverse(f"register:{name}", args=[records[entity].pk])


class _FormFields(HTMLParser):
    """Collect what a browser would submit for the last POST form on a page (after the logout
    form in the header)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._select_value = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._in_form = True
            self.data = {}
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "submit":
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._select_value is not None:
                self.data.setdefault(self._select, []).append(self._select_value)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_payload(html: str) -> dict:
    parser = _FormFields()
    parser.feed(html)
    payload = {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}
    # Change the texts of existing rows, so that a wrongly accepted POST would show. Empty extra
    # rows of a formset stay empty (a browser user adds nothing there).
    for key, value in payload.items():
        row = re.match(r"^(.+-\d+)-\w+$", key)
        if row and not payload.get(f"{row.group(1)}-id"):
            continue
        if key.endswith(("title", "name", "note")) and not key.endswith("short_name"):
            if isinstance(value, str):
                payload[key] = "Ändrat"
    return payload


def admin_payload(client, admin_user, url) -> dict:
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200, url
    client.logout()
    return form_payload(response.content.decode())


# --- The tests ---------------------------------------------------------------------------------


def test_every_edit_url_name_of_the_contract_exists():
    contract = {
        "arrangement_create", "arrangement_update", "arrangement_delete",
        "arrangement_participations", "participation_update", "participation_delete",
        "participation_costs", "arrangement_bodies", "body_seats", "arrangement_totalcosts",
        "arrangement_goal_create", "organisation_goal_create", "goal_update", "goal_delete",
        "contribution_create", "contribution_update", "contribution_delete",
        "goalconflict_create", "goalconflict_update", "goalconflict_delete",
        "evaluation_create", "evaluation_update", "evaluation_delete",
        "alternative_create", "alternative_update", "alternative_delete",
        "decision_create", "decision_update", "decision_delete",
        "person_create", "person_update", "person_delete",
        "organisation_create", "organisation_update", "organisation_delete",
        "review_create", "review_update", "review_delete", "review_items",
    }  # fmt: skip
    assert set(EDIT_URL_NAMES) == contract


@pytest.mark.parametrize("name", EDIT_URL_NAMES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, name):
    before = snapshot()
    url = url_for(name, world, "taby")
    for response in (client.get(url), client.post(url, {"name": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("name", EDIT_URL_NAMES)
def test_a_reader_cannot_change_anything(client, admin_user, taby_reader, world, name):
    url = url_for(name, world, "taby")
    payload = admin_payload(client, admin_user, url)
    before = snapshot()
    client.force_login(taby_reader)
    get = client.get(url)
    post = client.post(url, payload)
    assert get.status_code == 403
    assert post.status_code == 403
    assert "behörighet" in post.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(set(EDIT_URL_NAMES) - OWN_CREATE_URLS - SHARED_URLS))
def test_an_editor_cannot_change_another_municipalitys_data_by_typing_a_url(
    client, admin_user, taby_editor, world, name
):
    """Täby's editor against Vaxholm's records on their shared arrangement."""
    url = url_for(name, world, "vaxholm")
    payload = admin_payload(client, admin_user, url)
    before = snapshot()
    client.force_login(taby_editor)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, payload).status_code in (403, 404)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(set(EDIT_URL_NAMES) - OWN_CREATE_URLS))
def test_an_editor_of_a_non_participant_cannot_reach_the_arrangement_at_all(
    client, admin_user, knivsta_editor, world, name
):
    url = url_for(name, world, "taby")
    payload = admin_payload(client, admin_user, url)
    before = snapshot()
    client.force_login(knivsta_editor)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, payload).status_code in (403, 404)
    assert snapshot() == before


def test_a_participant_cannot_delete_an_arrangement_shared_with_others(client, taby_editor, world):
    url = reverse("register:arrangement_delete", args=[world["arrangement"].pk])
    client.force_login(taby_editor)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Arrangement.objects.filter(pk=world["arrangement"].pk).exists()


def test_an_editor_cannot_delete_their_municipality(client, taby_editor, world):
    url = reverse("register:organisation_delete", args=[world["taby"]["organisation"].pk])
    client.force_login(taby_editor)
    assert client.post(url).status_code == 403
    assert Organisation.objects.filter(code="0160").exists()


def test_only_the_administrator_creates_organisations(client, taby_editor, admin_user):
    client.force_login(taby_editor)
    assert client.get(reverse("register:organisation_create")).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("register:organisation_create")).status_code == 200


@pytest.mark.parametrize(
    "name",
    sorted(
        set(EDIT_URL_NAMES) - {"arrangement_delete", "organisation_delete", "organisation_create"}
    ),
)
def test_an_editor_can_open_every_edit_page_for_their_own_data(client, taby_editor, world, name):
    client.force_login(taby_editor)
    response = client.get(url_for(name, world, "taby"))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content


@pytest.mark.parametrize("name", EDIT_URL_NAMES)
def test_the_administrator_can_open_every_edit_page(client, admin_user, world, name):
    client.force_login(admin_user)
    for side in ("taby", "vaxholm"):
        response = client.get(url_for(name, world, side))
        assert response.status_code == 200
        assert 'lang="sv"' in response.content.decode()


@pytest.mark.parametrize(
    "name", [n for n in EDIT_URL_NAMES if not n.endswith(("_delete", "_create"))]
)
def test_an_editor_can_change_their_own_data_through_every_edit_page(
    client, taby_editor, world, name
):
    """Submitting the page as the owner sees it, with the texts changed, saves and redirects."""
    url = url_for(name, world, "taby")
    client.force_login(taby_editor)
    payload = form_payload(client.get(url).content.decode())
    before = snapshot()
    response = client.post(url, payload)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*><li>(.*?)</li>", response.content.decode()
    )
    assert snapshot() != before


@pytest.mark.parametrize("name", [n for n in EDIT_URL_NAMES if n.endswith("_delete")])
def test_the_administrator_can_delete_anything_not_referenced(client, admin_user, world, name):
    client.force_login(admin_user)
    if name == "organisation_delete":
        target = Organisation.objects.create(kind="company", name="Tillfälligt bolag")
        url = reverse("register:organisation_delete", args=[target.pk])
    elif name == "person_delete":
        target = f.make_person(name="Utan uppdrag")
        url = reverse("register:person_delete", args=[target.pk])
    else:
        url = url_for(name, world, "vaxholm")
    response = client.post(url, form_payload(client.get(url).content.decode()))
    assert response.status_code == 302


def test_an_editor_can_delete_their_own_decision_but_a_get_does_not(client, taby_editor, world):
    decision = world["taby"]["decision"]
    url = reverse("register:decision_delete", args=[decision.pk])
    client.force_login(taby_editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Ja, ta bort" in response.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert client.post(url, form_payload(response.content.decode())).status_code == 302
    assert not Decision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize("name", VERSIONED_URL_NAMES)
def test_every_edit_page_carries_the_version_of_what_it_shows(client, admin_user, world, name):
    """A new edit or delete page without the version token fails here. (The token is the newest
    history id; 0 for reference data loaded without history, such as the municipalities.)"""
    client.force_login(admin_user)
    payload = form_payload(client.get(url_for(name, world, "taby")).content.decode())
    assert re.fullmatch(r"[0-9]+", payload.get(versions.FIELD, "")), name


@pytest.mark.parametrize("name", VERSIONED_URL_NAMES)
def test_every_edit_page_refuses_a_save_without_its_version(client, admin_user, world, name):
    client.force_login(admin_user)
    url = url_for(name, world, "taby")
    payload = form_payload(client.get(url).content.decode())
    del payload[versions.FIELD]
    before = snapshot()
    response = client.post(url, payload)
    assert response.status_code == 200
    assert "Sidan saknar uppgift om vilken version" in response.content.decode()
    assert snapshot() == before


# --- The questions Access answers (register/access.py) -------------------------------------------
# One table of rules per model answers every question, so the answers for a queryset and for one
# object must agree, for every model and every kind of user.


def _users(taby, knivsta, admin_user, taby_editor, taby_reader, knivsta_editor):
    both = f.make_member(taby, Membership.Role.EDITOR)
    Membership.objects.create(user=both, organisation=knivsta, role=Membership.Role.EDITOR)
    users = [taby_editor, taby_reader, knivsta_editor, admin_user, both, f.make_user(), None]
    return [Access.for_user(u) for u in users]


@pytest.fixture
def wide_world(world, taby, vaxholm, knivsta):
    """The world, plus joint records, a published arrangement Knivsta is outside of, and
    published and unpublished records on it."""
    arrangement = world["arrangement"]
    f.make_decision(arrangement, title="Gemensamt beslut")
    f.make_evaluation(arrangement)
    published = f.make_arrangement(name="Öppen samverkan", members=(vaxholm,), is_published=True)
    f.make_decision(published, organisation=vaxholm, title="Publicerat", is_published=True)
    f.make_decision(published, organisation=vaxholm, title="Opublicerat")
    f.make_goal(arrangement=published, title="Öppet mål")
    f.make_cost(published.participations.get(), year=2024)
    return world


def test_editable_and_can_change_agree_for_every_model_and_user(
    wide_world, taby, knivsta, admin_user, taby_editor, taby_reader, knivsta_editor
):
    for access in _users(taby, knivsta, admin_user, taby_editor, taby_reader, knivsta_editor):
        for model in Access.RULES:
            rows = list(model.objects.all())
            by_queryset = set(access.editable(model.objects.all()).values_list("pk", flat=True))
            one_by_one = {row.pk for row in rows if access.can_change(row)}
            assert by_queryset == one_by_one, (model.__name__, access)


def test_visible_and_can_view_agree_for_every_model_and_user(
    wide_world, taby, knivsta, admin_user, taby_editor, taby_reader, knivsta_editor
):
    for access in _users(taby, knivsta, admin_user, taby_editor, taby_reader, knivsta_editor):
        for model in Access.RULES:
            rows = list(model.objects.all())
            by_queryset = set(access.visible(model.objects.all()).values_list("pk", flat=True))
            one_by_one = {row.pk for row in rows if access.can_view(row)}
            assert by_queryset == one_by_one, (model.__name__, access)


def test_an_unknown_model_is_the_administrators_alone(taby_editor, admin_user):
    editor, admin = Access.for_user(taby_editor), Access.for_user(admin_user)
    assert editor.visible_q(Membership) == Q(pk__in=[])
    assert editor.editable_q(Membership) == Q(pk__in=[])
    assert admin.visible_q(Membership) == Q()


def test_a_reference_organisations_scb_fields_are_the_administrators(taby, taby_editor, admin_user):
    editor, admin = Access.for_user(taby_editor), Access.for_user(admin_user)
    assert taby.is_reference and editor.can_change(taby)
    assert {"name", "code", "population", "is_reference"} <= editor.locked_fields(taby)
    assert not editor.can_change_field(taby, "name")
    assert editor.can_change_field(taby, "website")
    assert "SCB" in editor.locked_reason(taby)
    assert admin.locked_fields(taby) == frozenset()
    assert admin.can_change_field(taby, "name")
    own = Organisation.objects.create(name="Täby Energi AB", kind="company")
    assert editor.locked_fields(own) == frozenset()


def test_a_writer_can_ask_which_locked_fields_a_save_would_change(taby, taby_editor, admin_user):
    editor = Access.for_user(taby_editor)
    taby.website = "https://taby.se"
    assert editor.changed_locked_fields(taby) == []
    taby.name, taby.population = "Täby stad", 1
    assert editor.changed_locked_fields(taby) == ["name", "population"]
    assert Access.for_user(admin_user).changed_locked_fields(taby) == []
    # The stored record decides what is locked: clearing the flag unlocks nothing.
    taby.is_reference = False
    assert "is_reference" in editor.changed_locked_fields(taby)


def test_the_organisation_form_locks_what_access_locks(taby, taby_editor):
    from register.web.forms import OrganisationForm

    form = OrganisationForm(instance=taby, access=Access.for_user(taby_editor))
    disabled = {name for name, field in form.fields.items() if field.disabled}
    assert disabled == Access.for_user(taby_editor).locked_fields(taby) & set(form.fields)
    assert form.notice


def test_for_which_organisations_a_user_creates(
    shared_arrangement, taby, vaxholm, knivsta, taby_editor, taby_reader, admin_user
):
    editor, reader = Access.for_user(taby_editor), Access.for_user(taby_reader)
    admin = Access.for_user(admin_user)
    assert list(editor.creatable_for(Arrangement)) == [taby]
    assert editor.sole_creatable_id(Arrangement) == taby.pk
    assert editor.must_choose_organisation(Person)
    assert editor.can_create_for(Arrangement, taby)
    assert not editor.can_create_for(Arrangement, knivsta)
    assert not editor.can_create_for(Arrangement, None)
    assert not editor.can_create(Organisation) and not editor.creatable_for(Organisation)
    assert not reader.creatable_for(Person).exists() and not reader.can_create(Person)
    assert admin.creatable_for(Person).count() == Organisation.objects.count()
    assert admin.can_create_for(Arrangement, None) and not admin.must_choose_organisation(Person)
    assert admin.sole_creatable_id(Arrangement) is None
    on_it = admin.creatable_for(Decision, arrangement=shared_arrangement)
    assert set(on_it) == {taby, vaxholm}
    assert list(editor.creatable_for(Seat, arrangement=shared_arrangement)) == [taby]
    two = f.make_member(taby)
    Membership.objects.create(user=two, organisation=knivsta, role=Membership.Role.EDITOR)
    assert Access.for_user(two).sole_creatable_id(Arrangement) is None


def test_who_is_a_member_of_an_organisation_or_arrangement(
    shared_arrangement, taby, knivsta, taby_reader, knivsta_editor, admin_user
):
    reader, other = Access.for_user(taby_reader), Access.for_user(knivsta_editor)
    assert reader.is_member_of(taby) and reader.is_member_of(shared_arrangement)
    assert not other.is_member_of(taby) and not other.is_member_of(shared_arrangement)
    assert Access.for_user(admin_user).is_member_of(shared_arrangement)
    assert list(reader.member_organisations()) == [taby]
    assert not Access(user_id=None).member_organisations().exists()


def test_join_candidates_leave_out_participants_and_waiting_requests(
    shared_arrangement, taby, knivsta, knivsta_editor, taby_editor, admin_user
):
    shared_arrangement.is_published = True
    shared_arrangement.save()
    other = Access.for_user(knivsta_editor)
    assert other.may_ask_to_join(shared_arrangement)
    assert list(other.join_candidates(shared_arrangement)) == [knivsta]
    assert not Access.for_user(taby_editor).may_ask_to_join(shared_arrangement)
    admin = Access.for_user(admin_user)
    assert knivsta in admin.join_candidates(shared_arrangement)
    assert taby not in admin.join_candidates(shared_arrangement)
    JoinRequest.objects.create(arrangement=shared_arrangement, organisation=knivsta, role="member")
    assert not other.join_candidates(shared_arrangement).exists()
    answerable = Access.for_user(taby_editor).answerable_join_requests(JoinRequest.objects.all())
    assert answerable.count() == 1
    assert not other.answerable_join_requests(JoinRequest.objects.all()).exists()


def test_the_visibility_shape_rebuilds_the_same_condition_around_other_ids(taby, knivsta):
    access = Access(user_id=1, member_org_ids=frozenset({knivsta.pk, taby.pk}))
    shape, ids = access.visibility_shape()
    assert ids == sorted({knivsta.pk, taby.pk})
    rebuilt = access.as_member_of(ids)
    assert str(rebuilt.decisions().query) == str(access.decisions().query)
    admin_shape, admin_ids = Access.administrator().visibility_shape()
    assert admin_shape != shape and admin_ids == []
    assert Access.administrator().as_member_of([1]).visible_q(Decision) == Q()


def test_another_app_registers_its_models_rule(taby):
    """The importer does so for its batches (importers/apps.py); access.py imports no app."""

    class Probe:
        pass

    try:
        Access.register(Probe, Rule(members="organisation", owner="organisation"))
        assert Access.rule(Probe).owner == "organisation"
    finally:
        del Access.RULES[Probe]
    assert Access.rule(Probe) is None
