"""Export an organisation's portfolio as xlsx in the importer's column layout.

The file is a template to fill in: importing it again changes nothing. The workbook is written
with register/reports/xlsx.py: text that starts with = + - @ is written as text, never as a
formula.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch

from register.models import Arrangement, Cost, Decision, Organisation, Participation, Seat
from register.reports import xlsx as writer
from register.validators import format_orgnr

from .readers.headers import FIELD_HEADERS
from .representatives import Representative, format_representatives
from .values import format_notice

COST_HEADERS = {"outcome": "Kostnad", "budget": "Budget", "forecast": "Prognos"}
INTERNAL_FIELDS = {"contact", "comment", "last_review"}
HEADER_FILL = "DDE7F0"
LAYOUT = (
    "name",
    "form",
    "partners",
    "host",
    "area",
    "responsible_body",
    "contact",
    "decision",
    "start",
    "end",
    "notice",
    "costs",
    "representatives",
    "purpose",
    "last_review",
    "comment",
    "orgnr",
)
INSTRUCTIONS = (
    "Så fyller du i listan",
    "En rad per samverkan. Rubrikraden ska finnas kvar; kolumnernas ordning spelar ingen roll.",
    "Parter: skriv kommunernas namn eller kommunkoder åtskilda med semikolon, komma eller ”och”.",
    "Belopp i hela kronor. Du kan också skriva tkr eller mnkr i cellen, till exempel 1,2 mnkr.",
    "Datum som 2024-01-01. Skriv ”tills vidare” när samverkan saknar slutdatum.",
    "Ledamöter: ”Anna Svensson (S), ledamot; Per Olsson (M), ersättare”.",
    "Tomma celler ändrar ingenting vid import. Egna kolumner sparas som de är.",
)


def portfolio(organisation: Organisation, access=None):
    """Return the organisation's arrangements that the user may see, with what the export needs."""
    own_participations = Participation.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("costs", queryset=Cost.objects.order_by("year"))
    )
    qs = Arrangement.objects.filter(participations__organisation=organisation)
    if access is not None:
        qs = access.arrangements(qs)
    return (
        qs.select_related("form", "host")
        .prefetch_related(
            "service_areas",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
                to_attr="all_participations",
            ),
            Prefetch("participations", queryset=own_participations, to_attr="own_participations"),
        )
        .order_by("name", "pk")
        .distinct()
    )


def export_portfolio(
    organisation: Organisation, *, access=None, include_internal: bool = True
) -> bytes:
    """Return the organisation's portfolio as xlsx bytes."""
    arrangements = list(portfolio(organisation, access))
    own = {}
    for arrangement in arrangements:
        mine = [p for p in arrangement.own_participations if p.organisation_id == organisation.pk]
        own[arrangement.pk] = mine[0] if mine else None
    decision_ids = [p.entry_decision_id for p in own.values() if p and p.entry_decision_id]
    decision_qs = Decision.objects.filter(pk__in=decision_ids)
    if access is not None:
        decision_qs = access.decisions(decision_qs)
    decisions = {d.pk: d for d in decision_qs}
    seats: dict[int, list[Representative]] = {}
    for seat in (
        Seat.objects.filter(
            body__arrangement__in=[a.pk for a in arrangements], appointed_by=organisation
        )
        .select_related("person", "body")
        .order_by("pk")
    ):
        listed = seats.setdefault(seat.body.arrangement_id, [])
        rep = Representative(seat.person.name, seat.party, seat.role)
        if rep not in listed:  # once, even when the person sits in two of its bodies
            listed.append(rep)
    cost_columns = sorted(
        {
            (cost.year, kind)
            for p in own.values()
            if p
            for cost in p.costs.all()
            for kind in COST_HEADERS
            if getattr(cost, kind) is not None
        },
        key=lambda yk: (list(COST_HEADERS).index(yk[1]), yk[0]),
    )
    extra_headers: list[str] = []
    if include_internal:
        for p in own.values():
            for header in ((p.extra_fields or {}).get("columns") or {}) if p else {}:
                if header not in extra_headers:
                    extra_headers.append(header)

    book = writer.Book()
    sheet = book.add_sheet("Samverkan", int_format="#,##0")
    sheet.title_rows(
        f"Samverkan – {organisation.name}",
        f"Exporterad {date.today().isoformat()} från Samverkansregistret. Belopp i kronor. "
        "Importera filen igen för att uppdatera registret.",
    )
    headers: list[tuple[str, object]] = []
    for name in LAYOUT:
        if name == "costs":
            headers += [
                (f"{COST_HEADERS[kind]} {year} (kr)", (year, kind)) for year, kind in cost_columns
            ]
        elif include_internal or name not in INTERNAL_FIELDS:
            headers.append((FIELD_HEADERS[name], name))
    headers += [(header, ("extra", header)) for header in extra_headers]
    header_row = 4
    for col, (title, _) in enumerate(headers, start=1):
        sheet.write(header_row, col, title, bold=True, fill=HEADER_FILL, wrap=True)
        sheet.width(col, 14 if title[:1].isdigit() else 24)
    sheet.freeze(header_row + 1, 2)

    for row_index, arrangement in enumerate(arrangements, start=header_row + 1):
        participation = own.get(arrangement.pk)
        extra = (participation.extra_fields or {}) if participation else {}
        costs = {c.year: c for c in participation.costs.all()} if participation else {}
        for col, (_, key) in enumerate(headers, start=1):
            value = _value(
                key, arrangement, participation, extra, costs, decisions, seats, organisation
            )
            if value is None or value == "":
                continue
            sheet.write(row_index, col, value, wrap=isinstance(value, str))

    help_sheet = book.add_sheet("Instruktioner")
    for index, line in enumerate(INSTRUCTIONS, start=1):
        help_sheet.write(index, 1, line, bold=index == 1)
    help_sheet.width(1, 100)
    return book.to_bytes()


def _value(key, arrangement, participation, extra, costs, decisions, seats, organisation):
    if isinstance(key, tuple):
        if key[0] == "extra":
            return (extra.get("columns") or {}).get(key[1], "")
        year, kind = key
        cost = costs.get(year)
        return getattr(cost, kind) if cost else None
    if key == "name":
        return arrangement.name
    if key == "form":
        return arrangement.form.name
    if key == "partners":
        return "; ".join(
            p.organisation.name
            for p in arrangement.all_participations
            if p.organisation_id != organisation.pk
        )
    if key == "host":
        return arrangement.host.name if arrangement.host else ""
    if key == "area":
        names = [a.name for a in sorted(arrangement.service_areas.all(), key=lambda a: a.name)]
        if extra.get("area_text"):
            names.append(extra["area_text"])
        return ", ".join(names)
    if key == "responsible_body":
        return participation.political_body if participation else ""
    if key == "contact":
        return extra.get("contact", "")
    if key == "decision":
        decision = decisions.get(participation.entry_decision_id) if participation else None
        if decision is None:
            return ""
        reference = f" {decision.reference}" if decision.reference else ""
        return f"{decision.deciding_body} {decision.date.isoformat()}{reference}"
    if key == "start":
        return arrangement.start_date
    if key == "end":
        return arrangement.end_date
    if key == "notice":
        return format_notice(arrangement.notice_months)
    if key == "representatives":
        return format_representatives(seats.get(arrangement.pk, []))
    if key == "purpose":
        return arrangement.public_description
    if key == "last_review":
        return extra.get("last_review", "")
    if key == "comment":
        return participation.internal_note if participation else ""
    if key == "orgnr":
        return format_orgnr(arrangement.orgnr) if arrangement.orgnr else ""
    return ""


def portfolio_filename(organisation: Organisation) -> str:
    from django.utils.text import slugify

    return f"samverkan-{slugify(organisation.short_name or organisation.name)}-{date.today():%Y%m%d}.xlsx"


ERROR_HEADER = "Fel vid import"
ERROR_FILL = "FDECEE"


def invalid_rows_workbook(batch) -> bytes:
    """Return the batch's invalid rows as xlsx, as they were in the file, with an error column."""
    rows = list(batch.rows.filter(outcome="invalid").order_by("sheet", "row_number"))
    sheets_with_errors = {row.sheet for row in rows}
    headers: list[str] = []
    for sheet_name, sheet_headers in batch.summary.get("headers", []):
        if sheet_name in sheets_with_errors:
            headers += [h for h in sheet_headers if h not in headers and h != ERROR_HEADER]
    for row in rows:  # anything not in the recorded layout, so that nothing is lost
        for header in row.raw:
            if header not in headers and header != ERROR_HEADER:
                headers.append(header)
    book = writer.Book()
    sheet = book.add_sheet("Ogiltiga rader")
    sheet.title_rows(
        f"Ogiltiga rader i {batch.file_name}",
        "Rätta raderna och ladda upp filen igen. Kolumnen ”Fel vid import” läses inte in.",
    )
    all_headers = headers + [ERROR_HEADER]
    for col, title in enumerate(all_headers, start=1):
        sheet.write(4, col, title, bold=True)
        sheet.width(col, 24)
    sheet.width(len(all_headers), 60)
    for index, row in enumerate(rows, start=5):
        for col, header in enumerate(headers, start=1):
            text = row.raw.get(header, "")
            if text:
                sheet.write(index, col, text)
        messages = "\n".join(
            f"{e['field']}: {e['message']}" if e.get("field") else e["message"] for e in row.errors
        )
        sheet.write(
            index,
            len(all_headers),
            f"Rad {row.row_number} i bladet ”{row.sheet}”.\n{messages}",
            fill=ERROR_FILL,
            wrap=True,
        )
    return book.to_bytes()
