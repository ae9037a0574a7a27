"""What identifies a list, a row of it and a partner name between imports, so that a registrar's
decision in one preview (``ImportChoice``) holds for the next import of the same list."""

from __future__ import annotations

from .text import fold, normalise_name

_VERSION_WORDS = {"v", "ver", "version", "kopia", "copy", "final", "slutlig", "ny", "reviderad"}


def list_key(file_name: str) -> str:
    """Return a list's identity: its file name without extension, years, versions, case or
    punctuation, so that "Samverkan 2025 v2.xlsx" and "samverkan_2026.xls" are the same list."""
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = [w for w in fold(stem).split() if not any(ch.isdigit() for ch in w)]
    return " ".join(w for w in words if w not in _VERSION_WORDS)[:255]


def row_key(parsed: dict) -> str:
    """Return what identifies a row of a list between imports: its name and form, as the
    file's own duplicate check reads them."""
    return f"{normalise_name(parsed.get('name', ''))}|{parsed.get('form') or ''}"[:500]


def partner_key(text: str) -> str:
    """Return what identifies a partner name a registrar has said is an organisation."""
    return f"partner:{fold(text)}"[:500]
