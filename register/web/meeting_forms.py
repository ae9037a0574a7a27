"""Forms of the meeting pages: a meeting, its agenda items, our position on an item and how it
ended (with the joint body's decision), and an entry of the information log.

Like every edit form (``register.web.forms.RegisterForm``) each takes the user's ``access`` and
offers only what the user may pick: the organisations they record positions for, the
arrangement's service areas, their organisation's own meetings and positions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .. import rules
from ..models import AgendaItem, Decision, InformationEntry, Meeting, Organisation, Position
from ..selectors import meetings as selectors
from ..validators import validate_web_url
from .forms import RegisterForm, Textarea
from .generic import RegisterInlineFormSet, inline_formset


class DateTimeInput(forms.DateTimeInput):
    """A native date and time picker (no script); the value is sent as 2027-02-10T09:00, which
    Django's DateTimeField reads (ISO 8601) in the register's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


DATETIME_ERRORS = {"invalid": "Ange datum och klockslag, till exempel 2027-02-10 09:00."}
ENDS_BEFORE_START = "Sammanträdet kan inte sluta innan det börjar."


# --- Meetings ----------------------------------------------------------------------------------


class MeetingForm(RegisterForm):
    validate_fields = ("body",)

    class Meta(RegisterForm.Meta):
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "status", "papers_url", "internal_note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        labels = {"papers_url": "länk till handlingarna"}
        help_texts = {
            "title": "Till exempel ”Direktionens sammanträde”. Kan lämnas tom.",
            "ends_at": "Kan lämnas tom.",
            "papers_url": "Adressen där kallelsen och handlingarna finns.",
        }
        error_messages = {"starts_at": DATETIME_ERRORS, "ends_at": DATETIME_ERRORS}

    def __init__(self, *args, body, **kwargs):
        self.body = body
        super().__init__(*args, **kwargs)
        if self.instance.body_id is None:
            self.instance.body = body

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", ValidationError(ENDS_BEFORE_START, code="ends_before"))
        return cleaned


class AgendaItemForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = AgendaItem
        fields = ["number", "title", "service_area", "document_url", "sort_order"]
        labels = {"number": "nr", "document_url": "länk till handling"}
        help_texts = {"number": "", "sort_order": ""}
        widgets = {
            "number": forms.TextInput(attrs={"class": "year"}),
            "sort_order": forms.NumberInput(attrs={"class": "year"}),
        }

    def __init__(self, *args, meeting: Meeting, areas: list | None = None, **kwargs):
        self.meeting = meeting
        self.areas = areas
        super().__init__(*args, **kwargs)

    def limit_choices(self):
        # The arrangement's own service areas (and the item's, if it has another); all of them
        # for an arrangement that has none registered. ``areas`` is read once for all the rows
        # of the agenda page, so each row's select costs no query of its own.
        field = self.fields["service_area"]
        areas = self.areas
        if areas is None:
            areas = selectors.item_service_areas(self.meeting)
        if self.instance.service_area_id and self.instance.service_area_id not in {
            a.pk for a in areas
        }:
            areas = [*areas, self.instance.service_area]
        field.queryset = field.queryset.filter(pk__in=[a.pk for a in areas])
        field.choices = [("", field.empty_label), *((a.pk, str(a)) for a in areas)]

    @property
    def legend(self):
        return str(self.instance) if self.instance.pk else "Nytt ärende"


class AgendaItemRowsFormSet(RegisterInlineFormSet):
    duplicate_message = "Samma nummer finns på flera rader. Varje nummer kan bara finnas en gång."
    duplicate_row_message = "Numret finns redan på en annan rad."

    def clean(self):
        super().clean()
        numbers = {}
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk and not form.access.can_delete(form.instance):
                    raise ValidationError(
                        f"Ärendet ”{form.instance}” kan inte tas bort eftersom en annan "
                        "organisation har registrerat sitt ställningstagande i det. Be "
                        "registrets administratör ta bort det.",
                        code="others_positions",
                    )
                continue
            number = " ".join((form.cleaned_data.get("number") or "").split()).casefold()
            if number:
                if number in numbers:
                    form.add_error("number", self.duplicate_row_message)
                    raise ValidationError(self.duplicate_message, code="duplicate_number")
                numbers[number] = form


AgendaItemFormSet = inline_formset(
    Meeting, AgendaItem, AgendaItemForm, formset=AgendaItemRowsFormSet
)


# --- Our position on an item -------------------------------------------------------------------


class PositionForm(RegisterForm):
    """Our position on an agenda item: what our representatives are to say and where it was
    agreed. Readers of the organisation see it as soon as it is saved."""

    validate_fields = ("item", "organisation")

    fieldsets = [
        ("Ställningstagandet", ["organisation", "stance", "text", "binding"]),
        ("Förankring", ["agreed_in", "agreed_on", "agreed_by"]),
        ("Publicering på Insyn", ["public_summary", "is_published"]),
        ("Intern anteckning", ["internal_note"]),
    ]

    class Meta(RegisterForm.Meta):
        model = Position
        fields = [
            "organisation",
            "stance",
            "text",
            "binding",
            "agreed_in",
            "agreed_on",
            "agreed_by",
            "public_summary",
            "is_published",
            "internal_note",
        ]
        help_texts = {
            "text": "Vad våra företrädare ska driva, med motivering.",
            "agreed_by": "Till exempel ordföranden eller gruppledarna.",
            "is_published": "Visa ställningstagandet (och utfallet, när det finns) på Insyn när "
            "samverkan är publicerad. Opublicerat syns det bara för organisationens användare.",
        }

    def __init__(self, *args, item: AgendaItem, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)
        if self.instance.item_id is None:
            self.instance.item = item

    def limit_choices(self):
        field = self.fields["organisation"]
        if self.instance.pk:
            # A position stays its organisation's.
            field.queryset = Organisation.objects.filter(pk=self.instance.organisation_id)
            field.disabled = True
            return
        arrangement = self.item.meeting.body.arrangement
        field.queryset = self.access.creatable_for(Position, arrangement=arrangement)
        field.empty_label = None
        field.help_text = "Organisationen vars ställningstagande det är."


class PositionOutcomeForm(RegisterForm):
    """How the item ended for our position, and with ``register_decision`` the joint body's
    decision, registered on the arrangement in the same step."""

    register_decision = forms.BooleanField(
        label="Registrera organets beslut på samverkan",
        required=False,
        help_text="Beslutet förs in bland samverkans beslut och kopplas till ställningstagandet.",
    )
    decision_title = forms.CharField(label="beslutets rubrik", max_length=300, required=False)
    decision_date = forms.DateField(label="beslutsdatum", required=False)
    decision_reference = forms.CharField(label="paragraf", max_length=50, required=False)
    decision_kind = forms.ChoiceField(
        label="typ av beslut", choices=Decision.Kind.choices, initial=Decision.Kind.OTHER
    )
    decision_summary = forms.CharField(
        label="sammanfattning av beslutet (offentlig)", required=False, widget=Textarea
    )
    decision_url = forms.URLField(
        label="länk till protokollet",
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[validate_web_url],
    )
    decision_published = forms.BooleanField(label="publicera beslutet", required=False)

    DECISION_FIELDS = [
        "register_decision",
        "decision_title",
        "decision_date",
        "decision_reference",
        "decision_kind",
        "decision_summary",
        "decision_url",
        "decision_published",
    ]
    fieldsets = [
        ("Utfall", ["outcome", "outcome_note"]),
        ("Organets beslut", DECISION_FIELDS),
        ("Publicering på Insyn", ["public_summary", "is_published"]),
    ]

    class Meta(RegisterForm.Meta):
        model = Position
        fields = ["outcome", "outcome_note", "public_summary", "is_published"]
        help_texts = {
            "is_published": "Visa ställningstagandet och utfallet på Insyn när samverkan är "
            "publicerad."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        if self.instance.decision_id:
            # The decision is registered already; it is changed on its own page.
            for name in self.DECISION_FIELDS:
                del self.fields[name]
            self.notice = (
                f"Organets beslut är registrerat på samverkan: ”{self.instance.decision.title}”. "
                "Det ändras på beslutets egen sida."
            )
            return
        item = self.instance.item
        self.fields["decision_title"].initial = item.title[:300]
        self.fields["decision_date"].initial = timezone.localtime(item.meeting.starts_at).date()
        self.fields["decision_reference"].initial = item.number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("register_decision"):
            if not cleaned.get("decision_title"):
                self.add_error("decision_title", "Ange beslutets rubrik.")
            if not cleaned.get("decision_date"):
                self.add_error("decision_date", "Ange beslutsdatum.")
        return cleaned

    def decision(self) -> dict | None:
        """Return the decision to register (the service's ``decision``), or None."""
        data = self.cleaned_data
        if not data.get("register_decision"):
            return None
        return {
            "title": data["decision_title"],
            "date": data["decision_date"],
            "reference": data["decision_reference"],
            "kind": data["decision_kind"],
            "public_summary": data["decision_summary"],
            "document_url": data["decision_url"],
            "is_published": data["decision_published"],
        }


# --- The information log -----------------------------------------------------------------------


def _chosen_id(value) -> int | None:
    """Return a posted or suggested id as an int, None for anything else."""
    text = str(value or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 12 else None


class InformationEntryForm(RegisterForm):
    """Who was informed of what, when (a position shown at a meeting of the KS presidium)."""

    validate_fields = ("organisation",)

    class Meta(RegisterForm.Meta):
        model = InformationEntry
        fields = ["kind", "informed", "informed_at", "meeting", "position", "note"]
        widgets = {"informed_at": DateTimeInput()}
        error_messages = {"informed_at": DATETIME_ERRORS}
        help_texts = {
            "meeting": "Vilket sammanträde informationen gällde, om något.",
            "position": "Vilket ställningstagande som redovisades, om något.",
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def limit_choices(self):
        today = rules.today()
        data = self.data if self.is_bound else self.initial
        meeting, position = self.fields["meeting"], self.fields["position"]
        meeting.queryset = selectors.log_meetings(
            self.access, self.organisation, today=today, chosen=_chosen_id(data.get("meeting"))
        )
        meeting.label_from_instance = lambda m: (
            f"{timezone.localtime(m.starts_at):%Y-%m-%d} {m.body.name}"
            + (f": {m.title}" if m.title else "")
        )
        position.queryset = selectors.log_positions(
            self.access, self.organisation, today=today, chosen=_chosen_id(data.get("position"))
        )
        position.label_from_instance = lambda p: (
            f"{timezone.localtime(p.item.meeting.starts_at):%Y-%m-%d} {p.item.meeting.body.name}"
            f", {p.item}: {p.get_stance_display()}"
        )
        self.fields["informed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        cleaned = super().clean()
        position, meeting = cleaned.get("position"), cleaned.get("meeting")
        if position is not None:
            if meeting is None:
                cleaned["meeting"] = self.instance.meeting = position.item.meeting
            elif meeting.pk != position.item.meeting_id:
                self.add_error(
                    "position", "Ställningstagandet gäller ett annat sammanträde än det valda."
                )
        return cleaned
