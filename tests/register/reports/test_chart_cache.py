"""Issue 23: a chart is drawn once for its figures and reused (register/reports/charts.py,
``drawn_once``): the introduction pack's second render draws nothing, a changed figure is drawn
anew, and the SVG is the same as drawing it afresh."""

import datetime as dt

import pytest

from register import rules
from register.access import Access
from register.reports import charts, intro_pack
from register.selectors import portfolio as pf
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)  # the reference year is 2025


@pytest.fixture
def drawings(monkeypatch):
    """Count the charts drawn (every chart starts with charts._head)."""
    drawn = []
    head = charts._head
    monkeypatch.setattr(
        charts, "_head", lambda chart_id, *a: drawn.append(chart_id) or head(chart_id, *a)
    )
    return drawn


@pytest.fixture
def world(taby, vaxholm, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    costs = []
    for i in range(3):
        a = f.make_arrangement(name=f"Samverkan {i}", start_date=dt.date(2020, 1, 1))
        ours = f.make_participation(a, taby)
        f.make_participation(a, vaxholm)
        for year in range(2021, 2026):
            costs.append(f.make_cost(ours, year=year, outcome=100_000 * (i + 1) + year))
    return Access(user_id=None, member_org_ids=frozenset({taby.pk})), costs


def test_the_same_figures_are_drawn_once_and_the_svg_is_the_fresh_drawing(drawings):
    years = pf.year_costs({2024: 1000, 2025: 1200}, [2024, 2025])
    first = charts.cost_chart("c", years, subject="Brand")
    again = charts.cost_chart(
        "c", pf.year_costs({2024: 1000, 2025: 1200}, [2024, 2025]), subject="Brand"
    )
    assert first == again == charts.cost_chart.__wrapped__("c", years, subject="Brand")
    assert drawings == ["c", "c"]  # once cached, once by __wrapped__ itself
    charts.cost_chart("c", pf.year_costs({2024: 1000, 2025: 1300}, [2024, 2025]), subject="Brand")
    charts.cost_chart("c", years, subject="Räddning")
    charts.cost_chart("d", years, subject="Brand")
    assert drawings == ["c", "c", "c", "c", "d"]  # a new figure, subject or id is drawn anew


def test_the_packs_second_render_draws_no_chart_and_a_changed_cost_redraws_its_charts(
    taby, world, drawings
):
    access, costs = world
    html = intro_pack.pdf_html(intro_pack.build(access, taby))
    first = list(drawings)
    # The portfolio's charts and one cost chart per arrangement.
    assert len(first) >= 3 + 4 and any(d.startswith("pack-kostnad-") for d in first)
    assert intro_pack.pdf_html(intro_pack.build(access, taby)) == html
    assert drawings == first  # nothing drawn again
    cost = costs[-1]  # Samverkan 2's cost in the reference year
    cost.outcome += 50_000
    cost.save()
    changed = intro_pack.pdf_html(intro_pack.build(access, taby))
    redrawn = drawings[len(first) :]
    assert changed != html
    assert f"pack-kostnad-{cost.participation.arrangement_id}" in redrawn
    assert "pack-kostnad" in redrawn  # the portfolio's cost per year
    others = {f"pack-kostnad-{c.participation.arrangement_id}" for c in costs[:5]}
    assert not others & set(redrawn)  # an arrangement whose figures stayed is not drawn again
    assert rules.reference_year(TODAY) == 2025
