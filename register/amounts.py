"""Amounts as people write them, read into whole kronor: the one parser for the importer's cells
and the forms' amount fields.

"1 250,5 tkr", "ca 12,5 mnkr", "(300)", "-0,6 mnkr", "12 500 kr", "1.234.567" and a number from
a spreadsheet cell all read; a unit written with the amount wins over the caller's unit (a
column's "tkr"), and the result is rounded to whole kronor (half up).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .validators import MAX_AMOUNT

UNIT_WORDS = (
    (re.compile(r"(mnkr|mkr|msek|miljoner kronor|miljoner|milj\.?|mn)\b", re.I), 1_000_000),
    (re.compile(r"(tkr|ksek|tusen kronor|tusental kronor|tusentals kronor|tsek)\b", re.I), 1_000),
    (re.compile(r"(kr|kronor|sek|:-)(?=\W|$)", re.I), 1),
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_APPROX = re.compile(r"^(ca\.?|cirka|ungefär|approx\.?|~|≈)\s*", re.I)
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")  # 1,234,567
_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3}){2,}")  # 1.234.567
_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")
NOTHING = {"-", "–", "—", "0-", "saknas", "uppgift saknas"}


class AmountError(ValueError):
    """An amount that cannot be read; the message is Swedish and names what was written.
    ``code`` says why: "unreadable", "too_large" or "not_whole"."""

    def __init__(self, message: str, code: str = "unreadable"):
        super().__init__(message)
        self.code = code


def find_unit(text: str) -> int | None:
    """Return the multiplier named in a text (tkr → 1000), or None."""
    for pattern, multiplier in UNIT_WORDS:
        if pattern.search(text):
            return multiplier
    return None


def parse_amount(value, multiplier: int = 1, *, whole: bool = False) -> int | None:
    """Return an amount in whole kronor (None for nothing written); ``multiplier`` is the unit
    the caller reads in (1000 for a column in tkr). Raise :class:`AmountError`.

    With ``whole``, an amount that is not whole kronor once its unit is applied ("1 234,50") is
    refused instead of rounded: a form asks again, while an import rounds what a list holds."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(f"Beloppet ”{value}” är inte ett tal.")
    if type(value) is int and type(multiplier) is int:  # whole kronor already: no rounding
        number = value * multiplier
        if abs(number) > MAX_AMOUNT:  # refused with _whole_kronor's own message
            return _whole_kronor(Decimal(number), value, whole)
        return number
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:  # pragma: no cover - NaN/inf from a broken file
            raise AmountError(f"Beloppet ”{value}” är inte ett tal.") from exc
        if not number.is_finite():
            raise AmountError(f"Beloppet ”{value}” är inte ett tal.")
        return _whole_kronor(number * multiplier, value, whole)
    if isinstance(value, datetime | date):
        raise AmountError(f"Beloppet ”{_shown(value)}” är ett datum, inte ett belopp.")
    text = _shown(value)
    if not text or text in NOTHING:
        return None
    original = text
    text = _APPROX.sub("", text)
    unit = find_unit(text)
    if unit is not None:
        multiplier = unit
        for pattern, _ in UNIT_WORDS:
            text = pattern.sub("", text)
    text = text.replace("\u2212", "-").replace("–", "-").replace("—", "-")
    text = _SPACES.sub("", text).rstrip(".")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if _THOUSANDS_COMMA.fullmatch(text) and multiplier == 1:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif _THOUSANDS_DOT.fullmatch(text):
        text = text.replace(".", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise AmountError(
            f"Beloppet ”{original}” kunde inte tolkas. Skriv ett tal, till exempel 12 500 eller "
            "12,5 mnkr."
        )
    number = Decimal(text) * multiplier
    return _whole_kronor(-number if negative else number, original, whole)


def _whole_kronor(number: Decimal, original, whole: bool = False) -> int:
    # Checked before rounding: a number beyond Decimal's 28 digits cannot even be rounded.
    if abs(number) >= MAX_AMOUNT + Decimal("0.5"):
        raise AmountError(f"Beloppet ”{_shown(original)}” är orimligt stort.", "too_large")
    if whole and number != number.to_integral_value():
        raise AmountError(f"Beloppet ”{_shown(original)}” är inte hela kronor.", "not_whole")
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _shown(value) -> str:
    """Return what was written, as the message quotes it."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
