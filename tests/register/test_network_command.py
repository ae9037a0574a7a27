"""manage.py network --json: the figures of item 2 per organisation, keyed by code."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(taby, vaxholm, knivsta):
    """Täby's partner network, a joint committee with Vaxholm and an ended network with
    Danderyd."""
    network = f.make_partner_network(
        taby, vaxholm, knivsta, year=2024, fire="Brand", secret="Internt nätverk"
    )
    danderyd = network["danderyd"]
    lon = f.make_arrangement(name="Lön", form_slug="joint_committee", is_published=True)
    f.make_participation(lon, taby)
    f.make_participation(lon, vaxholm)
    old = f.make_arrangement(name="Gammal", form_slug="network", is_published=True, status="ended")
    f.make_participation(old, taby)
    f.make_participation(old, danderyd)
    return taby


def run(*args):
    out = io.StringIO()
    call_command("network", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_an_organisations_figures_as_its_members_see_them(world):
    result = run("--organisation", "0160", "--on", "2025-01-01")
    assert list(result) == ["0160"]
    taby = result["0160"]
    assert taby["arrangements"] == 3  # Brand, Lön and the unpublished network of its own
    assert taby["partners"] == 3  # Vaxholm, Knivsta, Danderyd
    assert taby["weighted_degree"] == 4  # Vaxholm 2, Knivsta 1, Danderyd 1
    assert taby["top_partner_shared"] == {"code": "0187", "name": "Vaxholm", "value": 2}
    assert taby["cross_county_partners"] == 1  # Knivsta
    assert taby["distinct_partner_groups"] == 3
    assert taby["weighted_degree_money"] == 500  # Brand: Vaxholm 100 + 300, Knivsta 100 + 0


def test_without_an_organisation_it_counts_published_arrangements_only(world):
    result = run("--county", "01", "--on", "2025-01-01")
    assert result["0160"]["arrangements"] == 2
    assert result["0160"]["partners"] == 2
    assert "0330" not in result  # Knivsta is in Uppsala län


def test_include_ended_brings_back_an_ended_arrangement(world):
    assert run("--organisation", "0160", "--include-ended")["0160"]["arrangements"] == 4


def test_the_kind_filter_and_the_date(world):
    result = run("--organisation", "0160", "--kind", "municipality", "--on", "2000-01-01")
    assert result["0160"]["partners"] == 3
    brand = world.participations.get(arrangement__name="Brand")
    brand.joined = dt.date(2024, 1, 1)
    brand.save()
    assert run("--organisation", "0160", "--on", "2023-12-31")["0160"]["arrangements"] == 2


def test_it_refuses_an_unknown_organisation_code_in_swedish(world):
    with pytest.raises(CommandError, match="Det finns ingen organisation med koden 9999."):
        call_command("network", "--json", "--organisation", "9999")


def test_it_refuses_an_unknown_county_code_in_swedish(world):
    with pytest.raises(CommandError, match="Det finns inget län med koden 99."):
        call_command("network", "--json", "--county", "99")


def test_it_refuses_a_date_that_is_not_one(world):
    with pytest.raises(CommandError, match="är inget datum; skriv det som ÅÅÅÅ-MM-DD"):
        call_command("network", "--json", "--on", "2024-13-01")


def test_an_unknown_code_exits_with_status_1(world):
    with pytest.raises(CommandError) as error:
        call_command("network", "--json", "--organisation", "0000")
    assert error.value.returncode == 1  # manage.py exits with it
