"""Importing a joint body's meetings: its published meeting calendar (iCalendar, .ics) or an
agenda list (.xlsx). One entry point, :func:`import_meetings`, for the command line and the web.

The user must be allowed to change the body (``Access.can_change``). The whole file is read and
checked first; when anything in it is wrong the file is refused whole with a Swedish message per
event or row (:class:`importers.readers.workbook.RowErrors`) and nothing is written. Then every
write goes through the register's services (``meeting_save``, ``agenda_item_save``) in one
transaction, its history tagged with the import. What did not change is not saved, so a second
import of the same file writes nothing, not even history.

Calendar: every VEVENT is a meeting of the body, found again by its UID. A meeting of the body
without a UID on the same day (entered by hand or from an agenda list) is taken over when it is
the only one that day. The calendar decides the title, times, place and link to the papers; a
cancelled event cancels the meeting, an event no longer cancelled makes it planned again (a
meeting already marked as held stays held). Meetings not in the file are left alone.

Agenda list: every row is an item of the body's meeting on the row's day (at the row's time when
several meetings share the day). When the body has no meeting that day, one is created (planned,
at the row's time or 00:00). An item is found again by its meeting and number (by its title when
it has no number). An empty cell changes nothing; items not in the file are left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from register.access import Access
from register.models import AgendaItem, Body, Meeting
from register.services.meetings import agenda_item_save, meeting_save
from register.versions import lock

from . import selectors
from .readers.agenda import AgendaRow, read_agenda
from .readers.ical import SWEDISH_TIME, CalendarEvent, read_calendar
from .readers.workbook import ReadError, RowErrors
from .text import fold

CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class MeetingImportResult:
    """What an import did: meetings (calendar) or agenda items (agenda list) created, updated,
    unchanged; for an agenda list also the meetings it had to create."""

    kind: str  # "ical" or "xlsx"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    meetings_created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def what(self) -> str:
        return "sammanträden" if self.kind == "ical" else "ärenden"

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "meetings_created": self.meetings_created,
            "errors": list(self.errors),
        }

    def count(self, *, is_new: bool, changed: bool) -> None:
        """Count one meeting or item as created, updated or unchanged."""
        if is_new:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        text = (
            f"{self.what.capitalize()}: nya {self.created}, uppdaterade {self.updated}, "
            f"oförändrade {self.unchanged}."
        )
        if self.meetings_created:
            text += f" Nya sammanträden för dagordningen: {self.meetings_created}."
        return text


def refusal(body: Body) -> str:
    return (
        f"Du får inte importera sammanträden till ”{body.name}” i ”{body.arrangement}”: bara "
        "redigerare i organisationer som deltar i samverkan får ändra organets sammanträden. "
        "Ingenting har sparats."
    )


def file_kind(data: bytes, file_name: str) -> str:
    """Tell a calendar ("ical") from an agenda list ("xlsx") by the file's name, else by its
    first bytes."""
    name = file_name.lower()
    if name.endswith(CALENDAR_SUFFIXES):
        return "ical"
    if name.endswith(WORKBOOK_SUFFIXES):
        return "xlsx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        return "ical"
    if data.startswith(b"PK"):
        return "xlsx"
    raise ReadError(
        "Filen är varken en iCalendar-fil (.ics) med organets sammanträdeskalender eller en "
        "Excel-arbetsbok (.xlsx) med en dagordningslista."
    )


def import_meetings(
    *, data: bytes, file_name: str, body: Body, access: Access
) -> MeetingImportResult:
    """Import a calendar or an agenda list into ``body``'s meetings, all or nothing.

    Raise ``PermissionDenied`` (with :func:`refusal`'s message) when the user may not change the
    body, :class:`ReadError` when the file cannot be read, :class:`RowErrors` naming every event
    or row at fault; nothing is written then.
    """
    if not access.can_change(body):
        raise PermissionDenied(refusal(body))
    kind = file_kind(data, file_name)
    reason = f"Import av sammanträden ({file_name})"[:100]
    read = read_calendar(data) if kind == "ical" else read_agenda(data)
    with transaction.atomic():
        # Two imports into one body wait for each other, so that neither adds a meeting the
        # other has just added.
        lock(Body.objects.filter(pk=body.pk))
        if kind == "ical":
            return _import_calendar(read, body, access, reason)
        return _import_agenda(read, body, access, reason)


# --- shared ------------------------------------------------------------------------------------


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SWEDISH_TIME).date()


def _messages(error: ValidationError, model) -> str:
    parts = []
    for name, messages in error.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - NON_FIELD_ERRORS and the like
            label = ""
        text = " ".join(messages)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _check(instance, label: str, problems: list[str], exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        problems.append(f"{label}: {_messages(exc, type(instance))}")


def _set(instance, values: dict) -> bool:
    """Set the fields that differ; return True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


# --- the calendar ------------------------------------------------------------------------------


def _calendar_values(event: CalendarEvent, meeting: Meeting) -> dict:
    if event.cancelled:
        status = Meeting.Status.CANCELLED
    elif meeting.status == Meeting.Status.CANCELLED or meeting.pk is None:
        status = Meeting.Status.PLANNED
    else:
        status = meeting.status  # planned or held: the calendar does not say it was held
    return {
        "uid": event.uid,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "papers_url": event.url,
        "status": status,
    }


def _import_calendar(
    events: list[CalendarEvent], body: Body, access: Access, reason: str
) -> MeetingImportResult:
    result = MeetingImportResult(kind="ical")
    meetings = selectors.body_meetings(access, body)
    by_uid = {m.uid: m for m in meetings if m.uid}
    without_uid: dict[dt.date, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if not meeting.uid:
            without_uid[local_day(meeting.starts_at)].append(meeting)
    plan: list[tuple[Meeting, bool, bool]] = []
    problems: list[str] = []
    for event in events:
        meeting = by_uid.get(event.uid)
        is_new = False
        if meeting is None:
            same_day = without_uid.get(local_day(event.starts_at), [])
            if len(same_day) == 1:
                meeting = same_day.pop()  # taken over: no other event may take it
            else:
                meeting, is_new = Meeting(body=body), True
        changed = _set(meeting, _calendar_values(event, meeting))
        if is_new or changed:
            # The UID's uniqueness is checked against the database here; the reader has already
            # refused a UID given twice in the file.
            _check(meeting, event.label, problems)
        plan.append((meeting, is_new, changed))
    if problems:
        raise RowErrors(problems)
    for meeting, is_new, changed in plan:
        if is_new or changed:
            meeting_save(access=access, meeting=meeting, reason=reason)
        result.count(is_new=is_new, changed=changed)
    return result


# --- the agenda list ---------------------------------------------------------------------------


def _area_lookup() -> dict[str, int]:
    """Return the service areas' pks by their folded slug and name."""
    areas = {}
    for pk, slug, name in selectors.service_areas():
        areas.setdefault(fold(slug), pk)
        areas[fold(name)] = pk
    return areas


def _item_key(meeting: Meeting, number: str, title: str) -> tuple:
    return (id(meeting), "nr", fold(number)) if number else (id(meeting), "rubrik", fold(title))


class _Meetings:
    """The body's meetings by day, and those the list makes."""

    def __init__(self, meetings: list[Meeting], body: Body):
        self.body = body
        self.by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
        for meeting in meetings:
            self.by_day[local_day(meeting.starts_at)].append(meeting)
        self.created: list[Meeting] = []

    def find(self, row: AgendaRow) -> Meeting | str:
        """Return the row's meeting (made when the body has none that day), or a problem."""
        same_day = self.by_day[row.day]
        if row.time is not None:
            at = [m for m in same_day if m.starts_at.astimezone(SWEDISH_TIME).time() == row.time]
            if len(at) == 1:
                return at[0]
        if len(same_day) == 1:
            return same_day[0]
        if same_day:
            times = ", ".join(f"{m.starts_at.astimezone(SWEDISH_TIME):%H:%M}" for m in same_day)
            return (
                f"{row.label}: organet har flera sammanträden den {row.day:%Y-%m-%d} ({times}). "
                f"Skriv tiden i kolumnen Sammanträde, till exempel {row.day:%Y-%m-%d} 09:00."
            )
        starts_at = dt.datetime.combine(row.day, row.time or dt.time(0, 0), tzinfo=SWEDISH_TIME)
        meeting = Meeting(body=self.body, starts_at=starts_at, status=Meeting.Status.PLANNED)
        self.by_day[row.day].append(meeting)
        self.created.append(meeting)
        return meeting


def _import_agenda(
    rows: list[AgendaRow], body: Body, access: Access, reason: str
) -> MeetingImportResult:
    result = MeetingImportResult(kind="xlsx")
    meetings = _Meetings(selectors.body_meetings(access, body), body)
    areas = _area_lookup()
    items: dict[tuple, AgendaItem] = {}
    by_pk = {m.pk: m for day in meetings.by_day.values() for m in day}
    for item in selectors.body_agenda_items(access, body):
        meeting = by_pk[item.meeting_id]
        item.meeting = meeting
        items.setdefault(_item_key(meeting, item.number, item.title), item)
    problems: list[str] = []
    plan: list[tuple[AgendaItem, bool, bool]] = []
    seen: dict[tuple, int] = {}
    order: dict[int, int] = defaultdict(int)
    for row in rows:
        meeting = meetings.find(row)
        if isinstance(meeting, str):
            problems.append(meeting)
            continue
        area = None
        if row.area:
            area = areas.get(fold(row.area))
            if area is None:
                problems.append(
                    f"{row.label}: verksamhetsområdet ”{row.area}” finns inte i registret."
                )
                continue
        key = _item_key(meeting, row.number, row.title)
        if key in seen:
            what = f"ärendenummer {row.number}" if row.number else f"rubrik ”{row.title}”"
            problems.append(
                f"{row.label}: samma sammanträde och {what} som rad {seen[key]}; varje ärende "
                "ska stå en gång."
            )
            continue
        seen[key] = row.row
        order[id(meeting)] += 1
        item = items.get(key)
        is_new = item is None
        if is_new:
            item = AgendaItem(meeting=meeting, number=row.number)
        values = {"title": row.title, "sort_order": order[id(meeting)]}
        if area is not None:
            values["service_area_id"] = area
        if row.url:
            values["document_url"] = row.url
        changed = _set(item, values)
        if is_new or changed:
            _check(item, row.label, problems, exclude=("meeting",))
        plan.append((item, is_new, changed))
    for meeting in meetings.created:
        _check(meeting, f"Sammanträdet den {local_day(meeting.starts_at):%Y-%m-%d}", problems)
    if problems:
        raise RowErrors(problems)
    for meeting in meetings.created:
        meeting_save(access=access, meeting=meeting, reason=reason)
    result.meetings_created = len(meetings.created)
    for item, is_new, changed in plan:
        if is_new or changed:
            item.meeting = item.meeting  # sets meeting_id, now that a new meeting is saved
            agenda_item_save(access=access, item=item, reason=reason)
        result.count(is_new=is_new, changed=changed)
    return result
