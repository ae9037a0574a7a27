"""An arrangement's page: everything it shows in a fixed number of queries, and a decision's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.functions import JSONObject

from .. import rules
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
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
from .costs import CostPivot, cost_pivot, cost_trend
from .lists import _count_subquery

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
        return rules.has_owners(self.arrangement.form.slug) or any(
            p.ownership_share is not None for p in self.participations
        )


def _flag(model, **lookup) -> Exists:
    return Exists(model.objects.filter(**lookup))


def arrangement_detail(
    access: Access, pk: int, *, measure: str = "amount", log_limit: int = 50
) -> ArrangementDetail | None:
    """Return everything the arrangement page shows, or None if the user may not see it.

    Sections known (from EXISTS flags in the first query) to be empty are not queried.
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
            has_participations=_flag(Participation, arrangement=ref),
            has_costs=_flag(Cost, participation__arrangement=ref),
            has_total_costs=_flag(TotalCost, arrangement=ref),
            body_count=_count_subquery(Body.objects.filter(arrangement=ref), "arrangement"),
            has_decisions=_flag(Decision, arrangement=ref),
            has_goals=_flag(Goal, arrangement=ref),
            has_contributions=_flag(Contribution, arrangement=ref),
            has_conflicts=_flag(GoalConflict, arrangement=ref),
            has_evaluations=_flag(Evaluation, arrangement=ref),
            has_alternatives=_flag(Alternative, arrangement=ref),
        )
        .filter(pk=pk)
        .first()
    )
    if arrangement is None:
        return None

    def fetch(flag, queryset):
        return list(queryset) if flag else []

    _attach_areas_and_motives(arrangement)

    participations = fetch(
        arrangement.has_participations,
        Participation.objects.filter(arrangement=arrangement).select_related(
            "organisation",
            "organisation__county",
            "entry_decision",
            "political_owner",
            "admin_owner",
        ),
    )
    participations.sort(key=lambda p: (ROLE_ORDER.get(p.role, 9), p.organisation.name))
    costs_by_participation: dict[int, list] = {p.pk: [] for p in participations}
    by_pk = {p.pk: p for p in participations}
    for cost in fetch(
        arrangement.has_costs,
        Cost.objects.filter(participation__arrangement=arrangement).order_by("year"),
    ):
        cost.participation = by_pk[cost.participation_id]
        costs_by_participation[cost.participation_id].append(cost)
    for p in participations:
        p.arrangement = arrangement
        p.cost_list = costs_by_participation[p.pk]
        p.trend = cost_trend(p.cost_list)
    # Let Access reuse the participants we already have instead of asking again.
    arrangement._participant_org_ids = frozenset(p.organisation_id for p in participations)

    is_member = access.is_admin or bool(arrangement._participant_org_ids & access.member_org_ids)
    show_internal = access.can_view_internal(arrangement)

    bodies = _bodies_with_seats(arrangement)
    decisions = fetch(
        arrangement.has_decisions,
        access.decisions(
            Decision.objects.filter(arrangement=arrangement).select_related("organisation", "body")
        ).order_by("-date", "-pk"),
    )
    sections = _fetch_sections(arrangement, access=access)
    if not access.is_admin:
        seats = [seat for body in bodies for seat in body.seat_list]
        records = [*participations, *seats, *sections["goalconflict"]]
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
        goals=sections["goal"],
        contributions=sections["contribution"],
        goal_conflicts=sections["goalconflict"],
        evaluations=sections["evaluation"],
        alternatives=sections["alternative"],
        pivot=cost_pivot(participations, measure),
        change_log=arrangement_change_log(
            arrangement, access=access, member=is_member, known=known, limit=log_limit
        ),
        is_member=is_member,
        show_internal=show_internal,
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


def _fetch_sections(arrangement: Arrangement, *, access: Access) -> dict[str, list]:
    """Return the arrangement's goals, contributions, goal conflicts, evaluations and
    alternatives that the user may see (``Access.visible``), in one UNION query (none if all
    are empty)."""
    specs = []
    if arrangement.has_goals:
        specs.append((access.visible(Goal.objects.filter(arrangement=arrangement)), {}))
    if arrangement.has_contributions:
        specs.append(
            (
                access.visible(Contribution.objects.filter(arrangement=arrangement)),
                {
                    "goal": ["title", "level", "organisation_id", "parent_id"],
                    "goal__organisation": ["name"],
                    "goal__parent": ["title"],
                },
            )
        )
    if arrangement.has_conflicts:
        specs.append(
            (
                access.goal_conflicts(GoalConflict.objects.filter(arrangement=arrangement)),
                {
                    "goal": ["title", "level", "organisation_id", "parent_id"],
                    "goal__organisation": ["name"],
                    "decision": ["title", "date"],
                },
            )
        )
    if arrangement.has_evaluations:
        specs.append(
            (
                access.evaluations(Evaluation.objects.filter(arrangement=arrangement)),
                {"organisation": ["name"]},
            )
        )
    if arrangement.has_alternatives:
        specs.append(
            (
                access.alternatives(Alternative.objects.filter(arrangement=arrangement)),
                {"organisation": ["name"]},
            )
        )
    sections = {
        key: [] for key in ("goal", "contribution", "goalconflict", "evaluation", "alternative")
    }
    for obj in union_instances(specs):
        obj.arrangement = arrangement
        sections[obj._meta.model_name].append(obj)
    sections["goal"].sort(key=lambda g: (g.sort_order, g.title))
    sections["contribution"].sort(key=lambda c: (c.goal.organisation.name, c.goal.title))
    sections["goalconflict"].sort(
        key=lambda c: (c.identified_on or dt.date.min, c.pk), reverse=True
    )
    sections["evaluation"].sort(key=lambda e: (e.date, e.pk), reverse=True)
    sections["alternative"].sort(key=lambda a: (a.assessed_on or dt.date.min, a.pk), reverse=True)
    return sections


def _instance(model, values: dict, db: str):
    """Return a model instance from JSON values (as the database would have loaded it)."""
    kwargs = {}
    for f in model._meta.concrete_fields:
        if f.attname in values:
            value = values[f.attname]
            kwargs[f.attname] = None if value is None else f.to_python(value)
    obj = model(**kwargs)
    obj._state.adding = False
    obj._state.db = db
    return obj


def union_instances(specs: list[tuple[QuerySet, dict[str, list[str]]]]) -> list:
    """Load rows of several models in one UNION query and return them as model instances.

    Each spec is a queryset and the related objects to load with it, as
    ``{"goal": ["title", ...], "goal__organisation": ["name"]}``: each related object gets its
    primary key from the foreign key and the listed fields. Rows come back as JSON objects so
    that models of different shapes fit one result.
    """
    if not specs:
        return []
    querysets = []
    for queryset, relations in specs:
        model = queryset.model
        data = JSONObject(**{f.attname: F(f.attname) for f in model._meta.concrete_fields})
        related = {
            f"{path}__{name}": F(f"{path}__{name}")
            for path, names in relations.items()
            for name in names
        }
        querysets.append(
            queryset.order_by()
            .annotate(
                u_model=Value(model._meta.label_lower, output_field=CharField()),
                u_data=data,
                u_related=JSONObject(**related) if related else JSONObject(none=Value(None)),
            )
            .values("u_model", "u_data", "u_related")
        )
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    by_label = {qs.model._meta.label_lower: (qs.model, rel) for qs, rel in specs}
    db = specs[0][0].db
    result = []
    for row in combined:
        model, relations = by_label[row["u_model"]]
        obj = _instance(model, row["u_data"] or {}, db)
        related_values = row["u_related"] or {}
        for path in sorted(relations, key=lambda p: p.count("__")):
            *parents, last = path.split("__")
            owner = obj
            for name in parents:
                owner = getattr(owner, name) if owner is not None else None
            if owner is None:
                continue
            fk = owner._meta.get_field(last)
            fk_id = getattr(owner, fk.attname)
            if fk_id is None:
                continue
            values = {name: related_values.get(f"{path}__{name}") for name in relations[path]}
            values[fk.related_model._meta.pk.attname] = fk_id
            setattr(owner, last, _instance(fk.related_model, values, db))
        result.append(obj)
    return result


def _attach_areas_and_motives(arrangement: Arrangement) -> None:
    """Set ``area_list`` and ``motive_list`` on the arrangement, in one UNION query at most."""
    parts = []
    if arrangement.has_areas:
        parts.append(("area", ServiceArea.objects.filter(arrangements=arrangement)))
    if arrangement.has_motives:
        through = Arrangement.motives.through.objects.filter(arrangement_id=arrangement.pk)
        parts.append(("motive", Motive.objects.filter(pk__in=through.values("motive_id"))))
    rows = []
    if parts:
        querysets = [
            qs.order_by()
            .annotate(u_kind=Value(kind, output_field=CharField()))
            .values("u_kind", "pk", "slug", "name", "sort_order")
            for kind, qs in parts
        ]
        combined = (
            querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
        )
        rows = sorted(combined, key=lambda r: (r["sort_order"], r["name"]))
    arrangement.area_list = [
        ServiceArea(pk=r["pk"], slug=r["slug"], name=r["name"], sort_order=r["sort_order"])
        for r in rows
        if r["u_kind"] == "area"
    ]
    arrangement.motive_list = [
        Motive(pk=r["pk"], slug=r["slug"], name=r["name"], sort_order=r["sort_order"])
        for r in rows
        if r["u_kind"] == "motive"
    ]


def _bodies_with_seats(arrangement: Arrangement) -> list:
    """Return the bodies with their seats in one query (two only if some body has no seats)."""
    if not arrangement.body_count:
        return []
    seats = list(
        Seat.objects.filter(body__arrangement=arrangement).select_related(
            "body", "person", "appointed_by", "appointing_decision"
        )
    )
    bodies: dict[int, Body] = {}
    for seat in seats:
        body = bodies.setdefault(seat.body_id, seat.body)
        seat.body = body
        body.__dict__.setdefault("seat_list", []).append(seat)
    if len(bodies) < arrangement.body_count:
        for body in Body.objects.filter(arrangement=arrangement).exclude(pk__in=bodies):
            bodies[body.pk] = body
    result = sorted(bodies.values(), key=lambda b: (b.name, b.pk))
    for body in result:
        body.arrangement = arrangement
        body.__dict__.setdefault("seat_list", [])
        body.seat_list.sort(
            key=lambda s: (SEAT_ROLE_ORDER.get(s.role, 9), s.appointed_by.name, s.person.name)
        )
    return result


def decision_detail(access: Access, pk: int) -> Decision | None:
    return (
        access.decisions(Decision.objects.select_related("arrangement", "organisation", "body"))
        .filter(pk=pk)
        .first()
    )
