"""The organisation page's cheaper parts (issue 23: the busiest page uncached): the costs it
reads, and the lists written in Python, give what the full documents and the template loops
gave."""

from __future__ import annotations

from django.template import Context, Template

from register.public import network, selectors
from register.templatetags import register_tags as t
from tests import factories as f

from .conftest import REFERENCE_YEAR


def test_the_page_portfolio_keeps_every_cost_the_page_reads(public_world):
    world = public_world
    a, taby, vaxholm = world["arrangement"], world["taby"], world["vaxholm"]
    f.make_cost(world["participation"], year=REFERENCE_YEAR - 2, outcome=6_000_000)
    theirs = a.participations.get(organisation=vaxholm)
    f.make_cost(theirs, year=REFERENCE_YEAR, outcome=2_000_000)
    f.make_cost(theirs, year=REFERENCE_YEAR - 2, outcome=1_500_000)
    example = f.make_arrangement(name="Exempelnämnden", is_published=True)
    f.make_participation(example, taby, role="host")
    f.make_cost(
        f.make_participation(example, vaxholm, is_example=True),
        year=REFERENCE_YEAR - 3,
        outcome=10,
    )
    org = selectors.organisation_by_code(taby.code)

    full = selectors.portfolio(org)
    page = selectors.portfolio(org, page=True)

    def costs(p, key):
        return [[(c["organisation_id"], c["year"]) for c in d[key]] for d in p.arrangements]

    assert costs(page, "our_costs") == costs(full, "our_costs")
    assert [d["has_example_parts"] for d in page.arrangements] == [
        d["has_example_parts"] for d in full.arrangements
    ]
    assert any(d["has_example_parts"] for d in page.arrangements)
    assert network.network_data(page).participations == network.network_data(full).participations
    assert page.reference_cost == full.reference_cost

    def grid(p):
        return [(r["arrangement"]["id"], r["is_example"], r["cells"]) for r in p.cost_grid["rows"]]

    assert grid(page) == grid(full)
    # Only the other participants' earlier years are left out.
    assert (vaxholm.pk, REFERENCE_YEAR - 2) in costs(full, "costs")[
        [d["id"] for d in full.arrangements].index(a.pk)
    ]
    assert (vaxholm.pk, REFERENCE_YEAR - 2) not in costs(page, "costs")[
        [d["id"] for d in page.arrangements].index(a.pk)
    ]


def test_the_network_rows_are_made_once_per_portfolio(public_world):
    org = selectors.organisation_by_code(public_world["taby"].code)
    p = selectors.portfolio(org)
    assert network.network_data(p) is network.network_data(p)


def _loop(source: str, **context) -> str:
    return Template("{% load register_tags %}" + source).render(Context(context))


def test_the_cost_grid_cells_are_written_as_the_template_loop_wrote_them():
    cells = [
        None,
        {"kind": "outcome", "kind_label": "utfall", "thousands": 1234},
        {"kind": "budget", "kind_label": "budget <&>", "thousands": -5},
    ]
    for c in cells:
        if c:
            c["thousands_text"] = t.number(c["thousands"])
    old = _loop(
        '{% for c in cells %}<td class="num">{% if c %}{{ c.thousands|number }}'
        '{% if c.kind != "outcome" %}<br><span class="small muted">{{ c.kind_label }}</span>'
        "{% endif %}{% else %}–{% endif %}</td>{% endfor %}",
        cells=cells,
    )
    assert _loop("{% cost_grid_cells cells %}", cells=cells) == old
    assert "budget &lt;&amp;&gt;" in old


def test_the_partner_links_are_written_as_the_template_loop_wrote_them():
    for links in ([], [("A & B", "/a/?x=1&y=2")], [("Ett", "/1/"), ("<Två>", "/2/")]):
        old = _loop(
            '{% for name, url in links %}<a href="{{ url }}">{{ name }}</a>'
            "{% if not forloop.last %}, {% endif %}{% endfor %}",
            links=links,
        )
        assert _loop("{% link_list links %}", links=links) == old


def test_the_summary_lists_are_written_as_the_template_loops_wrote_them():
    seat = {"person": "Eva <Ek>", "party": "S", "role_label": "Ordförande", "body": "Nämnd & råd"}
    for a in (
        {"areas": [], "deciding_bodies": [], "host": None, "bodies": [], "our_seats": []},
        {
            "areas": [{"name": "Vatten & avlopp"}, {"name": "Skola"}],
            "deciding_bodies": [{"name": "Direktionen"}, {"name": "<Nämnden>"}],
            "host": {"name": "Täby kommun"},
            "bodies": [{}],
            "our_seats": [seat, {**seat, "party": ""}],
        },
        {
            "areas": [{"name": "Skola"}],
            "deciding_bodies": [],
            "host": {"name": "Åre & Co"},
            "bodies": [{}, {}],
            "our_seats": [seat],
        },
    ):
        old = _loop(
            "{% for area in a.areas %}{{ area.name }}{% if not forloop.last %}, {% endif %}"
            "{% empty %}–{% endfor %}|"
            "{% for b in a.deciding_bodies %}{{ b.name }}{% if not forloop.last %}, {% endif %}"
            "{% empty %}{% if a.host %}{{ a.host.name }} (värd){% else %}Varje part i sina egna "
            "nämnder{% endif %}{% endfor %}|"
            "{% for s in a.our_seats %}{{ s.person|with_party:s.party }}, {{ s.role_label|lower }}"
            "{% if a.bodies|length > 1 %} i {{ s.body }}{% endif %}{% if not forloop.last %}; "
            "{% endif %}{% empty %}Inga registrerade{% endfor %}",
            a=a,
        )
        selectors._add_summary_texts(a)
        new = _loop("{{ a.areas_text }}|{{ a.deciding_text }}|{{ a.our_seats_text }}", a=a)
        assert new == old
