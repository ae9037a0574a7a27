"""Read side: querysets and page data for the internal register. No writes.

Every queryset starts from ``Access`` (register/access.py) so that a user never sees more than
they may. Pages stay within a fixed number of SQL queries whatever the data size: counts are
subqueries, related rows are prefetched in one query per relation, sections that are empty are
not queried at all, and the change log is one UNION query with the previous version of each row
taken by a window function.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, Lag
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .access import Access
from .models import (
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
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    ServiceArea,
    TotalCost,
)

# The best figure for a year: outcome, else forecast, else budget (as Cost.amount).
BEST_AMOUNT = Coalesce("outcome", "forecast", "budget")

MEASURES = {
    "amount": "Utfall, annars prognos eller budget",
    "outcome": "Utfall",
    "budget": "Budget",
    "forecast": "Prognos",
}

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


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    """Return COUNT(*) of ``queryset`` grouped on ``outer_field`` as a correlated subquery."""
    counted = queryset.order_by().values(outer_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Lists -------------------------------------------------------------------------------------


def own_organisation(access: Access) -> Organisation | None:
    """Return the organisation whose figures a user's lists show: the first they belong to."""
    if not access.member_org_ids:
        return None
    return Organisation.objects.filter(pk__in=access.member_org_ids).order_by("name").first()


def arrangement_list_queryset(access: Access, *, own_org_id: int | None = None) -> QuerySet:
    """Return the arrangements the user may see, with partner counts and the own latest cost."""
    qs = access.arrangements(Arrangement.objects.select_related("form", "host")).annotate(
        partner_count=_count_subquery(
            Participation.objects.filter(arrangement=OuterRef("pk")), "arrangement"
        )
    )
    if own_org_id:
        latest = (
            Cost.objects.filter(
                participation__arrangement=OuterRef("pk"),
                participation__organisation_id=own_org_id,
            )
            .annotate(best=BEST_AMOUNT)
            .filter(best__isnull=False)
            .order_by("-year")
        )
        qs = qs.annotate(
            own_cost=Subquery(latest.values("best")[:1]),
            own_cost_year=Subquery(latest.values("year")[:1]),
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


# --- Costs (pure Python; fed with prefetched rows) --------------------------------------------


def cost_value(cost, measure: str = "amount"):
    """Return the figure of ``measure`` for a cost row (``amount`` = the best available)."""
    if measure == "amount":
        for name in ("outcome", "forecast", "budget"):
            value = getattr(cost, name, None)
            if value is not None:
                return value
        return None
    return getattr(cost, measure, None)


@dataclass(frozen=True, slots=True)
class CostRow:
    """A cost's figures for one year, without the model instance."""

    year: int
    budget: int | None = None
    outcome: int | None = None
    forecast: int | None = None


@dataclass
class PivotRow:
    participation: Any
    cells: list
    total: int | None


@dataclass
class CostPivot:
    measure: str
    years: list[int]
    rows: list[PivotRow]
    column_totals: list
    grand_total: int | None

    @property
    def is_empty(self) -> bool:
        return not self.years


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def cost_pivot(participations, measure: str = "amount") -> CostPivot:
    """Return costs as a table: one row per participation, one column per year, with totals.

    ``participations`` carry their costs as ``p.costs.all()`` (prefetched) or a list ``p.cost_list``.
    """
    if measure not in MEASURES:
        measure = "amount"
    rows_by_year = []
    years: set[int] = set()
    for p in participations:
        costs = getattr(p, "cost_list", None)
        if costs is None:
            costs = list(p.costs.all())
        by_year = {c.year: cost_value(c, measure) for c in costs}
        years.update(y for y, v in by_year.items() if v is not None)
        rows_by_year.append((p, by_year))
    ordered_years = sorted(years)
    rows = []
    for p, by_year in rows_by_year:
        cells = [by_year.get(y) for y in ordered_years]
        rows.append(PivotRow(participation=p, cells=cells, total=_sum(cells)))
    column_totals = [_sum(row.cells[i] for row in rows) for i in range(len(ordered_years))]
    return CostPivot(
        measure=measure,
        years=ordered_years,
        rows=rows,
        column_totals=column_totals,
        grand_total=_sum(column_totals),
    )


@dataclass
class CostTrend:
    year: int | None = None
    amount: int | None = None
    previous_year: int | None = None
    previous_amount: int | None = None

    @property
    def change(self) -> int | None:
        if self.amount is None or self.previous_amount is None:
            return None
        return self.amount - self.previous_amount

    @property
    def change_percent(self) -> float | None:
        if self.change is None or not self.previous_amount:
            return None
        return round(100 * self.change / self.previous_amount, 1)


def cost_trend(costs, *, until_year: int | None = None) -> CostTrend:
    """Return the latest year with a figure and the change since the year before it."""
    known = sorted(
        (c.year, cost_value(c))
        for c in costs
        if cost_value(c) is not None and (until_year is None or c.year <= until_year)
    )
    trend = CostTrend()
    if known:
        trend.year, trend.amount = known[-1]
    if len(known) > 1:
        trend.previous_year, trend.previous_amount = known[-2]
    return trend


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


# --- Change log --------------------------------------------------------------------------------

HIDDEN_LOG_FIELDS = {"id", "created_at", "updated_at", "extra_fields"}
INTERNAL_FIELDS = {"internal_note", "email", "phone"}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    internal: bool = False


@dataclass
class LogEntry:
    model: str
    model_label: str
    object_id: int
    object_label: str
    date: dt.datetime
    user: str
    action: str
    changes: list[FieldChange]
    reason: str = ""


LOG_MODELS = {
    "arrangement": Arrangement,
    "participation": Participation,
    "cost": Cost,
    "totalcost": TotalCost,
    "body": Body,
    "seat": Seat,
    "decision": Decision,
    "goal": Goal,
    "contribution": Contribution,
    "goalconflict": GoalConflict,
    "evaluation": Evaluation,
    "alternative": Alternative,
    "organisation": Organisation,
    "person": Person,
    "review": Review,
}


def _log_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname not in HIDDEN_LOG_FIELDS and not f.primary_key
    ]


def _log_part(model, condition: Q, label) -> QuerySet:
    """Return one model's history rows as uniform values for the change-log UNION."""
    history = model.history.model
    if not hasattr(label, "resolve_expression"):
        label = Value(str(label), output_field=CharField())
    data = JSONObject(**{f.attname: F(f.attname) for f in _log_fields(model)})
    return (
        history.objects.filter(condition)
        .order_by()
        .annotate(
            log_model=Value(model._meta.model_name, output_field=CharField()),
            log_object_id=F("id"),
            log_history_id=F("history_id"),
            log_date=F("history_date"),
            log_type=F("history_type"),
            log_user=Coalesce(F("history_user__username"), Value(""), output_field=CharField()),
            log_reason=Coalesce(F("history_change_reason"), Value(""), output_field=CharField()),
            log_label=Cast(label, output_field=CharField()),
            log_data=data,
            log_prev=Window(Lag(data), partition_by=[F("id")], order_by=F("history_id").asc()),
        )
        .values(*LOG_COLUMNS)
    )


def _display(model, field_obj, value, known: dict) -> str:
    if value is None or value == "":
        return "–"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if field_obj.get_internal_type() == "BooleanField":
        return "Ja" if value in (True, 1, "1", "true") else "Nej"
    if field_obj.is_relation:
        name = known.get((field_obj.related_model._meta.model_name, value))
        return name or f"nr {value}"
    internal_type = field_obj.get_internal_type()
    if internal_type in {"BigIntegerField", "IntegerField", "PositiveIntegerField"}:
        try:
            return f"{int(value):,}".replace(",", "\u00a0")
        except (TypeError, ValueError):
            pass
    if internal_type in {"DecimalField", "FloatField"}:
        try:
            return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
        except (TypeError, ValueError):
            pass
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


def _changes(
    model, data, prev, *, show_internal: bool, mention_internal: bool, known: dict
) -> list[FieldChange]:
    changes = []
    if prev is None:
        return changes
    for f in _log_fields(model):
        old, new = prev.get(f.attname), data.get(f.attname)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        # Decimal and float values come back from JSON in different shapes; compare as numbers.
        try:
            if old is not None and new is not None and float(old) == float(new):
                continue
        except (TypeError, ValueError):
            pass
        internal = f.name in INTERNAL_FIELDS
        if internal and not (show_internal or mention_internal):
            continue
        label = str(f.verbose_name)
        label = label[:1].upper() + label[1:]
        if internal and not show_internal:
            changes.append(FieldChange(f.name, label, "", "", internal=True))
        else:
            changes.append(
                FieldChange(
                    f.name,
                    label,
                    _display(model, f, old, known),
                    _display(model, f, new, known),
                    internal=internal,
                )
            )
    return changes


def _object_label(model, label) -> str:
    if model is Alternative and label:
        return str(dict(Alternative.Kind.choices).get(label, label))
    return "" if label is None else str(label)


ACTIONS = {"+": "Skapades", "~": "Ändrades", "-": "Togs bort"}


LOG_COLUMNS = (
    "log_model",
    "log_object_id",
    "log_history_id",
    "log_date",
    "log_type",
    "log_user",
    "log_reason",
    "log_label",
    "log_data",
    "log_prev",
)


def _log_queryset(parts, limit: int) -> QuerySet:
    querysets = [_log_part(model, cond, label) for model, cond, label in parts]
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    return combined.order_by("-log_date", "-log_history_id")[: limit * 2]


def change_log(
    parts: list[tuple[type, Q, Any]],
    *,
    show_internal: bool = False,
    mention_internal: bool = False,
    known: dict | None = None,
    limit: int = 50,
) -> list[LogEntry]:
    """Return the newest ``limit`` history entries of several models as one list, in one query.

    ``parts`` are (model, condition on its historical model, label expression). Each entry
    carries the fields that changed since the version before it. Internal fields (notes,
    officials' contact details) show their values with ``show_internal``, are mentioned without
    values with ``mention_internal``, and are left out otherwise.
    """
    if not parts:
        return []
    return _log_entries(
        _log_queryset(parts, limit),
        show_internal=show_internal,
        mention_internal=mention_internal,
        known=known or {},
        limit=limit,
    )


# Building and compiling the twelve-way UNION costs far more than running it, so its SQL is
# compiled once per shape, with sentinel values where the primary keys go, and reused.
_LOG_SQL: dict[tuple, tuple[str, tuple]] = {}
_SENTINEL = -987_654_000  # never a primary key


def _cached_log_rows(key: tuple, build_parts, values: list, limit: int) -> list[dict]:
    """Return change-log rows for ``build_parts(sentinels)`` with ``values`` in their place."""
    sentinels = [_SENTINEL - i for i in range(len(values))]
    cache_key = (key, len(values), connection.vendor, limit)
    compiled = _LOG_SQL.get(cache_key)
    if compiled is None:
        sql, params = _log_queryset(build_parts(sentinels), limit).query.sql_with_params()
        compiled = _LOG_SQL[cache_key] = (sql, tuple(params))
    sql, params = compiled
    mapping = dict(zip(sentinels, values, strict=True))
    real = [
        mapping.get(p, p) if isinstance(p, int) and not isinstance(p, bool) else p for p in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, real)
        rows = [dict(zip(LOG_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["log_date"] = _as_datetime(row["log_date"])
        for name in ("log_data", "log_prev"):
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
    return rows


def _as_datetime(value):
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _log_entries(rows, *, show_internal, mention_internal, known, limit) -> list[LogEntry]:
    entries = []
    for row in rows:
        model = LOG_MODELS[row["log_model"]]
        data = row["log_data"] or {}
        prev = row["log_prev"]
        changes = _changes(
            model,
            data,
            prev,
            show_internal=show_internal,
            mention_internal=mention_internal,
            known=known,
        )
        if row["log_type"] == "~" and not changes:
            continue  # saved without any visible change
        entries.append(
            LogEntry(
                model=row["log_model"],
                model_label=str(model._meta.verbose_name).capitalize(),
                object_id=row["log_object_id"],
                object_label=_object_label(model, row["log_label"]),
                date=row["log_date"],
                user=row["log_user"] or "",
                action=ACTIONS.get(row["log_type"], row["log_type"]),
                changes=changes,
                reason=row["log_reason"] or "",
            )
        )
        if len(entries) >= limit:
            break
    return entries


def arrangement_change_log(
    arrangement: Arrangement, *, access: Access, member: bool, known: dict, limit: int = 50
) -> list[LogEntry]:
    """Return the arrangement's change log (its own history and its related records'), limited
    to the records the user may see (see ``visible_history``)."""
    narrowed = not (access.is_admin or member)
    member_ids = sorted(access.member_org_ids) if narrowed else []

    def build(ids):
        shape = Access(user_id=access.user_id, member_org_ids=frozenset(ids[1:]))
        return arrangement_log_parts(Arrangement(pk=ids[0]), access=shape if narrowed else None)

    rows = _cached_log_rows(("arrangement", narrowed), build, [arrangement.pk, *member_ids], limit)
    return _log_entries(
        rows,
        show_internal=access.is_admin,
        mention_internal=member,
        known=known,
        limit=limit,
    )


def organisation_change_log(
    organisation: Organisation, *, access: Access, member: bool, known: dict, limit: int = 50
) -> list[LogEntry]:
    """Return the organisation's change log, limited to what the user may see."""
    member_ids = sorted(access.member_org_ids)

    def build(ids):
        shape = Access(
            user_id=access.user_id,
            is_admin=access.is_admin,
            member_org_ids=frozenset(ids[1:]),
        )
        return organisation_log_parts(Organisation(pk=ids[0]), access=shape)

    rows = _cached_log_rows(
        ("organisation", access.is_admin),
        build,
        [organisation.pk, *member_ids],
        limit,
    )
    return _log_entries(
        rows,
        show_internal=access.is_admin,
        mention_internal=member,
        known=known,
        limit=limit,
    )


def visible_history(model, condition: Q, access: Access | None) -> Q:
    """Narrow a change-log part to the records the user may see now, by ``Access.visible_q``.

    Visibility follows a record's current state, not the state of each old version: a decision
    that was published and then unpublished drops out of an outsider's log with all its history.
    A deleted record counts as it was when it was deleted (its last version, which
    simple-history keeps with the fields of the model). ``access=None`` keeps every record.
    """
    if access is None:
        return condition
    rule = access.visible_q(model)
    if not rule:
        return condition
    current = model.objects.filter(condition)
    deleted = (
        model.history.model.objects.filter(condition, rule, history_type="-")
        .exclude(id__in=current.values("id"))
        .values("id")
    )
    return condition & (Q(id__in=current.filter(rule).values("id")) | Q(id__in=deleted))


def arrangement_log_parts(arrangement: Arrangement, *, access: Access | None) -> list:
    """Return the history the arrangement's change log covers, limited to what ``access`` may
    see (``None``: everything, for the arrangement's own members and the administrator)."""
    pk = arrangement.pk
    parts = [
        (Arrangement, Q(id=pk), F("name")),
        (Participation, Q(arrangement_id=pk), F("organisation__name")),
        (
            Cost,
            Q(participation__arrangement_id=pk),
            Concat(
                F("participation__organisation__name"),
                Value(" "),
                Cast("year", output_field=CharField()),
                output_field=CharField(),
            ),
        ),
        (TotalCost, Q(arrangement_id=pk), F("year")),
        (Body, Q(arrangement_id=pk), F("name")),
        (Seat, Q(body__arrangement_id=pk), F("person__name")),
        (Decision, Q(arrangement_id=pk), F("title")),
        (Evaluation, Q(arrangement_id=pk), F("date")),
        (GoalConflict, Q(arrangement_id=pk), F("goal__title")),
        (Goal, Q(arrangement_id=pk), F("title")),
        (Contribution, Q(arrangement_id=pk), F("goal__title")),
        (Alternative, Q(arrangement_id=pk), F("kind")),
    ]
    return [
        (model, visible_history(model, condition, access), label)
        for model, condition, label in parts
    ]


def organisation_log_parts(organisation: Organisation, *, access: Access) -> list:
    """Return the history the organisation's change log covers, limited to the records the
    user may see (records on arrangements they may not see, and other organisations' reviews,
    are left out)."""
    pk = organisation.pk
    parts = [
        (Organisation, Q(id=pk), F("name")),
        (Participation, Q(organisation_id=pk), F("arrangement__name")),
        (
            Cost,
            Q(participation__organisation_id=pk),
            Concat(
                F("participation__arrangement__name"),
                Value(" "),
                Cast("year", output_field=CharField()),
                output_field=CharField(),
            ),
        ),
        (Goal, Q(organisation_id=pk), F("title")),
        (Person, Q(organisation_id=pk), F("name")),
        (Seat, Q(appointed_by_id=pk), F("person__name")),
        (Review, Q(organisation_id=pk), F("title")),
    ]
    narrowing = None if access.is_admin else access
    return [
        (model, visible_history(model, condition, narrowing), label)
        for model, condition, label in parts
    ]


# --- Arrangement detail -----------------------------------------------------------------------


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
        return self.arrangement.form.slug == "joint_company" or any(
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


# --- Organisation detail ----------------------------------------------------------------------


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
    is_member = access.is_admin or organisation.pk in access.member_org_ids
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
    this_year = dt.date.today().year
    totals: dict[int, int] = {}
    for p in participations:
        p.organisation = organisation
        p.cost_list = costs[p.pk]
        p.trend = cost_trend(p.cost_list)
        for c in p.cost_list:
            value = cost_value(c)
            if value is not None:
                totals[c.year] = totals.get(c.year, 0) + value
    past = [y for y in totals if y <= this_year]
    total_year = max(past) if past else (max(totals) if totals else None)
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
        total_latest=totals.get(total_year) if total_year else None,
        total_year=total_year,
    )


# --- Person, decision, review ------------------------------------------------------------------


def person_detail(access: Access, pk: int):
    person = access.people(Person.objects.select_related("organisation")).filter(pk=pk).first()
    if person is None:
        return None, []
    seats = list(
        Seat.objects.filter(person=person, body__arrangement__in=access.arrangements().values("pk"))
        .select_related("body", "body__arrangement", "appointed_by")
        .order_by("-term_start", "body__arrangement__name")
    )
    return person, seats


def decision_detail(access: Access, pk: int) -> Decision | None:
    return (
        access.decisions(Decision.objects.select_related("arrangement", "organisation", "body"))
        .filter(pk=pk)
        .first()
    )


def review_detail(access: Access, pk: int):
    review = access.reviews(Review.objects.select_related("organisation")).filter(pk=pk).first()
    if review is None:
        return None, []
    items = list(
        review.items.select_related(
            "participation", "participation__arrangement", "participation__arrangement__form"
        ).order_by("participation__arrangement__name")
    )
    return review, items


# --- Home -------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by ``months`` (negative for earlier), clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass
class Deadline:
    arrangement: Any
    end_date: dt.date
    notice_date: dt.date | None

    @property
    def first_date(self) -> dt.date:
        return self.notice_date or self.end_date


def upcoming(arrangements, *, today: dt.date, months: int = 24) -> list[Deadline]:
    """Return arrangements that end, or whose notice deadline falls, within ``months``.

    The notice deadline is the end date minus the notice period; a passed deadline with an end
    still ahead is kept, since the arrangement still ends within the horizon or has to be handled.
    """
    horizon = add_months(today, months)
    result = []
    for a in arrangements:
        if not a.end_date or a.end_date < today:
            continue
        notice = add_months(a.end_date, -a.notice_months) if a.notice_months else None
        if a.end_date <= horizon or (notice and notice <= horizon):
            result.append(Deadline(arrangement=a, end_date=a.end_date, notice_date=notice))
    return sorted(result, key=lambda d: (d.first_date, d.arrangement.name))


@dataclass
class OrganisationSummary:
    organisation: Organisation
    arrangement_count: int
    cost_year: int | None
    cost_total: int | None
    by_form: list
    deadlines: list


def home_summaries(access: Access, *, today: dt.date | None = None, limit: int = 5) -> list:
    """Return, for each of the user's organisations (at most ``limit``), the overview figures."""
    today = today or dt.date.today()
    organisations = list(
        Organisation.objects.filter(pk__in=access.member_org_ids).order_by("name")[:limit]
    )
    summaries = []
    for org in organisations:
        active = Participation.objects.filter(organisation=org).exclude(
            arrangement__status=Arrangement.Status.ENDED
        )
        by_form = list(
            active.values("arrangement__form__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "arrangement__form__name")
        )
        yearly = list(
            Cost.objects.filter(participation__organisation=org, year__lte=today.year)
            .values("year")
            .annotate(total=Sum(BEST_AMOUNT))
            .filter(total__isnull=False)
            .order_by("-year")[:1]
        )
        ending = Arrangement.objects.filter(
            participations__organisation=org, end_date__gte=today
        ).exclude(status=Arrangement.Status.ENDED)
        summaries.append(
            OrganisationSummary(
                organisation=org,
                arrangement_count=sum(row["n"] for row in by_form),
                cost_year=yearly[0]["year"] if yearly else None,
                cost_total=yearly[0]["total"] if yearly else None,
                by_form=by_form,
                deadlines=upcoming(ending, today=today),
            )
        )
    return summaries
