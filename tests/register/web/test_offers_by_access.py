"""Offer nothing a user may not do (issue 21), on a small world: the buttons of the
arrangement's page, the due list and the term page ask Access about the record, not about the
user's role somewhere. (test_offers_only_allowed.py walks the whole demo.)"""

import datetime as dt

import pytest

from register.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

CREATE_BUTTONS = (
    "Koppla till eget mål",
    "Ny målkonflikt",
    "Ny uppföljning",
    "Nytt alternativ",
    "Nytt beslut",
)


@pytest.fixture
def editor_elsewhere(taby, knivsta):
    """Knivsta's editor who reads Täby's pages: an editor, and a member of a participant."""
    user = f.make_member(knivsta, Membership.Role.EDITOR, "knivsta-redaktor")
    Membership.objects.create(user=user, organisation=taby, role=Membership.Role.READER)
    return user


def test_the_arrangement_page_offers_its_forms_only_to_those_who_change_it(
    client, shared_arrangement, taby_editor, taby_reader, editor_elsewhere
):
    url = shared_arrangement.get_absolute_url()
    client.force_login(taby_editor)
    page = client.get(url).content.decode()
    assert all(button in page for button in CREATE_BUTTONS)
    for user in (taby_reader, editor_elsewhere):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert [b for b in CREATE_BUTTONS if b in page] == [], user.username


def test_the_due_list_and_the_term_page_offer_a_reader_no_decision_form(
    client, monkeypatch, taby, shared_arrangement, taby_editor, editor_elsewhere
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 12, 1))
    shared_arrangement.end_date, shared_arrangement.notice_months = dt.date(2027, 6, 30), 6
    shared_arrangement.save()
    decide = f"/samverkan/{shared_arrangement.pk}/beslut/nytt/"
    due, term = f"/organisationer/{taby.pk}/att-gora/", f"/organisationer/{taby.pk}/mandatperiod/"
    client.force_login(taby_editor)
    assert decide in client.get(due).content.decode()
    assert decide in client.get(term).content.decode()
    client.force_login(editor_elsewhere)  # an editor, but only a reader of Täby
    for url in (due, term):
        page = client.get(url).content.decode()
        assert "Besluta om" in page, url  # told what is due
        assert decide not in page, url  # not offered the form
