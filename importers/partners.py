"""Which organisations a partner cell names: by code, by name as the register writes it, then
ignoring case and diacritics, with "kommun", "stad", a genitive s and "Region …" handled, and the
names a registrar has said are an organisation. Pure, no queries: the organisations are given."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .text import cell_text, fold, split_cell_list, squash

_AND_SPLIT = re.compile(r"\s+(?:och|samt|&|\+)\s+", re.I)
_SUFFIXES = (" kommuner", " kommuns", " kommun", " kommunen", " stads", " stad", " stad s")


@dataclass(frozen=True)
class OrgRef:
    pk: int
    kind: str
    name: str
    short_name: str = ""
    code: str | None = None


class PartnerMatcher:
    """Match partner names to organisations: by code, exact name, then ignoring case and
    diacritics, with "kommun", "stad", genitive s and "Region …" handled."""

    def __init__(self, organisations):
        self.orgs = list(organisations)
        self.by_code: dict[str, OrgRef] = {}
        self.exact: dict[str, list[OrgRef]] = {}
        self.casefolded: dict[str, list[OrgRef]] = {}
        self.folded: dict[str, list[OrgRef]] = {}
        for org in self.orgs:
            if org.code:
                self.by_code[org.code] = org
            for name in {org.name, org.short_name} - {""}:
                self.exact.setdefault(name.strip(), []).append(org)
                self.casefolded.setdefault(squash(name), []).append(org)
                self.folded.setdefault(fold(name), []).append(org)
        self.choices = sorted({o.short_name or o.name for o in self.orgs})
        self._folded_choices = {fold(c): c for c in self.choices}
        self._choice_orgs = {fold(o.short_name or o.name): o for o in self.orgs}
        # Names a registrar has said are an organisation (folded name → organisation).
        self.aliases: dict[str, OrgRef] = {}

    def _variants(self, text: str) -> list[str]:
        text = " ".join(text.split())
        out = [text]
        low = text.casefold()
        for suffix in _SUFFIXES:
            if low.endswith(suffix):
                base = text[: -len(suffix)].strip()
                out.append(base)
                if base.endswith("s") and len(base) > 3:
                    out.append(base[:-1])
                break
        else:
            if low.endswith("s") and len(text) > 3 and not low.startswith("region "):
                out.append(text[:-1])
        if low.startswith("regionen "):
            out.append("Region " + text[9:])
        return out

    def match(self, text: str) -> OrgRef | None:
        text = " ".join(cell_text(text).split())
        if not text:
            return None
        digits = text.replace(" ", "")
        if digits.isdigit() and digits in self.by_code:
            return self.by_code[digits]
        variants = self._variants(text)
        for index, key_fn in (
            (self.exact, str.strip),
            (self.casefolded, squash),
            (self.folded, fold),
        ):
            for variant in variants:
                hits = index.get(key_fn(variant))
                if hits:
                    return self._prefer(hits, text)
        return self.aliases.get(fold(text))

    @staticmethod
    def _prefer(hits: list[OrgRef], text: str) -> OrgRef:
        if len(hits) == 1:
            return hits[0]
        wants_region = fold(text).startswith("region")
        for hit in hits:
            if (hit.kind == "region") == wants_region:
                return hit
        return hits[0]

    def suggestions(self, text: str, n: int = 3) -> list[str]:
        key = fold(self._variants(text)[-1])
        close = difflib.get_close_matches(key, list(self._folded_choices), n=n, cutoff=0.5)
        return [self._folded_choices[c] for c in close]

    def unknown_message(self, text: str) -> str:
        close = self.suggestions(text)
        hint = f" Menade du {_or_list(close)}?" if close else ""
        return f"Parten ”{text}” finns inte bland organisationerna i registret.{hint}"

    def suggested_orgs(self, text: str, n: int = 5) -> list[OrgRef]:
        """Return the organisations a name not found is likely to mean, closest first."""
        key = fold(self._variants(text)[-1])
        close = difflib.get_close_matches(key, list(self._folded_choices), n=n, cutoff=0.5)
        return [self._choice_orgs[c] for c in close]

    def match_list(self, value) -> tuple[list[OrgRef], list[str]]:
        """Return the organisations in a partner cell and a message for each unknown name."""
        found, unknown = self.match_list_detail(value)
        return found, [message for _, message in unknown]

    def match_list_detail(self, value) -> tuple[list[OrgRef], list[tuple[str, str]]]:
        """Return the organisations in a partner cell and (name, message) for each unknown."""
        found: list[OrgRef] = []
        problems: list[tuple[str, str]] = []
        for part in split_cell_list(value):
            org = self.match(part)
            if org is not None:
                found.append(org)
                continue
            pieces = [p for p in _AND_SPLIT.split(part) if p.strip()]
            if len(pieces) == 1:
                problems.append((part, self.unknown_message(part)))
                continue
            for piece in pieces:
                org = self.match(piece)
                if org is None:
                    problems.append((piece.strip(), self.unknown_message(piece.strip())))
                else:
                    found.append(org)
        unique: dict[int, OrgRef] = {}
        for org in found:
            unique.setdefault(org.pk, org)
        return list(unique.values()), problems


def _or_list(items: list[str]) -> str:
    quoted = [f"”{i}”" for i in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " eller " + quoted[-1]
