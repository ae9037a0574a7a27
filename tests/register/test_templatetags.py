import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from register.models import Membership
from register.templatetags import register_tags as t
from tests import factories as f

NBSP = "\u00a0"


def test_kronor_groups_thousands_with_non_breaking_spaces():
    assert t.kronor(1234567) == f"1{NBSP}234{NBSP}567{NBSP}kr"


def test_kronor_renders_small_negative_and_missing_amounts():
    assert t.kronor(0) == f"0{NBSP}kr"
    assert t.kronor(-1500) == f"−1{NBSP}500{NBSP}kr"
    assert t.kronor(None) == ""
    assert t.kronor("") == ""


def test_kronor_leaves_text_it_cannot_read_alone():
    assert t.kronor("okänt") == "okänt"


def test_number_has_no_unit():
    assert t.number(69386) == f"69{NBSP}386"


def test_percent_uses_decimal_comma_and_drops_trailing_zeros():
    assert t.percent(Decimal("12.50")) == f"12,5{NBSP}%"
    assert t.percent(Decimal("23.00")) == f"23{NBSP}%"
    assert t.percent(None) == ""
    assert t.percent(-10.7) == f"−10,7{NBSP}%"


def test_absolute_drops_the_sign():
    assert t.absolute(-300) == 300
    assert t.absolute(None) is None


def test_a_name_is_written_with_its_party_one_way_everywhere(db):
    """Person.__str__, the seat filter, the public pages' filter and the overview table all go
    through name_with_party: "Eva Ek (S)", or the name alone."""
    from types import SimpleNamespace

    from register.rules import seat_text as rep_text

    assert t.with_party("Eva Ek", "S") == "Eva Ek (S)"
    assert t.with_party("Eva Ek", "") == "Eva Ek"
    assert str(f.make_person(name="Eva Ek", party="S")) == "Eva Ek (S)"
    assert str(f.make_person(name="Per Ek", party="")) == "Per Ek"
    person = SimpleNamespace(name="Eva Ek", party="S")
    seat = SimpleNamespace(person=person, party="")
    assert t.seat_holder(seat) == "Eva Ek (S)"
    seat.party = "V"  # the seat's party, where it has one, is the one it was appointed for
    assert t.seat_holder(seat) == "Eva Ek (V)"
    seat.get_role_display, seat.body = (lambda: "Ledamot"), SimpleNamespace(name="Direktionen")
    assert rep_text(seat) == "Eva Ek (V), ledamot i Direktionen"


def test_orgnr_is_shown_with_a_hyphen():
    assert t.orgnr("2120000142") == "212000-0142"
    assert t.orgnr(None) == ""


def test_edit_url_raises_on_a_url_name_that_does_not_exist(db):
    with pytest.raises(NoReverseMatch):
        t.edit_url("register:no_such_view", 1)


def test_a_template_with_a_wrong_url_name_in_edit_url_fails_to_render(db):
    page = Template('{% load register_tags %}{% edit_url "register:no_such_view" 1 as u %}{{ u }}')
    with pytest.raises(NoReverseMatch):
        page.render(Context({}))


def test_the_edit_button_is_hidden_from_a_reader_and_shown_to_an_editor(db, client):
    taby = f.municipality("0160")
    arrangement = f.make_arrangement(members=[taby])
    edit_link = f'href="{reverse("register:arrangement_update", args=[arrangement.pk])}"'
    client.force_login(f.make_member(taby, role=Membership.Role.READER))
    assert edit_link not in client.get(arrangement.get_absolute_url()).content.decode()
    client.force_login(f.make_member(taby))
    assert edit_link in client.get(arrangement.get_absolute_url()).content.decode()


def test_edit_url_reverses_an_existing_view(db):
    assert t.edit_url("register:arrangement_detail", 7) == "/samverkan/7/"


def test_trend_arrow_describes_the_direction_in_words():
    assert "ökar" in t.trend_arrow(10)
    assert "minskar" in t.trend_arrow(-1)
    assert "oförändrad" in t.trend_arrow(0)
    assert t.trend_arrow(None) == ""


def test_get_item_reads_a_dict_and_tolerates_none():
    assert t.get_item({"a": 1}, "a") == 1
    assert t.get_item(None, "a") is None


def test_access_filters_are_false_without_access():
    assert t.can_change(None, object()) is False
    assert t.can_view_internal(None, object()) is False


def test_no_template_of_ours_hides_a_link_behind_a_url_that_may_not_resolve():
    # Django's {% url ... as var %} turns a wrong URL name into an empty string, so a typo would
    # silently hide a button. Our templates use {% url %} or {% edit_url %}, which raise.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "simple_history" not in path.parts
        and re.search(r"{%\s*url\s[^%]*\sas\s", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
