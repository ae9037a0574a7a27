"""The overview written faster, the same page: the row tags against the template loops they
replaced, the portfolio's shared organisations, the example-parts rule in three EXISTS and the
arrangement's remembered address, each against what it replaced (issue 23: the busiest
municipality's overview, computed in the request)."""

import datetime as dt
import inspect
from types import SimpleNamespace

import django_tables2
import pytest
from django.db.models import Exists, OuterRef, Q
from django.template import Context, Template
from django.urls import reverse

from register import rules
from register.access import Access
from register.models import Arrangement, Organisation
from register.selectors import portfolio as pf
from register.selectors.population import organisations_and_populations, population_by_year
from register.web import tables
from tests import factories as f

pytestmark = pytest.mark.django_db

# The loops as the templates had them (templates/register/_overview_influence.html,
# _overview_followup.html and includes/table.html) before the tags took their place.
OLD_INFLUENCE = """{% load register_tags %}{% for r in inf.rows %}<tr{% if r.flagged %} class="flagged"{% endif %}>
      <th scope="row">{{ r.arrangement.name }}</th>
      <td>{{ r.body.name|default:"–" }}</td>
      <td class="num" colspan="2">{% seat_share r %}</td>
      <td class="num">{% if r.cost_share is not None %}{{ r.cost_share|share }}{% else %}Kan inte beräknas{% endif %}</td>
      <td>{% if r.flagged %}<strong class="flag">Obs! {{ r.FLAG_TEXT }}</strong> {% endif %}{% if r.is_minority %}<span class="block">Vi har minoritet av platserna.</span>{% endif %}{% if r.seat_reason %}<span class="block">{% if r.seat_problem %}<strong>Fel i uppgifterna:</strong> {% endif %}{{ r.seat_reason }}</span>{% endif %}{% if r.cost_reason %}<span class="block">{{ r.cost_reason }}</span>{% endif %}{% if r.cost_share is not None %}<span class="block muted">Kostnadsandel {{ r.cost_basis_label }}.</span>{% endif %}</td>
    </tr>{% empty %}<tr><td colspan="6">Ingen samverkan att visa.</td></tr>{% endfor %}"""  # noqa: E501

OLD_FOLLOWUP = """{% load register_tags %}{% for r in p.ongoing_rows %}{% with e=r.last_evaluation %}<tr>
      <th scope="row">{% if for_print %}{{ r.name }}{% else %}<a href="{{ r.arrangement.get_absolute_url }}">{{ r.name }}</a>{% endif %}</th>
      <td>{% if e %}{{ e.date|date:"Y-m-d" }}: måluppfyllelse {{ e.get_goal_attainment_display|lower }}{% if e.cost_assessment %}<span class="block muted small">Kostnaderna: {{ e.cost_assessment|truncatewords:25 }}</span>{% endif %}{% else %}<strong>Aldrig följd upp</strong>{% endif %}</td>
      <td>{% if e and e.recommendation %}{{ e.get_recommendation_display }}{% else %}–{% endif %}</td>
      <td class="num">{% if r.cost_last_year is not None %}{{ r.cost_last_year|kronor }}{% if r.cost_last_year_kind and r.cost_last_year_kind != "utfall" %} <span class="muted small">({{ r.cost_last_year_kind }})</span>{% endif %}{% else %}–{% endif %}</td>
      <td>{% for alt in r.alternatives %}<span class="block">{{ alt.get_kind_display }}: {% if alt.estimated_cost is not None %}{{ alt.estimated_cost|kronor }}{% else %}kostnad inte beräknad{% endif %}{% if alt.assessed_on %} <span class="muted small">(bedömt {{ alt.assessed_on|date:"Y-m-d" }})</span>{% endif %}</span>{% empty %}<strong>Inga alternativ har bedömts</strong>{% endfor %}</td>
    </tr>{% endwith %}{% empty %}<tr><td colspan="5">Ingen pågående samverkan.</td></tr>{% endfor %}"""  # noqa: E501

OLD_CELLS = (
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>"
    "{% endfor %}"
)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def influence_row(**kw):
    row = dict(
        arrangement=SimpleNamespace(name="Vatten & <avlopp>", id=7),
        body=SimpleNamespace(name='Direktionen "A"'),
        flagged=False,
        FLAG_TEXT="Platsandelen ligger mer än 10 procentenheter under kostnadsandelen.",
        is_minority=False,
        seat_reason="",
        seat_problem="",
        cost_reason="",
        cost_share=None,
        cost_basis_label="av totalen",
        seat_share=None,
        seat_basis="",
        seats=1,
        seats_total=5,
    )
    return SimpleNamespace(**{**row, **kw})


INFLUENCE_ROWS = [
    influence_row(),
    influence_row(body=None, cost_reason="Kostnaden för 2025 saknas för <Knivsta>."),
    influence_row(body=SimpleNamespace(name="")),
    influence_row(
        flagged=True,
        is_minority=True,
        cost_share=0.9374,
        seat_share=0.2,
        seat_basis="registered",
        seat_reason="Fler platser & registrerade än organet har.",
        seat_problem="fler",
    ),
    influence_row(seat_share=0.5, seat_reason="Inget beslutande organ är registrerat."),
]


def evaluation(**kw):
    row = dict(
        date=dt.date(2025, 5, 2),
        get_goal_attainment_display=lambda: "Delvis UPPNÅDD",
        cost_assessment="",
        recommendation="",
        get_recommendation_display=lambda: "Fortsätt & utveckla",
    )
    return SimpleNamespace(**{**row, **kw})


def alternative(**kw):
    row = dict(
        get_kind_display=lambda: "Egen regi <i kommunen>",
        estimated_cost=1_250_000,
        assessed_on=dt.date(2024, 2, 29),
    )
    return SimpleNamespace(**{**row, **kw})


def followup_row(**kw):
    row = dict(
        name="Lönenämnden & <IT>",
        arrangement=SimpleNamespace(get_absolute_url=lambda: "/samverkan/3/?a=1&b=2"),
        last_evaluation=None,
        cost_last_year=None,
        cost_last_year_kind="",
        alternatives=[],
    )
    return SimpleNamespace(**{**row, **kw})


FOLLOWUP_ROWS = [
    followup_row(),
    followup_row(
        last_evaluation=evaluation(
            recommendation="continue",
            cost_assessment=" ".join(f"ord{i} & <b>" for i in range(40)),
        ),
        cost_last_year=-1_234_567,
        cost_last_year_kind="prognos",
        alternatives=[alternative(), alternative(estimated_cost=None, assessed_on=None)],
    ),
    followup_row(
        last_evaluation=evaluation(cost_assessment="Rimliga."),
        cost_last_year=0,
        cost_last_year_kind="utfall",
        alternatives=[alternative(estimated_cost=0)],
    ),
    followup_row(cost_last_year=5, cost_last_year_kind="budget"),
]


def test_the_influence_row_tag_writes_what_the_template_loop_wrote():
    for rows in (INFLUENCE_ROWS, []):
        old = render(OLD_INFLUENCE, inf=SimpleNamespace(rows=rows))
        assert render("{% load register_tags %}{% influence_rows rows %}", rows=rows) == old
    written = render("{% load register_tags %}{% influence_rows rows %}", rows=INFLUENCE_ROWS)
    for text in (
        "Fel i",
        "Vi har minoritet",
        'class="flagged"',
        "&lt;Knivsta&gt;",
        "Vatten &amp; &lt;",
    ):
        assert text in written


def test_the_followup_row_tag_writes_what_the_template_loop_wrote():
    for rows in (FOLLOWUP_ROWS, []):
        for for_print in (False, True):
            old = render(OLD_FOLLOWUP, p=SimpleNamespace(ongoing_rows=rows), for_print=for_print)
            new = render(
                "{% load register_tags %}{% followup_rows rows for_print %}",
                rows=rows,
                for_print=for_print,
            )
            assert new == old
    written = render("{% load register_tags %}{% followup_rows rows %}", rows=FOLLOWUP_ROWS)
    for text in ("…", "(prognos)", "kostnad inte beräknad", "Aldrig följd upp", "&amp;b=2"):
        assert text in written


class Computed(tables.RegisterTable):
    """A table whose cell attributes are computed from each row."""

    name = django_tables2.Column(attrs={"td": {"data-n": lambda record: record["n"]}})
    n = django_tables2.Column(attrs={"td": {"class": "num"}})


def test_cells_whose_attributes_are_computed_per_row_get_their_own():
    table = Computed([{"name": "a & b", "n": 1}, {"name": "c", "n": 2}])
    written = [
        render("{% load register_tags %}{% table_cells table row %}", table=table, row=row)
        for row in table.rows
    ]
    assert written == [render(OLD_CELLS, row=row) for row in table.rows]
    assert 'data-n="1"' in written[0] and 'data-n="2"' in written[1]


def test_the_tables_render_methods_carry_their_signature():
    for table in (tables.PortfolioTable, tables.ArrangementTable, tables.DecisionTable):
        methods = [m for n, m in vars(table).items() if n.startswith("render_")]
        assert methods
        for method in methods:
            assert "__signature__" in vars(method)  # kept, not worked out per cell
            code = method.__code__
            names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
            assert list(inspect.signature(method).parameters) == names


def test_the_example_parts_rule_finds_what_the_joined_rule_found(taby, vaxholm):
    """Each kind of invented part, alone, and none: the three EXISTS against the one join."""
    plain = f.make_arrangement(name="Utan exempel")
    f.make_participation(plain, taby)
    part = f.make_arrangement(name="Exempelpart")
    f.make_participation(part, taby, is_example=True)
    decided = f.make_arrangement(name="Exempelbeslut")
    f.make_decision(decided, organisation=taby, is_example=True)
    seated = f.make_arrangement(name="Exempelplats")
    body = f.make_body(seated)
    f.make_seat(body, f.make_person(name="Påhittad", is_example=True), taby)
    f.make_seat(body, f.make_person(name="Verklig"), vaxholm)
    old_rule = (
        Q(participations__is_example=True)
        | Q(decisions__is_example=True)
        | Q(bodies__seats__person__is_example=True)
    )
    old = dict(
        Arrangement.objects.annotate(
            parts=Exists(Arrangement.objects.filter(pk=OuterRef("pk")).filter(old_rule))
        ).values_list("name", "parts")
    )
    new = dict(
        Arrangement.objects.filter(rules.example_parts(OuterRef("pk"))).values_list("name", "pk")
    )
    assert {name for name, parts in old.items() if parts} == set(new)
    assert set(new) == {"Exempelpart", "Exempelbeslut", "Exempelplats"}


def test_the_portfolio_shares_one_object_per_organisation(taby, vaxholm, knivsta):
    for n in range(3):
        arrangement = f.make_arrangement(name=f"Delad {n}")
        for organisation in (taby, vaxholm, knivsta):
            f.make_participation(arrangement, organisation)
    access = Access(user_id=None, member_org_ids=frozenset({taby.pk}))
    portfolio = pf.portfolio(access, pf.organisation_scope(taby))
    participations = [p for r in portfolio.rows for p in r.arrangement.participations.all()]
    assert len(participations) == 9
    assert len({id(p.organisation) for p in participations}) == 3
    for p in participations:
        fresh = Organisation.objects.select_related("county").get(pk=p.organisation_id)
        assert [getattr(p.organisation, x.attname) for x in Organisation._meta.concrete_fields] == [
            getattr(fresh, x.attname) for x in Organisation._meta.concrete_fields
        ]
        assert p.organisation.county == fresh.county
        assert p.organisation.county.name == fresh.county.name


def test_organisations_and_their_populations_come_in_one_query(
    taby, vaxholm, django_assert_num_queries
):
    with django_assert_num_queries(1):
        organisations, populations = organisations_and_populations(
            {taby.pk, vaxholm.pk}, until_year=2025
        )
    assert populations == population_by_year({taby.pk, vaxholm.pk}, until_year=2025)
    assert set(organisations) == {taby.pk, vaxholm.pk}
    assert organisations[taby.pk].name == taby.name
    assert organisations[taby.pk].county.code == taby.county.code


def test_an_arrangements_address_is_worked_out_once_and_follows_its_key(
    taby, django_assert_num_queries
):
    arrangement = f.make_arrangement(name="Adressen")
    url = reverse("register:arrangement_detail", args=[arrangement.pk])
    assert arrangement.get_absolute_url() == url
    assert arrangement.get_absolute_url() is arrangement.get_absolute_url()
    arrangement.pk = arrangement.pk + 1000
    assert arrangement.get_absolute_url() == reverse(
        "register:arrangement_detail", args=[arrangement.pk]
    )
