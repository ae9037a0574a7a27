"""The register's domain rules, each written once.

Forms, services, selectors, tables, templates, the importer, the demo loader and the seed all
ask here instead of deciding for themselves: the role a participant has by the form of
cooperation, the body that decides for it, the best figure of a year's cost, and how amounts
are written in Swedish.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Coalesce

from .models.arrangements import Body, Participation
from .models.reference import CooperationForm, Organisation

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


# --- In force on a date ----------------------------------------------------------------------

# An arrangement with this status is over: out of the network unless history is asked for.
ENDED_STATUSES = frozenset({"ended"})


def in_force(start, end, on) -> bool:
    """Return whether a period from ``start`` to ``end`` (either may be missing) covers ``on``.

    A period covers the day it starts and not the day it ends (a participation that ``left`` on
    2024-01-01 is out on that day).
    """
    return (start is None or start <= on) and (end is None or end > on)


# --- Influence ---------------------------------------------------------------------------------

# The seats that vote: ordinary members, the chair and the vice chair. Substitutes (ersättare)
# and officials are not counted.
ORDINARY_SEAT_ROLES = frozenset({"chair", "vice_chair", "member"})
# When several bodies decide and none is the form's own deciding body, the first kind here wins.
DECIDING_KIND_ORDER = (
    Body.Kind.FEDERATION_BOARD,
    Body.Kind.JOINT_COMMITTEE,
    Body.Kind.COMPANY_BOARD,
    Body.Kind.FEDERATION_ASSEMBLY,
    Body.Kind.STEERING_GROUP,
    Body.Kind.OTHER,
    Body.Kind.OFFICIALS_GROUP,
    Body.Kind.WORKING_GROUP,
)
# A seat share this many percentage points (or more) below the cost share is flagged.
INFLUENCE_GAP_POINTS = 10


def choose_deciding_body(form_deciding_kind: str, bodies):
    """Return the body (any object with ``kind``, ``powers`` and ``id``) that decides for an
    arrangement, or None.

    Only a body with the power to decide counts. A body of the kind the form names as its
    deciding body (``deciding_body(form)[0]``, "" when none) comes first; otherwise the kinds in
    ``DECIDING_KIND_ORDER``.
    """
    deciding = [b for b in bodies if b.powers == Body.Powers.DECIDES]
    if not deciding:
        return None
    order = {kind: i for i, kind in enumerate(DECIDING_KIND_ORDER)}

    def rank(body):
        own = 0 if form_deciding_kind and body.kind == form_deciding_kind else 1
        return (own, order.get(body.kind, len(order)), body.id)

    return min(deciding, key=rank)


# --- Mandate periods ---------------------------------------------------------------------------

# Swedish general elections are held every fourth year from 2022 (vallagen 2005:837, 1 kap. 3 §)
# on the second Sunday of September; the councils' new term starts on 15 October.
ELECTION_BASE_YEAR = 2022
ELECTION_INTERVAL = 4
TERM_START_MONTH_DAY = (10, 15)


def is_election_year(year: int) -> bool:
    return (year - ELECTION_BASE_YEAR) % ELECTION_INTERVAL == 0


def election_day(year: int) -> dt.date:
    """Return the day of the general election in an election year (the second Sunday of
    September)."""
    if not is_election_year(year):
        raise ValueError(f"{year} är inte ett valår.")
    first = dt.date(year, 9, 1)
    first_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + dt.timedelta(days=7)


@dataclass(frozen=True)
class Term:
    """A term of office (mandatperiod) of the councils, from 15 October of an election year to
    14 October four years later."""

    start_year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, *TERM_START_MONTH_DAY)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + ELECTION_INTERVAL, *TERM_START_MONTH_DAY) - dt.timedelta(
            days=1
        )

    @property
    def election(self) -> dt.date:
        """The election that chose the councils of this term."""
        return election_day(self.start_year)

    @property
    def next(self) -> Term:
        return Term(self.start_year + ELECTION_INTERVAL)

    @property
    def previous(self) -> Term:
        return Term(self.start_year - ELECTION_INTERVAL)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        return f"{self.start_year}–{self.start_year + ELECTION_INTERVAL}"


def term_of(start_year: int) -> Term:
    """Return the term that starts in ``start_year`` (an election year), else ValueError."""
    if not is_election_year(start_year):
        raise ValueError(f"Ingen mandatperiod börjar {start_year}.")
    return Term(start_year)


def current_term(day: dt.date) -> Term:
    """Return the term in office on ``day`` (between election day and 15 October the old one)."""
    year = day.year - (day.year - ELECTION_BASE_YEAR) % ELECTION_INTERVAL
    term = Term(year)
    return term if day >= term.start else term.previous


def last_election(day: dt.date) -> dt.date:
    """Return the day of the last general election on or before ``day``."""
    year = day.year - (day.year - ELECTION_BASE_YEAR) % ELECTION_INTERVAL
    election = election_day(year)
    return election if day >= election else election_day(year - ELECTION_INTERVAL)


def terms_around(day: dt.date, *, before: int = 1, after: int = 1) -> list[Term]:
    """Return the terms from ``before`` terms before the current one to ``after`` after it."""
    current = current_term(day)
    return [Term(current.start_year + ELECTION_INTERVAL * k) for k in range(-before, after + 1)]


# --- What is due -------------------------------------------------------------------------------

# How far ahead the dashboard looks for contracts ending and notice deadlines.
DUE_HORIZON_MONTHS = 12
# An arrangement with no evaluation for this many years is due one: the default of the field on
# Organisation, where each organisation may set its own.
DEFAULT_EVALUATION_INTERVAL_YEARS = Organisation._meta.get_field(
    "evaluation_interval_years"
).default
# A cost that rose by more than this share (per cent) from one year to the next is flagged.
COST_INCREASE_THRESHOLD_PERCENT = 10


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved ``months`` months (negative: back), on the last day of a shorter
    month: 31 March minus one month is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def notice_deadline(end_date: dt.date | None, notice_months: int | None) -> dt.date | None:
    """Return the last day to give notice so that a contract ends on ``end_date`` (the notice
    period counted back from the end; it may cross a year end), or None when either is unknown."""
    if end_date is None or not notice_months:
        return None
    return add_months(end_date, -notice_months)


def due_horizon(today: dt.date) -> dt.date:
    """Return the last day the dashboard looks ahead to."""
    return add_months(today, DUE_HORIZON_MONTHS)


def evaluation_due_date(
    last_evaluated: dt.date | None,
    next_evaluation: dt.date | None,
    interval_years: int | None = None,
) -> dt.date | None:
    """Return the day by which an arrangement is due a new evaluation: the planned next
    evaluation if one is set, else ``interval_years`` after the last one; None when it has never
    been evaluated (it is due at once: see ``evaluation_is_due``)."""
    if next_evaluation is not None:
        return next_evaluation
    if last_evaluated is None:
        return None
    years = interval_years or DEFAULT_EVALUATION_INTERVAL_YEARS
    return add_months(last_evaluated, 12 * years)


def evaluation_is_due(
    today: dt.date,
    last_evaluated: dt.date | None,
    next_evaluation: dt.date | None,
    interval_years: int | None = None,
) -> bool:
    """Return whether an arrangement is due an evaluation on ``today``."""
    if last_evaluated is None and next_evaluation is None:
        return True
    due = evaluation_due_date(last_evaluated, next_evaluation, interval_years)
    return due is not None and due <= today


def cost_increase_percent(previous: int | None, current: int | None) -> float | None:
    """Return by how many per cent a cost rose from one year to the next (None if unknown, or if
    the year before was no cost but an income or nothing): ``change_percent`` unrounded."""
    if previous is None or previous <= 0:
        return None
    return change_percent(current, previous, digits=None)


def cost_rose_too_much(
    previous: int | None, current: int | None, threshold: float | None = None
) -> bool:
    increase = cost_increase_percent(previous, current)
    limit = COST_INCREASE_THRESHOLD_PERCENT if threshold is None else threshold
    return increase is not None and increase > limit


def share_percent(part: int | None, whole: int | None) -> float | None:
    """Return ``part`` of ``whole`` in per cent (seats or costs), None when unknown."""
    if part is None or not whole:
        return None
    return part * 100 / whole


# --- State by the dates ----------------------------------------------------------------------


def is_ongoing(arrangement, today) -> bool:
    """Return whether an arrangement is ongoing on ``today``: not ended by its status, and its end
    date (if any) not passed. An agreement whose end date has passed is over, whatever its status
    says."""
    if arrangement.status in ENDED_STATUSES:
        return False
    return arrangement.end_date is None or arrangement.end_date >= today


def ongoing_q(today, path: str = ""):
    """The same rule as ``is_ongoing`` in a query: ``path`` leads to the arrangement
    ("arrangement__" from a participation)."""
    return ~Q(**{f"{path}status__in": ENDED_STATUSES}) & (
        Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": today})
    )


def per_inhabitant(amount, population) -> int | None:
    """Return ``amount`` in whole kronor per inhabitant, or None without both figures."""
    if amount is None or not population:
        return None
    return round(amount / population)


def change_percent(amount, previous, *, digits: int | None = 1) -> float | None:
    """Return the change from ``previous`` to ``amount`` in per cent of the previous figure's
    size (an income is a negative amount), rounded to ``digits`` decimals, or None. The one rule
    for a year-on-year change: pages, the overview, the review and the due list."""
    if amount is None or previous is None or previous == 0:
        return None
    change = 100 * (amount - previous) / abs(previous)
    return change if digits is None else round(change, digits)
