"""Text as the importer compares it: a cell's value as text, and names folded so that case,
diacritics, spacing and punctuation do not matter. Pure functions, no ORM."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime


def cell_text(value) -> str:
    """Return a cell value as trimmed text ('' for empty)."""
    if type(value) is str:  # most cells
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def strip_diacritics(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=65_536)
def _fold(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", strip_diacritics(text.casefold())).split())


def fold(text) -> str:
    """Return text case-folded, without diacritics, punctuation collapsed to single spaces."""
    return _fold(text if isinstance(text, str) else str(text))


def squash(text: str) -> str:
    """Return text case-folded with whitespace collapsed (diacritics kept)."""
    return " ".join(str(text).casefold().split())


def normalise_name(text: str) -> str:
    """Return the key an arrangement's name is matched on (case, spacing, punctuation ignored)."""
    return fold(text)


_LIST_SPLIT = re.compile(r"\s*(?:[,;\n\r\u2028•]|\s-\s)\s*")


def split_cell_list(value) -> list[str]:
    """Return the parts of a cell separated by commas, semicolons or line breaks."""
    text = cell_text(value)
    parts = [p.strip().lstrip("-•*").strip() for p in _LIST_SPLIT.split(text)]
    return [p for p in parts if p]


def chunked(items: Iterable, size: int = 2000):
    """Yield the items in lists of at most ``size`` (for ``pk__in`` queries)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
