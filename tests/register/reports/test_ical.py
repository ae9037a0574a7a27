"""The calendar feed (register/reports/ical.py): the deadlines of the user's own organisations,
as whole days, in a file that parses."""

import datetime as dt

import icalendar
import pytest

from register.reports import ical
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def test_the_feed_holds_the_deadlines_of_the_users_organisations_only(
    taby, vaxholm, knivsta, taby_editor
):
    ours = f.make_arrangement(name="Vårt avtal", end_date=dt.date(2027, 6, 30), notice_months=6)
    f.make_participation(ours, taby)
    theirs = f.make_arrangement(name="Deras avtal", end_date=dt.date(2027, 3, 31))
    f.make_participation(theirs, knivsta)

    calendar = icalendar.Calendar.from_ical(ical.calendar_for(taby_editor, TODAY))

    assert str(calendar["prodid"]) == ical.PRODID
    events = calendar.walk("VEVENT")
    summaries = {str(e["summary"]) for e in events}
    assert summaries and all(s.endswith(": Vårt avtal") for s in summaries)
    for event in events:
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
    assert {(o, r.date) for o, r in ical.dated_rows(taby_editor, TODAY)} == {
        (taby, e["dtstart"].dt) for e in events
    }


def test_a_user_without_an_organisation_gets_an_empty_calendar(db):
    user = f.make_user("utan-organisation")
    calendar = icalendar.Calendar.from_ical(ical.calendar_for(user, TODAY))
    assert calendar.walk("VEVENT") == []
