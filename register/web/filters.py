"""Filter sets for the internal register's lists (django-filter).

Filters across multi-valued relations use EXISTS so that a row never appears twice and the
annotated counts stay right.
"""

import django_filters as filters
from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from ..models import (
    Arrangement,
    CooperationForm,
    County,
    Decision,
    Organisation,
    Participation,
    Person,
    Review,
    ServiceArea,
)
from ..validators import normalise_orgnr


def partner_organisations():
    """Return the organisations offered as partners: municipalities, regions and state agencies."""
    return Organisation.objects.filter(
        Q(is_reference=True)
        | Q(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION])
        | Q(kind=Organisation.Kind.STATE_AGENCY)
    ).order_by("name")


def _area_exists(area, arrangement_ref="pk"):
    """Return EXISTS: the arrangement has the area or one of its sub-areas."""
    through = Arrangement.service_areas.through
    return Exists(
        through.objects.filter(arrangement_id=OuterRef(arrangement_ref)).filter(
            Q(servicearea=area) | Q(servicearea__parent=area)
        )
    )


def _partner_exists(org, arrangement_ref="pk"):
    return Exists(
        Participation.objects.filter(arrangement_id=OuterRef(arrangement_ref), organisation=org)
    )


def _county_exists(county, arrangement_ref="pk"):
    return Exists(
        Participation.objects.filter(
            arrangement_id=OuterRef(arrangement_ref), organisation__county=county
        )
    )


class PlainSelect(forms.Select):
    """A select rendered in Python: the same HTML as Django's, without a template per option
    (the partner list has some 300 options on every list page)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        current = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option_value,
                    " selected" if str(option_value) == current else "",
                    label,
                )
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


#: The longest text a list's search (or any free-text filter) takes. Longer is refused with a
#: message: SQLite refuses a LIKE pattern of 50,000 bytes ("pattern too complex") and no one
#: searches for more than a sentence.
MAX_SEARCH_LENGTH = 200


def cap_text(field: forms.CharField, label: str) -> None:
    """Refuse a text longer than MAX_SEARCH_LENGTH in ``field``, with a Swedish message."""
    field.validators.append(
        MaxLengthValidator(
            MAX_SEARCH_LENGTH,
            message=f"{label} är för lång: högst {MAX_SEARCH_LENGTH} tecken.",
        )
    )
    field.widget.attrs["maxlength"] = str(MAX_SEARCH_LENGTH)


class SearchMixin:
    """The base of every filter set with free text: the search ``q`` over ``search_fields``
    (plus ``extra_search``), and every text filter capped at MAX_SEARCH_LENGTH characters."""

    search_fields: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if type(field.widget) is forms.Select:
                field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.choices)
            elif type(field) is forms.CharField:
                cap_text(field, "Söktexten" if name == "q" else f"Texten i fältet {field.label}")
        search = self.form.fields.get("q")
        if search is not None:
            search.widget.input_type = "search"

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        condition = Q()
        for field_name in self.search_fields:
            condition |= Q(**{f"{field_name}__icontains": value})
        return queryset.filter(condition | self.extra_search(value))

    def extra_search(self, value):
        return Q()


class PortfolioFilterSet(SearchMixin, filters.FilterSet):
    """The overview's portfolio table: by form, area and status, or a word in the name."""

    search_fields = ("name", "short_name", "host__name")

    q = filters.CharFilter(label="Sök", method="search")
    form = filters.ModelChoiceFilter(
        label="Samverkansform", queryset=CooperationForm.objects.all(), empty_label="Alla former"
    )
    area = filters.ModelChoiceFilter(
        label="Verksamhetsområde",
        queryset=ServiceArea.objects.all(),
        method="filter_area",
        empty_label="Alla områden",
    )
    status = filters.ChoiceFilter(
        label="Status", choices=Arrangement.Status.choices, empty_label="Alla"
    )

    class Meta:
        model = Arrangement
        fields = ["q", "form", "area", "status"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(_area_exists(value)) if value else queryset


class ArrangementFilterSet(PortfolioFilterSet):
    """The list of arrangements: the portfolio's filters, and a partner, a county, an orgnr."""

    search_fields = ("name", "short_name", "host__name", "seat")

    partner = filters.ModelChoiceFilter(
        label="Part", queryset=partner_organisations(), method="filter_partner", empty_label="Alla"
    )
    county = filters.ModelChoiceFilter(
        label="Län", queryset=County.objects.all(), method="filter_county", empty_label="Alla län"
    )

    class Meta:
        model = Arrangement
        fields = ["q", "form", "area", "status", "partner", "county"]

    def extra_search(self, value):
        digits = normalise_orgnr(value)
        condition = Exists(
            Participation.objects.filter(
                arrangement_id=OuterRef("pk"), organisation__name__icontains=value
            )
        )
        if digits.isdigit() and len(digits) >= 4:
            condition |= Q(orgnr__contains=digits)
        return condition

    def filter_partner(self, queryset, name, value):
        return queryset.filter(_partner_exists(value)) if value else queryset

    def filter_county(self, queryset, name, value):
        return queryset.filter(_county_exists(value)) if value else queryset


class OrganisationFilterSet(SearchMixin, filters.FilterSet):
    search_fields = ("name", "short_name", "code")

    q = filters.CharFilter(label="Sök", method="search")
    kind = filters.ChoiceFilter(label="Typ", choices=Organisation.Kind.choices, empty_label="Alla")
    county = filters.ModelChoiceFilter(
        label="Län", queryset=County.objects.all(), empty_label="Alla län"
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "county"]

    def extra_search(self, value):
        digits = normalise_orgnr(value)
        if digits.isdigit() and len(digits) >= 4:
            return Q(orgnr__contains=digits)
        return Q()


class PersonFilterSet(SearchMixin, filters.FilterSet):
    search_fields = ("name", "title", "party", "organisation__name")

    q = filters.CharFilter(label="Sök", method="search")
    kind = filters.ChoiceFilter(label="Typ", choices=Person.Kind.choices, empty_label="Alla")
    party = filters.CharFilter(label="Parti", lookup_expr="iexact")
    organisation = filters.ModelChoiceFilter(
        label="Organisation", queryset=partner_organisations(), empty_label="Alla"
    )

    class Meta:
        model = Person
        fields = ["q", "kind", "party", "organisation"]


class DecisionFilterSet(SearchMixin, filters.FilterSet):
    search_fields = ("title", "deciding_body", "reference", "diary_number", "arrangement__name")

    q = filters.CharFilter(label="Sök", method="search")
    kind = filters.ChoiceFilter(
        label="Typ av beslut", choices=Decision.Kind.choices, empty_label="Alla"
    )
    year = filters.NumberFilter(
        label="År", field_name="date", lookup_expr="year", min_value=1900, max_value=2100
    )
    form = filters.ModelChoiceFilter(
        label="Samverkansform",
        field_name="arrangement__form",
        queryset=CooperationForm.objects.all(),
        empty_label="Alla former",
    )
    area = filters.ModelChoiceFilter(
        label="Verksamhetsområde",
        queryset=ServiceArea.objects.all(),
        method="filter_area",
        empty_label="Alla områden",
    )
    partner = filters.ModelChoiceFilter(
        label="Part", queryset=partner_organisations(), method="filter_partner", empty_label="Alla"
    )
    county = filters.ModelChoiceFilter(
        label="Län", queryset=County.objects.all(), method="filter_county", empty_label="Alla län"
    )
    status = filters.ChoiceFilter(
        label="Samverkans status",
        field_name="arrangement__status",
        choices=Arrangement.Status.choices,
        empty_label="Alla",
    )

    class Meta:
        model = Decision
        fields = ["q", "kind", "year", "form", "area", "status", "partner", "county"]

    def filter_area(self, queryset, name, value):
        return queryset.filter(_area_exists(value, "arrangement_id")) if value else queryset

    def filter_partner(self, queryset, name, value):
        return queryset.filter(_partner_exists(value, "arrangement_id")) if value else queryset

    def filter_county(self, queryset, name, value):
        return queryset.filter(_county_exists(value, "arrangement_id")) if value else queryset


class ReviewFilterSet(SearchMixin, filters.FilterSet):
    search_fields = ("title", "body", "reference")

    q = filters.CharFilter(label="Sök", method="search")
    organisation = filters.ModelChoiceFilter(
        label="Organisation", queryset=partner_organisations(), empty_label="Alla"
    )
    year = filters.NumberFilter(
        label="År", field_name="date", lookup_expr="year", min_value=1900, max_value=2100
    )

    class Meta:
        model = Review
        fields = ["q", "organisation", "year"]


class TimelineFilterSet(filters.FilterSet):
    """The timeline: by service area and by arrangement (the portfolio's own)."""

    area = filters.ModelChoiceFilter(
        label="Verksamhetsområde",
        queryset=ServiceArea.objects.all(),
        method="keep",
        empty_label="Alla områden",
    )
    arrangement = filters.ModelChoiceFilter(
        label="Samverkan",
        queryset=Arrangement.objects.none(),
        method="keep",
        empty_label="All samverkan",
    )

    class Meta:
        model = Arrangement
        fields = ["area", "arrangement"]

    def __init__(self, *args, arrangements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if arrangements is not None:
            self.form.fields["arrangement"].queryset = arrangements

    def keep(self, queryset, name, value):
        return queryset
