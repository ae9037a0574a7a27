"""The list pages' querysets: what the user may see, with counts and the own latest cost."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .. import rules
from ..access import Access
from ..models import (
    Arrangement,
    Cost,
    Decision,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    ServiceArea,
)
from ..rules import BEST_AMOUNT


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    """Return COUNT(*) of ``queryset`` grouped on ``outer_field`` as a correlated subquery."""
    counted = queryset.order_by().values(outer_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def own_organisation(access: Access) -> Organisation | None:
    """Return the organisation whose figures a user's lists show: the first they belong to."""
    return access.member_organisations().order_by("name").first()


def arrangement_list_queryset(
    access: Access, *, own_org_id: int | None = None, today: dt.date | None = None
) -> QuerySet:
    """Return the arrangements the user may see, with partner counts and, for ``own_org_id``,
    its cost in the reference year (``rules.reference_year``) and which figure it is."""
    qs = access.arrangements(Arrangement.objects.select_related("form", "host")).annotate(
        partner_count=_count_subquery(
            Participation.objects.filter(arrangement=OuterRef("pk")), "arrangement"
        )
    )
    if own_org_id:
        year = rules.reference_year(today or rules.today())
        cost = Cost.objects.filter(
            participation__arrangement=OuterRef("pk"),
            participation__organisation_id=own_org_id,
            year=year,
        ).annotate(
            best=BEST_AMOUNT,
            kind=Case(
                *(When(**{f"{f}__isnull": False}, then=Value(f)) for f in rules.BEST_AMOUNT_FIELDS),
                default=Value(""),
            ),
        )
        qs = qs.annotate(
            own_cost=Subquery(cost.values("best")[:1]),
            own_cost_kind=Subquery(cost.values("kind")[:1]),
            own_cost_year=Value(year),
        )
    return qs.prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.order_by("sort_order", "name"))
    )


def organisation_list_queryset(access: Access) -> QuerySet:
    """Return organisations with the number of visible arrangements each takes part in."""
    visible = access.arrangements().values("pk")
    return access.organisations(Organisation.objects.select_related("county")).annotate(
        arrangement_count=_count_subquery(
            Participation.objects.filter(organisation=OuterRef("pk"), arrangement__in=visible),
            "organisation",
        )
    )


def person_list_queryset(access: Access) -> QuerySet:
    return access.people(Person.objects.select_related("organisation")).annotate(
        seat_count=_count_subquery(Seat.objects.filter(person=OuterRef("pk")), "person")
    )


def decision_list_queryset(access: Access) -> QuerySet:
    return access.decisions(Decision.objects.select_related("arrangement", "organisation"))


def review_list_queryset(access: Access) -> QuerySet:
    return access.reviews(Review.objects.select_related("organisation")).annotate(
        item_count=_count_subquery(ReviewItem.objects.filter(review=OuterRef("pk")), "review")
    )
