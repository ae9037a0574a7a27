"""register/reports/charts.py: the SVG holds exactly the data, as bars and as text."""

import xml.etree.ElementTree as ET

import pytest

from register import rules
from register.reports import charts
from register.selectors.portfolio import YearCost

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def bars(root) -> list:
    return [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("bar")]


def texts(root, cls: str) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == cls]


def years():
    return [
        YearCost(2023, 1_000_000, 14),
        YearCost(2024, 1_250_000, 17, change=250_000, change_percent=25.0),
        YearCost(2025, -200_000, -3, change=-1_450_000, change_percent=-116.0),
    ]


def test_the_cost_chart_has_one_bar_and_one_value_label_per_year():
    root = parse(charts.cost_chart("kostnad", years()))
    assert len(bars(root)) == 3
    assert texts(root, "label value") == [
        "1\u00a0mnkr",
        "1,3\u00a0mnkr",
        "\u2212200\u00a0000\u00a0kr",
    ]
    assert texts(root, "label") == ["2023", "2024", "2025"]
    assert texts(root, "label note") == ["+25\u00a0%", "\u2212116\u00a0%"]


def test_bar_heights_are_proportional_to_the_values_and_income_goes_below_zero():
    root = parse(charts.cost_chart("kostnad", years()))
    a, b, c = (float(r.get("height")) for r in bars(root))
    assert b / a == pytest.approx(1.25, abs=0.001)
    assert c / a == pytest.approx(0.2, abs=0.001)
    rects = bars(root)
    assert rects[2].get("class") == "bar negative"
    zero = float(next(e for e in root.iter(f"{SVG}line") if e.get("class") == "axis").get("y1"))
    assert float(rects[2].get("y")) == zero  # hangs from the zero line
    assert float(rects[0].get("y")) + a == pytest.approx(zero, abs=0.01)


def test_a_chart_names_its_title_and_description_and_has_no_style_attribute():
    markup = charts.cost_chart("kostnad", years(), per_inhabitant=True, subject="Täby kommun")
    root = parse(markup)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") == "kostnad-title"
    assert root.get("aria-describedby") == desc.get("id")
    assert "per invånare" in title.text
    assert "2024: 17\u00a0kr (+25\u00a0%)" in desc.text
    assert "style=" not in markup


def test_the_count_chart_draws_a_bar_per_form_longest_for_the_largest_count():
    root = parse(
        charts.count_chart(
            "former", "Samverkan per form", [("Kommunalförbund", 4), ("Avtalssamverkan", 2)]
        )
    )
    widths = [float(r.get("width")) for r in bars(root)]
    assert widths[0] == 2 * widths[1]
    assert texts(root, "label value") == ["4 st", "2 st"]
    assert texts(root, "label") == ["Kommunalförbund", "Avtalssamverkan"]


def test_text_in_a_chart_is_escaped():
    root = parse(charts.count_chart("x", "A & B <c>", [("<script>", 1)]))
    assert root.find(f"{SVG}title").text == "A & B <c>"
    assert texts(root, "label") == ["<script>"]


def test_a_year_without_figures_shows_a_dash_and_no_bar():
    root = parse(charts.cost_chart("k", [YearCost(2024, None, None), YearCost(2025, 10, 1)]))
    assert len(bars(root)) == 1
    assert texts(root, "label value") == ["–", "10\u00a0kr"]


def test_chart_labels_write_millions_short_and_the_description_in_full():
    assert charts.short_kronor(206_890_000) == "206,9\u00a0mnkr"
    assert charts.short_kronor(999_999) == rules.format_kronor(999_999)
    root = parse(charts.cost_chart("k", [YearCost(2025, 206_890_000, 2982)]))
    assert rules.format_kronor(206_890_000) in root.find(f"{SVG}desc").text


def test_the_chart_writes_its_title_visibly_too():
    root = parse(charts.count_chart("former", "Samverkan per form", [("Avtal", 1)]))
    titles = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-title"]
    assert [" ".join(t.itertext()) for t in titles] == ["Samverkan per form"]


def test_a_long_chart_title_wraps_at_spaces_within_the_chart_and_moves_the_drawing_down():
    # Issue 21: "Kostnad per år i kronor, … Danderyd och Val" was cut at the chart's edge.
    subject = "Gemensam lönenämnd för Täby, Danderyd och Vallentuna"
    years = [YearCost(y, 10, 1) for y in range(2021, 2026)]
    root = parse(charts.cost_chart("k", years, subject=subject))
    width = int(root.get("width"))
    title = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-title")
    lines = [span.text for span in title]
    assert len(lines) >= 2 and " ".join(lines) == f"Kostnad per år i kronor, {subject}"
    for line in lines:
        assert len(line) * 14 * charts.TITLE_EM <= width, line
    short = parse(charts.cost_chart("k", years))
    assert int(root.get("height")) == int(short.get("height")) + 18 * (len(lines) - 1)


# --- Seat share against cost share ---------------------------------------------------------------


def influence_rows():
    from register import graph

    def row(name, seats, total, cost_share, *, seat_reason="", cost_reason=""):
        return graph.InfluenceRow(
            arrangement=graph.Arr(id=len(name), name=name),
            org=graph.Org(id=1, name="Täby", kind="municipality"),
            body=None,
            seats=seats,
            seats_total=total,
            seat_share=None if total is None else seats / total,
            seat_reason=seat_reason,
            own_cost=None,
            cost_share=cost_share,
            cost_basis="sum" if cost_share is not None else "",
            cost_reason=cost_reason,
            population_share=None,
            population_reason="",
        )

    return [
        row("Förbundet", 1, 3, 0.6),
        row("Nämnden", 2, 3, 0.5),
        row(
            "Avtalet",
            None,
            None,
            None,
            seat_reason="Inget beslutande organ är registrerat.",
            cost_reason="Kostnaden saknas.",
        ),
    ]


def test_the_influence_chart_draws_a_seat_bar_and_a_cost_bar_per_arrangement_in_proportion():
    root = parse(charts.influence_chart("inflytande", influence_rows(), subject="Täby"))
    seat = [r for r in bars(root) if r.get("class") == "bar seat"]
    cost = [r for r in bars(root) if r.get("class") == "bar cost"]
    assert len(seat) == len(cost) == 2  # no bar where a share cannot be computed
    full = charts.INFLUENCE_BAR_WIDTH  # a share of 1 is the whole bar
    assert [float(r.get("width")) for r in seat] == pytest.approx(
        [full / 3, full * 2 / 3], abs=0.01
    )
    assert [float(r.get("width")) for r in cost] == pytest.approx(
        [full * 0.6, full * 0.5], abs=0.01
    )
    assert texts(root, "label name") == ["Förbundet", "Nämnden", "Avtalet"]
    assert texts(root, "label value seat") == [
        "33,3\u00a0% (1 av 3)",
        "66,7\u00a0% (2 av 3)",
        "kan inte beräknas",
    ]
    assert texts(root, "label value cost") == ["60\u00a0%", "50\u00a0%", "kan inte beräknas"]


def test_the_influence_chart_marks_a_flagged_arrangement_in_words_and_gives_the_reasons():
    markup = charts.influence_chart("inflytande", influence_rows())
    root = parse(markup)
    assert texts(root, "label flag") == ["Obs! Lägre platsandel än kostnadsandel."]
    desc = root.find(f"{SVG}desc").text
    assert "Förbundet: platser 33,3\u00a0% (1 av 3), kostnad 60\u00a0%." in desc
    assert "Inget beslutande organ är registrerat." in desc and "Kostnaden saknas." in desc
    assert "style=" not in markup
    # cost bars are hatched (a pattern), seat bars solid: the pair never depends on colour alone
    cost = next(r for r in bars(root) if r.get("class") == "bar cost")
    assert cost.get("fill") == "url(#inflytande-cost)"


def test_a_printed_influence_chart_draws_the_computable_arrangements_a_page_at_a_time():
    """Issue 23: at 43 arrangements one chart was 2 400 px tall, shrunk to fit the printed page
    until its words could not be read. Printed, the charts draw the arrangements where a share
    can be computed, at most INFLUENCE_ROWS_PER_PRINTED_CHART in each (the table has them all)."""
    rows = influence_rows()
    (one,) = charts.printed_influence_charts("pack-inflytande", rows)
    root = parse(one)
    assert texts(root, "label name") == ["Förbundet", "Nämnden"]  # "Avtalet": no share
    assert root.get("id") == "pack-inflytande"

    many = [r for _ in range(13) for r in rows[:2]]  # 26 drawn rows: three charts
    printed = charts.printed_influence_charts("pack-inflytande", [*many, rows[2]])
    size = charts.INFLUENCE_ROWS_PER_PRINTED_CHART
    assert [len(texts(parse(c), "label name")) for c in printed] == [size, size, 26 - 2 * size]
    roots = [parse(c) for c in printed]
    assert [r.get("id") for r in roots] == [f"pack-inflytande-{n}" for n in (1, 2, 3)]
    titles = [r.find(f"{SVG}title").text for r in roots]
    assert titles[0] == "Andel av platserna mot andel av kostnaden (del 1 av 3)"
    heights = [int(r.get("height")) for r in roots]
    assert max(heights) < 1000  # an A4 page's text area at 96 px per inch
    assert charts.drawn_influence_rows([rows[2]]) == []


def test_an_influence_chart_without_rows_says_so():
    root = parse(charts.influence_chart("tom", []))
    assert "Inga uppgifter." in root.find(f"{SVG}desc").text
