"""With the seed_scale data loaded (5,000 arrangements over 10 years), the arrangement list, an
arrangement detail, the busiest municipality's organisation page, its network and influence
pages, its one-message and seats-to-fill pages (and the workbook), its county's and the national
network each run at most 15 SQL queries, for an editor and
for a register administrator."""

import pytest
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from register.management.commands.seed_scale import scale_arrangements, seed_scale
from register.models import Membership, Organisation
from tests import factories as f

# Every test is a database test, so that pytest-django runs them before the transactional ones,
# which flush the database (the module's data is set up once, outside the tests' transactions).
pytestmark = [pytest.mark.scale, pytest.mark.django_db]

MAX_QUERIES = 15


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """Load the synthetic register once for the module, in a transaction rolled back at the end
    (so no other test sees it)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            result = seed_scale(arrangements=5000, years=10, seed=1)
            busiest = (
                Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
                .annotate(n=Count("participations"))
                .order_by("-n", "code")
                .first()
            )
            # the busiest municipality's largest arrangement (most participants, then bodies)
            # (a subquery, so that the count is of every participant, not only the busiest)
            arrangement = (
                scale_arrangements()
                .filter(pk__in=busiest.participations.values("arrangement_id"))
                .annotate(
                    n=Count("participations", distinct=True), b=Count("bodies", distinct=True)
                )
                .order_by("-n", "-b", "pk")
                .first()
            )
            yield {"result": result, "busiest": busiest, "arrangement": arrangement}
            transaction.set_rollback(True)


@pytest.fixture(params=["editor", "admin"])
def user(request, scale, db):
    if request.param == "admin":
        return f.make_user("scale-admin", superuser=True)
    return f.make_member(scale["busiest"], Membership.Role.EDITOR, "scale-editor")


def pages(scale):
    return {
        "arrangement_list": reverse("register:arrangement_list"),
        "arrangement_detail": reverse(
            "register:arrangement_detail", args=[scale["arrangement"].pk]
        ),
        "organisation_detail": reverse("register:organisation_detail", args=[scale["busiest"].pk]),
        # The partner network (register/web/network.py)
        "organisation_network": reverse(
            "register:organisation_network", args=[scale["busiest"].pk]
        ),
        "organisation_influence": reverse(
            "register:organisation_influence", args=[scale["busiest"].pk]
        ),
        "network_county": reverse("register:network_county", args=[scale["busiest"].county_id]),
        "network_national": reverse("register:network_national"),
        "overview_organisation": reverse(
            "register:overview_organisation", args=[scale["busiest"].pk]
        ),
        # Our voice: every position in a period, the seats to fill and their workbook
        "organisation_one_message": reverse(
            "register:organisation_one_message", args=[scale["busiest"].pk]
        ),
        "organisation_seats_to_fill": reverse(
            "register:organisation_seats_to_fill", args=[scale["busiest"].pk]
        ),
        "organisation_seats_to_fill_xlsx": reverse(
            "register:organisation_seats_to_fill_xlsx", args=[scale["busiest"].pk]
        ),
    }


def test_the_scale_data_cover_every_municipality_and_region(scale, db):
    assert scale["result"].arrangements == 5000
    idle = Organisation.objects.filter(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION], participations=None
    )
    assert not idle.exists()
    assert scale["arrangement"].participations.count() >= 8


@pytest.mark.parametrize(
    "page",
    [
        "arrangement_list",
        "arrangement_detail",
        "organisation_detail",
        "organisation_network",
        "organisation_influence",
        "network_county",
        "network_national",
        "overview_organisation",
        "organisation_one_message",
        "organisation_seats_to_fill",
        "organisation_seats_to_fill_xlsx",
    ],
)
def test_the_page_runs_at_most_15_queries(page, scale, user, client, django_assert_max_num_queries):
    client.force_login(user)
    url = pages(scale)[page]
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_the_list_page_is_paginated_and_filterable_within_the_limit(
    scale, client, django_assert_max_num_queries
):
    client.force_login(f.make_member(scale["busiest"], Membership.Role.EDITOR, "scale-editor-2"))
    url = reverse("register:arrangement_list")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url, {"page": 3, "sort": "name"})
    assert response.status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(
            url, {"q": "Syntetisk", "form": f.form("municipal_federation").pk, "status": "active"}
        )
    assert response.status_code == 200
