"""The seats to fill as a workbook for the nominating committee (valberedningen): one sheet per
part of the page (``selectors.seats_to_fill``), written with the one workbook writer."""

from __future__ import annotations

from .. import rules
from ..selectors.seats_to_fill import SeatsToFill, seat_party
from . import xlsx as writer


def _percent(share) -> float | None:
    """A share from 0 to 1 as a number of per cent with one decimal (as the page writes it)."""
    return None if share is None else round(100 * share, 1)


def _sheet(book: writer.Book, title: str, header: list[str], rows) -> None:
    sheet = book.add_sheet(title)
    rows = list(rows)
    sheet.table(
        header,
        rows,
        freeze=True,
        widths=[max(12, min(len(name) + 6, 40)) for name in header],
    )
    if not rows:
        sheet.write(2, 1, writer.EMPTY)


def workbook(data: SeatsToFill) -> bytes:
    """Return the seats to fill as a workbook: an overview sheet and one sheet per part, numbers
    as numbers and dates as dates."""
    book = writer.Book()
    cover = book.add_sheet("Om underlaget")
    window_start, window_end = data.window
    cover.append(["Platser att tillsätta", data.organisation.name])
    cover.append(["Mandatperiod", str(data.term)])
    cover.append(["Valdag", data.term.election])
    cover.append(["Uppdrag som slutar från", window_start])
    cover.append(["Uppdrag som slutar till och med", window_end])
    cover.append(["Pågående uppdrag räknas den", data.on])
    cover.append(["Uppdrag som slutar", len(data.ending)])
    cover.append(["Vakanser", len(data.vacancies)])
    cover.append(["Organ där ersättare saknas", len(data.missing_substitutes)])
    cover.append(["Personer i två organ som beslutar om samma pengar", len(data.same_money)])
    cover.width(1, 48)
    cover.width(2, 40)

    _sheet(
        book,
        "Per organ",
        [
            "Samverkan",
            "Organ",
            "Platser i organet",
            "Våra ordinarie",
            "Vår andel (%)",
            "Våra ersättare",
            "Ersättare saknas",
            "Uppdrag som slutar",
            "Tillsatta",
            "Vakanser",
        ],
        (
            [
                b.arrangement.name,
                b.body.name,
                b.body.seat_count,
                b.ordinary,
                _percent(b.share.share) if b.share else None,
                b.substitutes,
                b.substitutes_missing,
                len(b.ending),
                b.filled,
                len(b.vacant),
            ]
            for b in data.bodies
        ),
    )
    _sheet(
        book,
        "Uppdrag som slutar",
        ["Samverkan", "Organ", "Namn", "Parti", "Roll", "Från", "Till", "Efterträdare"],
        (
            [
                seat.body.arrangement.name,
                seat.body.name,
                seat.person.name,
                seat_party(seat),
                seat.get_role_display(),
                seat.term_start,
                seat.term_end,
                rules.seat_holder(successor) if successor else "Vakant",
            ]
            for seat, successor in data.ending
        ),
    )
    _sheet(
        book,
        "Vakanser",
        ["Samverkan", "Organ", "Roll", "Efter", "Parti", "Slutar"],
        (
            [
                b.arrangement.name,
                b.body.name,
                seat.get_role_display(),
                seat.person.name,
                seat_party(seat),
                seat.term_end,
            ]
            for b, seat in data.vacancies
        ),
    )
    _sheet(
        book,
        "Ersättare saknas",
        ["Samverkan", "Organ", "Våra ordinarie", "Våra ersättare", "Ersättare saknas"],
        (
            [b.arrangement.name, b.body.name, b.ordinary, b.substitutes, b.substitutes_missing]
            for b in data.missing_substitutes
        ),
    )
    _sheet(
        book,
        "Belastning",
        ["Namn", "Parti", "Uppdrag", "Organ", "Beslutar om samma pengar i"],
        (
            [
                p.person.name,
                p.party,
                len(p.seats),
                "; ".join(
                    f"{s.body.arrangement.name}: {s.body.name} ({s.get_role_display().lower()})"
                    for s in p.seats
                ),
                "; ".join(f"{a.arrangement.name}: {a.name} och {b.name}" for a, b in p.same_money),
            ]
            for p in data.load
        ),
    )
    total = data.party_total
    _sheet(
        book,
        "Partifördelning",
        ["Parti", "Ordinarie", "Ersättare", "Totalt"],
        [
            *([p.party, p.ordinary, p.substitutes, p.total] for p in data.parties),
            *(
                [[total.party, total.ordinary, total.substitutes, total.total]]
                if data.parties
                else []
            ),
        ],
    )
    return book.to_bytes()
