"""Forms for editing the register.

Every form takes the user's ``access`` (``register.access.Access``) and limits its choices to what
that user may pick: the organisations they enter data for, the arrangement's own bodies and
decisions, their own participations. Labels come from the models' Swedish verbose names.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone

from .. import rules
from ..access import Access
from ..amounts import AmountError, parse_amount
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)
from ..validators import MAX_AMOUNT, normalise_orgnr, validate_orgnr, validate_web_url

# --- Fields and widgets ----------------------------------------------------------------------


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as ISO 8601 (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class Textarea(forms.Textarea):
    """A textarea whose text is kept with plain line breaks. Browsers send CRLF; stored as sent,
    a first save would "change" every multi-line text nobody edited (in the change log and in
    the message about a save made meanwhile)."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class WholeKronorField(forms.IntegerField):
    """An amount in whole kronor, read by the register's one amount parser (``register.amounts``,
    the importer's too): "1 234 567", "12 000 kr", "1 250,5 tkr", "2,5 mnkr"; an amount that is
    not whole kronor once its unit is applied ("1 234,50") is asked for again, not rounded."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Ange beloppet i hela kronor, till exempel 1 234 567, eller med enhet, till "
        "exempel 1 250,5 tkr.",
        "max_value": "Beloppet är orimligt stort. Ange det i hela kronor, till exempel 1 234 567.",
        "min_value": "Beloppet är orimligt stort. Ange det i hela kronor, till exempel -1 234 567.",
    }

    def __init__(self, **kwargs):
        kwargs.pop("localize", None)
        kwargs.update(max_value=MAX_AMOUNT, min_value=-MAX_AMOUNT)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "class": "amount", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_amount(str(value), whole=True)
        except AmountError as exc:
            code = "max_value" if exc.code == "too_large" else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from exc

    def prepare_value(self, value):
        if isinstance(value, int):
            return rules.format_number(value)
        return value


SHARE_ERROR = "Andelen ska vara mellan 0 och 100 procent."


class ShareField(forms.DecimalField):
    """A percentage 0–100 with decimal comma or point ("12,5")."""

    def __init__(self, **kwargs):
        kwargs.update(min_value=0, max_value=100, localize=True)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].update(
            {
                "max_value": SHARE_ERROR,
                "min_value": SHARE_ERROR,
                "invalid": "Ange andelen i procent som ett tal, till exempel 12,5.",
            }
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "class": "share"})
        return attrs


class OrgnrFormField(forms.CharField):
    """An orgnr typed with or without hyphen or spaces; stored as ten digits."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 13
        kwargs.pop("empty_value", None)
        super().__init__(empty_value=None, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_orgnr(value) or None if value else None

    def validate(self, value):
        super().validate(value)
        if value:
            validate_orgnr(value)

    def prepare_value(self, value):
        digits = normalise_orgnr(value) if value else ""
        return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value


# --- Base form -------------------------------------------------------------------------------


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a typed-in id too large for the database is an invalid choice.

    Django looks the chosen ids up with ``pk__in``, which (unlike ``pk=``) passes an id beyond
    the database's integer range on to the driver, and the page fails with a server error. The
    range is the database's own for the column, as Django uses for ``pk=``.
    """

    def clean(self, value):
        if isinstance(value, list | tuple):
            self.refuse_ids_out_of_range(value)
        return super().clean(value)

    def refuse_ids_out_of_range(self, value) -> None:
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        target = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(target, models.IntegerField | models.AutoField):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(target.get_internal_type())
            for item in value:
                text = str(item).strip()
                if text.lstrip("-").isdecimal() and not low <= int(text) <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": text[:30]},
                    )


def _formfield(db_field, **kwargs):
    """Build form fields the same way everywhere: web addresses default to https and
    take http and https only; many-to-many
    choices refuse ids beyond the database's range."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("validators", [validate_web_url])
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class RegisterForm(forms.ModelForm):
    """A model form that knows the user's access and renders dates as date pickers."""

    class Meta:
        formfield_callback = _formfield

    #: Fields the view sets on the instance (not form fields) that the model's checks still cover,
    #: so that e.g. a duplicate is a form error rather than an IntegrityError.
    validate_fields: tuple[str, ...] = ()

    def __init__(self, *args, access: Access, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self._polish(field)
        self.limit_choices()
        self.lock_fields()

    @staticmethod
    def _polish(field) -> None:
        """Swedish placeholders in selects, date pickers, textareas of a sensible height."""
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
        elif isinstance(field, forms.ModelMultipleChoiceField):
            pass
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = "– välj –" if field.required else "– ingen –"
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", "– välj –" if field.required else "– ingen –")] + choices[1:]
        if isinstance(field.widget, forms.Textarea):
            if not isinstance(field.widget, Textarea):
                field.widget = Textarea(attrs=field.widget.attrs)
            if field.widget.attrs.get("rows") == "10":
                # Django's default of ten rows makes every form a long scroll.
                field.widget.attrs["rows"] = 3

    #: A note shown above the fields (e.g. why some of them are locked).
    notice: str = ""

    #: Optional grouping of the fields: [(legend, [field names])]; the rest go in a last group.
    fieldsets: list[tuple[str, list[str]]] = []

    def groups(self) -> list[tuple[str, list]]:
        """Return the visible fields grouped by ``fieldsets`` (one unnamed group without)."""
        visible = {bf.name: bf for bf in self.visible_fields()}
        groups = []
        for legend, names in self.fieldsets:
            fields = [visible.pop(name) for name in names if name in visible]
            if fields:
                groups.append((legend, fields))
        if visible:
            groups.append(("Övrigt" if groups else "", list(visible.values())))
        return groups

    def limit_choices(self) -> None:
        """Restrict the choice fields to what the user may pick (subclasses override)."""

    def lock_fields(self) -> None:
        """Disable the fields the user may not change (``Access.locked_fields``), saying why."""
        locked = self.access.locked_fields(self.instance) & set(self.fields)
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = ""
        if locked:
            self.notice = self.access.locked_reason(self.instance)

    def has_field_errors(self) -> bool:
        """Whether a field has an error (not only the form as a whole, e.g. a save refused
        because the record changed meanwhile: then there is nothing to correct)."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    @property
    def legend(self) -> str:
        return str(self.instance) if self.instance.pk else "Ny rad"

    def _get_validation_exclusions(self):
        # The one private Django hook in the edit forms. Django leaves every model field that is
        # not a form field out of the model's checks (full_clean, unique and constraint checks),
        # so a duplicate on a field the view sets (the arrangement a record hangs on) would pass
        # the form and fail in the database. No public ModelForm API adds a field back to those
        # checks (a hidden, disabled form field would, but would change the page and its version
        # token). Pinned by tests/register/web/test_forms.py::
        # test_the_model_checks_cover_the_fields_the_view_sets.
        return super()._get_validation_exclusions() - set(self.validate_fields)


# --- Organisations and people ----------------------------------------------------------------


class OrganisationForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Organisation
        fields = [
            "kind",
            "name",
            "short_name",
            "code",
            "orgnr",
            "county",
            "population",
            "population_year",
            "website",
            "evaluation_interval_years",
            "public_description",
            "internal_note",
        ]
        field_classes = {"orgnr": OrgnrFormField}

    def clean_evaluation_interval_years(self):
        # Left empty: the organisation keeps what it had (the default for a new one).
        value = self.cleaned_data.get("evaluation_interval_years")
        if value is None:
            return self.instance.evaluation_interval_years
        return value

    def limit_choices(self):
        # A municipality's or region's fields from SCB are locked by Access (``lock_fields``).
        self.fields["evaluation_interval_years"].required = False


class PersonForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Person
        fields = [
            "name",
            "kind",
            "party",
            "title",
            "organisation",
            "user",
            "email",
            "phone",
            "internal_note",
        ]
        help_texts = {
            "email": "Syns bara internt.",
            "phone": "Syns bara internt.",
            "party": "Förkortning, till exempel S, M eller C.",
        }

    def limit_choices(self):
        field = self.fields["organisation"]
        field.queryset = self.access.creatable_for(Person)
        if self.access.must_choose_organisation(Person):
            field.required = True
            field.empty_label = None
        self.limit_user_choices()

    def limit_user_choices(self) -> None:
        """Offer as "Användarkonto" only the accounts Access lets the user link the person to
        (the members of the person's organisation); a new person is linked once saved."""
        if self.instance.pk is None:
            del self.fields["user"]
            return
        field = self.fields["user"]
        # The account linked now stays a choice (it may have been linked in Django admin).
        linkable = self.access.linkable_users(self.instance)
        field.queryset = field.queryset.filter(
            Q(pk__in=linkable.values("pk")) | Q(pk=self.instance.user_id)
        ).order_by("first_name", "last_name", "username")
        field.label_from_instance = _account_label
        field.help_text = (
            "Personens eget konto i registret. Startsidan visar då personens uppdrag, nästa "
            "sammanträden och föredragningar. Bara användare som är medlemmar i personens "
            "organisation kan väljas."
        )

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        organisation = cleaned.get("organisation")
        if user is not None and {"user", "organisation"} & set(self.changed_data):
            moved = Person(pk=self.instance.pk, organisation=organisation)
            if organisation is None or not self.access.can_link_user(moved, user):
                self.add_error(
                    "user",
                    "Användaren är inte medlem i personens organisation. Välj en annan "
                    "användare eller ingen.",
                )
        return cleaned


def _account_label(user) -> str:
    """A user account as the choice shows it: "Eva Ek (eva.ek)", or only the user name."""
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


# --- Arrangements and participations ---------------------------------------------------------


class ArrangementForm(RegisterForm):
    for_organisation = forms.ModelChoiceField(
        label="För organisation",
        queryset=Organisation.objects.none(),
        help_text="Organisationen som läggs till som part i samverkan.",
    )

    class Meta(RegisterForm.Meta):
        model = Arrangement
        fields = [
            "name",
            "short_name",
            "form",
            "status",
            "service_areas",
            "motives",
            "capacity_type",
            "start_date",
            "end_date",
            "notice_months",
            "host",
            "seat",
            "legal_entity",
            "orgnr",
            "website",
            "decision_rule",
            "predecessor",
            "parent",
            "transferred_tasks",
            "public_description",
            "internal_note",
            "is_published",
            "source_urls",
        ]
        field_classes = {"orgnr": OrgnrFormField}
        widgets = {
            "service_areas": forms.CheckboxSelectMultiple,
            "motives": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "end_date": "Lämna tomt om samverkan gäller tills vidare.",
            "is_published": "Visa samverkan på den offentliga sidan.",
            "public_description": "Syns för allmänheten när samverkan är publicerad.",
            "internal_note": "Syns bara för parternas användare.",
            "source_urls": "En adress per rad.",
        }

    fieldsets = [
        (
            "Samverkan",
            [
                "for_organisation",
                "name",
                "short_name",
                "form",
                "status",
                "capacity_type",
                "service_areas",
                "motives",
            ],
        ),
        ("Tid och avtal", ["start_date", "end_date", "notice_months", "decision_rule"]),
        (
            "Huvudman och juridisk form",
            ["host", "seat", "transferred_tasks", "legal_entity", "orgnr", "website"],
        ),
        ("Sammanhang", ["predecessor", "parent"]),
        (
            "Texter och publicering",
            ["public_description", "internal_note", "source_urls", "is_published"],
        ),
    ]

    def limit_choices(self):
        creating = self.instance.pk is None
        field = self.fields["for_organisation"]
        if creating:
            field.queryset = self.access.creatable_for(Arrangement)
            if not self.access.must_choose_organisation(Arrangement):
                field.required = False
                field.empty_label = "– ingen part än –"
                field.help_text = "Organisationen som läggs till som part. Kan lämnas tom."
            elif self.access.sole_creatable_id(Arrangement) is not None:
                # Only one organisation: it becomes the participant without asking.
                del self.fields["for_organisation"]
            else:
                field.empty_label = "– välj organisation –"
            if "for_organisation" in self.fields:
                self.order_fields(["for_organisation"])
        else:
            del self.fields["for_organisation"]
        visible = self.access.arrangements()
        if self.instance.pk:
            visible = visible.exclude(pk=self.instance.pk)
        for name in ("predecessor", "parent"):
            self.fields[name].queryset = visible
        self.fields["legal_entity"].queryset = Organisation.objects.exclude(
            kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION]
        )
        self.fields["host"].help_text = "Värden ska vara en av parterna i samverkan."

    def party_ids(self, cleaned: dict) -> set[int]:
        """The parties the arrangement has once saved: today's, or for a new one the
        organisation it is registered for."""
        if self.instance.pk:
            return set(self.instance.participations.values_list("organisation_id", flat=True))
        if "for_organisation" in self.fields:
            chosen = cleaned.get("for_organisation")
            return {chosen.pk} if chosen is not None else set()
        sole = self.access.sole_creatable_id(Arrangement)
        return {sole} if sole is not None else set()

    def clean(self):
        cleaned = super().clean()
        host = cleaned.get("host")
        if host is not None and not rules.host_is_party(host.pk, self.party_ids(cleaned)):
            self.add_error("host", rules.host_not_a_party(host.name))
        return cleaned


class ParticipationForm(RegisterForm):
    validate_fields = ("arrangement",)
    ownership_share = ShareField(label="Ägarandel (%)", required=False)
    cost_share = ShareField(label="Kostnadsandel (%)", required=False)

    class Meta(RegisterForm.Meta):
        model = Participation
        fields = [
            "organisation",
            "role",
            "joined",
            "left",
            "ownership_share",
            "cost_share",
            "cost_share_key",
            "entry_decision",
            "political_body",
            "political_owner",
            "admin_unit",
            "admin_owner",
            "public_note",
            "internal_note",
        ]
        help_texts = {
            "cost_share_key": "Till exempel ”efter folkmängd” eller ”fast belopp per år”.",
            "political_body": "Till exempel kommunstyrelsen eller socialnämnden.",
        }

    def __init__(self, *args, arrangement: Arrangement, **kwargs):
        self.arrangement = arrangement
        super().__init__(*args, **kwargs)
        if self.instance.arrangement_id is None:
            self.instance.arrangement = arrangement

    def limit_choices(self):
        if self.instance.pk:
            # To replace a partner, remove its participation and add another; never rename it.
            self.fields["organisation"].disabled = True
        else:
            self.fields["organisation"].empty_label = "– välj organisation –"
        self.fields["entry_decision"].queryset = Decision.objects.filter(
            arrangement=self.arrangement
        ).order_by("-date")
        org_id = self.instance.organisation_id
        if org_id:
            people = Person.objects.filter(organisation_id=org_id)
        else:
            # A new partner's owners are that partner's to enter; offer the user's own people.
            people = self.access.editable(Person.objects.all())
        for name in ("political_owner", "admin_owner"):
            self.fields[name].queryset = people

    @property
    def legend(self):
        if self.instance.pk:
            return self.instance.organisation.name
        return "Lägg till part"


class BodyForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Body
        fields = [
            "kind",
            "name",
            "powers",
            "seat_count",
            "meeting_frequency",
            "minutes_url",
            "public_description",
            "internal_note",
        ]
        help_texts = {
            "meeting_frequency": "Till exempel ”sex gånger per år”.",
            "minutes_url": "Adress där protokollen publiceras.",
        }

    @property
    def legend(self):
        return self.instance.name if self.instance.pk else "Nytt organ"


class SeatForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Seat
        fields = [
            "person",
            "appointed_by",
            "role",
            "party",
            "term_start",
            "term_end",
            "appointing_decision",
            "mandate",
            "internal_note",
        ]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, body: Body, **kwargs):
        self.body = body
        super().__init__(*args, **kwargs)

    def limit_choices(self):
        arrangement = self.body.arrangement
        appointing = self.access.creatable_for(Seat, arrangement=arrangement)
        self.fields["appointed_by"].queryset = appointing
        self.fields["appointed_by"].empty_label = "– välj organisation –"
        self.fields["person"].queryset = Person.objects.filter(
            Q(organisation__in=self.access.arrangement_org_ids(arrangement))
            | Q(organisation__isnull=True)
        )
        self.fields["person"].empty_label = "– välj person –"
        self.fields["appointing_decision"].queryset = Decision.objects.filter(
            arrangement=arrangement
        ).order_by("-date")


YEAR_ERRORS = {
    "min_value": "Året ska ligga mellan 1900 och 2100.",
    "max_value": "Året ska ligga mellan 1900 och 2100.",
    "invalid": "Ange året med fyra siffror, till exempel 2024.",
}


class CostForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Cost
        fields = ["participation", "year", "budget", "outcome", "forecast", "note"]
        field_classes = {
            "budget": WholeKronorField,
            "outcome": WholeKronorField,
            "forecast": WholeKronorField,
        }
        widgets = {"year": forms.NumberInput(attrs={"class": "year"})}
        error_messages = {"year": YEAR_ERRORS}

    def limit_choices(self):
        if "participation" in self.fields:
            participations = Participation.objects.select_related("arrangement", "organisation")
            self.fields["participation"].queryset = self.access.editable(participations)

    def clean(self):
        cleaned = super().clean()
        amounts = ("budget", "outcome", "forecast")
        if any(name in self.errors for name in amounts):
            return cleaned  # An amount was typed but is wrong; that message says enough.
        if not any(cleaned.get(name) is not None for name in amounts):
            if not cleaned.get("DELETE"):
                raise ValidationError(
                    "Fyll i minst ett belopp: budget, utfall eller prognos.", code="no_amount"
                )
        return cleaned


class TotalCostForm(RegisterForm):
    validate_fields = ("arrangement",)

    class Meta(RegisterForm.Meta):
        model = TotalCost
        fields = ["year", "budget", "outcome", "note"]
        field_classes = {"budget": WholeKronorField, "outcome": WholeKronorField}
        widgets = {"year": forms.NumberInput(attrs={"class": "year"})}
        error_messages = {
            "year": YEAR_ERRORS,
            NON_FIELD_ERRORS: {"unique_together": "Det finns redan en total kostnad för det året."},
        }


# --- Goals -----------------------------------------------------------------------------------


class GoalForm(RegisterForm):
    validate_fields = ("organisation", "arrangement")

    class Meta(RegisterForm.Meta):
        model = Goal
        fields = ["level", "parent", "title", "public_description", "internal_note", "sort_order"]
        help_texts = {"sort_order": "Lägre tal visas först."}

    def __init__(self, *args, owner: Organisation | Arrangement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner is not None and self.instance.pk is None:
            if isinstance(owner, Organisation):
                self.instance.organisation = owner
            else:
                self.instance.arrangement = owner
        self._limit_parent()

    def _limit_parent(self):
        instance = self.instance
        if instance.organisation_id:
            parents = Goal.objects.filter(organisation_id=instance.organisation_id)
        elif instance.arrangement_id:
            parents = Goal.objects.filter(arrangement_id=instance.arrangement_id)
        else:
            parents = Goal.objects.none()
        if instance.pk:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = "Ett mål inom samma organisation eller samverkan."


def _own_goals(access: Access, arrangement: Arrangement):
    """Return the own goals (of participating organisations) the user may link to."""
    orgs = access.creatable_for(Contribution, arrangement=arrangement)
    return Goal.objects.filter(organisation__in=orgs).select_related("organisation")


class _OnArrangementForm(RegisterForm):
    """A record that belongs to one arrangement, given to the form (not a field of it)."""

    validate_fields = ("arrangement",)

    def __init__(self, *args, arrangement: Arrangement, **kwargs):
        self.arrangement = arrangement
        super().__init__(*args, **kwargs)
        self.instance.arrangement = arrangement


class _OwnGoalLinkForm(_OnArrangementForm):
    """A link between an arrangement and one of the user's organisations' own goals."""

    def limit_choices(self):
        self.fields["goal"].queryset = _own_goals(self.access, self.arrangement)
        self.fields["goal"].label_from_instance = lambda g: f"{g.organisation.display_name}: {g}"
        self.fields["goal"].empty_label = "– välj mål –"


class ContributionForm(_OwnGoalLinkForm):
    class Meta(RegisterForm.Meta):
        model = Contribution
        fields = ["goal", "strength", "public_description", "internal_note"]


class GoalConflictForm(_OwnGoalLinkForm):
    class Meta(RegisterForm.Meta):
        model = GoalConflict
        fields = [
            "goal",
            "decision",
            "identified_on",
            "description",
            "handling",
            "status",
            "is_published",
            "internal_note",
        ]

    def limit_choices(self):
        super().limit_choices()
        self.fields["decision"].queryset = Decision.objects.filter(
            arrangement=self.arrangement
        ).order_by("-date")


# --- Follow-up, alternatives, decisions ------------------------------------------------------


JOINT_NOT_ALLOWED = "Du kan bara registrera för din egen organisation."


class _ArrangementRecordForm(_OnArrangementForm):
    """A record on an arrangement made by one participant, or jointly (organisation left empty)."""

    joint_label = "– gemensam –"

    def limit_choices(self):
        field = self.fields["organisation"]
        field.queryset = self.access.creatable_for(self._meta.model, arrangement=self.arrangement)
        if self.access.can_change(self.arrangement):
            field.empty_label = self.joint_label
        else:
            field.required = True
            field.empty_label = None

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is None and not self.access.can_change(self.arrangement):
            raise ValidationError(JOINT_NOT_ALLOWED, code="joint")
        return organisation


class EvaluationForm(_ArrangementRecordForm):
    """An evaluation: goal attainment overall and per goal the arrangement serves, cost, how the
    cooperation between the partners works, recommendation and public summary."""

    GOAL_PREFIX = "goal_"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        served = (
            Goal.objects.filter(
                contributions__arrangement=self.arrangement,
                organisation__in=self.access.creatable_for(
                    Evaluation, arrangement=self.arrangement
                ),
            )
            .select_related("organisation")
            .order_by("organisation__name", "sort_order", "title")
            .distinct()
        )
        before = {
            row.get("goal"): row.get("attainment")
            for row in self.instance.goal_attainments or []
            if isinstance(row, dict)
        }
        self.served_goals = list(served)
        names = []
        for goal in self.served_goals:
            name = f"{self.GOAL_PREFIX}{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"måluppfyllelse: {goal.title}",
                choices=[("", "– inte bedömt –")] + list(Evaluation.Attainment.choices),
                required=False,
                initial=before.get(goal.pk, ""),
            )
            names.append(name)
        self.fieldsets = [
            (legend, fields + names if legend == "Bedömning" else fields)
            for legend, fields in type(self).fieldsets
        ]

    def save(self, commit=True):
        self.instance.goal_attainments = [
            {"goal": goal.pk, "title": goal.title, "attainment": value}
            for goal in self.served_goals
            if (value := self.cleaned_data.get(f"{self.GOAL_PREFIX}{goal.pk}"))
        ]
        return super().save(commit=commit)

    fieldsets = [
        ("Uppföljningen", ["organisation", "date", "evaluator", "next_evaluation"]),
        (
            "Bedömning",
            ["goal_attainment", "recommendation", "cost_assessment", "collaboration"],
        ),
        ("Texter och publicering", ["public_summary", "internal_note", "is_published"]),
    ]

    class Meta(RegisterForm.Meta):
        model = Evaluation
        fields = [
            "organisation",
            "date",
            "evaluator",
            "goal_attainment",
            "cost_assessment",
            "collaboration",
            "recommendation",
            "next_evaluation",
            "public_summary",
            "internal_note",
            "is_published",
        ]


class AlternativeForm(_ArrangementRecordForm):
    class Meta(RegisterForm.Meta):
        model = Alternative
        fields = [
            "organisation",
            "kind",
            "description",
            "estimated_cost",
            "why_not_chosen",
            "assessed_on",
            "internal_note",
            "is_published",
        ]
        field_classes = {"estimated_cost": WholeKronorField}
        help_texts = {
            "is_published": "Ett publicerat alternativ syns för alla inloggade; ett opublicerat "
            "bara för parterna i samverkan."
        }


class DecisionForm(_ArrangementRecordForm):
    joint_label = "– samverkans eget organ –"
    fieldsets = [
        (
            "Beslutet",
            [
                "title",
                "kind",
                "date",
                "deciding_body",
                "organisation",
                "body",
                "reference",
                "diary_number",
                "document_url",
            ],
        ),
        (
            "Vad beslutet påverkar",
            ["impact_cost", "impact_tariff", "impact_service", "impact_organisation"],
        ),
        ("Information", ["informed", "informed_on"]),
        ("Texter och publicering", ["public_summary", "internal_note", "is_published"]),
    ]

    class Meta(RegisterForm.Meta):
        model = Decision
        fields = [
            "organisation",
            "body",
            "deciding_body",
            "date",
            "reference",
            "diary_number",
            "title",
            "kind",
            "impact_cost",
            "impact_tariff",
            "impact_service",
            "impact_organisation",
            "informed",
            "informed_on",
            "public_summary",
            "internal_note",
            "is_published",
            "document_url",
        ]
        help_texts = {
            "reference": "Till exempel § 45.",
            "informed": "Till exempel berörda nämnder.",
        }

    def limit_choices(self):
        super().limit_choices()
        self.fields["body"].queryset = Body.objects.filter(arrangement=self.arrangement)


# --- Strategic review ------------------------------------------------------------------------


class ReviewForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = Review
        fields = [
            "organisation",
            "date",
            "body",
            "title",
            "term_start_year",
            "reference",
            "public_summary",
            "internal_note",
        ]

    def limit_choices(self):
        today = timezone.localdate()
        terms = rules.terms_around(today, before=1, after=1)
        current = rules.current_term(today)
        self.fields["term_start_year"] = forms.TypedChoiceField(
            label="mandatperiod",
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", "– ingen –")] + [(t.start_year, str(t)) for t in terms],
            initial=current.start_year,
        )
        field = self.fields["organisation"]
        field.queryset = self.access.creatable_for(Review)
        if self.instance.pk:
            field.disabled = True
        elif (sole := self.access.sole_creatable_id(Review)) is not None:
            field.initial = sole


class ReviewItemForm(RegisterForm):
    class Meta(RegisterForm.Meta):
        model = ReviewItem
        # The board's questions of the one-item form: a review filled here alone can be closed
        # (every item needs its "ställningstagande"). The follow-up of an assignment comes
        # after the review, on its own page, and is not asked here.
        fields = [
            "participation",
            "outcome",
            "direction",
            "priority",
            "decision",
            "assignment",
            "due_date",
            "internal_note",
        ]
        widgets = {
            "decision": forms.Textarea(attrs={"rows": 2}),
            "assignment": forms.Textarea(attrs={"rows": 2}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, review: Review, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)

    def limit_choices(self):
        field = self.fields["participation"]
        field.queryset = Participation.objects.filter(
            organisation_id=self.review.organisation_id
        ).select_related("arrangement")
        field.label_from_instance = lambda p: p.arrangement.name
        field.label = "samverkan"
        field.empty_label = "– välj samverkan –"
        if self.instance.pk:
            # An item stays with its arrangement; the page shows the name as the row's heading.
            field.disabled = True

    @property
    def legend(self):
        if self.instance.pk:
            return self.instance.participation.arrangement.name
        return "Ny punkt"


class ReviewItemDecisionForm(RegisterForm):
    """The board's position on one item of an open review."""

    fieldsets = [
        ("Ställningstagande", ["outcome", "decision"]),
        ("Inriktning och prioritet", ["direction", "direction_text", "priority"]),
        ("Uppdrag till förvaltningen", ["assignment", "due_date", "follow_up"]),
        ("Intern anteckning", ["internal_note"]),
    ]

    class Meta(RegisterForm.Meta):
        model = ReviewItem
        fields = [
            "outcome",
            "decision",
            "direction",
            "direction_text",
            "priority",
            "assignment",
            "due_date",
            "follow_up",
            "internal_note",
        ]
        labels = {
            "decision": "motivering och beslutstext",
            "assignment": "uppdrag till kommundirektören",
        }


class ReviewItemFollowupForm(RegisterForm):
    """The follow-up of an item's assignment, also after the review is closed."""

    class Meta(RegisterForm.Meta):
        model = ReviewItem
        fields = ["follow_up", "assignment_done_on"]
        help_texts = {"assignment_done_on": "Lämna tomt så länge uppdraget inte är klart."}
