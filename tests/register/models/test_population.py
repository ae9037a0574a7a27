"""Population by year (PopulationFigure) and the municipalities' official names, as migration
0007 leaves them: on a new installation and on one migrated before the names were corrected."""

import importlib

import pytest
from django.apps import apps
from django.db.models import Sum

from register.models import Organisation, PopulationFigure

pytestmark = pytest.mark.django_db

# SCB's totals for Sweden on 31 December (../shared/data/README.md: national sums equal SCB's).
SCB_TOTALS = {
    2016: 9_995_153,
    2017: 10_120_242,
    2018: 10_230_185,
    2019: 10_327_589,
    2021: 10_452_326,
    2024: 10_587_710,
}
OFFICIAL = {"2080": "Falu kommun", "0880": "Kalmar kommun", "2514": "Kalix kommun"}
OFFICIAL["2513"] = "Överkalix kommun"

migration = importlib.import_module("register.migrations.0007_population_by_year")


@pytest.mark.parametrize("year", sorted(SCB_TOTALS))
def test_the_municipalities_add_up_to_scbs_total_for_the_year(year):
    figures = PopulationFigure.objects.filter(year=year, organisation__kind="municipality")
    assert figures.count() == 290
    assert figures.aggregate(n=Sum("population"))["n"] == SCB_TOTALS[year]
    regions = PopulationFigure.objects.filter(year=year, organisation__kind="region")
    assert regions.count() == 21
    assert regions.aggregate(n=Sum("population"))["n"] == SCB_TOTALS[year]


def test_a_years_without_figures_get_none_filled_in():
    years = set(PopulationFigure.objects.values_list("year", flat=True))
    assert years == set(SCB_TOTALS)  # 2020, 2022, 2023 and 2025 are not made up


def test_a_region_is_the_sum_of_its_countys_municipalities():
    stockholm = PopulationFigure.objects.get(organisation__code="01", year=2024)
    municipalities = PopulationFigure.objects.filter(
        organisation__kind="municipality", organisation__county__code="01", year=2024
    ).aggregate(n=Sum("population"))["n"]
    assert stockholm.population == municipalities == 2_473_307  # SCB's own figure for the county
    uppsala = PopulationFigure.objects.get(organisation__code="03", year=2021)
    assert uppsala.source == migration.REGION_SOURCE


def test_an_organisation_carries_its_latest_figure_and_its_year():
    taby = Organisation.objects.get(code="0160")
    assert (taby.population, taby.population_year) == (77_744, 2024)


def test_the_four_municipalities_carry_their_official_names():
    names = dict(Organisation.objects.filter(code__in=OFFICIAL).values_list("code", "name"))
    assert names == OFFICIAL


def test_an_installation_migrated_earlier_is_corrected_and_rerunning_changes_nothing():
    Organisation.objects.filter(code="0880").update(name="Kalmars kommun")
    PopulationFigure.objects.filter(organisation__code="0160", year=2024).update(population=1)
    before = PopulationFigure.objects.count()
    migration.load(apps, None)
    assert Organisation.objects.get(code="0880").name == "Kalmar kommun"
    assert PopulationFigure.objects.get(organisation__code="0160", year=2024).population == 77_744
    assert PopulationFigure.objects.count() == before
