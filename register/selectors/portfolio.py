"""The overview of a portfolio: everything an organisation (or a county, or the country) takes part
in, in figures, in one table, and what is coming up.

A bounded number of queries whatever the data size: each kind of record is fetched once for the
whole portfolio and put together in Python. The figures follow the register's rules
(``rules.best_amount``, ``rules.is_ongoing``, ``rules.per_inhabitant``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .. import graph, rules
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Contribution,
    Cost,
    County,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Organisation,
    Participation,
    Seat,
    ServiceArea,
    TotalCost,
)
from .costs import CostRow
from .due import decisions_since
from .network import influence_data
from .organisations import goal_tree
from .population import organisations_and_populations, scope_population
from .readiness import seats_end_with

YEARS = 5  # the cost's development is shown over this many years
HORIZON_MONTHS = 12  # "what is coming up" looks this far ahead


# --- The scope: whose portfolio ------------------------------------------------------------------


@dataclass
class Scope:
    """Whose portfolio: one organisation, the municipalities of a county, or all of them."""

    kind: str  # "organisation", "county", "national"
    label: str
    org_ids: frozenset
    organisation: Organisation | None = None
    county: County | None = None

    @property
    def is_organisation(self) -> bool:
        return self.kind == "organisation"


def organisation_scope(organisation: Organisation) -> Scope:
    return Scope(
        kind="organisation",
        label=organisation.name,
        org_ids=frozenset({organisation.pk}),
        organisation=organisation,
    )


def _municipalities_scope(kind: str, label: str, queryset, county=None) -> Scope:
    return Scope(
        kind=kind,
        label=label,
        org_ids=frozenset(queryset.values_list("pk", flat=True)),
        county=county,
    )


def county_scope(county: County) -> Scope:
    """The municipalities of a county together."""
    queryset = Organisation.objects.filter(county=county, kind=Organisation.Kind.MUNICIPALITY)
    return _municipalities_scope("county", county.name, queryset, county=county)


def national_scope() -> Scope:
    """All municipalities of the country together."""
    queryset = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    return _municipalities_scope("national", "Hela landet", queryset)


# --- The results ---------------------------------------------------------------------------------


@dataclass
class YearCost:
    """A year's cost: the amount, which figures it is made of (``rules.Amount``), per inhabitant
    with the population of the same year or the nearest earlier one (named), and the change from
    the year before."""

    year: int
    amount: int | None
    per_inhabitant: int | None
    change: int | None = None
    change_percent: float | None = None
    kinds: frozenset = frozenset()
    population: rules.Population | None = None

    @property
    def kind_label(self) -> str:
        return rules.Amount(self.year, self.amount, self.kinds).kind_label

    @property
    def is_estimate(self) -> bool:
        return rules.Amount(self.year, self.amount, self.kinds).is_estimate

    @property
    def population_year(self) -> int | None:
        return self.population.year if self.population else None


@dataclass
class Upcoming:
    """Something coming up (or overdue) on an arrangement of the portfolio."""

    date: dt.date
    kind: str  # a Swedish label: "Slutar", "Sista uppsägningsdag", …
    arrangement: Any
    text: str = ""
    overdue: bool = False
    seats: tuple = ()  # "Uppdrag slutar": the seats of one body that end that day, one line

    @property
    def is_notice(self) -> bool:
        """Whether this is the last day to give notice: a decision that cannot wait."""
        return self.kind == NOTICE


NOTICE = "Sista uppsägningsdag"
SEATS_END = "Uppdrag slutar"


def seats_ending_text(seats) -> str:
    """Return one line for the seats of one body that end on one day: the body, then each
    person with the role ("Förbundsstyrelsen: Lars Holm (ledamot), Ingrid Falk (ersättare)")."""
    people = ", ".join(f"{s.person.name} ({s.get_role_display().lower()})" for s in seats)
    return f"{seats[0].body.name}: {people}"


@dataclass
class PortfolioRow:
    arrangement: Any
    form: str
    areas: list
    partners: list
    host: Any
    representatives: list
    political_body: str
    political_owner: Any
    admin_unit: str
    admin_owner: Any
    cost_last_year: int | None
    cost_previous_year: int | None
    costs_by_year: dict
    last_evaluation: Any
    next_deadline: Upcoming | None
    ongoing: bool
    goal_count: int = 0
    example: str = ""  # rules.example_mark: "Exempel", "Delvis exempel" or ""
    decided_since_election: bool = False
    amounts_by_year: dict = field(default_factory=dict)  # year -> rules.Amount
    alternatives: list = field(default_factory=list)  # ours and joint, as the user may see them
    status: str = ""  # rules.status_on
    cost_last_year_kind: str = ""  # which figures the reference year's cost is ("utfall" …)

    @property
    def cost_change(self) -> int | None:
        if self.cost_last_year is None or self.cost_previous_year is None:
            return None
        return self.cost_last_year - self.cost_previous_year

    @property
    def cost_change_percent(self) -> float | None:
        return rules.change_percent(self.cost_last_year, self.cost_previous_year)

    @property
    def name(self) -> str:
        return self.arrangement.name


@dataclass
class Influence:
    """Seat share against cost share for one organisation's arrangements (``register.graph``).

    Costs are those of the reference year (``cost_year``, ``rules.reference_year``), as the
    overview's."""

    rows: list  # graph.InfluenceRow, one per arrangement in force
    minority_cost_share: float | None  # 0..1
    minority_cost_reason: str
    cross_county_partners: list  # graph.Org, partners in another county
    cost_year: int | None

    gap_points = rules.INFLUENCE_GAP_POINTS

    @property
    def minority(self) -> list:
        return graph.minority_rows(self.rows)

    @property
    def flagged(self) -> list:
        return [r for r in self.rows if r.flagged]

    @property
    def by_arrangement(self) -> dict:
        return {r.arrangement.id: r for r in self.rows}


def influence(
    access: Access, scope: Scope, arrangements, today: dt.date, populations=None, costs=None
) -> Influence | None:
    """Return the influence figures of an organisation's portfolio (None for a county or the
    nation: seats are an organisation's). ``arrangements`` are the portfolio's, fetched with
    every participation, its organisation and county, and ``populations`` every participant's
    population by year, so that only three queries are added."""
    if not scope.is_organisation:
        return None
    org_id = scope.organisation.pk
    # The costs of the reference year (``rules.reference_year``), as the overview's cost figures.
    data = influence_data(
        access,
        organisation_id=org_id,
        on=today,
        arrangements=arrangements,
        populations=populations,
        costs=costs,
    )
    rows = graph.influence_by_org(data, [org_id], on=today).get(org_id, [])
    share, reason = graph.minority_cost_share(rows)
    # As graph.org_figures gives them, without building the whole network (only our partners).
    cross = []
    if org_id in data.orgs:
        partners = graph.partners_on(data, org_id, on=today)
        cross = graph.cross_county_partners(data, org_id, partners)
    return Influence(rows, share, reason, cross, data.cost_year)


@dataclass
class Portfolio:
    scope: Scope
    today: dt.date
    years: list[int]
    rows: list[PortfolioRow]
    by_form: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    cost_by_year: list[YearCost]
    upcoming: list[Upcoming]
    unserved_goals: list
    has_example_data: bool
    last_year: int
    horizon: dt.date
    term: rules.Term | None = None
    later_in_term: list = field(default_factory=list)  # after the horizon, by the term's end
    seats_until: dt.date | None = None  # seats ending with the term: up to this day
    election: dt.date | None = None
    influence: Influence | None = None
    forms: list = field(default_factory=list)  # (pk, name) of every form in the portfolio
    areas: list = field(default_factory=list)  # (pk, name) of every area in the portfolio
    # The table's rows: those the page's filter (``only``) keeps; the figures are all rows'.
    shown_rows: list = field(default_factory=list)

    @property
    def undecided(self) -> list:
        """Ongoing arrangements with no political decision of ours since the last election."""
        if not self.scope.is_organisation:
            return []
        return [r for r in self.rows if r.ongoing and not r.decided_since_election]

    @property
    def term_ends_within_horizon(self) -> bool:
        return self.term is not None and self.term.end <= self.horizon

    @property
    def ongoing_rows(self) -> list[PortfolioRow]:
        return [r for r in self.rows if r.ongoing]

    @property
    def ongoing_count(self) -> int:
        return len(self.ongoing_rows)

    @property
    def never_evaluated(self) -> list[PortfolioRow]:
        return [r for r in self.ongoing_rows if r.last_evaluation is None]

    @property
    def without_alternatives(self) -> list[PortfolioRow]:
        return [r for r in self.ongoing_rows if not r.alternatives]

    @property
    def latest_cost(self) -> YearCost | None:
        """The reference year's cost (``rules.reference_year``), the last of ``cost_by_year``."""
        return self.cost_by_year[-1] if self.cost_by_year else None

    @property
    def population(self) -> rules.Population | None:
        """The population that the reference year's per-inhabitant figure divides by."""
        latest = self.latest_cost
        return latest.population if latest else None

    @property
    def ended_rows(self) -> list[PortfolioRow]:
        """The rows that are not ongoing (ended, or not yet begun): their costs are in the year
        totals, so a table of the ongoing ones shows them as a row of their own."""
        return [r for r in self.rows if not r.ongoing]

    def ended_cost(self, year: int) -> int | None:
        """The cost in ``year`` of the arrangements that are not ongoing."""
        values = [r.costs_by_year.get(year) for r in self.ended_rows]
        values = [v for v in values if v is not None]
        return sum(values) if values else None

    @property
    def overdue(self) -> list[Upcoming]:
        return [u for u in self.upcoming if u.overdue]


def portfolio_arrangements(access: Access, scope: Scope):
    """The arrangements of the scope that the user may see (a queryset, for filters too)."""
    ours = Participation.objects.filter(
        arrangement_id=OuterRef("pk"), organisation_id__in=scope.org_ids
    )
    return access.arrangements(Arrangement.objects.filter(Exists(ours)))


@dataclass(frozen=True)
class Dates:
    """The days a portfolio counts from and looks ahead to, all from ``today``."""

    today: dt.date
    last_year: int  # the reference year (``rules.reference_year``)
    years: list[int]  # the years whose costs are shown, the reference year last
    horizon: dt.date  # "what is coming up" looks this far ahead
    term: rules.Term
    term_limit: dt.date  # the second horizon: the end of the term
    seats_until: dt.date  # seats that end with the term (readiness): a little later still
    election: dt.date  # the last election: "decided since the election"

    @classmethod
    def of(cls, today: dt.date) -> Dates:
        last_year = rules.reference_year(today)
        horizon = rules.add_months(today, HORIZON_MONTHS)
        term = rules.current_term(today)
        return cls(
            today=today,
            last_year=last_year,
            years=list(range(last_year - YEARS + 1, last_year + 1)),
            horizon=horizon,
            term=term,
            term_limit=max(horizon, term.end),
            seats_until=max(horizon, seats_end_with(term)[1]),
            election=rules.last_election(today),
        )


def portfolio(
    access: Access, scope: Scope, *, today: dt.date | None = None, only=None
) -> Portfolio:
    """Return the portfolio of ``scope`` as ``access`` may see it.

    ``only`` (a queryset of arrangements, from the page's filter) limits the table's rows; the
    headline figures are always the whole portfolio's. It is asked in the same query.
    """
    dates = Dates.of(today or rules.today())
    today, org_ids = dates.today, scope.org_ids
    # Each kind of record once for the whole portfolio (the steps' queries, in this order).
    arrangements = fetch_arrangements(access, scope, dates, only=only)
    populations = fetch_participants(arrangements, scope, dates)
    ids = [a.pk for a in arrangements]
    costs, reference_costs = fetch_costs(ids, org_ids, dates)
    seats = fetch_seats(ids, org_ids, today)
    alternatives = fetch_alternatives(access, ids, org_ids)
    evaluations = fetch_evaluations(access, ids, org_ids)
    joint_decisions = fetch_joint_decisions(access, ids, dates)
    ongoing = ongoing_by_arrangement(arrangements, org_ids, today)
    goals = fetch_goals(org_ids, [pk for pk, yes in ongoing.items() if yes])

    # Put together in Python.
    upcoming = upcoming_events(arrangements, ongoing, evaluations, seats, joint_decisions, dates)
    next_by_arrangement: dict[int, Upcoming] = {}
    for u in upcoming:
        next_by_arrangement.setdefault(u.arrangement.pk, u)
    rows = [
        portfolio_row(
            a,
            org_ids,
            dates,
            ongoing=ongoing[a.pk],
            yearly=costs.get(a.pk, {}),
            seats=seats[a.pk],
            evaluations=evaluations[a.pk],
            alternatives=alternatives[a.pk],
            next_deadline=next_by_arrangement.get(a.pk),
        )
        for a in arrangements
    ]
    by_form, by_area = counts_by_form_and_area(arrangements, ongoing)
    cost_by_year = scope_cost_by_year(scope, costs, dates, populations)
    totals = {a.pk: a.reference_total for a in arrangements if a.reference_total is not None}
    figures = influence(
        access, scope, arrangements, today, populations, costs=(reference_costs, totals)
    )
    forms, areas = filter_choices(arrangements)

    return Portfolio(
        scope=scope,
        today=today,
        years=dates.years,
        rows=rows,
        by_form=by_form,
        by_area=by_area,
        cost_by_year=cost_by_year,
        upcoming=[u for u in upcoming if u.date <= dates.horizon],
        unserved_goals=unserved_goals(goals, {g.pk for g in goals if g.served}),
        has_example_data=any(r.example for r in rows),
        last_year=dates.last_year,
        horizon=dates.horizon,
        term=dates.term,
        later_in_term=[u for u in upcoming if u.date > dates.horizon],
        seats_until=dates.seats_until,
        election=dates.election,
        influence=figures,
        forms=forms,
        areas=areas,
        shown_rows=rows if only is None else [r for r in rows if r.arrangement.shown],
    )


# --- The portfolio's steps: fetch (one query each) ------------------------------------------------


def fetch_arrangements(access: Access, scope: Scope, dates: Dates, *, only=None) -> list:
    """Return the portfolio's arrangements by name, with what the rows need: whether we decided
    on it since the election, how many of our goals it serves, its total in the reference year,
    whether the page's filter (``only``) shows it, its form, host, areas and participations."""
    org_ids = scope.org_ids
    queryset = portfolio_arrangements(access, scope)
    queryset = queryset.annotate(
        decided_since_election=Exists(
            access.decisions(decisions_since(org_ids, dates.election)).filter(
                arrangement_id=OuterRef("pk")
            )
        ),
        goal_count=Coalesce(
            Subquery(
                Contribution.objects.filter(
                    arrangement_id=OuterRef("pk"), goal__organisation_id__in=org_ids
                )
                .order_by()
                .values("arrangement_id")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            Value(0),
            output_field=IntegerField(),
        ),
    )
    # The arrangement's total in the reference year (outcome, else budget), for cost shares.
    queryset = queryset.annotate(
        reference_total=Subquery(
            TotalCost.objects.filter(arrangement_id=OuterRef("pk"), year=dates.last_year)
            .annotate(best=Coalesce("outcome", "budget"))
            .values("best")[:1]
        )
    )
    # Invented parts in it (the one rule for "Delvis exempel", as on Insyn and its own page).
    queryset = queryset.annotate(
        example_parts=ExpressionWrapper(
            rules.example_parts(OuterRef("pk")), output_field=BooleanField()
        )
    )
    if only is not None:
        queryset = queryset.annotate(shown=Exists(only.filter(pk=OuterRef("pk"))))
    arrangements = list(
        queryset.select_related("form")
        .prefetch_related(
            Prefetch(
                "service_areas",
                queryset=ServiceArea.objects.order_by("sort_order", "name"),
                to_attr="_areas",
            ),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "political_owner", "admin_owner"
                ).order_by("organisation__name"),
                to_attr="_participations",
            ),
        )
        .order_by("name")
    )
    for a in arrangements:
        _as_prefetched(a, "service_areas", a._areas, ServiceArea)
        _as_prefetched(a, "participations", a._participations, Participation)
    return arrangements


def fetch_participants(arrangements, scope: Scope, dates: Dates) -> dict[int, dict]:
    """Give every participation of ``arrangements`` its organisation and every arrangement its
    host (with their counties), one object per organisation, and return every participant's and
    the scope's population by year up to the reference year (``population_by_year``), for the
    cost per inhabitant and the influence's population shares: one query."""
    participations = [p for a in arrangements for p in a.participations.all()]
    hosts = {a.host_id for a in arrangements if a.host_id is not None}
    organisations, populations = organisations_and_populations(
        scope.org_ids | hosts | {p.organisation_id for p in participations},
        until_year=dates.last_year,
    )
    for p in participations:
        p.organisation = organisations[p.organisation_id]
    for a in arrangements:
        if a.host_id is not None:
            a.host = organisations[a.host_id]
    return populations


def _as_prefetched(instance, name: str, objects: list, model) -> None:
    """Let ``instance.<name>.all()`` answer ``objects`` without a query, as ``prefetch_related``
    does. Django's own way builds each instance's related queryset by cloning the prefetch's
    (a deep copy of its select_related and filters): for a portfolio of hundreds of arrangements
    that was a third of the fetch. Fetched ``to_attr`` instead, each list is put where
    ``prefetch_related`` puts it, in a new queryset with its results already there."""
    queryset = model._default_manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def fetch_costs(ids: list[int], org_ids, dates: Dates) -> tuple[dict, dict]:
    """Return (ours: arrangement id → year → ``rules.Amount`` over the years shown, every
    participant's in the reference year: participation id → ``rules.Amount``, for the
    influence's cost shares), in one query."""
    last_year = dates.last_year
    costs: dict[int, dict[int, rules.Amount]] = defaultdict(dict)
    reference_costs: dict[int, rules.Amount] = {}
    for pid, arrangement_id, org_id, year, budget, outcome, forecast in (
        Cost.objects.filter(participation__arrangement_id__in=ids)
        .filter(
            Q(
                participation__organisation_id__in=org_ids,
                year__gte=dates.years[0],
                year__lte=last_year,
            )
            | Q(year=last_year)
        )
        .values_list(
            "participation_id",
            "participation__arrangement_id",
            "participation__organisation_id",
            "year",
            "budget",
            "outcome",
            "forecast",
        )
    ):
        amount = rules.amount_of(CostRow(year, budget, outcome, forecast))
        if amount.amount is None:
            continue
        if year == last_year:
            reference_costs[pid] = amount
        if org_id in org_ids:
            yearly = costs[arrangement_id]
            yearly[year] = yearly.get(year, rules.Amount(year, None)) + amount
    return costs, reference_costs


def fetch_seats(ids: list[int], org_ids, today: dt.date) -> dict[int, list]:
    """Return our seats in force on ``today``, by arrangement id: our representatives."""
    seats = defaultdict(list)
    for seat in (
        Seat.objects.filter(body__arrangement_id__in=ids, appointed_by_id__in=org_ids)
        .filter(rules.seat_in_force_q(today))
        .select_related("person", "body")
        .order_by("body__name", "role", "person__name")
    ):
        seats[seat.body.arrangement_id].append(seat)
    return seats


def fetch_alternatives(access: Access, ids: list[int], org_ids) -> dict[int, list]:
    """Return the alternatives, ours and joint, that the user may see, newest first, by
    arrangement id."""
    alternatives = defaultdict(list)
    for alt in (
        access.alternatives(Alternative.objects.filter(arrangement_id__in=ids))
        .filter(Q(organisation_id__isnull=True) | Q(organisation_id__in=org_ids))
        .order_by("-assessed_on", "kind", "pk")
    ):
        alternatives[alt.arrangement_id].append(alt)
    return alternatives


def fetch_evaluations(access: Access, ids: list[int], org_ids) -> dict[int, list]:
    """Return the evaluations, ours and joint, that the user may see, newest first, by
    arrangement id."""
    ours_or_joint = Q(organisation_id__isnull=True) | Q(organisation_id__in=org_ids)
    evaluations = defaultdict(list)
    for e in access.evaluations(Evaluation.objects.filter(arrangement_id__in=ids)).filter(
        ours_or_joint
    ):
        evaluations[e.arrangement_id].append(e)  # newest first (the model's ordering)
    return evaluations


def fetch_joint_decisions(access: Access, ids: list[int], dates: Dates) -> list:
    """Return the joint bodies' decisions from today to the end of the term, by date."""
    return list(
        access.decisions(Decision.objects.filter(arrangement_id__in=ids))
        .filter(organisation_id__isnull=True, date__gte=dates.today, date__lte=dates.term_limit)
        .order_by("date")
    )


def fetch_goals(org_ids, ongoing_ids: list[int]) -> list:
    """Return the scope's goals in order, each marked ``served`` when an ongoing arrangement of
    the portfolio contributes to it."""
    return list(
        Goal.objects.filter(organisation_id__in=org_ids)
        .annotate(
            served=Exists(
                Contribution.objects.filter(goal_id=OuterRef("pk"), arrangement_id__in=ongoing_ids)
            )
        )
        .order_by("sort_order", "title")
    )


# --- The portfolio's steps: put together (no queries) ---------------------------------------------


def ongoing_by_arrangement(arrangements, org_ids, today: dt.date) -> dict[int, bool]:
    """Return, by arrangement id, whether it is ongoing for the scope: the arrangement is ongoing
    and one of ours takes part in it today."""
    return {
        a.pk: any(
            rules.takes_part(a, p, today)
            for p in a.participations.all()
            if p.organisation_id in org_ids
        )
        for a in arrangements
    }


def upcoming_events(
    arrangements, ongoing: dict, evaluations: dict, seats: dict, joint_decisions: list, dates
) -> list[Upcoming]:
    """Return what is coming up (or overdue) on the ongoing arrangements up to the end of the
    term, by date: ends, notice deadlines, evaluations, seats ending (a little later still) and
    the joint bodies' decisions."""
    today, term_limit = dates.today, dates.term_limit
    by_arrangement = {a.pk: a for a in arrangements}
    for records in evaluations.values():
        for e in records:
            e.arrangement = by_arrangement[e.arrangement_id]
    for d in joint_decisions:
        d.arrangement = by_arrangement[d.arrangement_id]
    upcoming: list[Upcoming] = []
    for a in arrangements:
        if not ongoing[a.pk]:
            continue
        if a.end_date and a.end_date <= term_limit:
            upcoming.append(Upcoming(a.end_date, "Slutar", a))
        notice = rules.notice_deadline(a.end_date, a.notice_months)
        if notice:
            if notice <= term_limit:
                upcoming.append(
                    Upcoming(
                        notice,
                        NOTICE,
                        a,
                        f"{a.notice_months} månaders uppsägningstid",
                        overdue=notice < today,
                    )
                )
        latest = evaluations[a.pk][0] if evaluations[a.pk] else None
        if latest and latest.next_evaluation and latest.next_evaluation <= term_limit:
            upcoming.append(
                Upcoming(
                    latest.next_evaluation,
                    "Uppföljning",
                    a,
                    "Försenad" if latest.next_evaluation < today else "",
                    overdue=latest.next_evaluation < today,
                )
            )
        # The seats that end: one line per body and day, not one per person.
        ending: dict[tuple, list] = defaultdict(list)
        for seat in seats[a.pk]:
            if seat.term_end and seat.term_end <= dates.seats_until:
                ending[(seat.term_end, seat.body.name, seat.body_id)].append(seat)
        for (term_end, _name, _body), group in sorted(ending.items()):
            upcoming.append(
                Upcoming(term_end, SEATS_END, a, seats_ending_text(group), seats=tuple(group))
            )
    for d in joint_decisions:
        upcoming.append(
            Upcoming(d.date, "Beslut i gemensamt organ", by_arrangement[d.arrangement_id], d.title)
        )
    upcoming.sort(key=lambda u: (u.date, u.arrangement.name, u.kind))
    return upcoming


def portfolio_row(
    a,
    org_ids,
    dates: Dates,
    *,
    ongoing: bool,
    yearly: dict,
    seats: list,
    evaluations: list,
    alternatives: list,
    next_deadline: Upcoming | None,
) -> PortfolioRow:
    """Return the table's row of one arrangement: ``yearly`` is our cost by year."""
    today, last_year = dates.today, dates.last_year
    participations = list(a.participations.all())
    own = [p for p in participations if p.organisation_id in org_ids]
    # The members in force today (of an ended arrangement: those who had not left).
    partners = [
        p.organisation
        for p in participations
        if p.organisation_id not in org_ids and rules.member_in_force(p, today)
    ]
    first = own[0] if own else None
    reference = yearly.get(last_year)
    return PortfolioRow(
        arrangement=a,
        form=a.form.name,
        areas=list(a.service_areas.all()),
        partners=partners,
        host=a.host,
        representatives=seats,
        political_body=_joined(p.political_body for p in own),
        political_owner=first.political_owner if first else None,
        admin_unit=_joined(p.admin_unit for p in own),
        admin_owner=first.admin_owner if first else None,
        cost_last_year=reference.amount if reference else None,
        cost_previous_year=_amount(yearly.get(last_year - 1)),
        costs_by_year={y: amount.amount for y, amount in yearly.items()},
        last_evaluation=evaluations[0] if evaluations else None,
        next_deadline=next_deadline,
        ongoing=ongoing,
        goal_count=a.goal_count,
        example=rules.example_mark(a.is_example, a.example_parts),
        decided_since_election=a.decided_since_election,
        amounts_by_year=dict(yearly),
        alternatives=alternatives,
        status=rules.status_on(a, today),
        cost_last_year_kind=reference.kind_label if reference else "",
    )


def counts_by_form_and_area(arrangements, ongoing: dict) -> tuple[list, list]:
    """Return the ongoing arrangements counted (name, n) by form, in the forms' order, and by
    service area, the most first."""
    form_counts: Counter = Counter()
    area_counts: Counter = Counter()
    form_order: dict[str, tuple] = {}
    area_order: dict[str, tuple] = {}
    for a in arrangements:
        if not ongoing[a.pk]:
            continue
        form_counts[a.form.name] += 1
        form_order[a.form.name] = (a.form.sort_order, a.form.name)
        for area in a.service_areas.all():
            area_counts[area.name] += 1
            area_order[area.name] = (area.sort_order, area.name)
    return (
        [(k, form_counts[k]) for k in sorted(form_counts, key=form_order.get)],
        sorted(area_counts.items(), key=lambda kv: (-kv[1], area_order[kv[0]])),
    )


def scope_cost_by_year(scope: Scope, costs: dict, dates: Dates, populations: dict) -> list:
    """Return our cost of each year shown, and per inhabitant of the scope with the population
    of that year (``populations``: by organisation and year, as ``fetch_participants`` gives)."""
    totals: dict[int, rules.Amount] = {}
    for yearly in costs.values():
        for year, amount in yearly.items():
            totals[year] = totals.get(year, rules.Amount(year, None)) + amount
    org_ids = scope.org_ids
    if scope.is_organisation:
        by_year = populations.get(scope.organisation.pk, {})
        population = {y: rules.population_in(y, by_year) for y in dates.years}
    else:
        ours = {pk: by_year for pk, by_year in populations.items() if pk in org_ids}
        population = {y: scope_population(y, ours) for y in dates.years}
    return year_costs(totals, dates.years, population)


def filter_choices(arrangements) -> tuple[list, list]:
    """Return the (pk, name) of every form and every service area in the portfolio, in their
    order, for the page's filter."""
    forms = sorted({(a.form.sort_order, a.form.name, a.form.pk) for a in arrangements})
    areas = sorted(
        {
            (area.sort_order, area.name, area.pk)
            for a in arrangements
            for area in a.service_areas.all()
        }
    )
    return [(pk, name) for _, name, pk in forms], [(pk, name) for _, name, pk in areas]


def year_costs(amounts: dict, years: list[int], populations: dict | None = None) -> list[YearCost]:
    """Return the cost of each year (``amounts``: year → ``rules.Amount`` or kronor) with the
    change from the year before and, given ``populations`` (year → ``rules.Population``), per
    inhabitant with the population of that year."""
    result = []
    previous = None
    for year in years:
        value = amounts.get(year)
        amount = value.amount if isinstance(value, rules.Amount) else value
        kinds = value.kinds if isinstance(value, rules.Amount) else frozenset()
        population = (populations or {}).get(year)
        entry = YearCost(
            year,
            amount,
            rules.per_inhabitant(amount, population.population if population else None),
            kinds=kinds,
            population=population,
        )
        if previous is not None and previous.amount is not None and amount is not None:
            entry.change = amount - previous.amount
            entry.change_percent = rules.change_percent(amount, previous.amount)
        result.append(entry)
        previous = entry
    return result


def _amount(value: rules.Amount | None) -> int | None:
    return value.amount if value else None


def _joined(values) -> str:
    seen = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return ", ".join(seen)


def unserved_goals(goals, served_ids: set) -> list:
    """Return the goals that no arrangement serves, itself or through a goal below it.

    Only the top-most of an unserved branch is listed (a vision that nothing serves stands for
    its focus areas and goals)."""
    children = defaultdict(list)
    for g in goals:
        if g.parent_id:
            children[g.parent_id].append(g)

    def served(goal, seen=()) -> bool:
        if goal.pk in served_ids:
            return True
        return any(served(c, (*seen, goal.pk)) for c in children[goal.pk] if c.pk not in seen)

    known = {g.pk for g in goals}
    result = []
    for node in goal_tree(goals):
        stack = [node]
        while stack:
            n = stack.pop(0)
            if not served(n.goal):
                result.append(n.goal)
            else:
                stack.extend(n.children)
    return [g for g in result if g.pk in known]


# --- Timeline ------------------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    date: dt.date
    kind: str
    arrangement: Any
    title: str
    detail: str = ""
    url: str = ""


def timeline(
    access: Access, scope: Scope, *, area=None, arrangement_id=None, limit: int = 300
) -> list[TimelineEvent]:
    """Return decisions, evaluations and membership changes of the portfolio, newest first."""
    arrangements = portfolio_arrangements(access, scope)
    if area is not None:
        arrangements = arrangements.filter(service_areas=area)
    if arrangement_id is not None:
        arrangements = arrangements.filter(pk=arrangement_id)
    by_id = {a.pk: a for a in arrangements.only("pk", "name", "is_published", "is_example")}
    ids = list(by_id)
    events = []
    for d in (
        access.decisions(Decision.objects.filter(arrangement_id__in=ids))
        .select_related("organisation")
        .order_by("-date")[:limit]
    ):
        where = d.organisation.display_name if d.organisation_id else "gemensamt organ"
        events.append(
            TimelineEvent(
                d.date,
                "Beslut",
                by_id[d.arrangement_id],
                d.title,
                f"{d.deciding_body} ({where}){', ' + d.reference if d.reference else ''}",
                d.get_absolute_url(),
            )
        )
    for e in (
        access.evaluations(Evaluation.objects.filter(arrangement_id__in=ids))
        .select_related("organisation")
        .order_by("-date")[:limit]
    ):
        detail = f"Måluppfyllelse: {e.get_goal_attainment_display().lower()}"
        if e.recommendation:
            detail += f". Rekommendation: {e.get_recommendation_display().lower()}"
        events.append(
            TimelineEvent(e.date, "Uppföljning", by_id[e.arrangement_id], "Uppföljning", detail, "")
        )
    for p in (
        Participation.objects.filter(arrangement_id__in=ids)
        .filter(Q(joined__isnull=False) | Q(left__isnull=False))
        .select_related("organisation")
        .order_by("-joined")[: limit * 2]
    ):
        if p.joined:
            events.append(
                TimelineEvent(
                    p.joined,
                    "Medlemskap",
                    by_id[p.arrangement_id],
                    f"{p.organisation.display_name} gick med",
                )
            )
        if p.left:
            events.append(
                TimelineEvent(
                    p.left,
                    "Medlemskap",
                    by_id[p.arrangement_id],
                    f"{p.organisation.display_name} lämnade",
                )
            )
    events.sort(key=lambda e: (e.date, e.kind, e.arrangement.name), reverse=True)
    return events[:limit]


# --- Goals map -----------------------------------------------------------------------------------


@dataclass
class GoalMapNode:
    goal: Any
    contributions: list
    conflicts: list
    children: list = field(default_factory=list)
    served: bool = False


@dataclass
class GoalMap:
    roots: list
    arrangements_without_goal: list
    conflict_count: int

    @property
    def unserved(self) -> list:
        result = []
        stack = list(self.roots)
        while stack:
            n = stack.pop(0)
            if not n.served:
                result.append(n)
            else:
                stack.extend(n.children)
        return result


def goal_map(access: Access, scope: Scope, *, today: dt.date | None = None) -> GoalMap:
    """Return the scope's own goals with the arrangements that serve them and the conflicts."""
    today = today or rules.today()
    arrangements = [
        a
        for a in portfolio_arrangements(access, scope).select_related("form").order_by("name")
        if rules.is_ongoing(a, today)
    ]
    ids = [a.pk for a in arrangements]
    goals = list(
        Goal.objects.filter(organisation_id__in=scope.org_ids).order_by("sort_order", "title")
    )
    contributions = defaultdict(list)
    with_goal = set()
    for c in Contribution.objects.filter(
        goal__organisation_id__in=scope.org_ids, arrangement_id__in=ids
    ).select_related("arrangement"):
        contributions[c.goal_id].append(c)
        with_goal.add(c.arrangement_id)
    conflicts = defaultdict(list)
    count = 0
    for gc in (
        access.goal_conflicts(GoalConflict.objects.filter(goal__organisation_id__in=scope.org_ids))
        .filter(arrangement_id__in=ids)
        .select_related("arrangement")
    ):
        conflicts[gc.goal_id].append(gc)
        count += 1

    def build(node) -> GoalMapNode:
        children = [build(c) for c in node.children]
        own = contributions.get(node.goal.pk, [])
        return GoalMapNode(
            goal=node.goal,
            contributions=own,
            conflicts=conflicts.get(node.goal.pk, []),
            children=children,
            served=bool(own) or any(c.served for c in children),
        )

    return GoalMap(
        roots=[build(n) for n in goal_tree(goals)],
        arrangements_without_goal=[a for a in arrangements if a.pk not in with_goal],
        conflict_count=count,
    )
