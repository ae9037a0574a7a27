"""Bad input never crashes a page and never half-writes: every edit form, fed one nasty value
at a time, and every list page, fed nasty query strings, answers without a server error; a form
that refuses the input leaves the database exactly as it was."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register import versions
from register.models import Alternative, Contribution, GoalConflict, Review, ReviewItem
from tests import factories as f

pytestmark = pytest.mark.django_db

# A number beyond every database integer, a NUL character, text far over any length limit.
NASTY_VALUES = ["9" * 30, "a\x00b", "x" * 3000]
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


class PostForm(HTMLParser):
    """The fields of the page's first POST form with their current values (as a browser sends
    them: unchecked boxes left out)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.names: list[str] = []
        self.done = self.inside = False
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "form" and not self.done and (a.get("method") or "").lower() == "post":
            self.inside = "logga-ut" not in (a.get("action") or "")
        elif not self.inside or tag not in ("input", "select", "option", "textarea"):
            return
        elif tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            self.names.append(name)
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
            self.names.append(name)
            self.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.names.append(name)
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def writes(queries) -> list[str]:
    """The statements that changed register data and were not rolled back."""
    if any("ROLLBACK" in q["sql"].upper() for q in queries):
        return []
    return [
        q["sql"][:80]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]


@pytest.fixture
def everything(shared_arrangement, taby, vaxholm):
    a = shared_arrangement
    own = a.participations.get(organisation=taby)
    f.make_cost(own, year=2024)
    body = f.make_body(a, name="Nämnden")
    f.make_seat(body, f.make_person(name="Anna Svensson", organisation=taby), taby)
    goal = f.make_goal(organisation=taby)
    contribution = Contribution.objects.create(arrangement=a, goal=goal)
    conflict = GoalConflict.objects.create(arrangement=a, goal=goal, description="Krock")
    decision = f.make_decision(a, organisation=taby)
    evaluation = f.make_evaluation(a, organisation=taby)
    alternative = Alternative.objects.create(arrangement=a, kind="own_operation")
    review = Review.objects.create(organisation=taby, date=dt.date(2025, 3, 1), title="KS 2025")
    ReviewItem.objects.create(review=review, participation=own, direction="maintain")
    person = f.make_person(name="Per Olsson", organisation=taby)
    return [
        ("arrangement_create", []),
        ("arrangement_update", [a.pk]),
        ("arrangement_participations", [a.pk]),
        ("arrangement_bodies", [a.pk]),
        ("arrangement_totalcosts", [a.pk]),
        ("participation_update", [own.pk]),
        ("participation_costs", [own.pk]),
        ("body_seats", [body.pk]),
        ("arrangement_goal_create", [a.pk]),
        ("goal_update", [goal.pk]),
        ("contribution_update", [contribution.pk]),
        ("goalconflict_update", [conflict.pk]),
        ("evaluation_update", [evaluation.pk]),
        ("alternative_update", [alternative.pk]),
        ("decision_update", [decision.pk]),
        ("person_update", [person.pk]),
        ("organisation_update", [taby.pk]),
        ("review_update", [review.pk]),
        ("review_items", [review.pk]),
    ]


def test_no_nasty_value_in_any_edit_form_crashes_or_half_writes(admin_user, everything):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    failures = []
    for name, args in everything:
        url = reverse(f"register:{name}", args=args)
        page = client.get(url)
        assert page.status_code == 200, url
        form = PostForm()
        form.feed(page.content.decode())
        assert form.names, f"no form on {url}"
        for field in dict.fromkeys(form.names):
            if field.endswith("DELETE"):  # any value ticks the box: a deletion, not bad input
                continue
            if re.search(r"-[1-9]\d*-", field):  # a formset's later rows repeat its first
                continue
            values = ["100000", "-1", "abc"] if field.endswith(MANAGEMENT) else NASTY_VALUES
            for value in values:
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(url, form.fields | {field: value})
                if response.status_code >= 500:
                    failures.append(f"{url} {field}={value[:12]!r}: {response.status_code}")
                elif response.status_code == 200 and writes(queries.captured_queries):
                    failures.append(f"{url} {field}={value[:12]!r}: refused but wrote")
                elif response.status_code == 302 and versions.FIELD in form.fields:
                    # Saved: the next value goes in against the new version, as a browser would
                    # send it, so that it reaches the save rather than the version check.
                    fresh = PostForm()
                    fresh.feed(client.get(url).content.decode())
                    form.fields[versions.FIELD] = fresh.fields[versions.FIELD]
    assert failures == []


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("arrangement_list", ["q", "form", "area", "status", "partner", "county", "sort", "page"]),
        ("arrangement_list", ["per_page"]),
        ("organisation_list", ["q", "kind", "county", "sort", "page", "per_page"]),
        ("person_list", ["q", "kind", "organisation", "sort", "page"]),
        ("decision_list", ["q", "kind", "year", "form", "area", "partner", "county", "page"]),
        ("review_list", ["q", "organisation", "year", "sort", "page"]),
    ],
)
def test_no_query_string_makes_a_list_page_fail(client, taby_editor, everything, url_name, params):
    client.raise_request_exception = False
    client.force_login(taby_editor)
    url = reverse(f"register:{url_name}")
    for param in params:
        for value in ["9" * 30, "-1", "0", "abc", "a\x00b", "2024-02-30"]:
            response = client.get(url, {param: value})
            assert response.status_code == 200, f"{url}?{param}={value}"
