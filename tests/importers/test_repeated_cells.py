"""Cells that many rows repeat (a partner list, a date) are read once per file, with the same
outcome as reading each again."""

import pytest

from importers.lookups import Lookups
from importers.values import ValueProblem, parse_date
from register.access import Access
from register.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookups():
    taby = Organisation.objects.get(code="0160")
    return Lookups(taby, Access.for_organisation(taby))


def test_a_partner_list_is_matched_once_and_each_row_gets_its_own_lists(lookups, monkeypatch):
    calls = []
    original = lookups.partners.match_list_detail

    def match(value):
        calls.append(value)
        return original(value)

    monkeypatch.setattr(lookups.partners, "match_list_detail", match)
    first = lookups.partner_list("Vaxholm, Okänd kommun")
    assert first == original("Vaxholm, Okänd kommun")
    first[0].append("changed by a row")
    second = lookups.partner_list("Vaxholm, Okänd kommun")
    assert second == original("Vaxholm, Okänd kommun")
    assert calls == ["Vaxholm, Okänd kommun"]


@pytest.mark.parametrize("value", ["2019-01-01", "tills vidare", 2019, "2019-03"])
@pytest.mark.parametrize("end", [False, True])
def test_a_date_is_read_as_parse_date_reads_it(lookups, value, end):
    assert lookups.date(value, end=end) == parse_date(value, end=end)
    assert lookups.date(value, end=end) == parse_date(value, end=end)


def test_an_unreadable_date_is_refused_every_time(lookups):
    for _ in range(2):
        with pytest.raises(ValueProblem, match="kunde inte tolkas"):
            lookups.date("den trettonde", end=False)
