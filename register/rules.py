"""The register's domain rules, each written once.

Forms, services, selectors, tables, templates, the importer, the demo loader and the seed all
ask here instead of deciding for themselves: the role a participant has by the form of
cooperation, the body that decides for it, the best figure of a year's cost, and how amounts are written in Swedish.
"""

from __future__ import annotations

import math

from django.db.models.functions import Coalesce

from .models.arrangements import Body, Participation

# --- Forms of cooperation --------------------------------------------------------------------

# The forms whose participants have roles of their own (slugs of CooperationForm rows).
AGREEMENT = "agreement"
JOINT_COMPANY = "joint_company"


def participant_role(form_slug: str | None, *, is_host: bool) -> str:
    """Return the role of a participant in an arrangement of the given form.

    In an agreement (avtalssamverkan) the host provides the service and the others buy it; in a
    jointly owned company every participant is an owner; in any other form the host is the host
    and the others are members.
    """
    if form_slug == AGREEMENT:
        return Participation.Role.PROVIDER if is_host else Participation.Role.PURCHASER
    if form_slug == JOINT_COMPANY:
        return Participation.Role.OWNER
    return Participation.Role.HOST if is_host else Participation.Role.MEMBER


def has_owners(form_slug: str | None) -> bool:
    """Return whether the participants of the form own it (and so have ownership shares)."""
    return form_slug == JOINT_COMPANY


# The joint body that decides for an arrangement of the form: (kind, name). A coordination
# federation (samordningsförbund, lag 2003:1210) and a company (aktiebolagslagen) each have a
# "styrelse"; a municipal federation with a board has a "förbundsdirektion". Forms without a body
# of their own (an agreement, a network) are not listed: the host's or members' bodies decide.
DECIDING_BODIES: dict[str, tuple[str, str]] = {
    "municipal_federation": (Body.Kind.FEDERATION_BOARD, "Förbundsdirektionen"),
    "coordination_federation": (Body.Kind.FEDERATION_BOARD, "Styrelsen"),
    "joint_committee": (Body.Kind.JOINT_COMMITTEE, "Gemensamma nämnden"),
    "joint_company": (Body.Kind.COMPANY_BOARD, "Styrelsen"),
}


def deciding_body(form_slug: str | None) -> tuple[str, str] | None:
    """Return (kind, name) of the joint body that decides for the form, or None if it has none."""
    return DECIDING_BODIES.get(form_slug)


# --- Costs -----------------------------------------------------------------------------------

# The best figure of a year, first present wins: the outcome, else the forecast, else the budget.
BEST_AMOUNT_FIELDS = ("outcome", "forecast", "budget")
# The same in a query, for annotations and sums.
BEST_AMOUNT = Coalesce(*BEST_AMOUNT_FIELDS)


def best_amount(cost) -> int | None:
    """Return the best figure of a cost row (a Cost or anything with its three figures)."""
    for name in BEST_AMOUNT_FIELDS:
        value = getattr(cost, name, None)
        if value is not None:
            return value
    return None


# --- Swedish numbers -------------------------------------------------------------------------

NBSP = "\u00a0"  # between thousands and before the unit, so that an amount never breaks a line
MINUS = "\u2212"


def _number(value) -> int | float | None:
    """Return ``value`` as a number (exact when it is whole), or None if it is not a finite one."""
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value) -> str:
    """Return a whole number with Swedish thousands separators: 1234567 -> '1 234 567'.

    A negative number gets a minus sign (−), a missing one "", and what is not a number comes
    back as it is.
    """
    if value is None or value == "":
        return ""
    number = _number(value)
    if number is None:
        return str(value)
    whole = number if isinstance(number, int) else round(number)
    return (MINUS if whole < 0 else "") + f"{abs(whole):,}".replace(",", NBSP)


def count_of(n: int, singular: str, plural: str) -> str:
    """Return a count with the words after it in the right number, the one rule for every
    count shown: count_of(1, "rad", "rader") -> '1 rad', 0 or 2 -> '0 rader', '2 rader'.
    The words may be a phrase: count_of(n, "rad är ogiltig", "rader är ogiltiga")."""
    return f"{format_number(n)} {singular if n == 1 else plural}"


def format_kronor(value) -> str:
    """Return whole kronor as Swedish text: 1234567 -> '1 234 567 kr'."""
    text = format_number(value)
    return f"{text}{NBSP}kr" if _number(value) is not None else text


def format_decimal(value) -> str:
    """Return a number with at most two decimals and a decimal comma: 12.50 -> '12,5'."""
    if value is None or value == "":
        return ""
    number = _number(value)
    if number is None:
        return str(value)
    return f"{number:.2f}".rstrip("0").rstrip(".").replace(".", ",").replace("-", MINUS)


def format_percent(value) -> str:
    """Return a share in per cent as Swedish text: 12.5 -> '12,5 %'."""
    text = format_decimal(value)
    return f"{text}{NBSP}%" if _number(value) is not None else text
