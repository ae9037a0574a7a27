"""The register extract (registerutdrag, GDPR art. 15): everything the register holds about one
person, as plain rows that the page, the JSON file and the PDF all show the same way
(register/reports/register_extract.py writes the files).

What it holds: the person's own fields, the account linked to them (never its password), their
seats and responsibilities, the decisions that appointed or name them, the positions they agreed,
the information log about them, the history of their record and of their seats, and the log of
their logins. Everything through the user's Access: a register administrator's extract is
complete; an editor's holds what the editor may see (``complete`` says which).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from axes.models import AccessFailureLog, AccessLog
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from ..access import Access
from ..models import (
    Body,
    Decision,
    ExternalIdentity,
    InformationEntry,
    Membership,
    Participation,
    Person,
    Position,
    Seat,
)

CHANGE_TYPES = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


def _text(value) -> str:
    """Return ``value`` as the extract writes it: dates as ÅÅÅÅ-MM-DD, times in Swedish time,
    yes and no in words, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


@dataclass(frozen=True)
class Section:
    """One table of the extract: ``columns`` are (key in the JSON file, heading) pairs."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: list[dict] = field(default_factory=list)

    def cells(self) -> list[list[str]]:
        """Return the rows as lists of cells in the columns' order (for the page and the PDF)."""
        return [[row[key] for key, _ in self.columns] for row in self.rows]


def _section(key: str, title: str, columns, rows) -> Section:
    return Section(
        key,
        title,
        tuple(columns),
        [{k: _text(v) for k, v in zip((c for c, _ in columns), row, strict=True)} for row in rows],
    )


@dataclass(frozen=True)
class RegisterExtract:
    person: Person
    made_at: dt.datetime
    complete: bool
    facts: list[tuple[str, str, str]]  # (key, label, value)
    account: list[tuple[str, str, str]]
    memberships: list[dict]
    sections: list[Section]


def register_extract_subject(access: Access, pk: int) -> Person | None:
    """Return the person ``pk`` (None if there is none); whether the user may take out the
    extract is ``Access.can_take_out_register_extract``."""
    return (
        access.people(Person.objects.select_related("organisation", "user")).filter(pk=pk).first()
    )


def register_extract(access: Access, person: Person) -> RegisterExtract:
    """Return everything the register holds about ``person`` that the user may see."""
    name = person.name
    facts = [
        ("namn", "Namn", name),
        ("typ", "Typ", person.get_kind_display()),
        ("parti", "Parti", person.party),
        ("titel", "Titel/uppdrag", person.title),
        ("organisation", "Organisation", person.organisation.name if person.organisation else ""),
        ("e_post", "E-post", person.email),
        ("telefon", "Telefon", person.phone),
        ("intern_anteckning", "Intern anteckning", person.internal_note),
        ("exempeldata", "Exempeldata", person.is_example),
        ("anvandarkonto", "Användarkonto", person.user.username if person.user else ""),
    ]
    facts = [(k, label, _text(v)) for k, label, v in facts]
    account, memberships = [], []
    user = person.user
    if user is not None:
        account = [
            ("anvandarnamn", "Användarnamn", user.username),
            ("fornamn", "Förnamn", user.first_name),
            ("efternamn", "Efternamn", user.last_name),
            ("e_post", "E-post", user.email),
            ("aktivt", "Aktivt konto", user.is_active),
            ("registeradministrator", "Registeradministratör", user.is_superuser),
            ("skapat", "Skapat", user.date_joined),
            ("senaste_inloggning", "Senaste inloggning", user.last_login),
        ]
        # The accounts at the municipality's sign-on service that log in as this user.
        identities = [
            f"{i.subject} hos {i.issuer} (första inloggning {_text(i.created_at)})"
            for i in ExternalIdentity.objects.filter(user=user).order_by("created_at")
        ]
        if identities:
            account.append(
                (
                    "inloggningstjanst",
                    "Konto hos kommunens inloggningstjänst",
                    "; ".join(identities),
                )
            )
        account = [(k, label, _text(v)) for k, label, v in account]
        memberships = [
            {"organisation": m.organisation.name, "roll": m.get_role_display()}
            for m in Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        ]

    seats = list(
        access.visible(Seat.objects.filter(person=person))
        .select_related("body__arrangement", "appointed_by", "appointing_decision")
        .order_by("-term_start", "pk")
    )
    responsible = access.visible(
        Participation.objects.filter(Q(political_owner=person) | Q(admin_owner=person))
    ).select_related("arrangement", "organisation")
    decision_ids = {s.appointing_decision_id for s in seats if s.appointing_decision_id}
    named = (
        Q(pk__in=decision_ids)
        | Q(title__icontains=name)
        | Q(informed__icontains=name)
        | Q(public_summary__icontains=name)
    )
    decisions = access.decisions(Decision.objects.filter(named)).select_related("arrangement")
    positions = access.visible(Position.objects.filter(agreed_by__icontains=name)).select_related(
        "item__meeting__body", "organisation"
    )
    information = access.visible(
        InformationEntry.objects.filter(Q(person=person) | Q(informed__icontains=name))
    ).select_related("organisation")
    person_history = Person.history.filter(id=person.pk).select_related("history_user")
    seat_history = (
        Seat.history.filter(person_id=person.pk)
        .filter(access.visible_q(Seat))
        .select_related("history_user")
        .annotate(body_name=Subquery(Body.objects.filter(pk=OuterRef("body_id")).values("name")))
        .order_by("-history_date", "-history_id")
    )
    logins = []
    if user is not None:
        logins = [
            (a.attempt_time, "Inloggning", a.ip_address, a.user_agent)
            for a in AccessLog.objects.filter(username=user.username)
        ] + [
            (a.attempt_time, "Misslyckad inloggning", a.ip_address, a.user_agent)
            for a in AccessFailureLog.objects.filter(username=user.username)
        ]
        logins.sort(key=lambda row: row[0], reverse=True)

    def by(row) -> str:
        return row.history_user.username if row.history_user else ""

    sections = [
        _section(
            "uppdrag",
            "Uppdrag",
            [
                ("samverkan", "Samverkan"),
                ("organ", "Organ"),
                ("roll", "Roll"),
                ("parti", "Parti"),
                ("utsedd_av", "Utsedd av"),
                ("fran", "Från"),
                ("till", "Till"),
                ("mandat", "Mandat"),
                ("beslut_om_val", "Beslut om val"),
            ],
            [
                (
                    s.body.arrangement.name,
                    s.body.name,
                    s.get_role_display(),
                    s.party,
                    s.appointed_by.name,
                    s.term_start,
                    s.term_end,
                    s.mandate,
                    s.appointing_decision or "",
                )
                for s in seats
            ],
        ),
        _section(
            "ansvar",
            "Ansvar för deltagande",
            [("samverkan", "Samverkan"), ("organisation", "Organisation"), ("ansvar", "Ansvar")],
            [
                (
                    p.arrangement.name,
                    p.organisation.name,
                    "Politiskt ansvarig"
                    if p.political_owner_id == person.pk
                    else "Ansvarig tjänsteperson",
                )
                for p in responsible
            ],
        ),
        _section(
            "beslut",
            "Beslut som utser eller nämner personen",
            [
                ("datum", "Datum"),
                ("rubrik", "Rubrik"),
                ("beslutande_organ", "Beslutande organ"),
                ("paragraf", "Paragraf"),
                ("samverkan", "Samverkan"),
            ],
            [
                (d.date, d.title, d.deciding_body, d.reference, d.arrangement.name)
                for d in decisions
            ],
        ),
        _section(
            "stallningstaganden",
            "Ställningstaganden som personen förankrade",
            [
                ("sammantrade", "Sammanträde"),
                ("arende", "Ärende"),
                ("organisation", "Organisation"),
                ("forankrad_av", "Förankrad av"),
                ("forankrad_den", "Förankrad den"),
            ],
            [
                (
                    f"{p.item.meeting.body.name} {_text(p.item.meeting.starts_at)}",
                    str(p.item),
                    p.organisation.name,
                    p.agreed_by,
                    p.agreed_on,
                )
                for p in positions
            ],
        ),
        _section(
            "informationslogg",
            "Informationsloggen",
            [
                ("nar", "När"),
                ("vad", "Vad"),
                ("vem_informerades", "Vem informerades"),
                ("organisation", "Organisation"),
                ("anteckning", "Anteckning"),
            ],
            [
                (e.informed_at, e.get_kind_display(), e.informed, e.organisation.name, e.note)
                for e in information
            ],
        ),
        _section(
            "historik_person",
            "Ändringshistorik för personen",
            [
                ("tid", "Tid"),
                ("andring", "Ändring"),
                ("orsak", "Orsak"),
                ("av", "Av"),
                ("namn", "Namn"),
                ("parti", "Parti"),
                ("titel", "Titel"),
                ("e_post", "E-post"),
                ("telefon", "Telefon"),
            ],
            [
                (
                    h.history_date,
                    CHANGE_TYPES.get(h.history_type, h.history_type),
                    h.history_change_reason,
                    by(h),
                    h.name,
                    h.party,
                    h.title,
                    h.email,
                    h.phone,
                )
                for h in person_history
            ],
        ),
        _section(
            "historik_uppdrag",
            "Ändringshistorik för uppdragen",
            [
                ("tid", "Tid"),
                ("andring", "Ändring"),
                ("orsak", "Orsak"),
                ("av", "Av"),
                ("organ", "Organ"),
                ("roll", "Roll"),
                ("fran", "Från"),
                ("till", "Till"),
            ],
            [
                (
                    h.history_date,
                    CHANGE_TYPES.get(h.history_type, h.history_type),
                    h.history_change_reason,
                    by(h),
                    h.body_name,
                    Seat.Role(h.role).label if h.role in Seat.Role.values else h.role,
                    h.term_start,
                    h.term_end,
                )
                for h in seat_history
            ],
        ),
        _section(
            "inloggningar",
            "Inloggningar",
            [
                ("tid", "Tid"),
                ("handelse", "Händelse"),
                ("ip_adress", "IP-adress"),
                ("webblasare", "Webbläsare"),
            ],
            logins,
        ),
    ]
    return RegisterExtract(
        person=person,
        made_at=timezone.now(),
        complete=access.register_extract_is_complete(),
        facts=facts,
        account=account,
        memberships=memberships,
        sections=sections,
    )
