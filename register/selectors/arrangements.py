"""An arrangement's page: everything it shows in a fixed number of queries, and a decision's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    prefetch_related_objects,
)

from .. import rules
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Document,
    Evaluation,
    Goal,
    GoalConflict,
    Motive,
    Participation,
    Seat,
    ServiceArea,
    TotalCost,
)
from .changelog import arrangement_change_log
from .costs import CostPivot, cost_pivot, year_trend
from .documents import arrangement_documents
from .union import union_instances

ROLE_ORDER = {
    Participation.Role.HOST: 0,
    Participation.Role.PROVIDER: 1,
    Participation.Role.OWNER: 2,
    Participation.Role.MEMBER: 3,
    Participation.Role.PURCHASER: 4,
}
SEAT_ROLE_ORDER = {
    Seat.Role.CHAIR: 0,
    Seat.Role.VICE_CHAIR: 1,
    Seat.Role.MEMBER: 2,
    Seat.Role.SUBSTITUTE: 3,
    Seat.Role.OFFICIAL: 4,
}


@dataclass
class ArrangementDetail:
    arrangement: Arrangement
    participations: list
    bodies: list
    decisions: list
    total_costs: list
    goals: list
    contributions: list
    goal_conflicts: list
    evaluations: list
    alternatives: list
    pivot: CostPivot
    change_log: list
    is_member: bool
    show_internal: bool
    #: The governing documents the user may see, by kind (``selectors.documents.KindGroup``).
    documents: list = field(default_factory=list)

    @property
    def is_example(self) -> bool:
        a = self.arrangement
        if a.is_example:
            return True
        if any(p.is_example for p in self.participations):
            return True
        if any(d.is_example for d in self.decisions):
            return True
        return any(s.person.is_example for b in self.bodies for s in b.seat_list)

    @property
    def shows_ownership(self) -> bool:
        """Whether the participants table needs an ownership column (a company, or any share)."""
        return rules.has_owners(self.arrangement.form) or any(
            p.ownership_share is not None for p in self.participations
        )


def _flag(model, **lookup) -> Exists:
    return Exists(model.objects.filter(**lookup))


def _participations() -> Prefetch:
    """The participants with what the page shows of them, and their costs by year.

    Loaded as the arrangement's ``participations`` so that ``Access.arrangement_org_ids`` reads
    them instead of asking again."""
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related(
            "organisation",
            "organisation__county",
            "entry_decision",
            "political_owner",
            "admin_owner",
        ).prefetch_related(Prefetch("costs", queryset=Cost.objects.order_by("year"))),
    )


def arrangement_detail(
    access: Access, pk: int, *, measure: str = "amount", log_limit: int = 50
) -> ArrangementDetail | None:
    """Return everything the arrangement page shows, or None if the user may not see it.

    The arrangement comes with its participants and their costs prefetched; sections known
    (from EXISTS flags in the first query) to be empty are not queried.
    """
    ref = OuterRef("pk")
    arrangement = (
        access.arrangements(
            Arrangement.objects.select_related(
                "form", "host", "legal_entity", "predecessor", "parent"
            )
        )
        .annotate(
            has_areas=_flag(Arrangement.service_areas.through, arrangement_id=ref),
            has_motives=_flag(Arrangement.motives.through, arrangement_id=ref),
            has_total_costs=_flag(TotalCost, arrangement=ref),
            has_bodies=_flag(Body, arrangement=ref),
            has_decisions=_flag(Decision, arrangement=ref),
            has_goals=_flag(Goal, arrangement=ref),
            has_contributions=_flag(Contribution, arrangement=ref),
            has_conflicts=_flag(GoalConflict, arrangement=ref),
            has_evaluations=_flag(Evaluation, arrangement=ref),
            has_alternatives=_flag(Alternative, arrangement=ref),
            has_documents=_flag(Document, arrangement=ref),
        )
        .prefetch_related(_participations())
        .filter(pk=pk)
        .first()
    )
    if arrangement is None:
        return None

    def fetch(flag, queryset):
        return list(queryset) if flag else []

    prefetch_related_objects([arrangement], *_related_lookups(arrangement))
    _attach_sections(arrangement, access=access)
    for name in ("area_list", "motive_list", "body_list"):
        if not hasattr(arrangement, name):
            setattr(arrangement, name, [])

    participations = sorted(
        arrangement.participations.all(),
        key=lambda p: (ROLE_ORDER.get(p.role, 9), p.organisation.name),
    )
    year = rules.reference_year(rules.today())
    for p in participations:
        p.cost_list = list(p.costs.all())
        p.trend = year_trend(p.cost_list, year)
    is_member = access.is_member_of(arrangement)
    show_internal = access.can_view_internal(arrangement)

    bodies = arrangement.body_list
    today = rules.today()
    for body in bodies:
        body.seat_list.sort(
            key=lambda s: (SEAT_ROLE_ORDER.get(s.role, 9), s.appointed_by.name, s.person.name)
        )
        for seat in body.seat_list:
            seat.in_force = rules.seat_in_force(seat, today)
        body.seat_problem = rules.seat_count_problem(
            body.name,
            body.seat_count,
            sum(1 for s in body.seat_list if s.in_force and s.role in rules.ORDINARY_SEAT_ROLES),
        )
    decisions = fetch(
        arrangement.has_decisions,
        access.decisions(
            Decision.objects.filter(arrangement=arrangement).select_related("organisation", "body")
        ).order_by("-date", "-pk"),
    )
    if access.visible_q(Decision):  # some decisions are hidden from the user
        seats = [seat for body in bodies for seat in body.seat_list]
        records = [*participations, *seats, *arrangement.goal_conflict_list]
        _hide_unseen_decisions(records, {d.pk for d in decisions})
    known = {("organisation", p.organisation_id): p.organisation.name for p in participations}
    known[("cooperationform", arrangement.form_id)] = arrangement.form.name
    for body in bodies:
        known[("body", body.pk)] = body.name
    return ArrangementDetail(
        arrangement=arrangement,
        participations=participations,
        bodies=bodies,
        decisions=decisions,
        total_costs=fetch(arrangement.has_total_costs, arrangement.total_costs.order_by("year")),
        goals=arrangement.goal_list,
        contributions=arrangement.contribution_list,
        goal_conflicts=arrangement.goal_conflict_list,
        evaluations=arrangement.evaluation_list,
        alternatives=arrangement.alternative_list,
        pivot=cost_pivot(participations, measure),
        change_log=arrangement_change_log(
            arrangement, access=access, member=is_member, known=known, limit=log_limit
        ),
        is_member=is_member,
        show_internal=show_internal,
        documents=arrangement_documents(access, arrangement) if arrangement.has_documents else [],
    )


DECISION_REFERENCES = {
    Participation: "entry_decision",
    Seat: "appointing_decision",
    GoalConflict: "decision",
}


def _hide_unseen_decisions(records, visible_ids: set[int]) -> None:
    """Drop the page's references to decisions the user may not see (an unpublished decision
    as a participation's entry decision, a seat's appointing decision or a goal conflict's
    decision), so that nothing of them is shown. The records are not saved."""
    for record in records:
        name = DECISION_REFERENCES[type(record)]
        decision_id = getattr(record, f"{name}_id")
        if decision_id and decision_id not in visible_ids:
            setattr(record, name, None)


def _related_lookups(arrangement: Arrangement) -> list[Prefetch]:
    """Return the prefetches of the arrangement's service areas, motives and bodies with their
    seats (one query each, none for what the EXISTS flags say is empty), in the page's order."""
    by_name = ("sort_order", "name")
    candidates = [
        ("has_areas", "service_areas", ServiceArea.objects.order_by(*by_name), "area_list"),
        ("has_motives", "motives", Motive.objects.order_by(*by_name), "motive_list"),
        ("has_bodies", "bodies", Body.objects.order_by("name", "pk"), "body_list"),
        (
            "has_bodies",
            "body_list__seats",
            Seat.objects.select_related("person", "appointed_by", "appointing_decision"),
            "seat_list",
        ),
    ]
    return [
        Prefetch(lookup, queryset=queryset, to_attr=attr)
        for flag, lookup, queryset, attr in candidates
        if getattr(arrangement, flag)
    ]


# The five follow-up sections come in one UNION query (``union.union_instances``, the selectors'
# one documented exception to plain ORM loading; see register/selectors/union.py for why).

#: Per section: the flag that says it has rows, the attribute that holds its list on the
#: arrangement, and the related objects loaded with it (their listed fields; others deferred).
SECTIONS = {
    Goal: ("has_goals", "goal_list", {}),
    Contribution: (
        "has_contributions",
        "contribution_list",
        {
            "goal": ["title", "level", "organisation_id", "parent_id"],
            "goal__organisation": ["name"],
            "goal__parent": ["title"],
        },
    ),
    GoalConflict: (
        "has_conflicts",
        "goal_conflict_list",
        {
            "goal": ["title", "level", "organisation_id", "parent_id"],
            "goal__organisation": ["name"],
            "decision": ["title", "date"],
        },
    ),
    Evaluation: ("has_evaluations", "evaluation_list", {"organisation": ["name"]}),
    Alternative: ("has_alternatives", "alternative_list", {"organisation": ["name"]}),
}

SECTION_ORDER = {
    "goal_list": lambda g: (g.sort_order, g.title),
    "contribution_list": lambda c: (c.goal.organisation.name, c.goal.title),
    "goal_conflict_list": lambda c: (-(c.identified_on or dt.date.min).toordinal(), -c.pk),
    "evaluation_list": lambda e: (-e.date.toordinal(), -e.pk),
    "alternative_list": lambda a: (-(a.assessed_on or dt.date.min).toordinal(), -a.pk),
}


def _attach_sections(arrangement: Arrangement, *, access: Access) -> None:
    """Set the follow-up sections the user may see (``Access.visible``) on the arrangement as
    lists (``goal_list`` …), from one UNION query (none if all are empty)."""
    specs = [
        (access.visible(model.objects.filter(arrangement=arrangement)), relations)
        for model, (flag, _attr, relations) in SECTIONS.items()
        if getattr(arrangement, flag)
    ]
    lists = {model: [] for model in SECTIONS}
    for obj in union_instances(specs):
        obj.arrangement = arrangement
        lists[type(obj)].append(obj)
    for model, (_flag, attr, _relations) in SECTIONS.items():
        setattr(arrangement, attr, sorted(lists[model], key=SECTION_ORDER[attr]))


def decision_detail(access: Access, pk: int) -> Decision | None:
    return (
        access.decisions(Decision.objects.select_related("arrangement", "organisation", "body"))
        .filter(pk=pk)
        .first()
    )
