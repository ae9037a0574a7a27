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
from register.models import Membership, Organisation, Person, Seat
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


def our_seat(scale):
    """The busiest municipality's seat in its largest arrangement (in a body that meets)."""
    return (
        Seat.objects.filter(body__arrangement=scale["arrangement"], appointed_by=scale["busiest"])
        .select_related("body")
        .order_by("pk")
        .first()
    )


def pages(scale):
    seat = our_seat(scale)
    meeting = seat.body.meetings.order_by("starts_at").first()  # held while the seat is in force
    return {
        # Our voice in the joint bodies (register/web/meetings.py, briefings.py)
        "home": reverse("register:home"),
        "meeting_index": reverse("register:meeting_index"),
        "body_meetings": reverse("register:body_meetings", args=[seat.body_id]),
        "meeting_detail": reverse("register:meeting_detail", args=[meeting.pk]),
        "organisation_meetings": reverse(
            "register:organisation_meetings", args=[scale["busiest"].pk]
        ),
        "information_log": reverse("register:information_log", args=[scale["busiest"].pk]),
        "briefing": reverse("register:briefing", args=[meeting.pk, seat.person_id]),
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
        "home",
        "meeting_index",
        "body_meetings",
        "meeting_detail",
        "organisation_meetings",
        "information_log",
        "briefing",
    ],
)
def test_the_page_runs_at_most_15_queries(page, scale, user, client, django_assert_max_num_queries):
    client.force_login(user)
    url = pages(scale)[page]
    if page == "home":
        # a representative's start page: the user is the person holding our seat ("Mina uppdrag")
        Person.objects.filter(pk=our_seat(scale).person_id).update(user=user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    # a member of one organisation is taken from the meeting index to its meetings
    assert response.status_code == (
        302 if (page, user.is_superuser) == ("meeting_index", False) else 200
    )


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
