"""The introduction pack for a newly elected KSO (and for the opposition leader: the same facts).

In the order the SKR/SmåKom report recommends (2026, sections 5.1 and 5.4): the mission and why
we cooperate first, then who decides and who represents us, then the economics, then follow-up
and risks, ending with one page per arrangement. ``build`` gathers the facts through the user's
Access; ``pdf`` and ``xlsx`` return bytes (only the views know HTTP).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .. import rules
from ..access import Access
from ..models import Arrangement, Body, Contribution, GoalConflict, Organisation
from ..selectors import portfolio as pf
from . import charts
from . import xlsx as writer
from .pdf import html, write_pdf

# The order of the pack's sections (headings as the pack and the workbook write them).
SECTIONS = (
    ("uppdrag", "Uppdraget och varför vi samverkar"),
    ("beslut", "Vem beslutar och vem företräder oss"),
    ("ekonomi", "Ekonomin"),
    ("uppfoljning", "Uppföljning och risker"),
    ("samverkan", "Samverkan en och en"),
)


@dataclass
class ArrangementPage:
    row: Any  # a PortfolioRow
    motives: list = field(default_factory=list)
    contributions: list = field(default_factory=list)
    deciding_bodies: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    cost_chart: str = ""
    # The same figures as the chart, as one line of text ("2024: 1 000 kr; 2025: 1 200 kr (+20 %)."):
    # the PDF writes this line, the screen both (issue 23: 43 charts were a third of the pack's
    # rendering time and most of its pages).
    cost_per_year: str = ""
    influence: Any = None  # the arrangement's graph.InfluenceRow, when it is in force

    @property
    def arrangement(self):
        return self.row.arrangement


@dataclass
class Pack:
    organisation: Organisation
    portfolio: Any
    pages: list
    conflicts: list
    charts: dict
    example_names: list
    today: dt.date
    sections: tuple = SECTIONS

    @property
    def cost_rows(self) -> list[tuple]:
        """The cost per arrangement in the reference year, with the ended ones and the total."""
        return cost_table_rows(self)


def build(access: Access, organisation: Organisation, *, today: dt.date | None = None) -> Pack:
    """Return the facts of the pack: the portfolio's ongoing arrangements with why, who and what."""
    today = today or rules.today()
    scope = pf.organisation_scope(organisation)
    portfolio = pf.portfolio(access, scope, today=today)
    rows = portfolio.ongoing_rows
    ids = [r.arrangement.pk for r in rows]
    motives = defaultdict(list)
    for link in (
        Arrangement.motives.through.objects.filter(arrangement_id__in=ids)
        .select_related("motive")
        .order_by("motive__sort_order", "motive__name")
    ):
        motives[link.arrangement_id].append(link.motive.name)
    contributions = defaultdict(list)
    for c in Contribution.objects.filter(
        arrangement_id__in=ids, goal__organisation=organisation
    ).select_related("goal"):
        contributions[c.arrangement_id].append(c)
    bodies = defaultdict(list)
    for b in Body.objects.filter(arrangement_id__in=ids, powers=Body.Powers.DECIDES).order_by(
        "name"
    ):
        bodies[b.arrangement_id].append(b)
    conflicts = list(
        access.goal_conflicts(GoalConflict.objects.filter(arrangement_id__in=ids))
        .filter(goal__organisation=organisation)
        .select_related("goal", "arrangement")
        .order_by("arrangement__name", "-identified_on")
    )
    by_arrangement = defaultdict(list)
    for gc in conflicts:
        by_arrangement[gc.arrangement_id].append(gc)
    influence = portfolio.influence.by_arrangement if portfolio.influence else {}
    pages = []
    for r in rows:
        years = pf.year_costs(r.amounts_by_year, portfolio.years) if r.costs_by_year else None
        pages.append(
            ArrangementPage(
                influence=influence.get(r.arrangement.pk),
                row=r,
                motives=motives[r.arrangement.pk],
                contributions=contributions[r.arrangement.pk],
                deciding_bodies=bodies[r.arrangement.pk],
                conflicts=by_arrangement[r.arrangement.pk],
                cost_chart=charts.cost_chart(
                    f"pack-kostnad-{r.arrangement.pk}", years, subject=r.arrangement.name
                )
                if years
                else "",
                cost_per_year=charts.describe(charts.cost_bars(years)) if years else "",
            )
        )
    subject = organisation.name
    return Pack(
        organisation=organisation,
        portfolio=portfolio,
        pages=pages,
        conflicts=conflicts,
        charts=charts.portfolio_charts(portfolio, subject=subject, prefix="pack", printed=True),
        example_names=[
            r.arrangement.name
            if r.example == rules.EXAMPLE_WHOLE
            else f"{r.arrangement.name} (delvis)"
            for r in rows
            if r.example
        ],
        today=today,
    )


def cost_table_rows(pack: Pack) -> list[tuple]:
    """The pack's cost per arrangement and year: the ongoing arrangements one by one, then the
    ended ones together, then the total, which equals the year's total in "Ekonomi" (a table
    with a total reconciles with it)."""
    portfolio = pack.portfolio
    years = portfolio.years
    rows = [(p.arrangement.name, *[p.row.costs_by_year.get(y) for y in years]) for p in pack.pages]
    if portfolio.ended_rows:
        rows.append(
            (
                f"Avslutad eller inte pågående samverkan ({len(portfolio.ended_rows)})",
                *[portfolio.ended_cost(y) for y in years],
            )
        )
    rows.append(("Totalt", *[y.amount for y in portfolio.cost_by_year]))
    return rows


def followup_rows(portfolio) -> list[tuple]:
    """One row per ongoing arrangement and assessed alternative (an arrangement without one
    gets a row that says so): the latest evaluation beside the alternatives' costs."""
    rows = []
    for r in portfolio.ongoing_rows:
        e = r.last_evaluation
        head = (
            r.name,
            e.date if e else "Aldrig följd upp",
            e.get_goal_attainment_display() if e else "",
            e.cost_assessment if e else "",
            e.get_recommendation_display() if e and e.recommendation else "",
            r.cost_last_year,
        )
        if not r.alternatives:
            rows.append((*head, "Inga alternativ har bedömts", None, None))
        for alt in r.alternatives:
            rows.append((*head, alt.get_kind_display(), alt.estimated_cost, alt.assessed_on))
    return rows


# --- PDF -----------------------------------------------------------------------------------------

# The PDF's own address: a relative link in the pack resolves against it, and the fetcher below
# answers only for the app's static files under it. Nothing else is fetched.
BASE_URL = "https://samverkansregistret.invalid/"
PDF_STYLESHEET = "register/intro_pack.css"


def _static_prefix() -> str:
    from django.conf import settings

    return BASE_URL + settings.STATIC_URL.lstrip("/")


def fetch_static(url: str):
    """Return the app's own static file at ``url`` as (bytes, mime type); refuse anything else."""
    prefix = _static_prefix()
    if not url.startswith(prefix):
        raise ValueError(f"Introduktionspaketet hämtar inget utifrån: {url}")
    relative = url[len(prefix) :].split("?")[0]
    if ".." in relative.split("/"):
        raise ValueError(url)
    path = finders.find(relative)
    if not path:
        raise ValueError(f"Ingen sådan fil: {relative}")
    with open(path, "rb") as handle:
        body = handle.read()
    mime = "text/css" if relative.endswith(".css") else "application/octet-stream"
    return body, mime


def pdf_html(pack: Pack) -> str:
    return render_to_string("register/intro_pack_pdf.html", {"pack": pack, "for_print": True})


def pdf(pack: Pack, *, fetched: list | None = None) -> bytes:
    """Return the pack as a tagged PDF (PDF/UA-1), document language Swedish.

    ``fetched``, when given, collects every address WeasyPrint asked for (the tests use it)."""
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if fetched is not None:
                fetched.append(url)
            body, mime = fetch_static(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    fetcher = StaticOnly()
    css, _ = fetch_static(_static_prefix() + PDF_STYLESHEET)
    document = html(string=pdf_html(pack), base_url=BASE_URL, url_fetcher=fetcher)
    stylesheet = CSS(string=css.decode("utf-8"), base_url=BASE_URL, url_fetcher=fetcher)
    return write_pdf(document, stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)


# --- XLSX ----------------------------------------------------------------------------------------


def _sheet(workbook: writer.Book, title: str, header: list[str], rows) -> None:
    sheet = workbook.add_sheet(title, int_format="# ##0")
    sheet.table(
        header,
        rows,
        freeze=True,
        widths=[max(12, min(len(name) + 4, 40)) for name in header],
    )


def _percent(share) -> float | None:
    """A share from 0 to 1 as a number of per cent with one decimal (as the pages write it)."""
    return None if share is None else round(100 * share, 1)


def _reps(row) -> str:
    return "; ".join(rules.seat_text(s) for s in row.representatives)


def xlsx(pack: Pack) -> bytes:
    """Return the pack as a workbook: one sheet per section, numbers as numbers, dates as dates."""
    workbook = writer.Book()
    cover = workbook.add_sheet("Om paketet")
    portfolio = pack.portfolio
    cover.append(["Introduktion till samverkan", pack.organisation.name])
    cover.append(["Uppgifterna avser", pack.today])
    cover.append(["Pågående samverkan", portfolio.ongoing_count])
    latest = portfolio.latest_cost
    cover.append([f"Kostnad {portfolio.last_year} (kr)", latest.amount if latest else None])
    cover.append([f"Kostnaden {portfolio.last_year} avser", latest.kind_label if latest else ""])
    cover.append(
        [
            f"Kostnad per invånare {portfolio.last_year} (kr)",
            latest.per_inhabitant if latest else None,
        ]
    )
    cover.append(
        ["Folkmängden avser år", latest.population_year if latest else None],
    )
    inf = portfolio.influence
    if inf is not None:
        cover.append(["Samverkan där vi har minoritet av platserna", len(inf.minority)])
        cover.append(
            [
                "Andel av vår kostnad där vi har minoritet av platserna (%)",
                None if inf.minority_cost_share is None else _percent(inf.minority_cost_share),
            ]
        )
        cover.append(["Parter i ett annat län", len(inf.cross_county_partners)])
    cover.append(
        [
            f"Pågående samverkan utan politiskt beslut av oss sedan valet "
            f"{portfolio.election:%Y-%m-%d}",
            len(portfolio.undecided),
        ]
    )
    cover.append(
        ["Tidpunkter de närmaste 12 månaderna", len(portfolio.upcoming)],
    )
    cover.append(
        [
            f"Tidpunkter senare under mandatperioden (till och med {portfolio.term.end:%Y-%m-%d})",
            len(portfolio.later_in_term),
        ]
    )
    cover.append(["Exempeldata", ", ".join(pack.example_names) or "Inga uppgifter är exempeldata."])
    cover.width(1, 28)
    cover.width(2, 60)
    _sheet(
        workbook,
        "Uppdrag",
        ["Samverkan", "Form", "Verksamhetsområden", "Varför vi samverkar", "Motiv", "Våra mål"],
        (
            (
                p.arrangement.name,
                p.row.form,
                ", ".join(a.name for a in p.row.areas),
                p.arrangement.public_description,
                ", ".join(p.motives),
                "; ".join(c.goal.title for c in p.contributions),
            )
            for p in pack.pages
        ),
    )
    _sheet(
        workbook,
        "Vem beslutar",
        [
            "Samverkan",
            "Beslutande organ",
            "Värd",
            "Parter",
            "Våra företrädare",
            "Ansvarig nämnd",
            "Politiskt ansvarig",
            "Ansvarig förvaltning",
            "Ansvarig tjänsteperson",
            "Våra platser",
            "Platser totalt",
            "Andel av platserna (%)",
            "Beslut av oss sedan valet",
        ],
        (
            (
                p.arrangement.name,
                ", ".join(b.name for b in p.deciding_bodies),
                p.row.host.name if p.row.host else "",
                ", ".join(o.name for o in p.row.partners),
                _reps(p.row),
                p.row.political_body,
                str(p.row.political_owner) if p.row.political_owner else "",
                p.row.admin_unit,
                p.row.admin_owner.name if p.row.admin_owner else "",
                p.influence.seats if p.influence and p.influence.seat_share is not None else None,
                p.influence.seats_total if p.influence else None,
                _percent(p.influence.seat_share) if p.influence else None,
                "ja" if p.row.decided_since_election else "nej",
            )
            for p in pack.pages
        ),
    )
    _sheet(
        workbook,
        "Ekonomi",
        [
            "År",
            "Kostnad (kr)",
            "Avser",
            "Kronor per invånare",
            "Folkmängd",
            "Folkmängden avser år",
            "Förändring (kr)",
            "Förändring (%)",
        ],
        (
            (
                y.year,
                y.amount,
                y.kind_label,
                y.per_inhabitant,
                y.population.population if y.population else None,
                y.population_year,
                y.change,
                y.change_percent,
            )
            for y in portfolio.cost_by_year
        ),
    )
    _sheet(
        workbook,
        "Kostnad per samverkan",
        ["Samverkan", *[str(y) for y in portfolio.years]],
        cost_table_rows(pack),
    )
    _sheet(
        workbook,
        "Platser och kostnad",
        [
            "Samverkan",
            "Beslutande organ",
            "Våra platser",
            "Platser totalt",
            "Andel av platserna (%)",
            f"Vår kostnad {inf.cost_year} (kr)" if inf and inf.cost_year else "Vår kostnad (kr)",
            "Andel av kostnaden (%)",
            "Minoritet av platserna",
            "Flaggad",
            "Anmärkning",
        ],
        (
            (
                r.arrangement.name,
                r.body.name if r.body else "",
                r.seats,
                r.seats_total,
                _percent(r.seat_share),
                r.own_cost,
                _percent(r.cost_share),
                "ja" if r.is_minority else "nej",
                "ja" if r.flagged else "nej",
                " ".join(
                    x for x in (r.FLAG_TEXT if r.flagged else "", r.seat_reason, r.cost_reason) if x
                ),
            )
            for r in (inf.rows if inf else [])
        ),
    )
    _sheet(
        workbook,
        "Uppföljning och risker",
        ["Datum", "Vad", "Samverkan", "Uppgift", "Passerad", "Inom"],
        (
            (
                u.date,
                u.kind,
                u.arrangement.name,
                u.text,
                "ja" if u.overdue else "nej",
                within,
            )
            for within, items in (
                ("12 månader", portfolio.upcoming),
                (f"mandatperioden {portfolio.term}", portfolio.later_in_term),
            )
            for u in items
        ),
    )
    _sheet(
        workbook,
        "Uppföljning och alternativ",
        [
            "Samverkan",
            "Senaste uppföljning",
            "Måluppfyllelse",
            "Bedömning av kostnaderna",
            "Rekommendation",
            f"Vår kostnad {portfolio.last_year} (kr)",
            "Alternativ",
            "Alternativets beräknade årliga kostnad (kr)",
            "Alternativet bedömt",
        ],
        followup_rows(portfolio),
    )
    _sheet(
        workbook,
        "Målkonflikter",
        ["Samverkan", "Vårt mål", "Målkonflikt", "Hantering", "Status"],
        (
            (
                gc.arrangement.name,
                gc.goal.title,
                gc.description,
                gc.handling,
                gc.get_status_display(),
            )
            for gc in pack.conflicts
        ),
    )
    _sheet(
        workbook,
        "Portfölj",
        [
            "Samverkan",
            "Form",
            "Verksamhetsområden",
            "Parter",
            "Värd",
            "Våra företrädare",
            "Ansvarig nämnd",
            "Politiskt ansvarig",
            "Administrativt ansvarig",
            f"Kostnad {portfolio.last_year} (kr)",
            f"Förändring från {portfolio.last_year - 1} (kr)",
            "Förändring (%)",
            "Senaste uppföljning",
            "Rekommendation",
            "Nästa tidpunkt",
            "Vad",
            "Pågår",
        ],
        (
            (
                r.name,
                r.form,
                ", ".join(a.name for a in r.areas),
                ", ".join(o.name for o in r.partners),
                r.host.name if r.host else "",
                _reps(r),
                r.political_body,
                str(r.political_owner) if r.political_owner else "",
                ", ".join(
                    x for x in (r.admin_unit, r.admin_owner.name if r.admin_owner else "") if x
                ),
                r.cost_last_year,
                r.cost_change,
                r.cost_change_percent,
                r.last_evaluation.date if r.last_evaluation else None,
                r.last_evaluation.get_recommendation_display() if r.last_evaluation else "",
                r.next_deadline.date if r.next_deadline else None,
                r.next_deadline.kind if r.next_deadline else "",
                "ja" if r.ongoing else "nej",
            )
            for r in portfolio.rows
        ),
    )
    return workbook.to_bytes()
