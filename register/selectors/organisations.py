"""An organisation's page: its participations with their costs, people, goals and reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import rules
from ..access import Access
from ..models import (
    Cost,
    Organisation,
    Participation,
)
from .changelog import organisation_change_log
from .costs import CostRow, year_trend

# --- Goals (pure Python) -----------------------------------------------------------------------


@dataclass
class GoalNode:
    goal: Any
    children: list = field(default_factory=list)


def goal_tree(goals) -> list[GoalNode]:
    """Return goals as a forest (vision → focus area → goal), keeping the given order."""
    nodes = {g.pk: GoalNode(goal=g) for g in goals}
    roots = []
    for g in goals:
        parent = nodes.get(g.parent_id)
        if parent is not None and g.parent_id != g.pk:
            parent.children.append(nodes[g.pk])
        else:
            roots.append(nodes[g.pk])
    return roots


@dataclass
class OrganisationDetail:
    organisation: Organisation
    participations: list
    people: list
    goals: list
    reviews: list
    change_log: list
    is_member: bool
    total_latest: int | None = None
    total_year: int | None = None
    total_kind: str = ""

    @property
    def is_example(self) -> bool:
        return any(p.is_example for p in self.participations) or any(
            r.is_example for r in self.reviews
        )


def organisation_detail(
    access: Access, pk: int, *, log_limit: int = 50
) -> OrganisationDetail | None:
    organisation = (
        access.organisations(Organisation.objects.select_related("county")).filter(pk=pk).first()
    )
    if organisation is None:
        return None
    is_member = access.is_member_of(organisation)
    participations = list(
        Participation.objects.filter(
            organisation=organisation, arrangement__in=access.arrangements().values("pk")
        )
        .select_related("arrangement", "arrangement__form")
        .order_by("arrangement__name")
    )
    # Costs as plain rows: the page needs figures per year, not thousands of model instances.
    costs: dict[int, list] = {p.pk: [] for p in participations}
    if participations:
        rows = (
            Cost.objects.filter(
                participation__organisation=organisation,
                participation__arrangement__in=access.arrangements().values("pk"),
            )
            .order_by("year")
            .values_list("participation_id", "year", "budget", "outcome", "forecast")
        )
        for participation_id, year, budget, outcome, forecast in rows:
            costs[participation_id].append(
                CostRow(year=year, budget=budget, outcome=outcome, forecast=forecast)
            )
    # The reference year's cost (rules.reference_year), as the overview and Insyn show it.
    total_year = rules.reference_year(rules.today())
    total = rules.Amount(total_year, None)
    for p in participations:
        p.organisation = organisation
        p.cost_list = costs[p.pk]
        p.trend = year_trend(p.cost_list, total_year)
        total = total + rules.amount_of(
            next((c for c in p.cost_list if c.year == total_year), CostRow(total_year))
        )
    return OrganisationDetail(
        organisation=organisation,
        participations=participations,
        people=list(organisation.people.order_by("name")),
        goals=goal_tree(list(organisation.goals.order_by("sort_order", "title"))),
        reviews=list(access.reviews(organisation.reviews.order_by("-date", "-pk"))),
        change_log=organisation_change_log(
            organisation,
            access=access,
            member=is_member,
            known={("organisation", organisation.pk): organisation.name},
            limit=log_limit,
        ),
        is_member=is_member,
        total_latest=total.amount,
        total_year=total_year,
        total_kind=total.kind_label,
    )
