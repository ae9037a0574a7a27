"""The partner network's figures (register/graph.py) on a small fixture worked out by hand.

Organisations: Alfa (municipality, county 01, 100 inhabitants), Beta (municipality, 01, no
population registered), Gamma (municipality, 03, 600), Delta region (01), Epsilon (state
agency, no county), Zeta (municipality, 03, 50, no arrangement).

Arrangements (costs are for 2024, the cost year):

* 10 Brand (federation): Alfa 100, Beta 300, Gamma 600 kr; no total. Deciding body "Direktionen":
  ordinary seats Alfa 1, Beta 2 (chair + member), Gamma 2 (+ 1 substitute, not counted) = 5.
* 11 Lön (joint committee): Alfa 50, Beta no cost; total 200 kr; no body.
* 12 Tillsyn (agreement): Alfa 10, Gamma and Delta no cost; only a preparing body.
* 13 Nätverk (network): Alfa (cost-share key 40 %), Epsilon; no costs; a deciding steering group
  with only a substitute.
* 14 Avslutad (ended): Alfa, Beta.
* 15 Arkiv: Beta, Gamma; Gamma left 2023-06-30.
* 17 VA (company): Alfa, Beta, Gamma; no costs (the same partner group as Brand).

On 2024-06-01 the ties are: Alfa–Beta 3 shared (10, 11, 17), 450 kr (100+300, 50+0);
Alfa–Gamma 3 (10, 12, 17), 710 kr (100+600, 10+0); Beta–Gamma 2 (10, 17), 900 kr;
Alfa–Delta 1, 10 kr; Gamma–Delta 1, 0 kr; Alfa–Epsilon 1, 0 kr.
"""

import datetime as dt
import json
from decimal import Decimal

import networkx as nx
import pytest

from register import graph as g

ON = dt.date(2024, 6, 1)
ALFA, BETA, GAMMA, DELTA, EPSILON, ZETA = 1, 2, 3, 4, 5, 6


@pytest.fixture
def data():
    orgs = {
        ALFA: g.Org(ALFA, "Alfa", "municipality", "0001", "01", "Län 1", 100),
        BETA: g.Org(BETA, "Beta", "municipality", "0002", "01", "Län 1", None),
        GAMMA: g.Org(GAMMA, "Gamma", "municipality", "0003", "03", "Län 3", 600),
        DELTA: g.Org(DELTA, "Delta region", "region", "01", "01", "Län 1", None),
        EPSILON: g.Org(EPSILON, "Epsilon", "state_agency", None, None, None, None),
        ZETA: g.Org(ZETA, "Zeta", "municipality", "0006", "03", "Län 3", 50),
    }
    arrangements = {
        10: g.Arr(10, "Brand", "municipal_federation"),
        11: g.Arr(11, "Lön", "joint_committee", total_cost=200),
        12: g.Arr(12, "Tillsyn", "agreement"),
        13: g.Arr(13, "Nätverk", "network"),
        14: g.Arr(14, "Avslutad", "network", status="ended"),
        15: g.Arr(15, "Arkiv", "agreement"),
        17: g.Arr(17, "VA", "joint_company"),
    }
    P = g.Part
    parts = [
        P(10, ALFA, cost=100),
        P(10, BETA, cost=300),
        P(10, GAMMA, cost=600),
        P(11, ALFA, cost=50),
        P(11, BETA),
        P(12, ALFA, cost=10),
        P(12, GAMMA),
        P(12, DELTA),
        P(13, ALFA, cost_share=Decimal("40.00")),
        P(13, EPSILON),
        P(14, ALFA),
        P(14, BETA),
        P(15, BETA),
        P(15, GAMMA, left=dt.date(2023, 6, 30)),
        P(17, ALFA),
        P(17, BETA),
        P(17, GAMMA),
    ]
    bodies = [
        g.BodyRow(100, 10, "Direktionen", "federation_board", "decides"),
        g.BodyRow(101, 10, "Förbundsfullmäktige", "federation_assembly", "decides"),
        g.BodyRow(120, 12, "Beredningen", "officials_group", "prepares"),
        g.BodyRow(130, 13, "Styrgruppen", "steering_group", "decides"),
    ]
    S = g.SeatRow
    seats = [
        S(100, ALFA, "member"),
        S(100, BETA, "chair"),
        S(100, BETA, "member"),
        S(100, GAMMA, "vice_chair"),
        S(100, GAMMA, "member"),
        S(100, GAMMA, "substitute"),
        S(101, ALFA, "member"),  # the assembly: not the deciding body of a federation
        S(130, ALFA, "substitute"),
    ]
    return g.NetworkData(orgs, arrangements, parts, bodies, seats, cost_year=2024)


@pytest.fixture
def net(data):
    return g.build(data, on=ON)


# --- item 1: the graph -------------------------------------------------------------------------


def test_the_bipartite_graph_leaves_out_ended_arrangements_and_participations_that_have_left(net):
    assert net.arrangements_of(ALFA) == [10, 11, 12, 13, 17]
    assert net.members(15) == [BETA]
    assert ("a", 14) not in net.bip


def test_the_projection_carries_shared_arrangements_and_shared_money(net):
    edges = {(u, v): (e["shared"], e["money"]) for u, v, e in net.graph.edges(data=True)}
    edges = {tuple(sorted(k)): v for k, v in edges.items()}
    assert edges == {
        (ALFA, BETA): (3, 450),
        (ALFA, GAMMA): (3, 710),
        (BETA, GAMMA): (2, 900),
        (ALFA, DELTA): (1, 10),
        (GAMMA, DELTA): (1, 0),
        (ALFA, EPSILON): (1, 0),
    }
    assert sorted(net.graph[ALFA][BETA]["arrangements"]) == [10, 11, 17]


def test_the_projection_around_one_organisation_has_its_ties_as_the_whole_one_has_them(data):
    """An organisation's page builds only its own ties (``around``): each is the whole
    projection's, with the same data, in the same order; nobody else's tie is made."""
    for history in (False, True):
        whole = g.build(data, on=ON, include_ended=history).graph
        for org in data.orgs:
            around = g.build(data, on=ON, include_ended=history, around=org).graph
            assert list(around[org].items()) == list(whole[org].items())
            assert list(around.nodes) == list(whole.nodes)
            assert all(org in (u, v) for u, v in around.edges)


def test_history_brings_back_ended_arrangements_and_those_who_left(data):
    net = g.build(data, on=ON, include_ended=True)
    assert net.graph[ALFA][BETA]["shared"] == 4  # + Avslutad
    assert net.graph[BETA][GAMMA]["shared"] == 3  # + Arkiv


def test_a_date_shows_the_network_as_it_stood_then(data):
    net = g.build(data, on=dt.date(2023, 1, 1))
    assert net.graph[BETA][GAMMA]["shared"] == 3  # Gamma had not left Arkiv yet
    assert net.members(15) == [BETA, GAMMA]


def test_an_arrangement_outside_its_dates_is_not_in_the_network(data):
    data.arrangements[11] = g.Arr(11, "Lön", "joint_committee", start_date=dt.date(2025, 1, 1))
    assert g.build(data, on=ON).graph[ALFA][BETA]["shared"] == 2


def test_the_kind_filter_keeps_only_the_kinds_asked_for(data):
    municipalities = g.build(data, on=ON, kind="municipality")
    assert set(municipalities.graph.nodes) == {ALFA, BETA, GAMMA, ZETA}
    with_regions = g.build(data, on=ON, kind="municipality_region")
    assert set(with_regions.graph.nodes) == {ALFA, BETA, GAMMA, DELTA, ZETA}
    assert set(g.build(data, on=ON, kind="all").graph.nodes) == set(data.orgs)


# --- item 2: figures per organisation --------------------------------------------------------


def test_alfas_figures(net, data):
    influence = g.influence_rows(data, ALFA, on=ON)
    f = g.org_figures(net, ALFA, influence)
    assert f.arrangements == 5
    assert f.partners == 4
    assert f.weighted_degree == 8  # 3 + 3 + 1 + 1
    assert f.money_degree == 1170  # 450 + 710 + 10 + 0
    assert (f.top_partner_shared[0].name, f.top_partner_shared[1]) == ("Beta", 3)  # tie: by name
    assert (f.top_partner_money[0].name, f.top_partner_money[1]) == ("Gamma", 710)
    assert [o.name for o in f.cross_county_partners] == ["Gamma"]
    # {Beta, Gamma} twice (Brand, VA), {Beta}, {Gamma, Delta}, {Epsilon}
    assert f.distinct_partner_groups == 4
    # Costs 100 (Brand, 1 of 5 seats: a minority), 50 (Lön) and 10 (Tillsyn) with no seats known.
    assert f.minority_cost_share == pytest.approx(100 / 160)
    assert f.minority_cost_reason == (
        "37,5\u00a0% av kostnaden gäller samverkan där platserna i det beslutande organet inte "
        "är kända."
    )


def test_figures_follow_the_kind_filter(data):
    f = g.org_figures(g.build(data, on=ON, kind="municipality"), ALFA)
    assert (f.arrangements, f.partners, f.weighted_degree) == (5, 2, 6)
    assert f.distinct_partner_groups == 3  # Nätverk has no municipal partner


def test_an_organisation_without_arrangements_has_zero_figures_and_no_top_partner(net):
    f = g.org_figures(net, ZETA)
    assert (f.arrangements, f.partners, f.weighted_degree, f.distinct_partner_groups) == (
        0,
        0,
        0,
        0,
    )
    assert f.top_partner_shared is None and f.top_partner_money is None


def test_a_top_partner_by_money_needs_some_money(net):
    f = g.org_figures(net, EPSILON)
    assert f.top_partner_shared[0].name == "Alfa"
    assert f.top_partner_money is None


def test_the_minority_cost_share_says_why_when_there_is_no_cost():
    assert g.minority_cost_share([]) == (None, "Inga kostnader är registrerade för året.")


def test_figures_as_json_use_the_documented_field_names(net):
    row = g.org_figures(net, ALFA).as_json()
    assert {
        "arrangements",
        "partners",
        "weighted_degree",
        "top_partner_shared",
        "cross_county_partners",
        "distinct_partner_groups",
    } <= set(row)
    assert row["top_partner_shared"] == {"code": "0002", "name": "Beta", "value": 3}
    assert row["cross_county_partners"] == 1
    json.dumps(row)


# --- item 3: county and nation ---------------------------------------------------------------


def test_national_figures(net):
    area = g.area_figures(net)
    assert area.without_arrangement == [ZETA]
    assert [f.org.name for f in area.most_connected] == [
        "Alfa",  # 4 partners
        "Gamma",  # 3
        "Beta",  # 2 partners, weighted degree 5
        "Delta region",  # 2 partners, weighted degree 2
        "Epsilon",
    ]
    assert [(a, b, e["shared"], e["money"]) for a, b, e in area.cross_county_ties] == [
        (ALFA, GAMMA, 3, 710),
        (BETA, GAMMA, 2, 900),
        (DELTA, GAMMA, 1, 0),
    ]
    # Shortest paths through Alfa: Beta–Epsilon, Gamma–Epsilon, Delta–Epsilon and half of
    # Beta–Delta (the other half goes through Gamma); normalised by (5-1)(5-2)/2 = 6 pairs.
    assert area.betweenness[ALFA] == pytest.approx(3.5 / 6)
    assert area.betweenness[GAMMA] == pytest.approx(0.5 / 6)
    assert area.betweenness[BETA] == 0
    assert sorted(n for c in area.communities for n in c) == [ALFA, BETA, GAMMA, DELTA, EPSILON]
    assert ZETA not in area.community_of


def test_a_county_counts_its_own_organisations_and_the_ties_that_leave_it(net):
    area = g.area_figures(net, county_code="03")
    assert area.orgs == [GAMMA, ZETA]
    assert area.without_arrangement == [ZETA]
    assert len(area.cross_county_ties) == 3  # every tie of Gamma's leaves the county
    assert area.communities == []  # Gamma has no partner within the county


def test_communities_are_louvains_and_do_not_change_between_runs():
    orgs = {i: g.Org(i, f"O{i}", "municipality", f"{i:04}", "01") for i in range(1, 7)}
    arrangements = {a: g.Arr(a, f"A{a}") for a in range(1, 8)}
    pairs = [(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)]  # two triangles and a bridge
    parts = [g.Part(a, o) for a, pair in enumerate(pairs, 1) for o in pair]
    data = g.NetworkData(orgs, arrangements, parts)
    first = g.area_figures(g.build(data, on=ON))
    assert sorted(map(sorted, first.communities)) == [[1, 2, 3], [4, 5, 6]]
    for _ in range(5):
        assert g.area_figures(g.build(data, on=ON)).communities == first.communities


# --- item 4: influence against cost ----------------------------------------------------------


def rows_by_name(data, org):
    return {r.arrangement.name: r for r in g.influence_rows(data, org, on=ON)}


def test_seat_share_counts_ordinary_seats_in_the_deciding_body(data):
    alfa = rows_by_name(data, ALFA)["Brand"]
    assert alfa.body.name == "Direktionen"  # the federation's board, not the assembly
    assert (alfa.seats, alfa.seats_total, alfa.seat_share) == (1, 5, 0.2)
    gamma = rows_by_name(data, GAMMA)["Brand"]
    assert (gamma.seats, gamma.seats_total) == (2, 5)  # the substitute does not count


def test_cost_share_from_the_sum_of_all_participants_costs(data):
    alfa = rows_by_name(data, ALFA)["Brand"]
    assert (alfa.cost_share, alfa.cost_basis) == (0.1, "sum")
    assert alfa.cost_basis_label == "av parternas sammanlagda kostnad"


def test_cost_share_from_the_arrangements_total(data):
    alfa = rows_by_name(data, ALFA)["Lön"]
    assert (alfa.cost_share, alfa.cost_basis) == (0.25, "total")


def test_cost_share_from_the_cost_share_key(data):
    alfa = rows_by_name(data, ALFA)["Nätverk"]
    assert (alfa.cost_share, alfa.cost_basis) == (0.4, "key")


def test_it_says_why_the_cost_share_cannot_be_computed_when_two_partners_costs_are_missing(data):
    alfa = rows_by_name(data, ALFA)["Tillsyn"]
    assert alfa.cost_share is None
    assert alfa.cost_reason == (
        "Kostnaden för 2024 saknas för 2 parter (Delta region och Gamma), samverkans totala "
        "kostnad är inte känd och ingen kostnadsandel är registrerad."
    )


def test_it_says_why_when_our_own_cost_is_missing(data):
    beta = rows_by_name(data, BETA)["Lön"]
    assert beta.cost_share is None
    assert beta.cost_reason == "Vår kostnad för 2024 saknas och ingen kostnadsandel är registrerad."


def test_it_says_why_when_no_costs_are_registered_at_all(data):
    data.cost_year = None
    assert rows_by_name(data, ALFA)["Brand"].cost_reason == "Inga kostnader är registrerade."


def test_it_says_why_the_seat_share_cannot_be_computed(data):
    rows = rows_by_name(data, ALFA)
    assert rows["Lön"].seat_share is None
    assert rows["Lön"].seat_reason == "Inget beslutande organ är registrerat."
    assert rows["Tillsyn"].seat_reason == "Inget beslutande organ är registrerat."  # prepares only
    assert rows["Nätverk"].seat_reason == "Styrgruppen har inga ordinarie ledamöter registrerade."


def test_population_share_is_of_the_member_municipalities(data):
    rows = rows_by_name(data, ALFA)
    assert rows["Tillsyn"].population_share == pytest.approx(100 / 700)  # Delta is a region
    assert rows["Brand"].population_share is None
    assert rows["Brand"].population_reason == "Folkmängden saknas för Beta."
    delta = rows_by_name(data, DELTA)["Tillsyn"]
    assert delta.population_reason == "Andelen av folkmängden räknas bara för kommuner."


def test_it_flags_a_seat_share_more_than_ten_points_below_the_cost_share(data):
    gamma = rows_by_name(data, GAMMA)["Brand"]  # 40 % of the seats, 60 % of the cost
    assert gamma.flagged
    beta = rows_by_name(data, BETA)["Brand"]  # 40 % of the seats, 30 % of the cost
    assert not beta.flagged
    alfa = rows_by_name(data, ALFA)["Brand"]  # 20 % against 10 %
    assert not alfa.flagged
    assert not rows_by_name(data, ALFA)["Lön"].flagged  # no seat share: no flag


def test_exactly_ten_points_below_is_not_flagged(data):
    data.participations[0] = g.Part(10, ALFA, cost=300)  # Gamma: 600 of 1200 = 50 %; seats 40 %
    assert not rows_by_name(data, GAMMA)["Brand"].flagged
    data.participations[0] = g.Part(10, ALFA, cost=450)  # Alfa: 450 of 1350 = 33 %; seats 20 %
    assert rows_by_name(data, ALFA)["Brand"].flagged


# --- exports ---------------------------------------------------------------------------------


def test_the_export_graph_is_written_and_read_back_as_gexf_and_graphml(net, tmp_path):
    export = g.export_graph(net)
    nx.write_gexf(export, tmp_path / "n.gexf")
    nx.write_graphml(export, tmp_path / "n.graphml")
    for read in (nx.read_gexf(tmp_path / "n.gexf"), nx.read_graphml(tmp_path / "n.graphml")):
        assert read.number_of_nodes() == 6
        assert int(read["0001"]["0003"]["money"]) == 710
        assert read.nodes["0001"]["label"] == "Alfa"


def test_it_says_why_when_all_the_participants_costs_are_zero(data):
    data.participations[3] = g.Part(11, ALFA, cost=0)
    data.participations[4] = g.Part(11, BETA, cost=0)
    data.arrangements[11] = g.Arr(11, "Lön", "joint_committee")
    assert rows_by_name(data, ALFA)["Lön"].cost_reason == "Parternas kostnader för 2024 är noll."


def test_without_influence_rows_the_minority_share_is_not_computed(net):
    f = g.org_figures(net, ALFA)
    assert f.minority_cost_share is None
    assert f.minority_cost_reason == "Inflytandet är inte beräknat."


def test_partners_on_are_the_organisations_neighbours_in_the_built_graph(net, data):
    """The overview asks for one organisation's partners without building the network: the same
    partners as the graph's, on the day (Beta's tie to Gamma through Arkiv has ended)."""
    for org_id in data.orgs:
        built = set(net.graph[org_id]) if org_id in net.graph else set()
        assert g.partners_on(data, org_id, on=ON) == built, org_id
    assert g.partners_on(data, ALFA, on=ON) == {BETA, GAMMA, DELTA, EPSILON}
    cross = g.cross_county_partners(data, ALFA, g.partners_on(data, ALFA, on=ON))
    assert cross == g.org_figures(net, ALFA).cross_county_partners
    assert [o.name for o in cross] == ["Gamma"]
