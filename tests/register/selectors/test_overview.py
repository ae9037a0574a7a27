"""register/selectors/overview.py: the home page's figures and deadlines."""

import datetime as dt
from types import SimpleNamespace as NS

from django.urls import reverse

from register import rules
from register.access import Access
from register.models import Membership
from register.selectors import overview
from tests import factories as f


def test_add_months_clamps_to_the_end_of_the_month():
    assert rules.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert rules.add_months(dt.date(2024, 3, 15), -15) == dt.date(2022, 12, 15)


def test_upcoming_lists_what_ends_or_must_be_given_notice_within_24_months():
    today = dt.date(2025, 1, 1)
    ends_soon = NS(name="A", end_date=dt.date(2026, 6, 30), notice_months=None)
    notice_soon = NS(name="B", end_date=dt.date(2027, 12, 31), notice_months=12)
    far = NS(name="C", end_date=dt.date(2030, 1, 1), notice_months=6)
    ended = NS(name="D", end_date=dt.date(2024, 1, 1), notice_months=None)
    open_ended = NS(name="E", end_date=None, notice_months=6)
    result = overview.upcoming([far, notice_soon, ends_soon, ended, open_ended], today=today)
    assert [d.arrangement.name for d in result] == ["A", "B"]
    assert result[1].notice_date == dt.date(2026, 12, 31)


def test_home_summaries_count_costs_and_deadlines(shared_arrangement, taby):
    today = dt.date(2025, 1, 1)
    shared_arrangement.end_date = dt.date(2026, 6, 30)
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=1000)
    f.make_cost(p, year=2030, budget=5)  # a future budget is not the latest annual cost
    [summary] = overview.home_summaries(
        Access(user_id=1, member_org_ids=frozenset({taby.pk})), today=today
    )
    assert summary.arrangement_count == 1
    assert (summary.cost_year, summary.cost_total) == (2024, 1000)
    assert summary.by_form[0]["arrangement__form__name"] == "Gemensam nämnd"
    assert [d.arrangement for d in summary.deadlines] == [shared_arrangement]


def test_home_summaries_are_empty_for_a_user_without_organisations(db):
    assert overview.home_summaries(Access(user_id=1)) == []


MUNICIPALITIES = ("0160", "0187", "0330", "0114", "0115")


def test_home_summaries_run_four_queries_however_many_organisations(db, django_assert_num_queries):
    today = dt.date(2025, 1, 1)
    orgs = [f.municipality(code) for code in MUNICIPALITIES]
    for i, org in enumerate(orgs):
        a = f.make_arrangement(members=orgs[: i + 1], end_date=dt.date(2026, 1, 1 + i))
        p = a.participations.get(organisation=org)
        f.make_cost(p, year=2024, outcome=100 * (i + 1))
        f.make_cost(p, year=2023, outcome=7)  # not the reference year: not the cost shown
    access = Access(user_id=1, member_org_ids=frozenset(o.pk for o in orgs))
    with django_assert_num_queries(4):
        summaries = overview.home_summaries(access, today=today)
    by_name = {s.organisation.name: s for s in summaries}
    assert len(summaries) == 5
    taby = by_name["Täby kommun"]
    assert taby.arrangement_count == 5 and len(taby.deadlines) == 5
    assert (taby.cost_year, taby.cost_total) == (2024, 100)
    last = by_name[orgs[-1].name]
    assert last.arrangement_count == 1 and (last.cost_year, last.cost_total) == (2024, 500)
    assert [d.arrangement.end_date for d in taby.deadlines] == sorted(
        d.arrangement.end_date for d in taby.deadlines
    )


def test_the_home_page_of_a_member_of_five_organisations_stays_within_15_queries(
    db, client, django_assert_max_num_queries
):
    orgs = [f.municipality(code) for code in MUNICIPALITIES]
    user = f.make_member(orgs[0])
    for org in orgs[1:]:
        Membership.objects.create(user=user, organisation=org, role=Membership.Role.READER)
    for org in orgs:
        f.make_cost(f.make_arrangement(members=[org]).participations.get(), outcome=1)
    client.force_login(user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("register:home")).status_code == 200
