"""Parsing a row: every cell read by its column's field into the row's values, with a Swedish
error or warning in the cell's column for what cannot be read or would not fit the register."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from register.models import Arrangement, Decision, Participation, Person, Seat
from register.validators import normalise_orgnr, validate_orgnr

from . import fields
from .lookups import Lookups
from .models import ImportRow
from .readers.headers import FIELD_HEADERS
from .readers.workbook import Row, Sheet
from .representatives import parse_representatives
from .results import RowPlan
from .text import cell_text, fold
from .values import (
    ValueProblem,
    match_areas,
    parse_amount,
    parse_decision,
    parse_form,
    parse_notice,
)

TOTAL_WORDS = {"summa", "totalt", "total", "summa totalt", "totalsumma", "summering", "sum"}


def _is_total_row(values: dict) -> bool:
    first = next((v for v in values.values() if isinstance(v, str) and v.strip()), None)
    if first is None or len(first) > 40:
        return False
    key = fold(first)
    return key in TOTAL_WORDS or key.startswith(("summa ", "totalt ", "total "))


def parse_row(row: Row, sheet: Sheet, lookups: Lookups) -> RowPlan | None:
    """Return the row's parsed values and problems; None for an empty row."""
    values = row.values
    columns = sheet.columns_by_index
    texts = {i: cell_text(v) for i, v in values.items()}
    raw = {columns[i].header: text for i, text in texts.items() if text}
    if not raw:
        return None
    plan = RowPlan(sheet=sheet.name, number=row.number, raw=raw)
    if _is_total_row(values):
        plan.outcome = ImportRow.Outcome.SKIPPED
        return plan
    for index in row.formula_without_value:
        plan.warn(
            columns[index].header,
            "Cellen innehåller en formel utan sparat värde och lästes som tom. Öppna filen i "
            "Excel, spara den och ladda upp den igen.",
        )
    p = plan.parsed
    p["costs"] = {}
    p["extra"] = {}
    joined = sheet.joined_values(values)
    for index, value in joined.items():
        column = columns[index]
        header = column.header
        name = column.field
        text = texts[index] if joined is values else cell_text(value)
        if not text:
            continue
        if name == "ignore":
            continue
        try:
            if name is None:
                p["extra"][header] = text
            elif name == "name":
                p["name"] = " ".join(text.split())
                fields.check(plan, header, Arrangement, "name", p["name"])
            elif name == "form":
                p["form"] = parse_form(value, lookups.known_forms)
            elif name == "partners":
                found, unknown = lookups.partner_list(value)
                p["partners"] = found
                for text_of, message in unknown:
                    plan.error(header, message)
                    options = lookups.partners.suggested_orgs(text_of)
                    if options:
                        plan.offers.setdefault("partners", []).append(
                            {
                                "text": text_of,
                                "options": [{"id": o.pk, "name": o.name} for o in options],
                            }
                        )
            elif name == "host":
                org = lookups.partners.match(text)
                if org is None:
                    plan.error(
                        header,
                        lookups.partners.unknown_message(text).replace("Parten", "Värdkommunen"),
                    )
                else:
                    p["host"] = org
            elif name == "area":
                slugs, unknown = match_areas(value, lookups.known_areas)
                p["areas"] = slugs
                if unknown:
                    p["area_text"] = ", ".join(unknown)
                    plan.warn(
                        header,
                        f"Verksamhetsområdet ”{p['area_text']}” finns inte i registrets lista; "
                        "texten sparas på deltagandet.",
                    )
            elif name in {"start", "end"}:
                parsed = lookups.date(value, end=name == "end")
                if parsed is not None:
                    if name == "start" and parsed.open_ended:
                        raise ValueProblem(f"Startdatum ”{text}” är inget datum.")
                    p[name] = parsed
            elif name == "notice":
                p["notice"] = parse_notice(value)
            elif name == "cost":
                multiplier = column.multiplier or sheet.default_multiplier
                amount = parse_amount(value, multiplier)
                if amount is not None:
                    p["costs"][(column.year, column.kind)] = amount
            elif name == "representatives":
                p["representatives"] = parse_representatives(value)
                for rep in p["representatives"]:
                    short = rep.name if len(rep.name) <= 60 else rep.name[:60] + "…"
                    who = f"Ledamoten ”{short}”"
                    fields.check(plan, header, Person, "name", rep.name, f"{who}, namnet")
                    # The party is written on the person and on the seat.
                    for model in (Person, Seat):
                        if fields.field_problems(model, "party", rep.party):
                            fields.check(plan, header, model, "party", rep.party, f"{who}, partiet")
                            break
            elif name == "decision":
                p["decision"] = parse_decision(value)
                for part in ("deciding_body", "reference") if p["decision"] else ():
                    text_of = getattr(p["decision"], part)
                    fields.check(
                        plan, header, Decision, part, text_of, fields.field_label(Decision, part)
                    )
            elif name == "orgnr":
                digits = normalise_orgnr(text)
                try:
                    validate_orgnr(digits)
                except ValidationError as exc:
                    raise ValueProblem(" ".join(exc.messages)) from exc
                p["orgnr"] = digits
            elif name == "responsible_body":
                p["responsible_body"] = text
                fields.check(plan, header, Participation, "political_body", text)
            elif name == "comment":
                p["comment"] = text
            elif name == "purpose":
                p["purpose"] = text
            elif name == "contact":
                p["contact"] = text
            elif name == "last_review":
                p["last_review"] = text
        except ValueProblem as exc:
            plan.error(header, str(exc))
    if not p.get("name"):
        plan.error(_header_for(sheet, "name"), "Namn saknas. Varje rad behöver samverkans namn.")
    return plan


def _header_for(sheet, field_name: str) -> str:
    for column in sheet.columns:
        if column.field == field_name:
            return column.header
    return FIELD_HEADERS.get(field_name, field_name)
