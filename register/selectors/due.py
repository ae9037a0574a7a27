"""What is due for an organisation: the dashboard, the calendar feed and the reminders.

One list of rows, built in a fixed number of queries, from the rules in ``register.rules``. Each
row says what to do and, when the user may do it (``may_act``, asked of Access), where the form
that does it is: a reader is told what is due, never offered a form that would refuse them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from .. import rules
from ..access import Access
from ..models import (
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Document,
    Evaluation,
    Organisation,
    Participation,
    ReviewItem,
    Seat,
)
from .costs import CostRow


@dataclass(frozen=True)
class DueRow:
    kind: str  # one of KINDS
    arrangement: Arrangement | None
    date: dt.date | None  # the deadline, or None when the matter has no date of its own
    text: str  # what is due
    action: str  # what to do
    url: str  # the form that does it ("" when the user may not do it)
    owner_id: int | None = None  # the person responsible (for reminders), when known
    uid: str = ""  # stable id (the calendar feed)
    is_overdue: bool = False
    may_act: bool = False  # the user may do what the row asks (Access.can_change of its record)
    arrangement_url: str = ""  # the arrangement's page (its get_absolute_url)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


KINDS = {
    "contract_end": "Avtalet löper ut",
    "notice": "Sista dag för uppsägning",
    "evaluation": "Uppföljning",
    "assignment": "Uppdrag från genomgång",
    "cost": "Kostnaden ökar",
    "political_owner": "Politiskt ansvarig saknas",
    "goals": "Mål saknas",
    "representative": "Ledamot saknas",
    "decision": "Inget beslut under mandatperioden",
    "revision": "Styrdokument ska revideras",
}


def active_participations(organisation: Organisation, today: dt.date):
    """Return the organisation's participations in arrangements it takes part in on ``today``
    (``rules.takes_part``: the arrangement ongoing by its status and dates, the participation in
    force): what the due list, the calendar, the reminders, readiness and a new review cover."""
    return (
        Participation.objects.filter(organisation=organisation)
        .filter(rules.takes_part_q(today))
        .select_related("arrangement", "arrangement__form", "political_owner", "admin_owner")
        .order_by("arrangement__name")
    )


def decisions_since(organisation_ids, since: dt.date):
    """Return the political decisions of the organisations (``organisation_ids``) on or after
    ``since`` (the last election, or the election of a term): the one rule for "no decision of
    ours since the election"."""
    return Decision.objects.filter(organisation_id__in=organisation_ids, date__gte=since)


URL_PK = 987654321  # stands for the pk in a URL reversed once (``Urls``)


class Urls:
    """``reverse(name, args=[pk])`` for one due list: each name reversed once, then the pk put
    in its place. A busy organisation's list has a thousand links in a handful of patterns, and
    reversing each took a third of the list's time."""

    def __init__(self):
        self.patterns: dict[str, str] = {}

    def __call__(self, name: str, pk: int) -> str:
        pattern = self.patterns.get(name)
        if pattern is None:
            pattern = self.patterns[name] = reverse(name, args=[URL_PK])
        return pattern.replace(str(URL_PK), str(pk))


def may_see_due(access: Access, organisation: Organisation) -> bool:
    return access.is_member_of(organisation)


def due_rows(
    access: Access, organisation: Organisation, today: dt.date, *, threshold: float | None = None
) -> list[DueRow]:
    """Return what is due for ``organisation`` on ``today``, soonest first (undated last).

    Empty for a user who is not a member of the organisation.
    """
    if not may_see_due(access, organisation):
        return []
    horizon = rules.due_horizon(today)
    election = rules.last_election(today)
    # Whether each arrangement serves a goal of ours, its first body, whether we hold a seat in
    # force there and whether we have decided on it since the election: asked in the same query
    # as the participations (the start page's "Mina uppdrag" runs this list too).
    arrangement = OuterRef("arrangement_id")
    participations = list(
        active_participations(organisation, today).annotate(
            serves_goal=Exists(
                Contribution.objects.filter(
                    arrangement_id=arrangement, goal__organisation=organisation
                )
            ),
            first_body_id=Subquery(
                Body.objects.filter(arrangement_id=arrangement)
                .order_by("name", "pk")
                .values("pk")[:1]
            ),
            has_seat=Exists(
                Seat.objects.filter(
                    body__arrangement_id=arrangement, appointed_by=organisation
                ).filter(rules.seat_in_force_q(today))
            ),
            decided_since_election=Exists(
                decisions_since([organisation.pk], election).filter(arrangement_id=arrangement)
            ),
        )
    )
    arrangement_ids = [p.arrangement_id for p in participations]
    interval = organisation.evaluation_interval_years

    evaluations: dict[int, list] = defaultdict(list)
    for row in (
        Evaluation.objects.filter(arrangement_id__in=arrangement_ids)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by("date", "pk")
        .values("arrangement_id", "date", "next_evaluation")
    ):
        evaluations[row["arrangement_id"]].append(row)
    # Up to next year's budget: an increase adopted for next year is due for attention now.
    costs: dict[int, dict[int, rules.Amount]] = defaultdict(dict)
    for participation_id, year, budget, outcome, forecast in Cost.objects.filter(
        participation__in=[p.pk for p in participations], year__lte=today.year + 1
    ).values_list("participation_id", "year", "budget", "outcome", "forecast"):
        amount = rules.amount_of(CostRow(year, budget, outcome, forecast))
        if amount.amount is not None:
            costs[participation_id][year] = amount
    with_goals = {p.arrangement_id for p in participations if p.serves_goal}
    bodies = {p.arrangement_id: p.first_body_id for p in participations if p.first_body_id}
    with_seats = {p.arrangement_id for p in participations if p.has_seat}
    decided = {p.arrangement_id for p in participations if p.decided_since_election}
    items = list(
        ReviewItem.objects.filter(
            review__organisation=organisation,
            review__closed_on__isnull=False,
            due_date__isnull=False,
            due_date__lte=horizon,
            assignment_done_on__isnull=True,
        )
        # An assignment on an arrangement that has ended (or that we have left) is no longer due.
        .filter(rules.takes_part_q(today, "participation__"))
        .exclude(assignment="")
        .select_related("review", "participation__arrangement", "participation__admin_owner")
    )

    # The current version of each governing document whose planned revision is near (or past).
    revisions = list(
        Document.objects.filter(
            arrangement_id__in=arrangement_ids,
            next_revision__isnull=False,
            next_revision__lte=horizon,
            superseded_by__isnull=True,
        )
        .order_by("next_revision", "pk")
        .only("pk", "arrangement_id", "kind", "title", "version", "next_revision")
    )

    rows: list[DueRow] = []
    url = Urls()
    may_change: dict[tuple, bool] = {}  # Access.can_change by record: a few rows share one

    def add(kind, participation, date, text, action, link, *, key="", record=None):
        """Add a row; its form (``link``: the URL's name and pk) is offered only when the user
        may change ``record`` (the organisation's participation, or the review item): the
        organisation's editors do what the organisation has to do."""
        arrangement = participation.arrangement if participation else None
        record = record if record is not None else participation
        which = (type(record), record.pk if record is not None else None)
        if which not in may_change:
            may_change[which] = access.can_change(record)
        may_act = may_change[which]
        owner = None
        if participation is not None:
            owner = participation.admin_owner_id or participation.political_owner_id
        rows.append(
            DueRow(
                kind=kind,
                arrangement=arrangement,
                date=date,
                text=text,
                action=action,
                url=url(*link) if may_act else "",
                owner_id=owner,
                uid=f"{kind}-{key or (arrangement.pk if arrangement else '')}",
                is_overdue=date is not None and date < today,
                may_act=may_act,
                arrangement_url=url("register:arrangement_detail", arrangement.pk)
                if arrangement
                else "",
            )
        )

    for p in participations:
        a = p.arrangement
        decision_url = ("register:decision_create", a.pk)
        if a.end_date and today <= a.end_date <= horizon:
            add(
                "contract_end",
                p,
                a.end_date,
                f"Samverkan löper ut {a.end_date:%Y-%m-%d}.",
                "Besluta om samverkan ska förlängas, omförhandlas eller avslutas.",
                decision_url,
            )
        deadline = rules.notice_deadline(a.end_date, a.notice_months)
        if deadline and today <= deadline <= horizon:
            add(
                "notice",
                p,
                deadline,
                f"Uppsägningstiden är {a.notice_months} månader: säg upp senast "
                f"{deadline:%Y-%m-%d} om samverkan ska upphöra {a.end_date:%Y-%m-%d}.",
                "Besluta om uppsägning eller fortsättning före sista dagen.",
                decision_url,
            )
        done = evaluations.get(a.pk, [])
        last = done[-1] if done else None
        last_date = last["date"] if last else None
        next_date = last["next_evaluation"] if last else None
        if rules.evaluation_is_due(today, last_date, next_date, interval):
            due = rules.evaluation_due_date(last_date, next_date, interval)
            text = (
                "Samverkan har aldrig följts upp."
                if last is None
                else f"Senaste uppföljningen gjordes {last_date:%Y-%m-%d}."
            )
            add(
                "evaluation",
                p,
                due,
                text,
                "Gör en uppföljning.",
                ("register:evaluation_create", a.pk),
            )
        years = costs.get(p.pk, {})
        latest = max((y for y in years if y - 1 in years), default=None)
        if latest is not None and rules.cost_rose_too_much(
            years[latest - 1].amount, years[latest].amount, threshold
        ):
            before, after = years[latest - 1], years[latest]
            increase = rules.cost_increase_percent(before.amount, after.amount)
            add(
                "cost",
                p,
                None,
                f"Kostnaden ökar med {rules.format_percent(round(increase, 1))} från "
                f"{latest - 1} till {latest} ({rules.format_kronor(before.amount)} "
                f"{before.kind_label} → {rules.format_kronor(after.amount)} {after.kind_label}).",
                "Granska kostnadsutvecklingen och stäm av med parterna.",
                ("register:participation_costs", p.pk),
            )
        if not p.political_owner_id and not p.political_body:
            add(
                "political_owner",
                p,
                None,
                "Ingen politiskt ansvarig nämnd eller person är angiven.",
                "Ange politiskt ansvarig.",
                ("register:participation_update", p.pk),
            )
        if a.pk not in with_goals:
            add(
                "goals",
                p,
                None,
                "Samverkan är inte kopplad till något av organisationens mål.",
                "Koppla samverkan till ett mål.",
                ("register:contribution_create", a.pk),
            )
        if a.pk in bodies and a.pk not in with_seats:
            add(
                "representative",
                p,
                None,
                "Organisationen har ingen ledamot med pågående uppdrag i samverkans organ.",
                "Lägg in organisationens ledamöter.",
                ("register:body_seats", bodies[a.pk]),
            )
        if a.pk not in decided:
            add(
                "decision",
                p,
                None,
                f"Organisationen har inte fattat något beslut om samverkan sedan valet "
                f"{election:%Y-%m-%d}.",
                "Ta upp samverkan till politiskt beslut.",
                decision_url,
            )
    by_arrangement = {p.arrangement_id: p for p in participations}
    for document in revisions:
        # The organisation's editors change the arrangement's documents (a joint record), so the
        # participation answers may_act without asking for the participants.
        add(
            "revision",
            by_arrangement[document.arrangement_id],
            document.next_revision,
            f"{document.get_kind_display()} ”{document}” ska revideras senast "
            f"{document.next_revision:%Y-%m-%d}.",
            "Revidera dokumentet och ladda upp den nya versionen.",
            ("register:document_new_version", document.pk),
            key=str(document.pk),
        )
    for item in items:
        add(
            "assignment",
            item.participation,
            item.due_date,
            f"Uppdrag från {item.review.title}: {item.assignment}",
            "Genomför uppdraget och markera det som klart.",
            ("register:review_item_followup", item.pk),
            key=str(item.pk),
            record=item,
        )
    rows.sort(key=lambda r: (r.date is None, r.date or dt.date.max, r.kind, str(r.arrangement)))
    return rows
