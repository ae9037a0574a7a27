"""The register's domain rules, each written once.

Forms, services, selectors, tables, templates, the importer, the demo loader and the seed all
ask here instead of deciding for themselves: the role a participant has by the form of
cooperation, the body that decides for it, the best figure of a year's cost, and how amounts
are written in Swedish.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import law
from .models.arrangements import Body, Participation, Seat, name_with_party
from .models.followup import Decision
from .models.meetings import Position
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


def host_is_party(host_id: int | None, party_ids) -> bool:
    """Return whether an arrangement may have ``host_id`` as its host when its parties are
    ``party_ids``: the host is one of the parties (or there is none). A host that does not take
    part would be named as the one who decides for an arrangement it is not in."""
    return host_id is None or host_id in set(party_ids)


def host_not_a_party(host_name: str) -> str:
    """Return why a host that does not take part is refused, in the words every form and
    import shows."""
    return (
        f"{host_name} kan inte vara värd eftersom {host_name} inte är part i samverkan. "
        f"Välj en av parterna som värd, eller lägg först till {host_name} som part."
    )


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
# What each figure is called where an amount is shown: every amount says which it is.
AMOUNT_KINDS = {"outcome": "utfall", "forecast": "prognos", "budget": "budget"}


def best_amount(cost) -> int | None:
    """Return the best figure of a cost row (a Cost or anything with its three figures)."""
    for name in BEST_AMOUNT_FIELDS:
        value = getattr(cost, name, None)
        if value is not None:
            return value
    return None


def best_kind(cost) -> str | None:
    """Return which figure ``best_amount`` takes ("outcome", "forecast" or "budget"), or None."""
    for name in BEST_AMOUNT_FIELDS:
        if getattr(cost, name, None) is not None:
            return name
    return None


def reference_year(today: dt.date) -> int:
    """Return the cost year that every page, file and PDF calls "this year's cost": the last
    closed year (the year before ``today``'s). Its outcome is known, or about to be, while the
    current year has only a budget and forecasts; a KSO who reads one figure on the start page and
    another in the overview stops trusting both, so no output picks a year of its own."""
    return today.year - 1


@dataclass(frozen=True)
class Amount:
    """A year's amount (one cost or a sum of several) and which figures it is made of."""

    year: int
    amount: int | None
    kinds: frozenset = frozenset()

    @property
    def kind(self) -> str:
        """ "outcome", "forecast" or "budget" when the amount is made of one kind, "mixed" when of
        several, "" when there is no amount."""
        if len(self.kinds) == 1:
            return next(iter(self.kinds))
        return "mixed" if self.kinds else ""

    @property
    def kind_label(self) -> str:
        """The kind in words: "utfall", "prognos", "budget", or "utfall och prognos" for a sum of
        both."""
        names = [AMOUNT_KINDS[k] for k in BEST_AMOUNT_FIELDS if k in self.kinds]
        if len(names) < 2:
            return "".join(names)
        return ", ".join(names[:-1]) + " och " + names[-1]

    @property
    def is_estimate(self) -> bool:
        """The amount is not (only) an outcome: a chart marks it, a table says so."""
        return bool(self.kinds - {"outcome"})

    def __add__(self, other: Amount) -> Amount:
        if other.amount is None:
            return self
        if self.amount is None:
            return Amount(self.year, other.amount, other.kinds)
        return Amount(self.year, self.amount + other.amount, self.kinds | other.kinds)


def amount_of(cost, year: int | None = None) -> Amount:
    """Return a cost row's best figure as an ``Amount`` (its year from the row unless given)."""
    kind = best_kind(cost)
    return Amount(
        year if year is not None else cost.year,
        getattr(cost, kind) if kind else None,
        frozenset({kind}) if kind else frozenset(),
    )


def sum_amounts(year: int, amounts) -> Amount:
    """Return the sum of ``amounts`` of one year (an empty or all-missing sum has no amount)."""
    total = Amount(year, None)
    for a in amounts:
        total = total + a
    return total


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
    if type(value) is int:  # most numbers: no conversion
        return (MINUS if value < 0 else "") + f"{abs(value):,}".replace(",", NBSP)
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
    if value is None:  # no amount (the "before" of every new cost): no text
        return ""
    text = format_number(value)
    return f"{text}{NBSP}kr" if type(value) is int or _number(value) is not None else text


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


def seat_holder(seat) -> str:
    """Return who holds a seat: the person's name with the party of the seat, else of the
    person ('Eva Ek (S)')."""
    return name_with_party(seat.person.name, seat.party or seat.person.party)


def seat_text(seat) -> str:
    """Return one of our representatives as the overview and the pack write it: who, the role
    and the body ('Eva Ek (S), ledamot i Direktionen')."""
    return f"{seat_holder(seat)}, {seat.get_role_display().lower()} i {seat.body.name}"


# --- Today -----------------------------------------------------------------------------------


def today() -> dt.date:
    """Return today's date in the register's time zone (``TIME_ZONE``, Europe/Stockholm): the one
    "today" that every page, file, feed and e-mail counts from (a server's clock in UTC would
    still say yesterday for the first hours of a Swedish day)."""
    return timezone.localdate()


# --- In force on a date ----------------------------------------------------------------------
# One rule for "in force on a day", used by every page, file, feed and e-mail:
# * an arrangement's ``end_date`` and a seat's ``term_end`` are their last day (inclusive);
# * a participation's ``left`` is the first day it is out (a participation that ``left`` on
#   2024-01-01 is out on that day), as the importer and the forms have always recorded it.

# An arrangement with this status is over, whatever its dates say.
ENDED_STATUSES = frozenset({"ended"})
ENDED = "ended"


def in_force(start, end, on) -> bool:
    """Return whether a period from ``start`` to ``end`` (either may be missing) covers ``on``,
    the end day excluded (a participation's ``joined``/``left``)."""
    return (start is None or start <= on) and (end is None or end > on)


def within(start, last, on) -> bool:
    """Return whether a period from ``start`` to its ``last`` day (either may be missing) covers
    ``on``, both days included (an arrangement's dates, a seat's term)."""
    return (start is None or start <= on) and (last is None or last >= on)


def is_ongoing(arrangement, today) -> bool:
    """Return whether an arrangement is ongoing on ``today``: not ended by its status, started
    and not past its end date. An agreement whose end date has passed is over, whatever its status
    says; one that starts later is not yet ongoing."""
    if arrangement.status in ENDED_STATUSES:
        return False
    return within(arrangement.start_date, arrangement.end_date, today)


def ongoing_q(today, path: str = ""):
    """The same rule as ``is_ongoing`` in a query: ``path`` leads to the arrangement
    ("arrangement__" from a participation)."""
    return (
        ~Q(**{f"{path}status__in": ENDED_STATUSES})
        & (Q(**{f"{path}start_date__isnull": True}) | Q(**{f"{path}start_date__lte": today}))
        & (Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": today}))
    )


def status_on(arrangement, today) -> str:
    """Return the status to show on ``today``: "ended" once the end date has passed, else the
    registered status. What the internal pages, Insyn and open data call the status."""
    if arrangement.status in ENDED_STATUSES:
        return ENDED
    if arrangement.end_date is not None and arrangement.end_date < today:
        return ENDED
    return arrangement.status


def member_in_force(participation, on) -> bool:
    """Return whether a participation is in force on ``on`` (joined, and not left)."""
    return in_force(participation.joined, participation.left, on)


def member_in_force_q(on, path: str = ""):
    """The same rule as ``member_in_force`` in a query (``path`` leads to the participation)."""
    return (Q(**{f"{path}joined__isnull": True}) | Q(**{f"{path}joined__lte": on})) & (
        Q(**{f"{path}left__isnull": True}) | Q(**{f"{path}left__gt": on})
    )


def takes_part(arrangement, participation, today) -> bool:
    """Return whether an organisation takes part in an arrangement on ``today``: the arrangement
    is ongoing and the organisation's participation is in force. What "ongoing" means for an
    organisation's count, its due list, its review and its overview."""
    return is_ongoing(arrangement, today) and member_in_force(participation, today)


def takes_part_q(today, path: str = ""):
    """``takes_part`` in a query on participations (``path`` leads to the participation)."""
    return ongoing_q(today, f"{path}arrangement__") & member_in_force_q(today, path)


def seat_in_force(seat, on) -> bool:
    """Return whether a seat is held on ``on``: its term has started and its last day not passed."""
    return within(seat.term_start, seat.term_end, on)


def seat_in_force_q(on, path: str = ""):
    """``seat_in_force`` in a query (``path`` leads to the seat)."""
    return (Q(**{f"{path}term_start__isnull": True}) | Q(**{f"{path}term_start__lte": on})) & (
        Q(**{f"{path}term_end__isnull": True}) | Q(**{f"{path}term_end__gte": on})
    )


def contact_details_expired_q(today: dt.date, days: int) -> Q:
    """The people whose phone and e-mail are no longer kept (a condition on ``Person``): they
    have held a seat, every seat of theirs ended more than ``days`` days before ``today`` (none
    is in force, none is still to come, none runs without an end), and they are nobody's
    responsible person on a participation."""
    cutoff = today - dt.timedelta(days=days)
    seats = Seat.objects.filter(person=OuterRef("pk"))
    kept = seats.filter(Q(term_end__isnull=True) | Q(term_end__gte=cutoff))
    responsible = Participation.objects.filter(
        Q(political_owner=OuterRef("pk")) | Q(admin_owner=OuterRef("pk"))
    )
    return Q(Exists(seats)) & ~Q(Exists(kept)) & ~Q(Exists(responsible))


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


def seat_count_problem(body_name: str, seat_count: int | None, registered: int) -> str:
    """Return the data problem of a body with more ordinary seats in force registered than it
    has seats ("" when there is none): shown to the editor, never divided by."""
    if not seat_count or registered <= seat_count:
        return ""
    return (
        f"{body_name} har {seat_count} platser men {registered} ordinarie ledamöter med pågående "
        "uppdrag är registrerade. Rätta antalet platser eller avsluta uppdrag som har upphört."
    )


@dataclass(frozen=True)
class SeatShare:
    """Our share of the ordinary seats of the body that decides (``seat_share``)."""

    ours: int | None
    whole: int | None  # the denominator: the body's seats, or the registered seats
    share: float | None  # 0..1, None when it cannot be computed
    basis: str = ""  # "seat_count" (the body's size) or "registered" (every member registered)
    reason: str = ""  # why it cannot be computed
    problem: str = ""  # a data problem an editor should fix (more seats registered than exist)


def seat_share(
    *,
    body_name: str,
    ours: int,
    registered: int,
    seat_count: int | None,
    unregistered: list[str],
) -> SeatShare:
    """Return our share of the ordinary seats (chair, vice chair, members; not substitutes) in
    force in the deciding body.

    The denominator is the body's size (``seat_count``, its ordinary seats) where known: a seat
    nobody has registered still votes. Without it, the registered ordinary seats are the whole only
    when every member in force has its seats registered (``unregistered`` names the members that
    have none); otherwise the share cannot be computed. More registered seats than the body has is
    a data problem, shown to the editor rather than divided by.
    """
    if seat_count:
        problem = seat_count_problem(body_name, seat_count, registered)
        if problem:
            return SeatShare(ours, None, None, "", problem, problem)
        return SeatShare(ours, seat_count, ours / seat_count, "seat_count")
    if not registered:
        return SeatShare(
            None, None, None, "", f"{body_name} har inga ordinarie ledamöter registrerade."
        )
    if unregistered:
        names = ", ".join(unregistered[:-1]) + " och " + unregistered[-1]
        if len(unregistered) == 1:
            names = unregistered[0]
        return SeatShare(
            ours,
            None,
            None,
            "",
            f"Antalet platser i {body_name} är inte angivet och ledamöterna saknas för {names}.",
        )
    return SeatShare(ours, registered, ours / registered, "registered")


# --- One message: the same question, different things ------------------------------------------
# Our representatives sit in many bodies; the "one message" page flags where we say different
# things on the same question. Both halves are defined here, once.

# Words that do not tell one question from another: Swedish function words and the boilerplate of
# agenda titles ("Förslag till beslut om ny taxa" asks the same as "Taxa").
QUESTION_STOP_WORDS = frozenset(
    """
    och i att det som en ett på är av för med till den de om vi var men så från vid över under
    efter inom samt eller hos mot utan genom enligt mellan kring dess deras sin sitt sina nr
    ang angående avseende gällande rörande beträffande
    förslag beslut ärende ärendet fråga frågan ny nytt nya information yttrande år åren
    """.split()
)
# Two titles ask the same question when more than this share of the words of each is in the other.
SAME_QUESTION_SHARE = 0.5


@functools.lru_cache(maxsize=4096)
def question_words(title: str) -> frozenset[str]:
    """Return the words that name the question of an agenda item's title: lower case, without
    numbers (years, item and paragraph numbers), §, punctuation, one-letter words and
    ``QUESTION_STOP_WORDS``. "§ 12 Förslag till renhållningstaxa 2027" -> {"renhållningstaxa"}."""
    words = re.findall(r"[^\W\d_]+", title.casefold())
    return frozenset(w for w in words if len(w) > 1 and w not in QUESTION_STOP_WORDS)


def same_question(area_a, title_a: str, area_b, title_b: str) -> bool:
    """Return whether two agenda items ask the same question: they have the same service area
    (an item without one is compared with nothing) and their titles' ``question_words`` are the
    same or share most of their words: more than half of the words of each title are in the
    other (the shared words over the longer title's, above ``SAME_QUESTION_SHARE``).

    That measure is symmetric and needs no tuning per body: "Verksamhetsplan och budget
    2028–2030" and "Budget och verksamhetsplan 2028" are the same question, "Budget 2027" and
    "Budget för räddningsstationen i Vaxholm" are not (one shared word of three), and a title is
    never the same question as every longer title that contains it.

    The question is also asked in the same period: the one-message page compares only the
    positions on meetings of the period it shows (``selectors.positions``: a month back and three
    ahead unless chosen, at most 24 months), so a budget argued for this spring and opposed three
    years ago is not flagged. Items without a service area (neither their own nor their
    arrangement's only one) are compared with nothing, and the page says how many."""
    if area_a is None or area_a != area_b:
        return False
    a, b = question_words(title_a), question_words(title_b)
    if not a or not b:
        return False
    shared = len(a & b)
    return shared > SAME_QUESTION_SHARE * max(len(a), len(b))


def _plain_text(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def say_different(stance_a: str, text_a: str, stance_b: str, text_b: str) -> bool:
    """Return whether two positions say different things: different stances, or both amend
    (ändringsyrkande) with different texts (compared without case and extra spaces). Support with
    different words is the same message; an amendment is its text."""
    if stance_a != stance_b:
        return True
    return stance_a == Position.Stance.AMEND and _plain_text(text_a) != _plain_text(text_b)


# --- The seats to fill -------------------------------------------------------------------------


def successions(ending, later) -> list[tuple]:
    """Return each seat of ``ending`` with the seat that succeeds it, or None when it is vacant.

    A successor is a seat of ``later`` (the same organisation's seats; ``ending`` may be among
    them) in the same body and role that starts after the ending seat's last day. Each successor
    succeeds one seat: the earliest ending first, by the earliest starting successor, so two
    members leaving and one new member leave one vacancy."""
    free: dict[tuple, list] = {}
    for seat in sorted(
        (s for s in later if s.term_start is not None), key=lambda s: (s.term_start, s.pk or 0)
    ):
        free.setdefault((seat.body_id, seat.role), []).append(seat)
    result = []
    for seat in sorted(ending, key=lambda s: (s.term_end, s.pk or 0)):
        queue = free.get((seat.body_id, seat.role), [])
        successor = next((s for s in queue if s.term_start > seat.term_end), None)
        if successor is not None:
            queue.remove(successor)
        result.append((seat, successor))
    return result


def substitutes_missing(ordinary: int, substitutes: int) -> int:
    """Return how many substitutes (ersättare) we lack in a body: one for each of our ordinary
    seats in force, where we have any (a body where we only have substitutes lacks none)."""
    return max(0, ordinary - substitutes) if ordinary else 0


def same_money(body_a, body_b) -> bool:
    """Return whether two bodies decide on the same money: two different bodies of the same
    arrangement that both have the power to decide (a federation's assembly and its board, a
    company's board and its owners' meeting)."""
    return (
        body_a.pk != body_b.pk
        and body_a.arrangement_id == body_b.arrangement_id
        and body_a.powers == Body.Powers.DECIDES
        and body_b.powers == Body.Powers.DECIDES
    )


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


# --- The board's review ------------------------------------------------------------------------


# --- Example data ---------------------------------------------------------------------------

EXAMPLE_WHOLE = "Exempel"
EXAMPLE_PARTLY = "Delvis exempel"


def example_mark(whole: bool, parts: bool = False) -> str:
    """The one label for illustrative example data, on every page, file and Insyn alike.

    An arrangement that is invented is "Exempel"; a real arrangement with invented parts (a
    participation and its costs, a decision, a seat holder) is "Delvis exempel"; a record (a
    decision, a cost, a person) is "Exempel" when it or its arrangement is invented, which the
    caller says by passing both as ``whole``.
    """
    if whole:
        return EXAMPLE_WHOLE
    return EXAMPLE_PARTLY if parts else ""


def example_parts(arrangement) -> Q:
    """Whether an arrangement (``arrangement``: its id, or ``OuterRef("pk")`` in an annotation)
    has invented parts: a participation, a decision or a seat holder marked as example data (the
    same parts Insyn and the arrangement's page look at). One EXISTS per kind of part: asked
    through one join of all three, the database walked every combination of an arrangement's
    participations, decisions and seats (two thirds of the overview's first query)."""
    return (
        Q(Exists(Participation.objects.filter(arrangement_id=arrangement, is_example=True)))
        | Q(Exists(Decision.objects.filter(arrangement_id=arrangement, is_example=True)))
        | Q(Exists(Seat.objects.filter(body__arrangement_id=arrangement, person__is_example=True)))
    )


def review_may_close(review_date: dt.date, today: dt.date) -> bool:
    """Return whether a review may be closed on ``today``: on its date or later. Its decisions
    take the review's date, and no decision is dated after the day it is recorded."""
    return today >= review_date


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
    month: 31 March minus one month is 28 (or 29) February (``relativedelta``'s rule)."""
    return day + relativedelta(months=months)


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


# --- Per inhabitant -------------------------------------------------------------------------


def per_inhabitant(amount, population) -> int | None:
    """Return ``amount`` in whole kronor per inhabitant, or None without both figures."""
    if amount is None or not population:
        return None
    return round(amount / population)


@dataclass(frozen=True)
class Population:
    """A population figure and the year it is from (31 December of that year)."""

    population: int
    year: int


def population_in(year: int, by_year: dict[int, int]) -> Population | None:
    """Return the population to use for ``year``: the figure of that year, else of the nearest
    earlier year (and which year that is, so that the page can say so), else None. A later year's
    figure never stands in for an earlier one."""
    known = [y for y in by_year if y <= year and by_year[y]]
    if not known:
        return None
    best = max(known)
    return Population(by_year[best], best)


def change_percent(amount, previous, *, digits: int | None = 1) -> float | None:
    """Return the change from ``previous`` to ``amount`` in per cent of the previous figure's
    size (an income is a negative amount), rounded to ``digits`` decimals, or None. The one rule
    for a year-on-year change: pages, the overview, the review and the due list."""
    if amount is None or previous is None or previous == 0:
        return None
    change = 100 * (amount - previous) / abs(previous)
    return change if digits is None else round(change, digits)


# --- Governing documents -----------------------------------------------------------------------
# What the law says each kind of document must settle is ``register.law``'s data; these read it.


def document_checklist(kind: str, form_slug: str | None):
    """Return the law's checklist (``register.law.Checklist``) for a document of ``kind`` on an
    arrangement of the form ``form_slug``, or None when the law lists nothing for it."""
    return law.CHECKLIST_BY_KIND.get(kind) or law.CHECKLIST_BY_FORM.get((kind, form_slug or ""))


#: The kinds of document for which the law lists what they must settle (by kind or by form).
CHECKLIST_KINDS = tuple(
    sorted({*law.CHECKLIST_BY_KIND, *(kind for kind, _form in law.CHECKLIST_BY_FORM)})
)


def checklist_entry_missing(value) -> bool:
    """Return whether the registrar's entry for one item says the document does not settle it:
    "saknas" (in any case) or left empty."""
    text = str(value or "").strip()
    return not text or text.lower() == law.MISSING


def checklist_missing(checklist, entries: dict | None) -> list:
    """Return the items of ``checklist`` the document does not settle by the registrar's
    ``entries`` (item key -> where it stands, or "saknas"), in the law's order. None when the
    checklist has not been filled in at all (not checked is not the same as missing)."""
    entries = entries if isinstance(entries, dict) else {}
    if checklist is None or not any(str(v or "").strip() for v in entries.values()):
        return None
    return [item for item in checklist.items if checklist_entry_missing(entries.get(item.key))]


def checklist_sentence(checklist, missing: list) -> str:
    """Return "Förbundsordningen reglerar inte: a, b och c." ("" when nothing is missing)."""
    if not missing:
        return ""
    labels = [item.label for item in missing]
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} och {labels[-1]}"
    return f"{checklist.subject} reglerar inte: {listed}."


def document_is_public(document) -> bool:
    """Return whether anyone may download the document: published, of a published arrangement,
    and still stored."""
    return bool(document.is_published and document.arrangement.is_published and document.file)


def revision_is_due(next_revision: dt.date | None, today: dt.date) -> bool:
    """Return whether a document's planned revision falls within the dashboard's horizon."""
    return next_revision is not None and next_revision <= due_horizon(today)
