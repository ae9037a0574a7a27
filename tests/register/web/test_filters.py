"""Every filter of every list applied, through the filter sets and through the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from register.models import Arrangement, Decision, Organisation, Person, Review
from register.web import filters
from tests import factories as f


@pytest.fixture
def two(db, taby, vaxholm, knivsta):
    """A joint committee of Täby and Vaxholm (Stockholm) and a payroll agreement in Uppsala län."""
    miljo = f.make_arrangement(
        name="Södra Roslagens miljönämnd",
        form_slug="joint_committee",
        areas=("miljo_bygg",),
        host=taby,
    )
    f.make_participation(miljo, taby, role="host")
    f.make_participation(miljo, vaxholm)
    lon = f.make_arrangement(
        name="Lönecentrum",
        form_slug="agreement",
        areas=("lon",),
        status="renegotiation",
        orgnr="2120000142",
    )
    f.make_participation(lon, knivsta, role="provider")
    return miljo, lon


def names(qs):
    return sorted(a.name for a in qs)


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "miljö"}, ["Södra Roslagens miljönämnd"]),
        ({"q": "Knivsta"}, ["Lönecentrum"]),  # a partner's name
        ({"q": "212000-0142"}, ["Lönecentrum"]),  # an orgnr with a hyphen
        ({"q": "   "}, ["Lönecentrum", "Södra Roslagens miljönämnd"]),
        ({"form": "agreement"}, ["Lönecentrum"]),
        ({"status": "renegotiation"}, ["Lönecentrum"]),
        ({"area": "administration"}, ["Lönecentrum"]),  # a parent area includes its sub-areas
        ({"area": "miljo_bygg"}, ["Södra Roslagens miljönämnd"]),
        ({"partner": "0187"}, ["Södra Roslagens miljönämnd"]),
        ({"county": "03"}, ["Lönecentrum"]),
    ],
)
def test_arrangement_filters(two, params, expected):
    params = resolve(params)
    fs = filters.ArrangementFilterSet(params, queryset=Arrangement.objects.all())
    assert fs.is_valid(), fs.errors
    assert names(fs.qs) == expected


def resolve(params):
    """Turn readable values (slugs and codes) into the primary keys the forms take."""
    from register.models import CooperationForm, County, ServiceArea

    out = dict(params)
    if "form" in out:
        out["form"] = CooperationForm.objects.get(slug=out["form"]).pk
    if "area" in out:
        out["area"] = ServiceArea.objects.get(slug=out["area"]).pk
    if "partner" in out:
        out["partner"] = Organisation.objects.get(code=out["partner"]).pk
    if "organisation" in out:
        out["organisation"] = Organisation.objects.get(code=out["organisation"]).pk
    if "county" in out:
        out["county"] = County.objects.get(code=out["county"]).pk
    return out


def test_a_partner_filter_does_not_repeat_rows_or_break_counts(two, taby, vaxholm):
    from register.access import Access
    from register.selectors.lists import arrangement_list_queryset

    qs = arrangement_list_queryset(Access(user_id=1, is_admin=True))
    fs = filters.ArrangementFilterSet(resolve({"county": "01"}), queryset=qs)
    [row] = fs.qs
    assert row.partner_count == 2


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "Täby"}, ["Täby kommun"]),
        ({"q": "0160"}, ["Täby kommun"]),
        ({"kind": "region", "county": "01"}, ["Region Stockholm"]),
        ({"county": "03", "q": "Knivsta"}, ["Knivsta kommun"]),
    ],
)
def test_organisation_filters(db, params, expected):
    fs = filters.OrganisationFilterSet(resolve(params), queryset=Organisation.objects.all())
    assert fs.is_valid(), fs.errors
    assert sorted(o.name for o in fs.qs) == expected


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "Anna"}, ["Anna Svensson"]),
        ({"q": "Täby"}, ["Anna Svensson"]),  # the organisation's name
        ({"kind": "official"}, ["Per Olsson"]),
        ({"party": "s"}, ["Anna Svensson"]),
        ({"organisation": "0187"}, ["Per Olsson"]),
    ],
)
def test_person_filters(taby, vaxholm, params, expected):
    f.make_person(name="Anna Svensson", party="S", organisation=taby)
    f.make_person(name="Per Olsson", kind="official", organisation=vaxholm)
    fs = filters.PersonFilterSet(resolve(params), queryset=Person.objects.all())
    assert fs.is_valid(), fs.errors
    assert sorted(p.name for p in fs.qs) == expected


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "taxa"}, ["Ny taxa"]),
        ({"q": "Lönecentrum"}, ["Inträde"]),  # the arrangement's name
        ({"kind": "tariff"}, ["Ny taxa"]),
        ({"year": "2023"}, ["Inträde"]),
        ({"form": "agreement"}, ["Inträde"]),
        ({"area": "miljo_bygg"}, ["Ny taxa"]),
        ({"status": "renegotiation"}, ["Inträde"]),
        ({"partner": "0187"}, ["Ny taxa"]),
        ({"county": "03"}, ["Inträde"]),
    ],
)
def test_decision_filters(two, params, expected):
    miljo, lon = two
    f.make_decision(miljo, title="Ny taxa", kind="tariff", date=dt.date(2024, 5, 1))
    f.make_decision(lon, title="Inträde", kind="entry", date=dt.date(2023, 1, 1))
    fs = filters.DecisionFilterSet(resolve(params), queryset=Decision.objects.all())
    assert fs.is_valid(), fs.errors
    assert sorted(d.title for d in fs.qs) == expected


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "2025"}, ["Genomgång 2025"]),
        ({"organisation": "0187"}, ["Vaxholms genomgång"]),
        ({"year": "2024"}, ["Vaxholms genomgång"]),
    ],
)
def test_review_filters(taby, vaxholm, params, expected):
    Review.objects.create(organisation=taby, date=dt.date(2025, 2, 1), title="Genomgång 2025")
    Review.objects.create(
        organisation=vaxholm, date=dt.date(2024, 2, 1), title="Vaxholms genomgång"
    )
    fs = filters.ReviewFilterSet(resolve(params), queryset=Review.objects.all())
    assert fs.is_valid(), fs.errors
    assert sorted(r.title for r in fs.qs) == expected


@pytest.mark.parametrize(
    "url_name",
    [
        "register:arrangement_list",
        "register:organisation_list",
        "register:person_list",
        "register:decision_list",
        "register:review_list",
    ],
)
def test_a_bad_filter_value_shows_a_message_instead_of_crashing(client, admin_user, url_name):
    client.force_login(admin_user)
    response = client.get(
        reverse(url_name),
        {
            "form": "999999",
            "area": "x",
            "partner": "abc",
            "county": "0",
            "kind": "nope",
            "organisation": "-1",
            "year": "tjugo",
            "status": "?",
        },
    )
    assert response.status_code == 200
    assert "Filtret innehåller fel" in response.content.decode()


def test_the_filter_form_is_labelled_and_keeps_the_chosen_value(client, admin_user, two):
    client.force_login(admin_user)
    status = "renegotiation"
    html = client.get(reverse("register:arrangement_list"), {"status": status}).content.decode()
    assert '<label for="id_status">Status</label>' in html
    assert f'<option value="{status}" selected>' in html
    assert 'type="search"' in html
    assert "Rensa filter" in html
