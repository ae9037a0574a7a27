"""The public organisation page's partner network and cost charts, from the page's own documents.

Nothing is read here: the network is built from the arrangement documents that
``selectors.portfolio`` already holds (published arrangements, visible participations, public
fields only), so the network costs no query and cannot show an unpublished arrangement or a field
that is not on the allow-list. The graph is ``register/graph.py``'s, the picture
``register/reports/network_svg.py``'s (shared with the internal pages), the charts
``register/reports/charts.py``'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import mark_safe

from .. import graph, rules
from ..reports import charts, network_svg
from ..selectors.portfolio import year_costs
from .selectors import PAGE_KINDS, Portfolio


def network_data(p: Portfolio) -> graph.NetworkData:
    """Return the graph's rows for the portfolio's published arrangements and their participants,
    with the deciding bodies, the seats and the costs of the reference year, so that the network
    and the seat shares follow the same rules as the internal pages (``register/graph.py``).
    The county's name stands for its code (both are unique); only the name is public. Made once
    per portfolio: the organisation page's influence and network both read them."""
    data = p.__dict__.get("_network_data")
    if data is None:
        data = p.__dict__["_network_data"] = _network_data(p)
    return data


def _network_data(p: Portfolio) -> graph.NetworkData:
    year = p.reference_year
    orgs: dict[int, graph.Org] = {}
    arrangements: dict[int, graph.Arr] = {}
    participations: list[graph.Part] = []
    bodies: list[graph.BodyRow] = []
    seats: list[graph.SeatRow] = []
    for a in p.arrangements:
        total = next((t["amount_sek"] for t in a["total_costs"] if t["year"] == year), None)
        arrangements[a["id"]] = graph.Arr(
            id=a["id"],
            name=a["name"],
            deciding_kind=a.get("form__deciding_body_kind") or "",
            status=a["registered_status"],
            start_date=a["start_date"],
            end_date=a["end_date"],
            total_cost=total,
        )
        costs = {c["organisation_id"]: c for c in a["costs"] if c["year"] == year}
        for part in a["participants"]:
            if part["organisation_id"] not in orgs:  # the same on each of its rows
                county = part.get("organisation__county__name")
                population = part.get("reference_population")
                orgs[part["organisation_id"]] = graph.Org(
                    id=part["organisation_id"],
                    name=part["name"],
                    kind=part["kind"],
                    code=part["code"],
                    county_code=county,
                    county_name=county,
                    population=population.population if population else None,
                    population_year=population.year if population else None,
                )
            cost = costs.get(part["organisation_id"])
            participations.append(
                graph.Part(
                    arrangement_id=a["id"],
                    organisation_id=part["organisation_id"],
                    role=part["role"],
                    joined=part["joined"],
                    left=part["left"],
                    cost=cost["amount_sek"] if cost else None,
                    cost_kind=cost["kind"] if cost else None,
                    cost_share=part.get("cost_share"),
                )
            )
        for b in a["bodies"]:
            bodies.append(
                graph.BodyRow(
                    id=b["id"],
                    arrangement_id=a["id"],
                    name=b["name"],
                    kind=b["kind"],
                    powers=b["powers"],
                    seat_count=b["seat_count"],
                )
            )
            seats.extend(
                graph.SeatRow(
                    body_id=b["id"],
                    appointed_by_id=seat["appointed_by_id"],
                    role=seat["role"],
                    term_start=seat["term_start"],
                    term_end=seat["term_end"],
                )
                for seat in b["seats"]
            )
    org = p.organisation
    if org["id"] not in orgs:  # no published arrangement: the organisation alone
        orgs[org["id"]] = graph.Org(
            id=org["id"],
            name=org["name"],
            kind=org["kind"],
            code=org["code"],
            county_code=org.get("county__name"),
            county_name=org.get("county__name"),
        )
    return graph.NetworkData(
        orgs=orgs,
        arrangements=arrangements,
        participations=participations,
        bodies=bodies,
        seats=seats,
        cost_year=year,
    )


def influence(p: Portfolio, *, on: dt.date | None = None) -> dict[int, graph.InfluenceRow]:
    """Return the organisation's seat share against cost share per published arrangement it
    takes part in on ``on`` (today), by arrangement id: ``graph.influence_rows``, the one rule."""
    on = on or p.today or rules.today()
    rows = graph.influence_rows(network_data(p), p.organisation["id"], on=on)
    return {r.arrangement.id: r for r in rows}


class Links:
    """The public links of the picture's nodes: a municipality's or region's page, an
    arrangement's page; an organisation without a public page gets no link."""

    def __init__(self, data: graph.NetworkData, slugs: dict[int, str]):
        self._org = reverse("public:organisation", args=["0000"]).replace("0000", "{}")
        self._arr = reverse("public:arrangement", args=["0"]).replace("/0/", "/{}/")
        self.data = data
        self.slugs = slugs

    def organisation(self, pk: int) -> str:
        org = self.data.orgs[pk]
        return self._org.format(org.code) if org.code and org.kind in PAGE_KINDS else ""

    def arrangement(self, pk: int) -> str:
        return self._arr.format(self.slugs[pk])


@dataclass
class PublicNetwork:
    svg: str  # "" when the organisation has no partner today
    label: str
    notes: list[str]
    partners: list[dict]  # name, url, county, cross, shared, arrangements [(name, url)]
    arrangements: int  # the arrangements in force today
    ended: int  # published arrangements not in the network (ended or not started)


def partner_network(p: Portfolio, *, on: dt.date | None = None) -> PublicNetwork:
    """Return the organisation's partner network on ``on`` (today): the picture and the table."""
    on = on or rules.today()
    data = network_data(p)
    me = p.organisation["id"]
    net = graph.build(data, on=on, around=me)  # the page shows our ties only
    links = Links(data, {a["id"]: a["slug"] for a in p.arrangements})
    partners = []
    for other, edge in net.graph[me].items():
        o = data.orgs[other]
        partners.append(
            {
                "name": o.name,
                "url": links.organisation(other),
                "county": o.county_name or "",
                "cross": graph.crosses_county(data.orgs[me], o),
                "shared": edge["shared"],
                "arrangements": sorted(
                    (data.arrangements[a].name, links.arrangement(a)) for a in edge["arrangements"]
                ),
            }
        )
    partners.sort(key=lambda r: (-r["shared"], r["name"]))
    mine = net.arrangements_of(me)
    if not partners:
        return PublicNetwork("", "", [], [], len(mine), len(p.arrangements) - len(mine))
    picture = network_svg.ego_picture(net, me, links)
    return PublicNetwork(
        svg=network_svg.render(picture),
        label=picture.label,
        notes=picture.notes,
        partners=partners,
        arrangements=len(mine),
        ended=len(p.arrangements) - len(mine),
    )


@dataclass
class CostCharts:
    years: list  # selectors.portfolio.YearCost rows, oldest first
    cost: str
    per_inhabitant: str  # "" without a population

    @property
    def rows(self) -> list[dict]:
        """The charts' figures for their table: year, amount, which figures, per inhabitant with
        the population's year, change."""
        return [
            {
                "year": y.year,
                "amount": y.amount,
                "kind": y.kind_label,
                "per_inhabitant": y.per_inhabitant,
                "population_year": y.population_year,
                "change": charts.change_note(y.change_percent) or "–",
            }
            for y in self.years
        ]


def cost_charts(p: Portfolio) -> CostCharts | None:
    """Return (None without any cost) the organisation's own cost per year over its published
    arrangements (the best figure of each: outcome, else forecast, else budget, and which), in
    kronor and per inhabitant with the population of each year; forecast and budget years are
    marked in the charts."""
    amounts: dict[int, rules.Amount] = {}
    for a in p.arrangements:
        for c in a["our_costs"]:
            if c["amount_sek"] is not None:
                year = c["year"]
                amounts[year] = amounts.get(year, rules.Amount(year, None)) + rules.Amount(
                    year, c["amount_sek"], frozenset({c["kind"]})
                )
    if not amounts:
        return None
    org = p.organisation
    every_year = list(range(min(amounts), max(amounts) + 1))  # a gap shows as missing
    by_year = org.get("population_by_year", {})
    populations = {y: rules.population_in(y, by_year) for y in every_year}
    years = year_costs(amounts, every_year, populations)
    subject = org["name"]
    has_population = any(y.per_inhabitant is not None for y in years)
    return CostCharts(
        years=years,
        cost=mark_safe(charts.cost_chart("diagram-kostnad", years, subject=subject)),
        per_inhabitant=(
            mark_safe(
                charts.cost_chart(
                    "diagram-per-invanare", years, per_inhabitant=True, subject=subject
                )
            )
            if has_population
            else ""
        ),
    )
