"""Who represents the organisation in an arrangement, as people write it in a cell: "Anna
Svensson (S), ordförande; Per Olsson (M), ers.". Pure functions, no queries; the roles are the
seat's own (``Seat.Role``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from register.models import Seat

from .text import cell_text, fold
from .values import ValueProblem

ROLE_WORDS = {
    "ordforande": "chair",
    "ordf": "chair",
    "vice ordforande": "vice_chair",
    "vice ordf": "vice_chair",
    "2 vice ordforande": "vice_chair",
    "forste vice ordforande": "vice_chair",
    "ledamot": "member",
    "ledamoter": "member",
    "led": "member",
    "ordinarie ledamot": "member",
    "ordinarie": "member",
    "ersattare": "substitute",
    "ers": "substitute",
    "supp": "substitute",
    "suppleant": "substitute",
    "tjansteperson": "official",
    "tjansteman": "official",
}


@dataclass(frozen=True)
class Representative:
    name: str
    party: str = ""
    role: str = Seat.Role.MEMBER.value

    def label(self) -> str:
        party = f" ({self.party})" if self.party else ""
        return f"{self.name}{party}, {Seat.Role(self.role).label.lower()}"


_SPLIT_REPS = re.compile(r"\s*(?:;|\n|\r|\u2028|,|\s+och\s+|\s+&\s+)\s*")
# "Anna Svensson (S) ordförande", "Anna Svensson (S)", "Anna Svensson": a name, perhaps a
# party in brackets, perhaps a role after it.
_PERSON = re.compile(
    r"^(?P<name>[^()]*?)\s*\((?P<party>[^)]*)\)\s*(?P<rest>[^()]*)$|^(?P<bare>[^()]+)$"
)
_PARTY = re.compile(r"^[A-ZÅÄÖ]{1,5}$")
KNOWN_PARTIES = {"s", "m", "c", "l", "v", "kd", "mp", "sd", "fp", "spi"}


_ORDINALS = {"1", "2", "3", "e", "1e", "2e", "3e", "forste", "andre", "tredje"}


def role_of(text: str) -> str | None:
    """Return the role a text names, spelled out or abbreviated ("v. ordf.", "ers."), or None."""
    key = fold(text)
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    words = key.split()
    # "1:e vice ordförande", "förste vice ordf.", "v ordf": a vice chair, whichever.
    if (
        len(words) >= 2
        and words[-1] in {"ordforande", "ordf"}
        and words[-2] in {"vice", "v"}
        and set(words[:-2]) <= _ORDINALS
    ):
        return "vice_chair"
    return None


def _is_party(text: str) -> bool:
    return bool(_PARTY.fullmatch(text)) or fold(text) in KNOWN_PARTIES


def parse_representatives(value) -> list[Representative]:
    """Return the people in a cell as people write them.

    Each person is "Namn (Parti) roll", "Namn (Parti), roll" or "Namn, Parti, roll" (party and
    role optional; the role spelled out or abbreviated: ordf., v. ordf., led., ers.), and people
    are separated by semicolons, commas, "och", "&" or line breaks. A part that is a role or a
    party belongs to the person before it; any other part starts a new person.
    """
    text = cell_text(value)
    if not text:
        return []
    people: list[Representative] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            rep = Representative(current["name"], current["party"], current["role"] or "member")
            if rep not in people:  # the same person and role twice says nothing more
                people.append(rep)

    for piece in _SPLIT_REPS.split(text):
        piece = piece.strip(" \t:–-")
        if not piece:
            continue
        if current is not None and current["role"] is None:
            role = role_of(piece)  # only a part after a person without a role can be one
            if role is not None:
                current["role"] = role
                continue
        if current is not None and current["role"] is None and not current["party"]:
            if _is_party(piece):
                current["party"] = piece
                continue
        m = _PERSON.match(piece)
        if not m or not (m["name"] or m["bare"] or "").strip():
            raise ValueProblem(
                f"Ledamoten ”{piece}” kunde inte tolkas. Skriv till exempel "
                "”Anna Svensson (S), ledamot; Per Olsson (M), ersättare”."
            )
        rest = (m["rest"] or "").strip(" ,:–-")
        if m["party"] is None and current is not None and piece[:1].islower():
            raise ValueProblem(
                f"Rollen ”{piece}” för {current['name']} känns inte igen. Skriv "
                "ordförande, vice ordförande, ledamot eller ersättare."
            )
        name = " ".join((m["name"] or m["bare"]).split())
        role = None
        if m["party"] is not None and rest:  # "Anna Svensson (S) ordförande"
            role = role_of(rest)
            if role is None:
                raise ValueProblem(
                    f"Rollen ”{rest}” för {name} känns inte igen. Skriv "
                    "ordförande, vice ordförande, ledamot eller ersättare."
                )
        elif m["party"] is None:  # "Anna Svensson ordf.": a role as the last words
            words = name.split()
            for cut in range(1, len(words)):
                if not words[cut][:1].islower():  # a role after a name is written in lower case
                    continue
                role = role_of(" ".join(words[cut:]))
                if role is not None:
                    name = " ".join(words[:cut])
                    break
        close()
        current = {"name": name, "party": (m["party"] or "").strip(), "role": role}
    close()
    return people


def format_representatives(people) -> str:
    return "; ".join(p.label() for p in people)
