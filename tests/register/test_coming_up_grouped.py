"""Issue 21: the overview's "coming up in 12 months" list, on the demo data as Täby's KSO reads it
on 2026-12-06. The seats ending are one line per body (not about 20 "Uppdrag slutar" rows), and
the last days to give notice stand out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from register.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
ROW = re.compile(r"<tr\b([^>]*)>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(autouse=True)
def on_the_day(monkeypatch, demo, db):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cache.clear()


def coming_up(client, url_name: str, caption: str) -> list[tuple[str, list[str]]]:
    """Return (the row's attributes, its cells as text) of the table with the caption."""
    client.force_login(get_user_model().objects.get(username="taby-redaktor"))
    taby = Organisation.objects.get(code="0160")
    html = client.get(reverse(url_name, args=[taby.pk])).content.decode()
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    body = table[table.index("<tbody") :]
    return [
        (attrs, [" ".join(TAG.sub(" ", c).split()) for c in CELL.findall(row)])
        for attrs, row in ROW.findall(body)
    ]


@pytest.mark.parametrize(
    ("url_name", "caption"),
    [
        ("register:overview_organisation", "Kommande och passerade tidpunkter"),
        ("register:intro_pack_html", "Slutdatum, uppsägning, uppföljningar"),
    ],
)
def test_the_seats_ending_are_one_line_per_body(client, url_name, caption):
    rows = coming_up(client, url_name, caption)
    ending = [cells for _attrs, cells in rows if cells[1] == "Uppdrag slutar"]
    assert ending, "no seat ends in the demo's coming 12 months"
    # One line per body and day: the body first, then each person with the role.
    lines = Counter((cells[0], cells[3].split(":")[0]) for cells in ending)
    assert max(lines.values()) == 1, lines
    assert len(ending) <= 12 < len(rows) + 8  # was about 20 rows, one per seat
    kappala = [c[3] for c in ending if c[2] == "Käppalaförbundet"]
    assert "Förbundsfullmäktige: Ingrid Falk (ledamot), Lars Holm (ledamot)" in kappala
    assert "Förbundsstyrelsen: Lars Holm (ledamot)" in kappala


@pytest.mark.parametrize(
    ("url_name", "caption"),
    [
        ("register:overview_organisation", "Kommande och passerade tidpunkter"),
        ("register:intro_pack_html", "Slutdatum, uppsägning, uppföljningar"),
    ],
)
def test_the_last_days_to_give_notice_stand_out(client, url_name, caption):
    rows = coming_up(client, url_name, caption)
    notice = [(attrs, cells) for attrs, cells in rows if cells[1] == "Sista uppsägningsdag"]
    assert notice
    for attrs, _cells in notice:
        assert 'class="notice"' in attrs
    assert all('class="notice"' not in attrs for attrs, c in rows if c[1] != "Sista uppsägningsdag")
