"""Every column of every list is sorted both ways and rendered, with data on the page."""

import datetime as dt

import pytest
from django.urls import reverse

from register import rules
from register.models import Review, ReviewItem
from register.web import tables
from tests import factories as f

LISTS = [
    ("register:arrangement_list", tables.ArrangementTable),
    ("register:organisation_list", tables.OrganisationTable),
    ("register:person_list", tables.PersonTable),
    ("register:decision_list", tables.DecisionTable),
    ("register:review_list", tables.ReviewTable),
]


def column_cases():
    for url_name, table in LISTS:
        for name in table.base_columns:
            yield pytest.param(url_name, table, name, id=f"{url_name.split(':')[1]}-{name}")


@pytest.fixture
def listed(shared_arrangement, taby, vaxholm):
    """One of everything, so that each list has a row to render."""
    shared_arrangement.is_example = True
    shared_arrangement.save()
    taby_part = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(taby_part, year=rules.reference_year(dt.date.today()), outcome=1_234_567)
    body = f.make_body(shared_arrangement)
    f.make_seat(body, f.make_person(name="Anna Andersson", party="S", organisation=taby), taby)
    f.make_decision(shared_arrangement, organisation=taby, title="Inträde", impact_cost=True)
    review = Review.objects.create(
        organisation=taby, date=dt.date(2025, 3, 1), title="KS genomgång"
    )
    ReviewItem.objects.create(review=review, participation=taby_part)
    return shared_arrangement


@pytest.mark.parametrize("url_name,table,column", list(column_cases()))
def test_every_column_sorts_both_ways_and_renders(
    client, taby_editor, listed, url_name, table, column
):
    client.force_login(taby_editor)
    for direction in ("", "-"):
        response = client.get(reverse(url_name), {"sort": f"{direction}{column}"})
        assert response.status_code == 200
        rendered = response.context["table"]
        assert isinstance(rendered, table)
        header = str(rendered.columns[column].header)
        assert header in response.content.decode()
        rows = list(rendered.paginated_rows)
        assert rows, "the list should have a row to render"
        assert all(row.get_cell(column) is not None for row in rows)


def test_arrangement_table_shows_the_own_latest_cost_in_kronor(client, taby_editor, listed, taby):
    client.force_login(taby_editor)
    html = client.get(reverse("register:arrangement_list")).content.decode()
    assert f"Kostnad {taby.display_name} {rules.reference_year(dt.date.today())}" in html
    assert "1\u00a0234\u00a0567\u00a0kr" in html
    assert "Exempel" in html


def test_arrangement_table_leaves_out_the_cost_column_for_users_without_organisation(
    client, admin_user, listed
):
    client.force_login(admin_user)
    html = client.get(reverse("register:arrangement_list")).content.decode()
    assert "Kostnad " not in html


def test_arrangement_table_renders_areas_and_partner_count(client, taby_editor, listed):
    client.force_login(taby_editor)
    response = client.get(reverse("register:arrangement_list"))
    row = next(iter(response.context["table"].paginated_rows))
    assert row.get_cell("areas") == "Miljö och bygg"
    assert row.get_cell("partner_count") == 2


def test_unknown_sort_column_is_ignored(client, taby_editor, listed):
    client.force_login(taby_editor)
    response = client.get(reverse("register:arrangement_list"), {"sort": "nonsense"})
    assert response.status_code == 200


def test_lists_paginate_fifty_rows_per_page(client, admin_user):
    for i in range(51):
        f.make_arrangement(name=f"Samverkan {i:03}", is_published=True)
    client.force_login(admin_user)
    first = client.get(reverse("register:arrangement_list"))
    assert len(list(first.context["table"].paginated_rows)) == 50
    second = client.get(reverse("register:arrangement_list"), {"page": 2})
    assert [r.record.name for r in second.context["table"].paginated_rows] == ["Samverkan 050"]
    for bad_page in ("99", "abc"):
        response = client.get(reverse("register:arrangement_list"), {"page": bad_page})
        assert response.status_code == 200  # an out-of-range page shows a page, not an error
