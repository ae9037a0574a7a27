"""Reading a joint body's published meeting calendar (iCalendar, .ics) into plain events; no ORM.

Every VEVENT is one meeting. Times keep their time zone: a TZID the calendar names (or defines in
a VTIMEZONE), UTC, or none at all (a "floating" time, read as Swedish time). A whole-day event
starts at 00:00 Swedish time on its day. Everything wrong in the file is collected and the file is
refused whole (:class:`RowErrors`, one Swedish message per event at fault).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from .workbook import MAX_BYTES, ReadError, RowErrors, check_size

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
MAX_EVENTS = 5000


@dataclass(frozen=True)
class CalendarEvent:
    number: int  # 1-based order of the VEVENT in the file
    uid: str
    title: str
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime | None  # aware
    place: str
    url: str
    cancelled: bool

    @property
    def label(self) -> str:
        return event_label(self.number, self.uid, self.title)


def event_label(number: int, uid: str, title: str) -> str:
    """Name an event in a message: "Händelse 3 (”Direktionen”, UID abc)"."""
    parts = [f"”{title}”"] if title else []
    if uid:
        parts.append(f"UID {uid}")
    return f"Händelse {number}" + (f" ({', '.join(parts)})" if parts else "")


def aware(value) -> dt.datetime:
    """Return a DTSTART/DTEND value as an aware datetime: a date at 00:00 Swedish time, a floating
    time (or one in a time zone the file does not define) as Swedish time."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=SWEDISH_TIME)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=SWEDISH_TIME)
    raise ValueError(value)


def _text(event, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    if isinstance(value, list):  # a property given twice: the first counts
        value = value[0]
    return " ".join(str(value).split())


def _moment(event, name: str):
    """Return the property's date or datetime, None when it is missing; raise ValueError when it
    cannot be read."""
    prop = event.get(name)
    if prop is None:
        return None
    if isinstance(prop, list):
        prop = prop[0]
    try:
        return aware(prop.dt)
    except Exception as exc:  # icalendar raises its own kinds for a broken value
        raise ValueError(name) from exc


def _event(number: int, event) -> tuple[CalendarEvent | None, list[str]]:
    uid = _text(event, "UID")
    title = _text(event, "SUMMARY")
    label = event_label(number, uid, title)
    problems = []
    if not uid:
        problems.append(f"{label} saknar UID, så den kan inte kännas igen vid nästa import.")
    try:
        starts_at = _moment(event, "DTSTART")
    except ValueError:
        starts_at = None
        problems.append(f"{label} har en starttid (DTSTART) som inte går att läsa.")
    else:
        if starts_at is None:
            problems.append(f"{label} saknar starttid (DTSTART).")
    ends_at = None
    try:
        ends_at = _moment(event, "DTEND")
    except ValueError:
        problems.append(f"{label} har en sluttid (DTEND) som inte går att läsa.")
    if ends_at is None and starts_at is not None and event.get("DURATION") is not None:
        try:
            ends_at = starts_at + event.get("DURATION").dt
        except Exception:  # noqa: BLE001 - a broken DURATION
            problems.append(f"{label} har en längd (DURATION) som inte går att läsa.")
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        problems.append(f"{label} slutar innan den börjar.")
    if problems:
        return None, problems
    return (
        CalendarEvent(
            number=number,
            uid=uid,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=_text(event, "LOCATION"),
            url=_text(event, "URL"),
            cancelled=_text(event, "STATUS").upper() == "CANCELLED",
        ),
        [],
    )


def read_calendar(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[CalendarEvent]:
    """Read the events of an iCalendar file.

    Raise :class:`ReadError` when the file is not a calendar at all, :class:`RowErrors`
    naming every event at fault (no UID, no or an unreadable DTSTART, a UID twice ...).
    """
    check_size(len(data), max_bytes)
    if not data.strip():
        raise ReadError("Filen är tom.")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError and its own kinds
        raise ReadError(
            "Filen kan inte läsas som en iCalendar-fil (.ics). Spara organets "
            "sammanträdeskalender som .ics och försök igen."
        ) from exc
    if not calendars or any(c.name != "VCALENDAR" for c in calendars):
        raise ReadError("Filen är inte en iCalendar-fil: den börjar inte med BEGIN:VCALENDAR.")
    events = [e for c in calendars for e in c.walk("VEVENT")]
    if not events:
        raise ReadError("Kalendern innehåller inga händelser (VEVENT).")
    if len(events) > MAX_EVENTS:
        raise ReadError(f"Kalendern har {len(events)} händelser; högst {MAX_EVENTS} läses.")
    read: list[CalendarEvent] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(events, start=1):
        event, wrong = _event(number, raw)
        problems.extend(wrong)
        if event is None:
            continue
        if event.uid in seen:
            problems.append(
                f"{event.label} har samma UID som händelse {seen[event.uid]}; varje "
                "sammanträde ska ha ett eget UID."
            )
            continue
        seen[event.uid] = number
        read.append(event)
    if problems:
        raise RowErrors(problems)
    return read
