"""Who may change what, through every edit URL.

An editor of one municipality cannot change another's data by typing a URL (GET or POST to an
update, delete or formset URL of the other's participation, cost, seat, decision … is a 403 or 404
and the database is unchanged); a reader cannot change anything; an editor changes their own; the
register administrator changes everything.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from register import versions
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users here log in with force_login; hashing their passwords slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
