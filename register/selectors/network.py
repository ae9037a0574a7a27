"""The partner network's data: plain rows for ``register/graph.py``, as Access lets the user see.

A handful of queries whatever the data size: the organisations (public facts), the visible
arrangements in scope, their participations, the participants' costs and the arrangements' totals
in the cost year, and (for influence) the bodies and their seats.
"""

from __future__ import annotations

import datetime as dt

from .. import graph, rules
from ..access import Access
from ..graph import Arr, BodyRow, NetworkData, Org, Part, SeatRow
from ..models import Body, Cost, Organisation, Participation, TotalCost
from .costs import CostRow
from .population import populations_in

ORG_FIELDS = (
    "id",
    "name",
    "short_name",
    "kind",
    "code",
    "county__code",
    "county__name",
    "population",
)
ARRANGEMENT_FIELDS = (
    "id",
    "name",
    "short_name",
    "form__slug",
    "form__deciding_body_kind",
    "status",
    "start_date",
    "end_date",
)
PARTICIPATION_FIELDS = (
    "id",
    "arrangement_id",
    "organisation_id",
    "role",
    "joined",
    "left",
    "cost_share",
)


def _org(populations, pk, name, short, kind, code, county_code, county_name, population) -> Org:
    figure = populations.get(pk)
    return Org(
        id=pk,
        name=short or name,
        kind=kind,
        code=code,
        county_code=county_code,
        county_name=county_name,
        population=figure.population if figure else None,
        population_year=figure.year if figure else None,
    )


def _arrangement(totals, pk, name, short, form, deciding_kind, status, start, end) -> Arr:
    return Arr(
        id=pk,
        name=short or name,
        form_slug=form,
        deciding_kind=deciding_kind,
        status=status,
        start_date=start,
        end_date=end,
        total_cost=totals.get(pk),
    )


def _participation(costs, pid, aid, oid, role, joined, left, share) -> Part:
    amount = costs.get(pid)
    return Part(
        arrangement_id=aid,
        organisation_id=oid,
        role=role,
        joined=joined,
        left=left,
        cost=amount.amount if amount else None,
        cost_kind=amount.kind if amount else None,
        cost_share=share,
    )


def organisations(on: dt.date) -> dict[int, Org]:
    """Return every organisation with its population in the cost year of ``on``."""
    populations = populations_in(rules.reference_year(on))
    return {
        row[0]: _org(populations, *row) for row in Organisation.objects.values_list(*ORG_FIELDS)
    }


def _costs(scope_ids, on: dt.date) -> tuple[int, dict, dict]:
    """Return the cost year (``rules.reference_year`` of ``on``), each participation's best
    figure that year (an ``rules.Amount``) and each arrangement's total, in two queries (in no
    order: the answers are looked up by id, and sorting by the models' ordering would join the
    arrangements and organisations for nothing)."""
    year = rules.reference_year(on)
    costs, totals = {}, {}
    for pid, budget, outcome, forecast in (
        Cost.objects.filter(participation__arrangement__in=scope_ids, year=year)
        .order_by()
        .values_list("participation_id", "budget", "outcome", "forecast")
    ):
        amount = rules.amount_of(CostRow(year, budget, outcome, forecast))
        if amount.amount is not None:
            costs[pid] = amount
    for aid, budget, outcome in (
        TotalCost.objects.filter(arrangement__in=scope_ids, year=year)
        .order_by()
        .values_list("arrangement_id", "budget", "outcome")
    ):
        totals[aid] = rules.best_amount(CostRow(year=year, budget=budget, outcome=outcome))
    return year, costs, totals


def _bodies_and_seats(scope_ids) -> tuple[list[BodyRow], list[SeatRow]]:
    """Return the bodies of the arrangements in scope and their seats, in one query."""
    bodies, seats = {}, []
    for (
        pk,
        aid,
        name,
        kind,
        powers,
        seat_count,
        appointed_by,
        role,
        start,
        end,
    ) in Body.objects.filter(arrangement__in=scope_ids).values_list(
        "id",
        "arrangement_id",
        "name",
        "kind",
        "powers",
        "seat_count",
        "seats__appointed_by_id",
        "seats__role",
        "seats__term_start",
        "seats__term_end",
    ):
        if pk not in bodies:  # a row per seat: the body once
            bodies[pk] = BodyRow(
                id=pk,
                arrangement_id=aid,
                name=name,
                kind=kind,
                powers=powers,
                seat_count=seat_count,
            )
        if role is not None:
            seats.append(
                SeatRow(
                    body_id=pk,
                    appointed_by_id=appointed_by,
                    role=role,
                    term_start=start,
                    term_end=end,
                )
            )
    return list(bodies.values()), seats


def network_data(
    access: Access,
    *,
    on: dt.date | None = None,
    organisation_id: int | None = None,
    county_code: str | None = None,
    with_seats: bool = False,
) -> NetworkData:
    """Return the network's rows: the arrangements the user may see, those of one organisation
    (``organisation_id``) or with a participant in one county (``county_code``), with every
    participant. Costs are those of the cost year: ``rules.reference_year`` of ``on``."""
    on = on or rules.today()
    scope = access.arrangements()
    if organisation_id is not None:
        scope = scope.filter(participations__organisation_id=organisation_id)
    elif county_code is not None:
        scope = scope.filter(participations__organisation__county__code=county_code)
    scope_ids = scope.values("pk")
    orgs = organisations(on)
    arrangement_rows = list(
        access.arrangements().filter(pk__in=scope_ids).values_list(*ARRANGEMENT_FIELDS)
    )
    year, costs, totals = _costs(scope_ids, on)
    arrangements = {row[0]: _arrangement(totals, *row) for row in arrangement_rows}
    participations = [
        _participation(costs, *row)
        for row in Participation.objects.filter(arrangement__in=scope_ids).values_list(
            *PARTICIPATION_FIELDS
        )
    ]
    bodies, seats = _bodies_and_seats(scope_ids) if with_seats else ([], [])
    return NetworkData(
        orgs=orgs,
        arrangements=arrangements,
        participations=participations,
        bodies=bodies,
        seats=seats,
        cost_year=year,
    )


def _participation_row(p, arrangement) -> tuple:
    """A fetched Participation (with its organisation and county) as influence_data's row."""
    o = p.organisation
    county = o.county
    form = arrangement.form
    return (
        p.pk,
        arrangement.pk,
        p.organisation_id,
        p.role,
        p.joined,
        p.left,
        p.cost_share,
        o.name,
        o.short_name,
        o.kind,
        o.code,
        county.code if county else None,
        county.name if county else None,
        o.population,
        arrangement.name,
        arrangement.short_name,
        form.slug if form else None,
        form.deciding_body_kind if form else "",
        arrangement.status,
        arrangement.start_date,
        arrangement.end_date,
    )


def influence_data(
    access: Access,
    *,
    organisation_id: int,
    on: dt.date,
    arrangements=None,
    populations=None,
    costs=None,
) -> NetworkData:
    """Return the rows ``graph.influence_by_org`` needs for one organisation's arrangements (those
    the user may see), in five queries: the participations with their organisations and
    arrangements, the participants' costs and the arrangements' totals in the cost year (as in
    ``network_data``), the participants' population that year, the bodies with their seats. For pages that show influence beside much
    else (a strategic review, the overview).

    ``arrangements``, when given, are those same arrangements already fetched with their forms
    and every participation (with its organisation and county) prefetched: the first query is
    then spared (the overview). ``populations`` (``population.population_by_year`` of every
    participant, up to the cost year at least) spares the population query, and ``costs``
    (each participation's ``rules.Amount`` in the cost year, each arrangement's total) the two
    cost queries."""
    scope_ids = (
        access.arrangements().filter(participations__organisation_id=organisation_id).values("pk")
    )
    if arrangements is not None:
        rows = [_participation_row(p, a) for a in arrangements for p in a.participations.all()]
    else:
        rows = Participation.objects.filter(arrangement__in=scope_ids).values_list(
            *PARTICIPATION_FIELDS,
            *(f"organisation__{name}" for name in ORG_FIELDS[1:]),
            *(f"arrangement__{name}" for name in ARRANGEMENT_FIELDS[1:]),
        )
    n_part, n_org = len(PARTICIPATION_FIELDS), len(ORG_FIELDS) - 1
    if costs is None:
        year, costs, totals = _costs(scope_ids, on)
    else:
        year, (costs, totals) = rules.reference_year(on), costs
    rows = list(rows)
    if populations is None:
        populations = populations_in(year, {row[2] for row in rows})
    else:
        populations = {
            pk: figure
            for pk, by_year in populations.items()
            if (figure := rules.population_in(year, by_year)) is not None
        }
    orgs, arrangements_, participations = {}, {}, []
    for row in rows:
        part, org, arrangement = row[:n_part], row[n_part : n_part + n_org], row[n_part + n_org :]
        if part[2] not in orgs:  # one Org and one Arr each, however many rows name them
            orgs[part[2]] = _org(populations, part[2], *org)
        if part[1] not in arrangements_:
            arrangements_[part[1]] = _arrangement(totals, part[1], *arrangement)
        participations.append(_participation(costs, *part))
    bodies, seats = _bodies_and_seats(scope_ids)
    return NetworkData(
        orgs=orgs,
        arrangements=arrangements_,
        participations=participations,
        bodies=bodies,
        seats=seats,
        cost_year=year,
    )


def organisation_figures(
    access: Access,
    *,
    on: dt.date | None = None,
    kind: str = "all",
    include_ended: bool = False,
    organisation_id: int | None = None,
    county_code: str | None = None,
):
    """Return (network, figures of item 2) for one organisation, a county's or every one."""
    on = on or rules.today()
    data = network_data(
        access, on=on, organisation_id=organisation_id, county_code=county_code, with_seats=True
    )
    net = graph.build(data, on=on, include_ended=include_ended, kind=kind)
    if organisation_id is not None:
        ids = [organisation_id]
    elif county_code is not None:
        ids = [n for n in net.graph.nodes if data.orgs[n].county_code == county_code]
    else:
        ids = list(net.graph.nodes)
    influence = graph.influence_by_org(data, ids, on=on, include_ended=include_ended)
    return net, graph.all_org_figures(net, ids, influence)
