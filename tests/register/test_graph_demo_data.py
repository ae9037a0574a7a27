"""The partner network on the real demo data, checked against an independent computation.

The expected figures are computed here with plain Python straight from the shipped CSV files
(register/data/), without any of the register's code: an arrangement counts unless its status is
"dissolved"; a membership counts unless it ended (``to``) on or before today; only municipalities.
"""

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from register.access import Access
from register.demo import load_demo
from register.models import Organisation
from register.selectors.network import organisation_figures

DATA = Path(__file__).resolve().parents[2] / "register" / "data"
CODES = ["0319", "0360", "2180", "1984", "1960", "1864", "0162", "0160"]


def first_day(text: str) -> dt.date:
    """'2011' -> 2011-01-01, '2011-05' -> 2011-05-01, a full date as it is."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def independent_figures(today: dt.date) -> dict[str, dict]:
    with open(DATA / "arrangements.csv", encoding="utf-8", newline="") as f:
        alive = {row["id"] for row in csv.DictReader(f) if row["status"] != "dissolved"}
    members = defaultdict(set)
    with open(DATA / "arrangement_members.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["member_type"] != "kommun" or row["arrangement_id"] not in alive:
                continue
            left = row["to"].strip()
            if left and first_day(left) <= today:
                continue
            joined = row["from"].strip()
            if joined and first_day(joined) > today:
                continue
            members[row["arrangement_id"]].add(row["member_code"])
    result = {}
    for code in CODES:
        mine = [a for a, codes in members.items() if code in codes]
        partners = set().union(*(members[a] - {code} for a in mine)) if mine else set()
        groups = {frozenset(members[a] - {code}) for a in mine} - {frozenset()}
        result[code] = {
            "arrangements": len(mine),
            "partners": len(partners),
            "weighted_degree": sum(len(members[a]) - 1 for a in mine),
            "distinct_partner_groups": len(groups),
        }
    return result


@pytest.mark.django_db
def test_demo_figures_match_an_independent_computation_from_the_csv_files():
    load_demo(portfolio=False)
    today = dt.date.today()
    expected = independent_figures(today)
    admin = Access(user_id=None, is_admin=True)
    _, figures = organisation_figures(admin, on=today, kind="municipality")
    by_code = {f.org.code: f for f in figures}
    got = {
        code: {
            "arrangements": by_code[code].arrangements,
            "partners": by_code[code].partners,
            "weighted_degree": by_code[code].weighted_degree,
            "distinct_partner_groups": by_code[code].distinct_partner_groups,
        }
        for code in CODES
    }
    assert got == expected
    assert any(e["arrangements"] >= 3 for e in expected.values())  # not a trivial sample
    assert Organisation.objects.filter(code__in=CODES).count() == len(CODES)


@pytest.mark.django_db
def test_the_reviews_influence_rows_are_the_network_pages():
    # influence_data (four queries, for the review page) gives the same influence as the
    # network pages' network_data: one rule, fed two ways.
    from register import graph
    from register.selectors.network import influence_data, network_data

    load_demo()
    on = dt.date(2026, 12, 1)
    admin = Access(user_id=None, is_admin=True)
    for code in ("0160", "0186", "0187"):
        org = Organisation.objects.get(code=code)
        full = graph.influence_by_org(
            network_data(admin, on=on, organisation_id=org.pk, with_seats=True), [org.pk], on=on
        )
        light = graph.influence_by_org(
            influence_data(admin, organisation_id=org.pk, on=on), [org.pk], on=on
        )
        assert light == full and full[org.pk], code
    taby = Organisation.objects.get(code="0160")
    rows = graph.influence_by_org(
        influence_data(admin, organisation_id=taby.pk, on=on), [taby.pk], on=on
    )
    assert any(r.seat_share is not None for r in rows[taby.pk])  # seats are compared too
