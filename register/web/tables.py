"""Tables for the internal register's lists (django-tables2).

Every column reads only what the list's selector fetched (annotations, select_related,
prefetched areas), so a page costs the same number of queries whatever its rows.
"""

import inspect

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import rules
from ..models import Arrangement, Decision, Organisation, Person, Review
from ..templatetags.register_tags import status_label

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
PER_PAGE = 50
DATE_FORMAT = "Y-m-d"
DATE = {"td": {"class": "date"}}
WIDE = {"th": {"class": "col-wide"}, "td": {"class": "col-wide"}}


def link_marking_examples(record, text, mark: str | None = None):
    """A link to the record, marked as illustrative example data by ``rules.example_mark``
    ("Exempel", "Delvis exempel"); ``mark`` when the caller knows more than the record's flag."""
    if mark is None:
        mark = rules.example_mark(record.is_example)
    if mark:
        return format_html(
            '<a href="{}">{}</a> <span class="badge example">{}</span>',
            record.get_absolute_url(),
            text,
            mark,
        )
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)


class RegisterTable(tables.Table):
    caption = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # django-tables2 asks a cell's render_<column> for its signature (does it take record,
        # value ...?) on every cell: worked out once per method here instead (inspect uses a
        # function's __signature__ when it has one).
        for name, method in vars(cls).items():
            if name.startswith("render_") and inspect.isfunction(method):
                method.__signature__ = inspect.signature(method)

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "data-table"}
        empty_text = "Inget att visa. Ändra filtret eller sökningen."
        default = "–"

    def paginate(self, *args, per_page=None, **kwargs):
        """Page as asked (``?per_page=``), but within 10–200 rows: a typed-in zero or negative
        size would fail and a huge one would fetch the whole register in one page."""
        per_page = min(max(per_page or PER_PAGE, 10), 200)
        return super().paginate(*args, per_page=per_page, **kwargs)


class ArrangementTable(RegisterTable):
    caption = "Samverkan"

    name = tables.Column(verbose_name="Namn")
    form = tables.Column(
        verbose_name="Form", accessor="form__name", order_by=("form__sort_order", "form__name")
    )
    areas = tables.Column(
        verbose_name="Verksamhetsområden", accessor="pk", orderable=False, empty_values=()
    )
    status = tables.Column(verbose_name="Status")
    partner_count = tables.Column(verbose_name="Parter", attrs=NUM)
    host = tables.Column(
        verbose_name="Värdkommun",
        accessor="host__name",
        linkify=lambda record: record.host.get_absolute_url() if record.host_id else None,
    )
    start_date = tables.DateColumn(verbose_name="Start", format=DATE_FORMAT, attrs=DATE)
    end_date = tables.DateColumn(verbose_name="Slut", format=DATE_FORMAT, attrs=DATE)
    own_cost = tables.Column(verbose_name="Vår senaste kostnad", attrs=NUM)

    class Meta(RegisterTable.Meta):
        model = Arrangement
        fields = ()
        sequence = (
            "name",
            "form",
            "areas",
            "status",
            "partner_count",
            "host",
            "start_date",
            "end_date",
            "own_cost",
        )
        order_by = ("name",)

    def __init__(self, *args, own_organisation=None, **kwargs):
        if own_organisation is None:
            kwargs.setdefault("exclude", ("own_cost",))
        super().__init__(*args, **kwargs)
        if own_organisation is not None:
            column = self.columns["own_cost"].column
            year = rules.reference_year(rules.today())
            column.verbose_name = f"Kostnad {own_organisation.display_name} {year}"

    def render_name(self, record, value):
        return link_marking_examples(record, value)

    def render_areas(self, record):
        return ", ".join(a.name for a in record.service_areas.all()) or "–"

    def render_own_cost(self, record, value):
        kind = rules.AMOUNT_KINDS.get(getattr(record, "own_cost_kind", "") or "", "")
        if not kind or kind == "utfall":
            return format_html('<span class="nowrap">{}</span>', rules.format_kronor(value))
        return format_html(
            '<span class="nowrap">{}</span> <span class="muted nowrap">({})</span>',
            rules.format_kronor(value),
            kind,
        )

    def render_status(self, record, value):
        """The status on the day (``rules.status_on``): past its end date an arrangement is
        "Avslutad", whatever was registered."""
        return status_label(record)


class OrganisationTable(RegisterTable):
    caption = "Organisationer"

    name = tables.Column(verbose_name="Namn", linkify=True)
    kind = tables.Column(verbose_name="Typ")
    code = tables.Column(verbose_name="Kod")
    orgnr = tables.Column(verbose_name="Organisationsnummer")
    county = tables.Column(verbose_name="Län", accessor="county__name", order_by=("county__code",))
    population = tables.Column(verbose_name="Folkmängd", attrs=NUM)
    arrangement_count = tables.Column(verbose_name="Samverkan", attrs=NUM)

    class Meta(RegisterTable.Meta):
        model = Organisation
        fields = ()
        sequence = ("name", "kind", "code", "orgnr", "county", "population", "arrangement_count")
        order_by = ("name",)

    def render_orgnr(self, record):
        return record.orgnr_display

    def render_population(self, value):
        return rules.format_number(value)


class PersonTable(RegisterTable):
    caption = "Personer"

    name = tables.Column(verbose_name="Namn")
    kind = tables.Column(verbose_name="Typ")
    party = tables.Column(verbose_name="Parti")
    title = tables.Column(verbose_name="Titel/uppdrag")
    organisation = tables.Column(
        verbose_name="Organisation",
        accessor="organisation__name",
        linkify=lambda record: (
            record.organisation.get_absolute_url() if record.organisation_id else None
        ),
    )
    seat_count = tables.Column(verbose_name="Uppdrag i organ", attrs=NUM)

    class Meta(RegisterTable.Meta):
        model = Person
        fields = ()
        sequence = ("name", "kind", "party", "title", "organisation", "seat_count")
        order_by = ("name",)

    def render_name(self, record, value):
        return link_marking_examples(record, value)


class DecisionTable(RegisterTable):
    caption = "Beslut"

    date = tables.DateColumn(verbose_name="Datum", format=DATE_FORMAT, attrs=DATE)
    title = tables.Column(verbose_name="Rubrik")
    arrangement = tables.Column(
        verbose_name="Samverkan",
        accessor="arrangement__name",
        linkify=lambda record: record.arrangement.get_absolute_url(),
    )
    deciding_body = tables.Column(verbose_name="Beslutande organ")
    organisation = tables.Column(
        verbose_name="Organisation", accessor="organisation__name", default="Samverkans organ"
    )
    kind = tables.Column(verbose_name="Typ")
    reference = tables.Column(verbose_name="Paragraf")
    impacts = tables.Column(
        verbose_name="Påverkar", accessor="pk", orderable=False, empty_values=()
    )
    is_published = tables.BooleanColumn(verbose_name="Publicerat", yesno="Ja,Nej")

    class Meta(RegisterTable.Meta):
        model = Decision
        fields = ()
        sequence = (
            "date",
            "title",
            "arrangement",
            "deciding_body",
            "organisation",
            "kind",
            "reference",
            "impacts",
            "is_published",
        )
        order_by = ("-date",)

    def render_title(self, record, value):
        return link_marking_examples(record, value)

    def render_impacts(self, record):
        return ", ".join(record.impacts) or "–"


class ReviewTable(RegisterTable):
    caption = "Strategiska genomgångar"

    date = tables.DateColumn(verbose_name="Datum", format=DATE_FORMAT, attrs=DATE)
    title = tables.Column(verbose_name="Rubrik", linkify=True)
    organisation = tables.Column(
        verbose_name="Organisation",
        accessor="organisation__name",
        linkify=lambda record: record.organisation.get_absolute_url(),
    )
    body = tables.Column(verbose_name="Organ")
    reference = tables.Column(verbose_name="Paragraf/diarienummer")
    item_count = tables.Column(verbose_name="Punkter", attrs=NUM)

    class Meta(RegisterTable.Meta):
        model = Review
        fields = ()
        sequence = ("date", "title", "organisation", "body", "reference", "item_count")
        order_by = ("-date",)


class PortfolioTable(RegisterTable):
    """The overview's portfolio: one row per arrangement (``PortfolioRow``), sortable."""

    caption = "Portfölj"

    name = tables.Column(verbose_name="Samverkan", accessor="name")
    form = tables.Column(verbose_name="Form")
    areas = tables.Column(verbose_name="Område", orderable=False, empty_values=())
    partners = tables.Column(verbose_name="Parter", orderable=False, empty_values=(), attrs=WIDE)
    host = tables.Column(verbose_name="Värd", accessor="host__name")
    representatives = tables.Column(
        verbose_name="Våra företrädare", orderable=False, empty_values=(), attrs=WIDE
    )
    political_body = tables.Column(verbose_name="Ansvarig nämnd")
    owners = tables.Column(
        verbose_name="Politisk och administrativ ägare",
        orderable=False,
        empty_values=(),
        attrs=WIDE,
    )
    cost_last_year = tables.Column(verbose_name="Kostnad", attrs=NUM)
    cost_change = tables.Column(verbose_name="Förändring", attrs=NUM)
    last_evaluation = tables.Column(
        verbose_name="Senaste uppföljning", accessor="last_evaluation__date", attrs=DATE
    )
    next_deadline = tables.Column(
        verbose_name="Nästa tidpunkt", accessor="next_deadline__date", attrs=DATE
    )

    class Meta(RegisterTable.Meta):
        order_by = ("name",)
        empty_text = "Ingen samverkan att visa. Ändra filtret."

    def __init__(self, *args, last_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if last_year:
            self.columns["cost_last_year"].column.verbose_name = f"Kostnad {last_year}"
            self.columns["cost_change"].column.verbose_name = f"Förändring från {last_year - 1}"
        # Each cell names its column, so that the printed table can stack its rows (label: value)
        # without losing a column.
        for bound in self.columns:
            attrs = dict(bound.column.attrs)
            attrs["td"] = {**attrs.get("td", {}), "data-label": str(bound.header)}
            bound.column.attrs = attrs

    def render_name(self, record, value):
        link = link_marking_examples(record.arrangement, value, record.example)
        if not record.ongoing:
            return format_html('{} <span class="badge">Avslutad</span>', link)
        return link

    def render_areas(self, record):
        return ", ".join(a.name for a in record.areas) or "–"

    def render_partners(self, record):
        names = [o.display_name for o in record.partners]
        if len(names) > 5:
            return f"{', '.join(names[:5])} och {len(names) - 5} till"
        return ", ".join(names) or "–"

    def render_representatives(self, record):
        return (
            format_html_join(
                "",
                '<span class="block">{}</span>',
                ((rules.seat_text(s),) for s in record.representatives),
            )
            or "–"
        )

    def render_owners(self, record):
        political = str(record.political_owner) if record.political_owner else "–"
        admin = record.admin_owner.name if record.admin_owner else ""
        admin = ", ".join(x for x in (record.admin_unit, admin) if x) or "–"
        return format_html(
            '<span class="block">Politiskt: {}</span><span class="block">Administrativt: {}</span>',
            political,
            admin,
        )

    def render_cost_last_year(self, value):
        return format_html('<span class="nowrap">{}</span>', rules.format_kronor(value))

    def render_cost_change(self, record, value):
        percent = record.cost_change_percent
        text = ("+" if value > 0 else "") + rules.format_kronor(value)
        if percent is not None:
            text += f" ({'+' if percent > 0 else ''}{rules.format_percent(percent)})"
        return format_html('<span class="nowrap">{}</span>', text)

    def render_last_evaluation(self, record, value):
        e = record.last_evaluation
        if e.recommendation:
            return format_html(
                '{}<span class="block muted">{}</span>',
                value.strftime("%Y-%m-%d"),
                e.get_recommendation_display(),
            )
        return value.strftime("%Y-%m-%d")

    def render_next_deadline(self, record, value):
        d = record.next_deadline
        badge = mark_safe(' <span class="badge warn">passerad</span>') if d.overdue else ""
        return format_html(
            '<span class="nowrap">{}</span>{}<span class="block muted">{}</span>',
            value.strftime("%Y-%m-%d"),
            badge,
            d.kind,
        )
