"""Template filters and tags for the register's pages: Swedish number formats (from
register/rules.py), access checks, and edit links."""

from __future__ import annotations

from html import escape as _escape

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from register import rules, validators
from register.models.arrangements import name_with_party
from register.validators import format_orgnr

register = template.Library()


@register.filter
def safe_url(value, also: str = "") -> str:
    """Return a web address fit for a link's href, else "": only http and https (and the schemes
    named in ``also``, e.g. "mailto"), never a script or data address. Every address the
    register holds (a website, a link to minutes, papers or a document) goes through it before it
    becomes a link: {% with url=o.website|safe_url %}{% if url %}<a href="{{ url }}">…"""
    extra = tuple(s.strip().lower() for s in also.split(",") if s.strip())
    return validators.safe_url(value, validators.WEB_SCHEMES + extra)


@register.filter
def kronor(value) -> str:
    """Render whole kronor: 1 234 567 kr."""
    return rules.format_kronor(value)


@register.filter
def count_of(value, words: str) -> str:
    """Render a count with its words in the right number: {{ n|count_of:"rad,rader" }} gives
    1 rad, 2 rader (register/rules.py ``count_of``)."""
    singular, _, plural = words.partition(",")
    return rules.count_of(int(value or 0), singular, plural or singular)


@register.filter
def number(value) -> str:
    """Render an integer with Swedish thousands separators and no unit: 1 234 567."""
    return rules.format_number(value)


@register.filter
def percent(value) -> str:
    """Render a share as Swedish percent: 12,5 %."""
    return rules.format_percent(value)


@register.filter
def absolute(value):
    """Return the number without its sign (the words say which way it went)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def seat_holder(seat) -> str:
    """Render who holds a seat: Eva Ek (S), the seat's party else the person's
    (``rules.seat_holder``)."""
    return rules.seat_holder(seat)


@register.filter
def with_party(name, party) -> str:
    """Render a name with its party: {{ s.person|with_party:s.party }} gives Eva Ek (S)
    (``models.arrangements.name_with_party``)."""
    return name_with_party(name, party)


@register.filter
def orgnr(value) -> str:
    """Render an organisation number as NNNNNN-NNNN."""
    if not value:
        return ""
    return format_orgnr(str(value))


@register.filter
def can_change(access, obj) -> bool:
    return bool(access) and access.can_change(obj)


@register.filter
def can_delete(access, obj) -> bool:
    return bool(access) and access.can_delete(obj)


@register.filter
def can_view_internal(access, obj) -> bool:
    return bool(access) and access.can_view_internal(obj)


@register.filter
def can_manage_users(access, organisation) -> bool:
    return bool(access) and access.can_manage_users(organisation)


@register.simple_tag
def edit_url(name: str, *args) -> str:
    """Return the URL for ``name`` (arguments that are None are left out).

    A wrong URL name raises ``NoReverseMatch``, so that a typo breaks the page (and its tests)
    instead of silently hiding a button. Whether the user may use the link is the template's
    check (``access|can_change:obj`` and the like), never this tag's.
    """
    return reverse(name, args=[a for a in args if a is not None])


@register.filter
def get_item(mapping, key):
    """Look up ``key`` in a dict from a template."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def trend_arrow(change) -> str:
    """Describe a cost change in words for screen readers and eyes alike."""
    if change is None:
        return ""
    if change > 0:
        return "↑ ökar"
    if change < 0:
        return "↓ minskar"
    return "→ oförändrad"


@register.filter
def share(value) -> str:
    """A share from 0 to 1 as Swedish per cent with one decimal: 0.125 -> '12,5 %'."""
    if value is None or value == "":
        return ""
    return rules.format_percent(round(100 * float(value), 1))


@register.filter
def amount_kind(kind) -> str:
    """Which figure an amount is, in words (``rules.AMOUNT_KINDS``): "outcome" -> "utfall"."""
    return rules.AMOUNT_KINDS.get(kind or "", "")


@register.filter
def ended_cost(portfolio, year):
    """The cost in ``year`` of a portfolio's arrangements that are not ongoing (a table of the
    ongoing ones shows them as one row, so that it adds up to the year's total)."""
    return portfolio.ended_cost(year)


@register.filter
def datavalue(value) -> str:
    """A figure as the machine-readable ``value`` of a ``<data>`` element: unlocalised (a point,
    no thousands separator), "" when missing. Every output marks its key figures so, and the
    tests read the same figure from each of them."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


@register.filter
def status_label(arrangement) -> str:
    """The arrangement's status on the day (``rules.status_on``) in Swedish: "Avslutad" once its
    end date has passed, whatever was registered."""
    from ..models import Arrangement

    status = rules.status_on(arrangement, rules.today())
    return Arrangement.Status(status).label if status in Arrangement.Status.values else status


@register.filter
def by_body(seats) -> list[tuple]:
    """Return the seats grouped by their body, in the order the bodies first appear:
    [(body, [seat, …]), …], so that a list names each body once ("Förbundsstyrelsen: …")."""
    groups: dict = {}
    for seat in seats or ():
        groups.setdefault(seat.body_id, (seat.body, []))[1].append(seat)
    return list(groups.values())


@register.simple_tag
def example_badge(whole=False, parts=False, mark=None) -> str:
    """The one badge for example data (``rules.example_mark``), on internal pages, the PDFs and
    Insyn alike: ``{% example_badge a.is_example a.has_example_parts %}`` or ``mark=row.example``."""
    if mark is None:
        mark = rules.example_mark(bool(whole), bool(parts))
    if not mark:
        return ""
    return format_html(' <span class="badge example">{}</span>', mark)


@register.simple_tag
def cost_grid_cells(cells) -> str:
    """The cells of one row of Insyn's cost grid (``Portfolio.cost_grid``): each year's figure
    in thousands, with which figure it is under it unless it is the outcome, or "–". Written
    here rather than in a template loop, for the busiest page's grid has thousands of cells."""
    return mark_safe("".join(f'<td class="num">{_cost_grid_cell(c)}</td>' for c in cells))


def _cost_grid_cell(cell) -> str:
    if not cell:
        return "–"
    if cell["kind"] == "outcome":
        return _html(cell["thousands_text"])
    label = _html(cell["kind_label"])
    return f'{_html(cell["thousands_text"])}<br><span class="small muted">{label}</span>'


def _html(value) -> str:
    """What ``format_html`` writes for ``value`` (Django's ``conditional_escape``: safe text as it
    is, anything else escaped), without its per-call checks for lazy text: the grid and link
    tags write thousands of values on Insyn's busiest page."""
    as_html = getattr(value, "__html__", None)
    return as_html() if as_html is not None else _escape(str(value))


@register.simple_tag
def arrangement_card(a) -> str:
    """One arrangement on Insyn's organisation page (a dict of ``selectors.portfolio``): what,
    with whom, who decides, our representatives and seats, our cost, why and the latest
    evaluation. Written here rather than in an included template, for the busiest page has two
    hundred cards and the include was a fifth of its time; the test beside the organisation page's
    holds that template and checks that both write the same, byte for byte, newlines included."""
    h = _html
    i, c, e = a.get("our_influence"), a.get("our_reference_cost"), a.get("our_earlier_cost")
    status = ""
    if a["status_label"]:
        ended = (
            f" {h(date_filter(a['end_date'], 'Y-m-d'))}"
            if a["status"] == "ended" and a["end_date"]
            else ""
        )
        status = f" ({h(str(a['status_label']).lower())}{ended})"
    responsible = (a.get("our_participation") or {}).get("political_body")
    seats = ""
    if i:
        if i.seat_share is not None:
            body = h(i.body.name) if i.body is not None else ""
            held = (
                f'<data value="{h(datavalue(i.seat_share))}" data-figure="seat-share" '
                f'data-arrangement="{h(a["id"])}">{h(i.seats)} av {h(i.seats_total)} '
                f"({h(share(i.seat_share))})</data> i {body}"
            )
        else:
            held = f"Kan inte beräknas: {h(i.seat_reason)}"
        seats = f"<dt>Våra platser</dt><dd>{held}</dd>"
    cost = ""
    if c:
        per = (
            f", {h(kronor(c['per_inhabitant']))} per invånare (folkmängd {h(c['population_year'])})"
            if c["per_inhabitant"] is not None
            else ""
        )
        cost = (
            f"<dt>Kostnad {h(c['year'])}</dt><dd>{h(kronor(c['amount_sek']))} "
            f"({h(c['kind_label'])}){per}</dd>"
        )
    elif e:
        cost = (
            f"<dt>Kostnad {h(a['reference_year'])}</dt><dd>Inte publicerad. Senast känd: "
            f"{h(e['year'])}, {h(kronor(e['amount_sek']))} ({h(e['kind_label'])}).</dd>"
        )
    why = (
        f"<p><strong>Varför vi samverkar:</strong> {h(a['public_description'])}</p>"
        if a["public_description"]
        else ""
    )
    latest = ""
    if evaluation := a["latest_evaluation"]:
        summary = (
            evaluation["public_summary"]
            or evaluation["goal_attainment_label"]
            or "ingen sammanfattning publicerad"
        )
        latest = (
            f"<p><strong>Senaste uppföljningen ({h(date_filter(evaluation['date'], 'Y-m-d'))}):"
            f"</strong> {h(summary)}</p>"
        )
    badge = example_badge(a["is_example"], a["has_example_parts"])
    return mark_safe(
        f'\n<article class="card" aria-labelledby="s-{h(a["id"])}">\n'
        f'  <h3 id="s-{h(a["id"])}"><a href="{h(a["path"])}">{h(a["name"])}</a>{badge}</h3>\n'
        '  <dl class="facts">\n'
        f"    <dt>Vad</dt><dd>{h(a['areas_text'])}</dd>\n"
        f"    <dt>Form</dt><dd>{h(a['form'])}{status}</dd>\n"
        f"    <dt>Tillsammans med</dt><dd>{h(a['partners_text'] or 'Ingen annan part')}</dd>\n"
        f"    <dt>Vem beslutar</dt><dd>{h(a['deciding_text'])}</dd>\n"
        + (f"    <dt>Ansvarig hos oss</dt><dd>{h(responsible)}</dd>\n" if responsible else "    \n")
        + f"    <dt>Våra företrädare</dt><dd>{h(a['our_seats_text'])}</dd>\n"
        f"    {seats}\n"
        f"    {cost}\n"
        "  </dl>\n"
        f"  {why}\n"
        f"  {latest}\n"
        "</article>\n"
    )


@register.simple_tag(takes_context=True)
def table_cells(context, table, row) -> str:
    """The cells of one row of a django-tables2 table (includes/table.html), as its
    ``{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>``
    wrote them: the same values, rendered by the column's ``render_*``, and the same attributes.
    A column's cell attributes are the same on every row unless one of them is computed (a
    callable, given the record or value): they are worked out once per table, not once per cell
    (for the overview's 50 rows of 12 columns that was a tenth of the page)."""
    fixed = _fixed_td_attrs(table)
    cells = []
    for column in table.columns:
        cell = row.get_cell(column.name)
        if fixed is None:  # computed from the row: as row.items lets them be
            column.current_value, column.current_record = cell, row.record
            attrs = column.attrs["td"].as_html()
        else:
            attrs = fixed[column.name]
        cells.append(f"<td {attrs}>{render_value_in_context(cell, context)}</td>")
    return mark_safe("".join(cells))


def _fixed_td_attrs(table) -> dict | None:
    """Each column's ``attrs.td`` as HTML (by column name), kept on the table, when no attribute
    of the table's or of any column's is computed from a row; else None."""
    if "_fixed_td_attrs" not in table.__dict__:
        computed = _has_callable(table.attrs) or any(
            _has_callable(column.column.attrs) for column in table.columns
        )
        table._fixed_td_attrs = (
            None
            if computed
            else {column.name: column.attrs["td"].as_html() for column in table.columns}
        )
    return table._fixed_td_attrs


def _has_callable(attrs) -> bool:
    if callable(attrs):
        return True
    return isinstance(attrs, dict) and any(_has_callable(v) for v in attrs.values())


@register.simple_tag
def link_list(links) -> str:
    """Links written "A, B, C" from (name, url) pairs; a tag rather than a template loop, for
    Insyn's partner table has a thousand of them on the busiest page."""
    return mark_safe(", ".join(f'<a href="{_html(url)}">{_html(name)}</a>' for name, url in links))


@register.simple_tag
def influence_rows(rows) -> str:
    """The rows of the table of seats against cost (``graph.InfluenceRow``), on the overview and
    in the pack. Written here rather than in the template's loop: the busiest municipality has
    some 250 rows, and the loop was a fifteenth of its overview's time. The test beside the
    overview's holds the loop it replaced and checks that both write the same, byte for byte."""
    if not rows:
        return mark_safe('<tr><td colspan="6">Ingen samverkan att visa.</td></tr>')
    h = _html
    out = []
    for r in rows:
        notes = []
        if r.flagged:
            notes.append(f'<strong class="flag">Obs! {h(r.FLAG_TEXT)}</strong> ')
        if r.is_minority:
            notes.append('<span class="block">Vi har minoritet av platserna.</span>')
        if r.seat_reason:
            problem = "<strong>Fel i uppgifterna:</strong> " if r.seat_problem else ""
            notes.append(f'<span class="block">{problem}{h(r.seat_reason)}</span>')
        if r.cost_reason:
            notes.append(f'<span class="block">{h(r.cost_reason)}</span>')
        cost = "Kan inte beräknas"
        if r.cost_share is not None:
            notes.append(f'<span class="block muted">Kostnadsandel {h(r.cost_basis_label)}.</span>')
            cost = h(share(r.cost_share))
        body = (r.body.name if r.body is not None else "") or "–"
        flagged = ' class="flagged"' if r.flagged else ""
        out.append(
            f"<tr{flagged}>\n"
            f'      <th scope="row">{h(r.arrangement.name)}</th>\n'
            f"      <td>{h(body)}</td>\n"
            f'      <td class="num" colspan="2">{seat_share(r)}</td>\n'
            f'      <td class="num">{cost}</td>\n'
            f"      <td>{''.join(notes)}</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(out))


@register.simple_tag
def followup_rows(rows, for_print=False) -> str:
    """The rows of the table of how each ongoing arrangement has gone and its assessed
    alternatives (``PortfolioRow``), on the overview and in the pack (``for_print``: names
    without links). Written here for the reason ``influence_rows`` is; the same test holds the
    loop it replaced."""
    if not rows:
        return mark_safe('<tr><td colspan="5">Ingen pågående samverkan.</td></tr>')
    h = _html
    out = []
    for r in rows:
        e = r.last_evaluation
        if for_print:
            name = h(r.name)
        else:
            name = f'<a href="{h(r.arrangement.get_absolute_url())}">{h(r.name)}</a>'
        if e:
            done = f"{h(date_filter(e.date, 'Y-m-d'))}: måluppfyllelse "
            done += h(e.get_goal_attainment_display().lower())
            if e.cost_assessment:
                done += (
                    '<span class="block muted small">Kostnaderna: '
                    f"{h(truncatewords(e.cost_assessment, 25))}</span>"
                )
        else:
            done = "<strong>Aldrig följd upp</strong>"
        advice = h(e.get_recommendation_display()) if e and e.recommendation else "–"
        cost = "–"
        if r.cost_last_year is not None:
            cost = h(kronor(r.cost_last_year))
            if r.cost_last_year_kind and r.cost_last_year_kind != "utfall":
                cost += f' <span class="muted small">({h(r.cost_last_year_kind)})</span>'
        alternatives = []
        for alt in r.alternatives:
            if alt.estimated_cost is not None:
                estimate = h(kronor(alt.estimated_cost))
            else:
                estimate = "kostnad inte beräknad"
            if alt.assessed_on:
                estimate += (
                    f' <span class="muted small">(bedömt {h(date_filter(alt.assessed_on, "Y-m-d"))})'
                    "</span>"
                )
            alternatives.append(
                f'<span class="block">{h(alt.get_kind_display())}: {estimate}</span>'
            )
        out.append(
            "<tr>\n"
            f'      <th scope="row">{name}</th>\n'
            f"      <td>{done}</td>\n"
            f"      <td>{advice}</td>\n"
            f'      <td class="num">{cost}</td>\n'
            f"      <td>{''.join(alternatives) or '<strong>Inga alternativ har bedömts</strong>'}</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(out))


@register.simple_tag
def seat_share(r) -> str:
    """One arrangement's seat share (``graph.InfluenceRow`` r): the same words on every page and in
    the pack. A tag rather than an included template: the overview shows it for every ongoing
    arrangement, and an include per row was a tenth of the page's time."""
    if r.seat_share is None:
        return "Kan inte beräknas"
    html = format_html(
        '<data value="{}" data-figure="seat-share" data-arrangement="{}">{} av {} ({})</data>',
        datavalue(r.seat_share),
        r.arrangement.id,
        r.seats,
        r.seats_total,
        share(r.seat_share),
    )
    if r.seat_basis == "registered":
        html += format_html(
            ' <span class="muted small">{}</span>',
            "av de registrerade platserna (antalet platser i organet är inte angivet)",
        )
    return html
