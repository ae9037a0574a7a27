"""The organisation page's cheaper parts (issue 23: the busiest page uncached): the costs it
reads, and the lists written in Python, give what the full documents and the template loops
gave."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.public import network, selectors, views
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


# The included template the card tag replaced (templates/public/_arrangement_summary.html before
# issue 23's helper insyn25), kept here as the reference the tag must write byte for byte.
OLD_CARD = (
    "{% load register_tags %}{# One arrangement on an organisation's page. #}\n"
    '<article class="card" aria-labelledby="s-{{ a.id }}">\n'
    '  <h3 id="s-{{ a.id }}"><a href="{{ a.path }}">{{ a.name }}</a>'
    "{% example_badge a.is_example a.has_example_parts %}</h3>\n"
    '  <dl class="facts">\n'
    "    <dt>Vad</dt><dd>{{ a.areas_text }}</dd>\n"
    "    <dt>Form</dt><dd>{{ a.form }}{% if a.status_label %} ({{ a.status_label|lower }}"
    '{% if a.status == "ended" and a.end_date %} {{ a.end_date|date:"Y-m-d" }}{% endif %})'
    "{% endif %}</dd>\n"
    '    <dt>Tillsammans med</dt><dd>{{ a.partners_text|default:"Ingen annan part" }}</dd>\n'
    "    <dt>Vem beslutar</dt><dd>{{ a.deciding_text }}</dd>\n"
    "    {% if a.our_participation.political_body %}<dt>Ansvarig hos oss</dt><dd>"
    "{{ a.our_participation.political_body }}</dd>{% endif %}\n"
    "    <dt>Våra företrädare</dt><dd>{{ a.our_seats_text }}</dd>\n"
    "    {% with i=a.our_influence %}{% if i %}<dt>Våra platser</dt><dd>"
    '{% if i.seat_share is not None %}<data value="{{ i.seat_share|datavalue }}" '
    'data-figure="seat-share" data-arrangement="{{ a.id }}">{{ i.seats }} av '
    "{{ i.seats_total }} ({{ i.seat_share|share }})</data> i {{ i.body.name }}"
    "{% else %}Kan inte beräknas: {{ i.seat_reason }}{% endif %}</dd>{% endif %}{% endwith %}\n"
    "    {% with c=a.our_reference_cost %}{% if c %}<dt>Kostnad {{ c.year }}</dt><dd>"
    "{{ c.amount_sek|kronor }} ({{ c.kind_label }}){% if c.per_inhabitant is not None %}, "
    "{{ c.per_inhabitant|kronor }} per invånare (folkmängd {{ c.population_year }})"
    "{% endif %}</dd>{% elif a.our_earlier_cost %}{% with e=a.our_earlier_cost %}"
    "<dt>Kostnad {{ a.reference_year }}</dt><dd>Inte publicerad. Senast känd: {{ e.year }}, "
    "{{ e.amount_sek|kronor }} ({{ e.kind_label }}).</dd>{% endwith %}{% endif %}{% endwith %}\n"
    "  </dl>\n"
    "  {% if a.public_description %}<p><strong>Varför vi samverkar:</strong> "
    "{{ a.public_description }}</p>{% endif %}\n"
    "  {% if a.latest_evaluation %}<p><strong>Senaste uppföljningen "
    '({{ a.latest_evaluation.date|date:"Y-m-d" }}):</strong> '
    "{{ a.latest_evaluation.public_summary|default:a.latest_evaluation.goal_attainment_label"
    '|default:"ingen sammanfattning publicerad" }}</p>{% endif %}\n'
    "</article>\n"
)


def _cards():
    """Arrangement documents that take every branch of the card, with text to escape."""
    body = SimpleNamespace(name="Direktionen <&>")
    share = SimpleNamespace(seat_share=0.125, seats=1, seats_total=8, body=body, seat_reason="")
    no_share = SimpleNamespace(seat_share=None, seat_reason="Antalet platser <okänt>", body=None)
    cost = {"year": 2025, "amount_sek": 1_234_567, "kind_label": "utfall"}
    base = {
        "id": 12345,
        "path": "/insyn/samverkan/12345-a-b/?x=1&y=2",
        "name": "Vatten & <avlopp>",
        "is_example": False,
        "has_example_parts": False,
        "areas_text": "Vatten & avlopp",
        "form": "Kommunalförbund",
        "status_label": "Pågående",
        "status": "active",
        "end_date": None,
        "partners_text": "Täby kommun och Åre & Co",
        "deciding_text": "Direktionen <&>",
        "our_participation": {"political_body": "Kommunstyrelsen & Co"},
        "our_seats_text": "Eva Ek (S), ordförande",
        "our_influence": share,
        "our_reference_cost": {**cost, "per_inhabitant": 17, "population_year": 2024},
        "our_earlier_cost": None,
        "reference_year": 2025,
        "public_description": "För att <det> går bättre & billigare.",
        "latest_evaluation": {
            "date": dt.date(2025, 3, 4),
            "public_summary": "Målen nås <nästan>.",
            "goal_attainment_label": "Delvis",
        },
    }
    return [
        base,
        {
            **base,
            "is_example": True,
            "status_label": "Avslutad",
            "status": "ended",
            "end_date": dt.date(2024, 12, 31),
            "partners_text": "",
            "our_participation": None,
            "our_influence": no_share,
            "our_reference_cost": {**cost, "kind_label": "prognos", "per_inhabitant": None},
            "public_description": "",
            "latest_evaluation": {
                "date": dt.date(2025, 1, 2),
                "public_summary": "",
                "goal_attainment_label": "Uppnått",
            },
        },
        {
            **base,
            "has_example_parts": True,
            "form": None,
            "status_label": "",
            "our_participation": {"political_body": ""},
            "our_influence": None,
            "our_reference_cost": None,
            "our_earlier_cost": {"year": 2021, "amount_sek": -5_000, "kind_label": "budget"},
            "latest_evaluation": {
                "date": dt.date(2025, 1, 2),
                "public_summary": "",
                "goal_attainment_label": "",
            },
        },
        {
            **base,
            "status": "ended",
            "end_date": None,
            "our_reference_cost": None,
            "our_earlier_cost": None,
            "latest_evaluation": None,
        },
    ]


def test_the_card_tag_writes_what_the_included_template_wrote():
    for a in _cards():
        old = Template(OLD_CARD).render(Context({"a": a}))
        assert _loop("{% arrangement_card a %}", a=a) == old
    assert "Vatten &amp; &lt;avlopp&gt;" in old and "12345" in old


def test_the_organisation_page_is_the_same_from_the_page_portfolio_as_from_the_full_one(
    client, public_world, monkeypatch
):
    """The page's portfolio (fewer costs and fields, the card tag) gives the page, byte for
    byte, that the full documents give."""
    url = reverse("public:organisation", args=[public_world["taby"].code])
    f.make_participation(
        f.make_arrangement(name="Avslutad & <gammal>", is_published=True, status="ended"),
        public_world["taby"],
    )
    with CaptureQueriesContext(connection) as fewer:
        page = client.get(url).content
    assert b"Avslutad &amp; &lt;gammal&gt;" in page and b"Roslagens" in page
    cache.clear()
    full = selectors.portfolio
    monkeypatch.setattr(selectors, "portfolio", lambda org, page=False: full(org))
    with CaptureQueriesContext(connection) as every:
        assert client.get(url).content == page
    # No goals, contributions, alternatives or goal conflicts: the page shows none.
    assert len(fewer) == len(every) - 4


def test_the_arrangement_paths_are_those_reverse_gives(rf):
    names = ["Vatten & avlopp", "Åre–Östersund", "  ", "a_b  c--d", "IT-nämnden 2.0"]
    arrangements = [
        {"id": n, "slug": selectors.arrangement_slug({"id": n, "name": name})}
        for n, name in enumerate(names, start=1)
    ]
    request = rf.get("/insyn/")
    for a in views._with_urls(request, arrangements):
        assert a["path"] == reverse("public:arrangement", args=[a["slug"]])
        assert a["url"] == request.build_absolute_uri(a["path"])
