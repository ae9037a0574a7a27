"""The calendar feed of deadlines (iCalendar): what is due for the user's organisations, as whole
days, read through the user's Access. The secret addresses that give it out are written by
``register/services/calendar.py``; only the view knows HTTP."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.utils import timezone

from ..access import Access
from .analytics import due_rows

PRODID = "-//Samverkansregistret//Deadlines//SV"


def dated_rows(user, today: dt.date):
    """Return (organisation, row) for every dated deadline of the user's organisations."""
    access = Access.for_user(user)
    organisations = access.member_organisations().order_by("name")
    for organisation in organisations:
        for row in due_rows(access, organisation, today):
            if row.date is not None:
                yield organisation, row


def calendar_for(user, today: dt.date) -> bytes:
    """Return the iCalendar feed of the deadlines of the user's organisations (whole days)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Samverkansregistret: att göra")
    stamp = timezone.now()
    for organisation, row in dated_rows(user, today):
        event = icalendar.Event()
        event.add("uid", f"{organisation.pk}-{row.uid}@samverkansregistret")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        name = row.arrangement.name if row.arrangement else organisation.name
        event.add("summary", f"{row.kind_label}: {name}")
        event.add("description", f"{row.text}\n{row.action}")
        calendar.add_component(event)
    return calendar.to_ical()
