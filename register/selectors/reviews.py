"""A strategic review's page and pack: the review, its items and the facts of each item."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from .. import graph, rules
from ..access import Access
from ..models import (
    Alternative,
    Contribution,
    Cost,
    Document,
    Evaluation,
    GoalConflict,
    Review,
)
from .network import influence_data


@dataclass
class ItemFacts:
    """What the board needs to know about an item's arrangement."""

    # (year, best amount, which figure it is), the last three up to this year
    costs: list[tuple[int, int, str]] = field(default_factory=list)
    trend_percent: float | None = None  # the latest year against the one before
    last_evaluation: Evaluation | None = None
    goals: list[str] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    conflicts: list[GoalConflict] = field(default_factory=list)  # open or being handled
    end_date: dt.date | None = None
    notice_deadline: dt.date | None = None
    #: Our seats against our cost in the deciding body (``register.graph``, the one rule), or
    #: None when we no longer take part.
    influence: graph.InfluenceRow | None = None
    #: What the current governing documents do not settle that the law requires
    #: ("Förbundsordningen reglerar inte: …"), one sentence per document.
    documents_missing: list[str] = field(default_factory=list)

    @property
    def latest_cost(self) -> int | None:
        return self.costs[-1][1] if self.costs else None


def review_detail(access: Access, pk: int):
    review = access.reviews(Review.objects.select_related("organisation")).filter(pk=pk).first()
    if review is None:
        return None, []
    # The arrangement's current governing document with a checklist of what the law requires
    # (förbundsordning, bolagsordning, agreement), in the items' own query: its kind and the
    # registrar's checklist (``_documents_missing`` reads them).
    governing = (
        access.documents(
            Document.objects.filter(arrangement_id=OuterRef("participation__arrangement_id"))
        )
        .filter(superseded_by__isnull=True, kind__in=rules.CHECKLIST_KINDS)
        .order_by("-pk")
    )
    items = list(
        review.items.select_related(
            "participation",
            "participation__arrangement",
            "participation__arrangement__form",
            "decision_record",
        )
        .annotate(
            governing_kind=Subquery(governing.values("kind")[:1]),
            governing_checklist=Subquery(governing.values("checklist")[:1]),
        )
        .order_by("participation__arrangement__name")
    )
    return review, items


def _documents_missing(item, arrangement) -> list[str]:
    """What the arrangement's current governing document does not settle of what the law
    requires ("Förbundsordningen reglerar inte: …"), as loaded by ``review_detail``."""
    kind = getattr(item, "governing_kind", None)
    if not kind:
        return []
    checklist = rules.document_checklist(kind, arrangement.form.slug)
    entries = item.governing_checklist
    if isinstance(entries, str):  # a JSON column read through a subquery comes as text
        entries = json.loads(entries)
    missing = rules.checklist_missing(checklist, entries)
    return [rules.checklist_sentence(checklist, missing)] if missing else []


def item_facts(access: Access, review: Review, items, today: dt.date) -> None:
    """Attach ``facts`` (an ItemFacts) to each item, in a fixed number of queries."""
    participations = [i.participation for i in items]
    arrangement_ids = [p.arrangement_id for p in participations]
    org = review.organisation_id
    # The last three years up to this one: the board sees this year's forecast or budget beside
    # the outcomes, each amount named with its year and which figure it is.
    costs: dict[int, dict[int, rules.Amount]] = defaultdict(dict)
    for cost in Cost.objects.filter(
        participation__in=[p.pk for p in participations], year__lte=today.year
    ).order_by("year"):
        amount = rules.amount_of(cost)
        if amount.amount is not None:
            costs[cost.participation_id][cost.year] = amount
    last_evaluations: dict[int, Evaluation] = {}
    for evaluation in (
        Evaluation.objects.filter(arrangement_id__in=arrangement_ids)
        .filter(Q(organisation_id=org) | Q(organisation__isnull=True))
        .order_by("date", "pk")
    ):
        last_evaluations[evaluation.arrangement_id] = evaluation
    goals = defaultdict(list)
    for arrangement_id, title in Contribution.objects.filter(
        arrangement_id__in=arrangement_ids, goal__organisation_id=org
    ).values_list("arrangement_id", "goal__title"):
        goals[arrangement_id].append(title)
    alternatives = defaultdict(list)
    for alternative in Alternative.objects.filter(arrangement_id__in=arrangement_ids).filter(
        Q(organisation_id=org) | Q(organisation__isnull=True)
    ):
        alternatives[alternative.arrangement_id].append(alternative)
    conflicts = defaultdict(list)
    for conflict in (
        GoalConflict.objects.filter(arrangement_id__in=arrangement_ids, goal__organisation_id=org)
        .filter(status__in=[GoalConflict.Status.OPEN, GoalConflict.Status.IN_PROGRESS])
        .select_related("goal")
    ):
        conflicts[conflict.arrangement_id].append(conflict)
    network = influence_data(access, organisation_id=org, on=today)
    influence = {
        row.arrangement.id: row
        for row in graph.influence_by_org(network, [org], on=today).get(org, [])
    }
    for item in items:
        p = item.participation
        a = p.arrangement
        years = sorted(costs.get(p.pk, {}).items())[-3:]
        trend = None
        if len(years) >= 2 and years[-1][0] - 1 == years[-2][0]:
            trend = rules.cost_increase_percent(years[-2][1].amount, years[-1][1].amount)
        item.facts = ItemFacts(
            costs=[(year, amount.amount, amount.kind_label) for year, amount in years],
            trend_percent=None if trend is None else round(trend, 1),
            last_evaluation=last_evaluations.get(a.pk),
            goals=goals.get(a.pk, []),
            alternatives=alternatives.get(a.pk, []),
            conflicts=conflicts.get(a.pk, []),
            end_date=a.end_date,
            notice_deadline=rules.notice_deadline(a.end_date, a.notice_months),
            influence=influence.get(a.pk),
            documents_missing=_documents_missing(item, a),
        )
