"""The register's domain rules, each written once.

Forms, services, selectors, tables, templates, the importer, the demo loader and the seed all
ask here instead of deciding for themselves: the role a participant has by the form of
cooperation, the body that decides for it, the best figure of a year's cost, and how amounts
are written in Swedish.
"""

from __future__ import annotations

import math

from django.db.models import Q
from django.db.models.functions import Coalesce

from .models.arrangements import Arrangement, Body, Participation
from .models.reference import CooperationForm

# --- Forms of cooperation --------------------------------------------------------------------
# What a form means for its participants and bodies is data on the form (``CooperationForm``:
# a new form is a new row); these functions read it, so that every caller asks the same way.


def participant_role(form: CooperationForm | None, *, is_host: bool) -> str:
    """Return the role of a participant in an arrangement of the given form.

    In an agreement (avtalssamverkan) the host provides the service and the others buy it; in a
    jointly owned company every participant is an owner; in any other form the host is the host
    and the others are members.
    """
    roles = form.participant_roles if form is not None else CooperationForm.Roles.HOST_AND_MEMBERS
    if roles == CooperationForm.Roles.PROVIDER_AND_PURCHASERS:
        return Participation.Role.PROVIDER if is_host else Participation.Role.PURCHASER
    if roles == CooperationForm.Roles.OWNERS:
        return Participation.Role.OWNER
    return Participation.Role.HOST if is_host else Participation.Role.MEMBER


def has_owners(form: CooperationForm | None) -> bool:
    """Return whether the participants of the form own it (and so have ownership shares)."""
    return form is not None and form.participant_roles == CooperationForm.Roles.OWNERS


def deciding_body(form: CooperationForm | None) -> tuple[str, str] | None:
    """Return (kind, name) of the joint body that decides for the form, or None if it has none.

    A coordination federation (samordningsförbund, lag 2003:1210) and a company
    (aktiebolagslagen) each have a "styrelse"; a municipal federation with a board has a
    "förbundsdirektion"; an agreement or a network has no body of its own: the host's or the
    members' bodies decide.
    """
    if form is None or not form.deciding_body_kind:
        return None
    return Body.Kind(form.deciding_body_kind), form.deciding_body_name


# Where a list's representatives sit when the form has no deciding body of its own.
STEERING_GROUP = (Body.Kind.STEERING_GROUP, "Styrgruppen")


def body_for_seats(form: CooperationForm | None) -> tuple[str, str]:
    """Return (kind, name) of the body an imported list's representatives are given seats in:
    the form's deciding body, else a political steering group."""
    return deciding_body(form) or STEERING_GROUP


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


# --- State by the dates ----------------------------------------------------------------------


def is_ongoing(arrangement, today) -> bool:
    """Return whether an arrangement is ongoing on ``today``: not ended by its status, and its end
    date (if any) not passed. An agreement whose end date has passed is over, whatever its status
    says."""
    if arrangement.status == Arrangement.Status.ENDED:
        return False
    return arrangement.end_date is None or arrangement.end_date >= today


def ongoing_q(today, path: str = ""):
    """The same rule as ``is_ongoing`` in a query: ``path`` leads to the arrangement
    ("arrangement__" from a participation)."""
    return ~Q(**{f"{path}status": Arrangement.Status.ENDED}) & (
        Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": today})
    )


def per_inhabitant(amount, population) -> int | None:
    """Return ``amount`` in whole kronor per inhabitant, or None without both figures."""
    if amount is None or not population:
        return None
    return round(amount / population)


def change_percent(amount, previous) -> float | None:
    """Return the change from ``previous`` to ``amount`` in per cent (one decimal), or None."""
    if amount is None or previous is None or previous == 0:
        return None
    return round(100 * (amount - previous) / abs(previous), 1)
