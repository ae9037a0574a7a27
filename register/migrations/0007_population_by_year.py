"""Population by year, and the official names of four municipalities.

* ``PopulationFigure``: each municipality's population on 31 December of 2016, 2017, 2018, 2019,
  2021 and 2024 from ``register/data/population.csv`` (SCB's figures, each row naming its source);
  a region's figure for a year is the sum of its county's municipalities, computed here when every
  municipality of the county has that year. ``Organisation.population`` becomes the latest figure
  and ``population_year`` its year.
* Falu, Kalmar, Kalix and Överkalix kommun carry their official names (they were written
  "Faluns", "Kalmars", "Kalixs", "Överkalixs"); existing installations are corrected here, new
  ones read the corrected ``municipalities.csv`` in 0002.

Rerunning is harmless: every figure is upserted on (organisation, year).
"""

import csv
from collections import defaultdict
from pathlib import Path

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


DATA = Path(__file__).resolve().parent.parent / "data"
OFFICIAL_NAMES = {
    "2080": "Falu kommun",
    "0880": "Kalmar kommun",
    "2514": "Kalix kommun",
    "2513": "Överkalix kommun",
}
REGION_SOURCE = "Summan av länets kommuner"


def load(apps, schema_editor):
    Organisation = apps.get_model("register", "Organisation")
    PopulationFigure = apps.get_model("register", "PopulationFigure")
    for code, name in OFFICIAL_NAMES.items():
        Organisation.objects.filter(code=code, kind="municipality").update(name=name)

    by_code = {
        o.code: o
        for o in Organisation.objects.filter(kind__in=("municipality", "region"), code__isnull=False)
    }
    figures = {}  # (code, year) -> (population, source)
    with open(DATA / "population.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[(row["code"], int(row["year"]))] = (int(row["population"]), row["source"])
    # A region's population is its county's: the sum of the county's municipalities, for every
    # year that each of them has.
    county_of = {
        o.code: o.county.code
        for o in Organisation.objects.filter(kind="municipality").select_related("county")
        if o.county_id
    }
    members = defaultdict(list)
    for code, county in county_of.items():
        members[county].append(code)
    years = {year for _, year in figures}
    for county, codes in members.items():
        if county not in by_code:
            continue
        for year in years:
            if (county, year) in figures:
                continue
            if all((code, year) in figures for code in codes):
                total = sum(figures[(code, year)][0] for code in codes)
                figures[(county, year)] = (total, REGION_SOURCE)
    existing = {(f.organisation_id, f.year): f for f in PopulationFigure.objects.all()}
    new, changed = [], []
    for (code, year), (population, source) in sorted(figures.items()):
        org = by_code.get(code)
        if org is None:
            continue
        figure = existing.get((org.pk, year))
        if figure is None:
            new.append(
                PopulationFigure(organisation=org, year=year, population=population, source=source)
            )
        elif (figure.population, figure.source) != (population, source):
            figure.population, figure.source = population, source
            changed.append(figure)
    PopulationFigure.objects.bulk_create(new, batch_size=500)
    PopulationFigure.objects.bulk_update(changed, ["population", "source"], batch_size=500)
    latest = {}
    for (code, year), (population, _) in figures.items():
        if code in by_code and (code not in latest or year > latest[code][1]):
            latest[code] = (population, year)
    for code, (population, year) in latest.items():
        Organisation.objects.filter(pk=by_code[code].pk).update(
            population=population, population_year=year
        )


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0006_review_workflow'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='body',
            name='seat_count',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Organets ordinarie platser (ledamöter, ordförande och vice ordförande; inte ersättare). Platsandelen räknas mot det.', null=True, verbose_name='antal platser'),
        ),
        migrations.AlterField(
            model_name='historicalbody',
            name='seat_count',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Organets ordinarie platser (ledamöter, ordförande och vice ordförande; inte ersättare). Platsandelen räknas mot det.', null=True, verbose_name='antal platser'),
        ),
        migrations.CreateModel(
            name='HistoricalPopulationFigure',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='år')),
                ('population', models.PositiveIntegerField(verbose_name='folkmängd 31 december')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='källa')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'historical folkmängd',
                'verbose_name_plural': 'historical folkmängd per år',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PopulationFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='år')),
                ('population', models.PositiveIntegerField(verbose_name='folkmängd 31 december')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='källa')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='population_figures', to='register.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'folkmängd',
                'verbose_name_plural': 'folkmängd per år',
                'ordering': ['organisation', 'year'],
                'constraints': [models.UniqueConstraint(fields=('organisation', 'year'), name='population_figure_unique_year', violation_error_message='Det finns redan en folkmängd för det året.')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
