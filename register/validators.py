"""Validators shared by models, forms and importers."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Mod, StrIndex, Substr
from django.db.models.lookups import Exact, GreaterThan

# The largest amount in whole kronor the register takes, typed or imported: anything larger is a
# typing or unit error (far beyond any Swedish public budget).
MAX_AMOUNT = 10**15 - 1


# Web addresses: only these schemes are taken in a form and only these become links on a page
# (``safe_url``; a value written to the database some other way may be anything).
WEB_SCHEMES = ("http", "https")
validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES),
    message="Ange en webbadress som börjar med https:// (eller http://).",
)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_INSIDE = str.maketrans("", "", "\t\n\r")
_ENDS = "".join(map(chr, range(33)))  # blanks and control characters, dropped at the ends


def safe_url(value, schemes=WEB_SCHEMES) -> str:
    """Return ``value`` as it may stand in a link's href: an absolute address whose scheme is one
    of ``schemes`` (http and https by default), else "" (a script or data address, a relative or
    scheme-relative address). Read as a browser does: blanks and control characters at the ends
    and tabs and line breaks inside are dropped first (a tab inside the word "javascript" does
    not hide the scheme)."""
    if not value:
        return ""
    text = str(value).translate(_INSIDE).strip(_ENDS)
    found = _SCHEME.match(text)
    if found is None or found.group(1).lower() not in schemes:
        return ""
    return text


def normalise_orgnr(value: str) -> str:
    """Return the orgnr without separators (212000-0142 -> 2120000142)."""
    return "".join(ch for ch in str(value or "") if ch not in " -\u00a0")


def luhn_ok(digits: str) -> bool:
    """Return True if the 10-digit string has a valid Luhn check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def validate_orgnr(value: str) -> None:
    digits = normalise_orgnr(value)
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError(
            "Organisationsnumret ska ha tio siffror (till exempel 212000-0142).",
            code="orgnr_format",
        )
    if not luhn_ok(digits):
        raise ValidationError(
            "Organisationsnumret %(value)s har fel kontrollsiffra.",
            code="orgnr_checksum",
            params={"value": value},
        )


def format_orgnr(value: str) -> str:
    digits = normalise_orgnr(value)
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value


def orgnr_constraint_condition(field: str = "orgnr") -> Q:
    """Return a database CHECK condition: NULL, or ten digits with a valid Luhn check digit.

    Each digit's value is found with StrIndex('0123456789', digit) - 1, which needs no cast and
    works the same on SQLite and PostgreSQL. Positions 1, 3, 5, 7 and 9 are doubled; a doubled
    digit over 9 loses 9, which is 2d - 9 * (d / 5) in integer arithmetic.
    """
    positions = [_digit_value(field, i) for i in range(1, 11)]
    total = None
    for i, d in enumerate(positions):
        term = (d * 2 - (d / 5) * 9) if i % 2 == 0 else d
        total = term if total is None else total + term
    return Q(**{f"{field}__isnull": True}) | (
        digits_condition(field, 10) & Q(Exact(Mod(total, 10), 0))
    )


def _digit_value(field: str, position: int):
    return StrIndex(Value("0123456789"), Substr(F(field), position, 1)) - 1


def digits_condition(field: str, length: int) -> Q:
    """Return a database condition: the field is exactly ``length`` ASCII digits (no regex needed)."""
    condition = Q(Exact(Length(F(field)), length))
    for pos in range(1, length + 1):
        condition &= Q(GreaterThan(StrIndex(Value("0123456789"), Substr(F(field), pos, 1)), 0))
    return condition
