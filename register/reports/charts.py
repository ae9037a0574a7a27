"""Charts as server-side SVG: pure functions from figures to markup.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that it names in
``aria-labelledby``, and every bar carries its value as text, so the figure never depends on
colour alone. No ``style`` attributes (the Content-Security-Policy forbids inline styles): sizes
and positions are presentation attributes, colours come from the CSS classes ``chart``, ``bar``,
``bar negative`` (income, also hatched so that it reads in black and white), ``axis`` and
``label``. The page puts a table with the same figures next to each chart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.core.cache import cache

from .. import rules

# --- Drawn once: a chart's SVG kept under the digest of its inputs --------------------------------

# The charts' own code is part of every key: a changed drawing is never served from before it.
CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
CACHE_SECONDS = 7 * 24 * 3600  # a key never goes stale (new figures, new key); this frees room


def _canonical(value):
    """Return ``value`` (figures, dataclasses of figures, lists, sets) as a plain, ordered
    structure whose ``repr`` is the same in every process (a set's order is not)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        if kind not in _PLAIN_REPR:
            # The first of its kind is looked through field by field: if it holds only plain
            # figures (no set, whose order changes between processes), its repr is its key.
            _PLAIN_REPR[kind] = _plain(_by_field(value))
        return repr(value) if _PLAIN_REPR[kind] else (kind.__qualname__, _by_field(value))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), repr(_canonical(v))) for k, v in value.items())))
    if value is None or isinstance(value, PLAIN):
        return value
    # Anything else (a model instance: its repr is not its fields) cannot be a key.
    raise NotCacheable(type(value).__name__)


class NotCacheable(TypeError):
    pass


_PLAIN_REPR: dict[type, bool] = {}  # a dataclass whose repr is a stable key (``_canonical``)


def _by_field(value) -> tuple:
    return tuple((f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value))


def _plain(value) -> bool:
    """Whether ``value`` (``_canonical``'s answer) holds no set."""
    if isinstance(value, tuple):
        return not (value and value[0] == "set") and all(_plain(v) for v in value)
    return True


PLAIN = (str, int, float, Decimal, dt.date)


def drawn_once(draw):
    """Keep the SVG that ``draw`` returns in the cache under a digest of its name and its
    arguments (the chart's figures, id and title) and of this module's code: a second request
    for the same figures is not drawn again (the introduction pack draws one per arrangement,
    issue 23), and a changed figure is a new key, drawn anew. Shared between workers when the
    cache is (Redis)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        try:
            inputs = repr((draw.__name__, _canonical(args), _canonical(kwargs), CODE))
        except NotCacheable:
            return draw(*args, **kwargs)
        key = "chart:" + hashlib.sha256(inputs.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, svg, CACHE_SECONDS)
        return svg

    return wrapper


# Colours as presentation attributes (the PDF renderer does not apply CSS to SVG); the site's
# stylesheet may override them. Contrast against white is at least 4.5:1.
BAR = "#0b5394"
ESTIMATE = "#9fc3e7"  # a forecast or budget year: lighter, with a dashed outline in BAR
INCOME = "#8a4b00"
INCOME_BACKGROUND = "#fde2c8"
INK = "#1b1b1b"
MUTED = "#555555"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | None
    value_text: str = ""  # the figure as the page writes it; built from ``value`` when empty
    note: str = ""  # a second line under the label, e.g. the change from the year before
    estimate: str = ""  # "prognos", "budget" …: the figure is not an outcome, and is marked


def _attr(value) -> str:
    return quoteattr(str(value))


def _text(value) -> str:
    return escape(str(value))


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


TITLE_SIZE = 14
TITLE_LINE = 18
# DejaVu Sans Bold, the widest font the charts meet, averages well under 0.68 em per character.
TITLE_EM = 0.68


def title_lines(title: str, width: int) -> list[str]:
    """Return the chart's title wrapped at spaces into lines that fit ``width`` (px): a title
    written out in an SVG does not wrap by itself, and one too long is cut at the edge."""
    per_line = max(int(width / (TITLE_SIZE * TITLE_EM)), 12)
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _head(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    """The opening of a chart: its accessible name and description, the hatch for income and the
    title written out on top (aria-hidden: the name already says it), wrapped to the chart's
    width. The chart's drawing is moved down by the title's extra lines; close it with ``END``."""
    lines = title_lines(title, width)
    extra = TITLE_LINE * (len(lines) - 1)
    height += extra
    spans = "".join(
        f'<tspan x="0" dy="{0 if i == 0 else TITLE_LINE}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"aria-labelledby={_attr(chart_id + '-title')} aria-describedby={_attr(chart_id + '-desc')} "
        f"id={_attr(chart_id)}>",
        f"<title id={_attr(chart_id + '-title')}>{_text(title)}</title>",
        f"<desc id={_attr(chart_id + '-desc')}>{_text(desc)}</desc>",
        '<defs><pattern id="' + chart_id + '-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{INCOME_BACKGROUND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" class="hatch" stroke="{INCOME}" stroke-width="3"/>'
        "</pattern></defs>",
        f'<text class="chart-title" x="0" y="16" fill="{INK}" font-size="{TITLE_SIZE}" '
        f'font-weight="bold" aria-hidden="true">{spans}</text>',
        f'<g transform="translate(0 {extra})">',
    ]


END = "</g></svg>"


def short_kronor(value) -> str:
    """Return an amount as a chart's label writes it: millions as "206,9 mnkr", else in full."""
    if value is not None and abs(value) >= 1_000_000:
        millions = (Decimal(value) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{rules.format_decimal(millions)}{rules.NBSP}mnkr"
    return rules.format_kronor(value)


def describe(bars: list[Bar], unit_text=rules.format_kronor) -> str:
    """Return the bars as one sentence of text ("2024: 1 000 kr; 2025: 1 200 kr")."""
    parts = []
    for b in bars:
        text = b.value_text or (unit_text(b.value) if b.value is not None else "uppgift saknas")
        extra = ", ".join(x for x in (b.estimate, b.note) if x)
        parts.append(f"{b.label}: {text}{' (' + extra + ')' if extra else ''}")
    return "; ".join(parts) + "." if parts else "Inga uppgifter."


def column_chart(
    chart_id: str, title: str, bars: list[Bar], *, desc: str = "", value_format=None
) -> str:
    """Return vertical bars (one per year): value above, label and note below; negative values
    (income) go below the zero line."""
    value_format = value_format or short_kronor
    width, height = max(320, 110 * len(bars) + 40), 290
    top, bottom = 60, 230  # the plot area (below the title and the values); labels below it
    values = [b.value for b in bars if b.value is not None]
    high = max([0, *values])
    low = min([0, *values])
    span = (high - low) or 1
    zero = top + (bottom - top) * high / span
    parts = _head(chart_id, title, desc or describe(bars, value_format), width, height)
    parts.append(
        f'<line class="axis" x1="20" x2="{width - 10}" y1="{_number(zero)}" '
        f'y2="{_number(zero)}" stroke="{INK}" stroke-width="1"/>'
    )
    slot = (width - 40) / max(len(bars), 1)
    for i, b in enumerate(bars):
        x = 20 + i * slot + slot * 0.15
        w = slot * 0.7
        cx = x + w / 2
        text = b.value_text or (value_format(b.value) if b.value is not None else "–")
        if b.value is not None:
            h = (bottom - top) * abs(b.value) / span
            y = zero - h if b.value >= 0 else zero
            negative = b.value < 0
            if negative:
                paint = f' fill="url(#{chart_id}-hatch)" stroke="{INCOME}"'
            elif b.estimate:
                paint = (
                    f' fill="{ESTIMATE}" stroke="{BAR}" stroke-width="1.5" stroke-dasharray="4 3"'
                )
            else:
                paint = f' fill="{BAR}"'
            kind = f" ({b.estimate})" if b.estimate else ""
            parts.append(
                f'<rect class="bar{" negative" if negative else ""}{" estimate" if b.estimate else ""}" '
                f'x="{_number(x)}" y="{_number(y)}" width="{_number(w)}" '
                f'height="{_number(max(h, 0.5))}"{paint}>'
                f"<title>{_text(b.label)}{_text(kind)}: {_text(text)}</title></rect>"
            )
            ty = (y - 6) if not negative else min(y + h + 14, bottom + 12)
        else:
            ty = zero - 6
        parts.append(
            f'<text class="label value" x="{_number(cx)}" y="{_number(ty)}" fill="{INK}" '
            f'font-size="12" font-weight="bold" text-anchor="middle">{_text(text)}</text>'
        )
        parts.append(
            f'<text class="label" x="{_number(cx)}" y="{bottom + 30}" fill="{INK}" '
            f'font-size="13" text-anchor="middle">{_text(b.label)}</text>'
        )
        note = " · ".join(x for x in (b.estimate, b.note) if x)
        if note:
            parts.append(
                f'<text class="label note" x="{_number(cx)}" y="{bottom + 48}" fill="{MUTED}" '
                f'font-size="12" text-anchor="middle">{_text(note)}</text>'
            )
    parts.append(END)
    return "".join(parts)


def bar_chart(
    chart_id: str, title: str, bars: list[Bar], *, desc: str = "", value_format=None
) -> str:
    """Return horizontal bars (one per form or area): label left, bar, value at its end."""
    value_format = value_format or rules.format_number
    row, label_width, bar_width = 28, 240, 170
    width, height = label_width + bar_width + 90, row * len(bars) + 36
    high = max([1, *(abs(b.value) for b in bars if b.value is not None)])
    parts = _head(chart_id, title, desc or describe(bars, value_format), width, height)
    for i, b in enumerate(bars):
        y = 26 + i * row
        label = b.label if len(b.label) <= 32 else b.label[:31] + "…"
        parts.append(
            f'<text class="label" x="{label_width - 8}" y="{y + 17}" fill="{INK}" '
            f'font-size="13" text-anchor="end">{_text(label)}</text>'
        )
        w = bar_width * abs(b.value or 0) / high
        text = b.value_text or (value_format(b.value) if b.value is not None else "–")
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{_number(max(w, 0.5))}" '
            f'height="{row - 10}" fill="{BAR}"><title>{_text(b.label)}: {_text(text)}</title></rect>'
        )
        parts.append(
            f'<text class="label value" x="{_number(label_width + w + 6)}" y="{y + 17}" '
            f'fill="{INK}" font-size="12" font-weight="bold">{_text(text)}</text>'
        )
    parts.append(END)
    return "".join(parts)


# --- The overview's charts -------------------------------------------------------------------


def change_note(change_percent) -> str:
    """Return the change from the year before as a short note ("+25 %", "−4,5 %")."""
    if change_percent is None:
        return ""
    sign = "+" if change_percent > 0 else ""
    return sign + rules.format_percent(change_percent)


def cost_bars(years, *, per_inhabitant: bool = False) -> list[Bar]:
    """The cost per year (``YearCost`` rows) as bars: the figure, the change from the year
    before, and whether it is a forecast or budget."""
    return [
        Bar(
            label=str(y.year),
            value=y.per_inhabitant if per_inhabitant else y.amount,
            note=change_note(y.change_percent),
            estimate=y.kind_label if getattr(y, "is_estimate", False) else "",
        )
        for y in years
    ]


@drawn_once
def cost_chart(chart_id: str, years, *, per_inhabitant: bool = False, subject: str = "") -> str:
    """Return the cost per year (``YearCost`` rows) in kronor or in kronor per inhabitant."""
    bars = cost_bars(years, per_inhabitant=per_inhabitant)
    unit = "kronor per invånare" if per_inhabitant else "kronor"
    title = f"Kostnad per år i {unit}" + (f", {subject}" if subject else "")
    desc = (
        f"Stapeldiagram: {subject + 's ' if subject else ''}årliga kostnad i {unit}, "
        f"med förändringen från året före. {describe(bars)}"
    )
    return column_chart(chart_id, title, bars, desc=desc)


@drawn_once
def count_chart(chart_id: str, title: str, counts) -> str:
    """Return a horizontal bar chart of (label, count) pairs."""
    bars = [Bar(label=label, value=n, value_text=f"{n} st") for label, n in counts]
    return bar_chart(chart_id, title, bars, desc=f"Stapeldiagram. {describe(bars)}")


# --- Seat share against cost share -------------------------------------------------------------

COST_BAR = "#5b2a86"
INFLUENCE_BAR_WIDTH = 220  # a share of 100 %: narrow enough to stay legible on a phone
COST_BACKGROUND = "#ece3f5"


def share_text(share) -> str:
    """A share from 0 to 1 as the chart and its table write it: 0.125 -> '12,5 %'."""
    return rules.format_percent(round(100 * share, 1))


def _seat_value(row) -> str:
    if row.seat_share is None:
        return "kan inte beräknas"
    return f"{share_text(row.seat_share)} ({row.seats} av {row.seats_total})"


def _cost_value(row) -> str:
    return "kan inte beräknas" if row.cost_share is None else share_text(row.cost_share)


def describe_influence(rows) -> str:
    """Return the pairs as sentences, with the reason where a share cannot be computed."""
    parts = []
    for r in rows:
        seat = (
            f"platser {_seat_value(r)}"
            if r.seat_share is not None
            else f"platsandelen kan inte beräknas ({r.seat_reason})"
        )
        cost = (
            f"kostnad {_cost_value(r)}"
            if r.cost_share is not None
            else f"kostnadsandelen kan inte beräknas ({r.cost_reason})"
        )
        flag = f" {r.FLAG_TEXT}" if r.flagged else ""
        parts.append(f"{r.arrangement.name}: {seat}, {cost}.{flag}")
    return " ".join(parts) if parts else "Inga uppgifter."


@drawn_once
def influence_chart(chart_id: str, rows, *, subject: str = "", part: str = "") -> str:
    """Return paired horizontal bars per arrangement: our share of the deciding body's ordinary
    seats (solid) and our share of the cost (hatched), each with its value written out; an
    arrangement whose seat share lies too far below its cost share (``row.flagged``) gets a
    written mark. ``rows`` are ``register.graph.InfluenceRow``s; ``part`` ("del 1 av 3") names
    one of several charts that together draw them (``printed_influence_charts``)."""
    label_width, bar_width = 72, INFLUENCE_BAR_WIDTH
    width = label_width + bar_width + 130
    heights = [58 + (18 if r.flagged else 0) for r in rows]
    height = 40 + sum(heights) if rows else 60
    # The subject goes in the description: the title is written out and must fit on a phone.
    title = "Andel av platserna mot andel av kostnaden" + (f" ({part})" if part else "")
    desc = (
        (f"{subject}. " if subject else "")
        + "Stapeldiagram i par: för varje samverkan vår andel av de ordinarie platserna i det "
        "beslutande organet (hel stapel) och vår andel av kostnaden (randig stapel). "
        + describe_influence(rows)
    )
    parts = _head(chart_id, title, desc, width, height)
    parts.append(
        '<defs><pattern id="' + chart_id + '-cost" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{COST_BACKGROUND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{COST_BAR}" stroke-width="3"/>'
        "</pattern></defs>"
    )
    y = 34
    for r, h in zip(rows, heights, strict=True):
        name = r.arrangement.name
        # Shortened at a space, never inside a word ("… åt No…").
        name = name if len(name) <= 52 else name[:51].rsplit(" ", 1)[0].rstrip(",–- ") + " …"
        parts.append(
            f'<text class="label name" x="0" y="{y + 13}" fill="{INK}" font-size="13" '
            f'font-weight="bold">{_text(name)}</text>'
        )
        for i, (kind, label, share, value) in enumerate(
            (
                ("seat", "Platser", r.seat_share, _seat_value(r)),
                ("cost", "Kostnad", r.cost_share, _cost_value(r)),
            )
        ):
            by = y + 20 + i * 19
            parts.append(
                f'<text class="label" x="{label_width - 8}" y="{by + 13}" fill="{INK}" '
                f'font-size="12" text-anchor="end">{label}</text>'
            )
            end = label_width
            if share is not None:
                w = bar_width * min(max(share, 0), 1)
                fill = (
                    f'fill="{BAR}"'
                    if kind == "seat"
                    else (f'fill="url(#{chart_id}-cost)" stroke="{COST_BAR}"')
                )
                parts.append(
                    f'<rect class="bar {kind}" x="{label_width}" y="{by + 2}" '
                    f'width="{_number(max(w, 0.5))}" height="14" {fill}>'
                    f"<title>{_text(name)}, {label.lower()}: {_text(value)}</title></rect>"
                )
                end = label_width + w
            parts.append(
                f'<text class="label value {kind}" x="{_number(end + 6)}" y="{by + 13}" '
                f'fill="{INK if share is not None else MUTED}" font-size="12"'
                f"{' font-weight=' + chr(34) + 'bold' + chr(34) if share is not None else ''}>"
                f"{_text(value)}</text>"
            )
        if r.flagged:
            parts.append(
                f'<text class="label flag" x="{label_width}" y="{y + 72}" fill="{INK}" '
                f'font-size="12" font-weight="bold">Obs! Lägre platsandel än kostnadsandel.</text>'
            )
        y += h
    if not rows:
        parts.append(
            f'<text class="label" x="0" y="44" fill="{INK}" font-size="13">Inga uppgifter.</text>'
        )
    parts.append(END)
    return "".join(parts)


#: At most this many arrangements in one printed seats-against-cost chart: 12 pairs of bars (and
#: their marks) stay well within an A4 page at full size; a taller chart would be shrunk to fit
#: the page until its words cannot be read.
INFLUENCE_ROWS_PER_PRINTED_CHART = 12


def drawn_influence_rows(rows) -> list:
    """The rows a printed seats-against-cost chart draws: those where a share can be computed."""
    return [r for r in rows if r.seat_share is not None or r.cost_share is not None]


def printed_influence_charts(chart_id: str, rows, *, subject: str = "") -> list[str]:
    """Return the seats-against-cost charts of a printed document (the introduction pack): the
    arrangements where at least one of the two shares can be computed (the table beside the
    charts gives every arrangement, with the reason where a share cannot be computed), in
    charts of at most ``INFLUENCE_ROWS_PER_PRINTED_CHART`` arrangements each."""
    drawn = drawn_influence_rows(rows)
    size = INFLUENCE_ROWS_PER_PRINTED_CHART
    chunks = [drawn[i : i + size] for i in range(0, len(drawn), size)]
    if len(chunks) == 1:
        return [influence_chart(chart_id, drawn, subject=subject)]
    return [
        influence_chart(f"{chart_id}-{n}", chunk, subject=subject, part=f"del {n} av {len(chunks)}")
        for n, chunk in enumerate(chunks, 1)
    ]


def portfolio_charts(portfolio, *, subject: str, prefix: str, printed: bool = False) -> dict:
    """Return the charts of a portfolio (``selectors.portfolio.Portfolio``) by name, each with an
    id that starts with ``prefix`` (the overview's "diagram", the pack's "pack"): cost and cost
    per inhabitant per year, ongoing arrangements per form and per area, seats against cost
    (for a ``printed`` document a list of charts: ``printed_influence_charts``)."""
    return {
        "cost": cost_chart(f"{prefix}-kostnad", portfolio.cost_by_year, subject=subject),
        "per_inhabitant": cost_chart(
            f"{prefix}-per-invanare", portfolio.cost_by_year, per_inhabitant=True, subject=subject
        ),
        "forms": count_chart(f"{prefix}-former", "Pågående samverkan per form", portfolio.by_form),
        "areas": count_chart(
            f"{prefix}-omraden", "Pågående samverkan per verksamhetsområde", portfolio.by_area
        ),
        "influence": (printed_influence_charts if printed else influence_chart)(
            f"{prefix}-inflytande", portfolio.influence.rows, subject=subject
        )
        if portfolio.influence
        else "",
        **(
            {"influence_drawn": len(drawn_influence_rows(portfolio.influence.rows))}
            if printed and portfolio.influence
            else {}
        ),
    }
