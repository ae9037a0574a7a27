"""The register's entities.

One Arrangement is shared by all its participants; what differs per participant lives on its
Participation. Every register model keeps its history (django-simple-history). Records with free
text keep the text meant for the public (``public_*``) apart from an ``internal_note`` that never
reaches a public page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .validators import (
    digits_condition,
    format_orgnr,
    normalise_orgnr,
    orgnr_constraint_condition,
    validate_orgnr,
)


def end_after_start(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="Slutdatum kan inte ligga före startdatum.",
    )


def check_end_after_start(obj, start: str, end: str) -> None:
    s, e = getattr(obj, start), getattr(obj, end)
    if s and e and e < s:
        raise ValidationError(
            {
                end: ValidationError(
                    "Slutdatum kan inte ligga före startdatum.", code="end_before_start"
                )
            }
        )


class OrgnrField(models.CharField):
    """A Swedish organisation number stored as ten digits, NULL when unknown."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_orgnr])
        kwargs.setdefault("verbose_name", "organisationsnummer")
        kwargs.setdefault("help_text", "Tio siffror, till exempel 212000-0142.")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return None
        return normalise_orgnr(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return None
        return normalise_orgnr(value)


# --- Reference tables (data, not migrations, so that new entries are a data change) -----------


class County(models.Model):
    code = models.CharField("länskod", max_length=2, unique=True)
    name = models.CharField("län", max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "län"
        verbose_name_plural = "län"

    def __str__(self):
        return self.name


class CooperationForm(models.Model):
    """A form of cooperation (samverkansform). Extensible: a new form is a new row."""

    slug = models.SlugField("kod", max_length=50, unique=True)
    name = models.CharField("benämning", max_length=100)
    legal_basis = models.CharField("rättslig grund", max_length=200, blank=True)
    description = models.TextField("beskrivning", blank=True)
    is_legal_entity = models.BooleanField("egen juridisk person", default=False)
    sort_order = models.PositiveSmallIntegerField("sortering", default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "samverkansform"
        verbose_name_plural = "samverkansformer"

    def __str__(self):
        return self.name


class ServiceArea(models.Model):
    """A service area (verksamhetsområde). A table, not choices."""

    slug = models.SlugField("kod", max_length=50, unique=True)
    name = models.CharField("benämning", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="överordnat område",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField("sortering", default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "verksamhetsområde"
        verbose_name_plural = "verksamhetsområden"

    def __str__(self):
        return self.name


class Motive(models.Model):
    """A motive for cooperating (kompetens, kostnad, robusthet …)."""

    slug = models.SlugField("kod", max_length=50, unique=True)
    name = models.CharField("benämning", max_length=100)
    sort_order = models.PositiveSmallIntegerField("sortering", default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "motiv"
        verbose_name_plural = "motiv"

    def __str__(self):
        return self.name


# --- Organisations ---------------------------------------------------------------------------


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommun"
        REGION = "region", "Region"
        STATE_AGENCY = "state_agency", "Statlig myndighet"
        FEDERATION = "federation", "Kommunalförbund/samordningsförbund"
        COMPANY = "company", "Bolag"
        ASSOCIATION = "association", "Förening/stiftelse"
        OTHER = "other", "Övrig"

    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField("kortnamn", max_length=100, blank=True)
    code = models.CharField(
        "kod",
        max_length=4,
        null=True,
        blank=True,
        help_text="Kommunkod (fyra siffror) för kommuner, länskod (två siffror) för regioner.",
    )
    orgnr = OrgnrField()
    county = models.ForeignKey(
        County, verbose_name="län", null=True, blank=True, on_delete=models.PROTECT
    )
    population = models.PositiveIntegerField("folkmängd", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("folkmängd avser år", null=True, blank=True)
    website = models.URLField("webbplats", blank=True)
    is_reference = models.BooleanField(
        "referensdata", default=False, help_text="Kommuner och regioner från SCB:s indelning."
    )
    public_description = models.TextField("beskrivning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="organisation_code_unique",
                violation_error_message="Det finns redan en organisation med den koden.",
            ),
            models.UniqueConstraint(
                fields=["orgnr"],
                name="organisation_orgnr_unique",
                violation_error_message="Det finns redan en organisation med det organisationsnumret.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipality") | digits_condition("code", 4),
                name="organisation_municipality_code_4_digits",
                violation_error_message="En kommun ska ha en kommunkod med fyra siffror.",
            ),
            models.CheckConstraint(
                condition=orgnr_constraint_condition("orgnr"),
                name="organisation_orgnr_luhn",
                violation_error_message="Organisationsnumret ska ha tio siffror och giltig kontrollsiffra.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:organisation_detail", args=[self.pk])

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def orgnr_display(self):
        return format_orgnr(self.orgnr) if self.orgnr else ""

    def clean(self):
        if self.code == "":
            self.code = None
        if self.kind == self.Kind.MUNICIPALITY and not (
            self.code and len(self.code) == 4 and self.code.isdigit()
        ):
            raise ValidationError(
                {
                    "code": ValidationError(
                        "En kommun ska ha en kommunkod med fyra siffror.", code="code"
                    )
                }
            )
        if (
            self.kind == self.Kind.REGION
            and self.code
            and not (len(self.code) == 2 and self.code.isdigit())
        ):
            raise ValidationError(
                {
                    "code": ValidationError(
                        "En region ska ha en länskod med två siffror.", code="code"
                    )
                }
            )


# --- Arrangements --------------------------------------------------------------------------


class Arrangement(models.Model):
    class Status(models.TextChoices):
        INITIATIVE = "initiative", "Initiativ"
        INVESTIGATION = "investigation", "Under utredning"
        ACTIVE = "active", "Aktiv"
        RENEGOTIATION = "renegotiation", "Under omförhandling"
        WINDING_UP = "winding_up", "Under avveckling"
        ENDED = "ended", "Avslutad"
        STALLED = "stalled", "Vilande"

    class CapacityType(models.TextChoices):
        OPERATIONS = "operations", "Drift"
        DEVELOPMENT = "development", "Utveckling"
        BOTH = "both", "Drift och utveckling"

    name = models.CharField("namn", max_length=300)
    short_name = models.CharField("kortnamn", max_length=100, blank=True)
    form = models.ForeignKey(
        CooperationForm, verbose_name="samverkansform", on_delete=models.PROTECT, related_name="+"
    )
    service_areas = models.ManyToManyField(
        ServiceArea, verbose_name="verksamhetsområden", blank=True, related_name="arrangements"
    )
    motives = models.ManyToManyField(Motive, verbose_name="motiv", blank=True, related_name="+")
    capacity_type = models.CharField(
        "kapacitetstyp", max_length=20, choices=CapacityType.choices, blank=True
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField("startdatum", null=True, blank=True)
    end_date = models.DateField("slutdatum", null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(
        "uppsägningstid (månader)", null=True, blank=True
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name="värdkommun/huvudman",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_arrangements",
    )
    seat = models.CharField("säte", max_length=100, blank=True)
    legal_entity = models.OneToOneField(
        Organisation,
        verbose_name="juridisk person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="arrangement_as_entity",
        help_text="Organisationen som är samverkans egen juridiska person (förbund, bolag).",
    )
    orgnr = OrgnrField()
    website = models.URLField("webbplats", blank=True)
    decision_rule = models.CharField("beslutsregel", max_length=300, blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name="föregångare",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="ramavtal/överordnad samverkan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    public_description = models.TextField("varför vi samverkar (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_published = models.BooleanField("publicerad", default=False)
    is_example = models.BooleanField(
        "exempeldata", default=False, help_text="Illustrativa uppgifter, inte verkliga."
    )
    source_urls = models.TextField("källor", blank=True)
    external_id = models.CharField("externt id", max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    history = HistoricalRecords(m2m_fields=[service_areas])

    class Meta:
        ordering = ["name"]
        verbose_name = "samverkan"
        verbose_name_plural = "samverkan"
        constraints = [
            end_after_start("start_date", "end_date", "arrangement_end_after_start"),
            models.CheckConstraint(
                condition=orgnr_constraint_condition("orgnr"),
                name="arrangement_orgnr_luhn",
                violation_error_message="Organisationsnumret ska ha tio siffror och giltig kontrollsiffra.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("register:arrangement_detail", args=[self.pk])

    @property
    def orgnr_display(self):
        return format_orgnr(self.orgnr) if self.orgnr else ""

    def clean(self):
        check_end_after_start(self, "start_date", "end_date")


class Participation(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Medlem"
        HOST = "host", "Värdkommun"
        OWNER = "owner", "Ägare"
        PROVIDER = "provider", "Utförare"
        PURCHASER = "purchaser", "Beställare"

    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        on_delete=models.CASCADE,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateField("gick med", null=True, blank=True)
    left = models.DateField("lämnade", null=True, blank=True)
    ownership_share = models.DecimalField(
        "ägarandel (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    cost_share = models.DecimalField(
        "kostnadsandel (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    cost_share_key = models.CharField("fördelningsnyckel", max_length=300, blank=True)
    entry_decision = models.ForeignKey(
        "Decision",
        verbose_name="beslut om inträde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    political_body = models.CharField("politiskt ansvarig nämnd", max_length=200, blank=True)
    political_owner = models.ForeignKey(
        "Person",
        verbose_name="politiskt ansvarig person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    admin_unit = models.CharField("ansvarig förvaltning/enhet", max_length=200, blank=True)
    admin_owner = models.ForeignKey(
        "Person",
        verbose_name="ansvarig tjänsteperson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_note = models.TextField("kommentar (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_example = models.BooleanField(
        "exempeldata", default=False, help_text="Organisationens uppgifter här är illustrativa."
    )
    extra_fields = models.JSONField(
        "övriga uppgifter",
        default=dict,
        blank=True,
        help_text="Kolumner från import som saknar fält.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement__name", "organisation__name"]
        verbose_name = "deltagande"
        verbose_name_plural = "deltaganden"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "organisation"],
                name="participation_unique",
                violation_error_message="Organisationen deltar redan i den här samverkan.",
            ),
            end_after_start("joined", "left", "participation_left_after_joined"),
            models.CheckConstraint(
                condition=Q(ownership_share__isnull=True)
                | Q(ownership_share__gte=0, ownership_share__lte=100),
                name="participation_ownership_share_0_100",
                violation_error_message="Ägarandelen ska vara mellan 0 och 100 procent.",
            ),
            models.CheckConstraint(
                condition=Q(cost_share__isnull=True) | Q(cost_share__gte=0, cost_share__lte=100),
                name="participation_cost_share_0_100",
                violation_error_message="Kostnadsandelen ska vara mellan 0 och 100 procent.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} i {self.arrangement}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + f"#deltagande-{self.pk}"

    def clean(self):
        if self.left and self.joined and self.left < self.joined:
            raise ValidationError(
                {
                    "left": ValidationError(
                        "Utträdesdatum kan inte ligga före inträdesdatum.", code="end_before_start"
                    )
                }
            )


class Body(models.Model):
    """A body of an arrangement (samverkansorgan)."""

    class Kind(models.TextChoices):
        FEDERATION_ASSEMBLY = "federation_assembly", "Förbundsfullmäktige"
        FEDERATION_BOARD = "federation_board", "Förbundsdirektion"
        JOINT_COMMITTEE = "joint_committee", "Gemensam nämnd"
        COMPANY_BOARD = "company_board", "Bolagsstyrelse"
        STEERING_GROUP = "steering_group", "Politisk styrgrupp"
        OFFICIALS_GROUP = "officials_group", "Tjänstepersonsgrupp"
        WORKING_GROUP = "working_group", "Arbetsgrupp"
        OTHER = "other", "Annat organ"

    class Powers(models.TextChoices):
        DECIDES = "decides", "Beslutar"
        PREPARES = "prepares", "Bereder"
        ADVISES = "advises", "Rådgivande"

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField("typ av organ", max_length=30, choices=Kind.choices)
    name = models.CharField("namn", max_length=200)
    powers = models.CharField(
        "befogenhet", max_length=20, choices=Powers.choices, default=Powers.DECIDES
    )
    seat_count = models.PositiveSmallIntegerField("antal platser", null=True, blank=True)
    meeting_frequency = models.CharField("sammanträden", max_length=100, blank=True)
    minutes_url = models.URLField("protokoll publiceras", blank=True)
    public_description = models.TextField("beskrivning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement__name", "name"]
        verbose_name = "samverkansorgan"
        verbose_name_plural = "samverkansorgan"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + f"#organ-{self.pk}"


class Person(models.Model):
    class Kind(models.TextChoices):
        POLITICIAN = "politician", "Förtroendevald"
        OFFICIAL = "official", "Tjänsteperson"

    name = models.CharField("namn", max_length=200)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices, default=Kind.POLITICIAN)
    party = models.CharField("parti", max_length=50, blank=True)
    title = models.CharField("titel/uppdrag", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField("e-post (intern)", blank=True)
    phone = models.CharField("telefon (intern)", max_length=50, blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_example = models.BooleanField("exempeldata", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "personer"

    def __str__(self):
        return f"{self.name} ({self.party})" if self.party else self.name

    def get_absolute_url(self):
        return reverse("register:person_detail", args=[self.pk])


class Seat(models.Model):
    """A seat (uppdrag): a person in a body, appointed by an organisation."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Ordförande"
        VICE_CHAIR = "vice_chair", "Vice ordförande"
        MEMBER = "member", "Ledamot"
        SUBSTITUTE = "substitute", "Ersättare"
        OFFICIAL = "official", "Tjänsteperson"

    body = models.ForeignKey(
        Body, verbose_name="organ", on_delete=models.CASCADE, related_name="seats"
    )
    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="seats"
    )
    appointed_by = models.ForeignKey(
        Organisation,
        verbose_name="utsedd av",
        on_delete=models.PROTECT,
        related_name="appointed_seats",
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.MEMBER)
    party = models.CharField("parti", max_length=50, blank=True)
    term_start = models.DateField("mandatperiod från", null=True, blank=True)
    term_end = models.DateField("mandatperiod till", null=True, blank=True)
    mandate = models.TextField("mandat/uppdrag", blank=True)
    appointing_decision = models.ForeignKey(
        "Decision",
        verbose_name="beslut om val",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "role", "person__name"]
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        constraints = [end_after_start("term_start", "term_end", "seat_term_end_after_start")]

    def __str__(self):
        return f"{self.person.name}, {self.get_role_display().lower()} i {self.body}"

    def get_absolute_url(self):
        return self.body.get_absolute_url()

    def clean(self):
        check_end_after_start(self, "term_start", "term_end")


class Cost(models.Model):
    """An organisation's cost for an arrangement in one year, in whole kronor."""

    participation = models.ForeignKey(
        Participation, verbose_name="deltagande", on_delete=models.CASCADE, related_name="costs"
    )
    year = models.PositiveSmallIntegerField(
        "år", validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    budget = models.BigIntegerField("budget (kr)", null=True, blank=True)
    outcome = models.BigIntegerField("utfall (kr)", null=True, blank=True)
    forecast = models.BigIntegerField("prognos (kr)", null=True, blank=True)
    note = models.CharField("kommentar", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["participation", "year"]
        verbose_name = "kostnad"
        verbose_name_plural = "kostnader"
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "year"],
                name="cost_unique_year",
                violation_error_message="Det finns redan en kostnad för det året.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2100),
                name="cost_year_range",
                violation_error_message="Året ska ligga mellan 1900 och 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.participation} {self.year}"

    @property
    def amount(self):
        """Return the best figure for the year: outcome, else forecast, else budget."""
        for value in (self.outcome, self.forecast, self.budget):
            if value is not None:
                return value
        return None


class TotalCost(models.Model):
    """An arrangement's total cost (turnover or budget) for a year, so that shares can be computed."""

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="total_costs"
    )
    year = models.PositiveSmallIntegerField(
        "år", validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    budget = models.BigIntegerField("budget (kr)", null=True, blank=True)
    outcome = models.BigIntegerField("utfall (kr)", null=True, blank=True)
    note = models.CharField("kommentar", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "year"]
        verbose_name = "total kostnad"
        verbose_name_plural = "totala kostnader"
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "year"], name="total_cost_unique_year")
        ]

    def __str__(self):
        return f"{self.arrangement} {self.year}"


# --- Goals ---------------------------------------------------------------------------------


class Goal(models.Model):
    """An organisation's own goal (vision → focus area → goal) or an arrangement's own goal."""

    class Level(models.TextChoices):
        VISION = "vision", "Vision"
        FOCUS_AREA = "focus_area", "Målområde"
        GOAL = "goal", "Mål"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="överordnat mål",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField("nivå", max_length=20, choices=Level.choices, default=Level.GOAL)
    title = models.CharField("rubrik", max_length=300)
    public_description = models.TextField("beskrivning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    sort_order = models.PositiveSmallIntegerField("sortering", default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = "mål"
        verbose_name_plural = "mål"
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, arrangement__isnull=True)
                | Q(organisation__isnull=True, arrangement__isnull=False),
                name="goal_belongs_to_one_owner",
                violation_error_message="Ett mål hör antingen till en organisation eller till en samverkan.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.arrangement_id:
            return self.arrangement.get_absolute_url() + "#mal"
        return reverse("register:organisation_detail", args=[self.organisation_id]) + "#mal"

    def clean(self):
        if bool(self.organisation_id) == bool(self.arrangement_id):
            raise ValidationError(
                "Ett mål hör antingen till en organisation eller till en samverkan.", code="owner"
            )
        if self.parent_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError(
                {"parent": "Det överordnade målet måste höra till samma organisation."}
            )


class Contribution(models.Model):
    """How an arrangement should serve one of an organisation's own goals."""

    class Strength(models.TextChoices):
        STRONG = "strong", "Stort bidrag"
        SOME = "some", "Visst bidrag"
        INDIRECT = "indirect", "Indirekt bidrag"

    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    goal = models.ForeignKey(
        Goal, verbose_name="eget mål", on_delete=models.CASCADE, related_name="contributions"
    )
    strength = models.CharField(
        "bidrag", max_length=20, choices=Strength.choices, default=Strength.SOME
    )
    public_description = models.TextField("hur samverkan bidrar (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "målbidrag"
        verbose_name_plural = "målbidrag"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "goal"],
                name="contribution_unique",
                violation_error_message="Samverkan är redan kopplad till det målet.",
            )
        ]

    def __str__(self):
        return f"{self.arrangement} → {self.goal}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + "#mal"

    def clean(self):
        if self.goal_id and not self.goal.organisation_id:
            raise ValidationError({"goal": "Välj ett av organisationens egna mål."})


class GoalConflict(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Öppen"
        IN_PROGRESS = "in_progress", "Hanteras"
        RESOLVED = "resolved", "Löst"
        ACCEPTED = "accepted", "Accepterad"

    goal = models.ForeignKey(
        Goal, verbose_name="eget mål", on_delete=models.CASCADE, related_name="conflicts"
    )
    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        on_delete=models.CASCADE,
        related_name="goal_conflicts",
    )
    decision = models.ForeignKey(
        "Decision",
        verbose_name="beslut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goal_conflicts",
    )
    identified_on = models.DateField("konstaterad", null=True, blank=True)
    description = models.TextField("målkonflikt")
    handling = models.TextField("hantering", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    is_published = models.BooleanField("publicerad", default=False)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-identified_on", "pk"]
        verbose_name = "målkonflikt"
        verbose_name_plural = "målkonflikter"

    def __str__(self):
        return f"Målkonflikt: {self.goal} – {self.arrangement}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + "#malkonflikter"


# --- Follow-up, alternatives, decisions ----------------------------------------------------


class Evaluation(models.Model):
    class Attainment(models.TextChoices):
        MET = "met", "Uppfyllda"
        PARTLY = "partly", "Delvis uppfyllda"
        NOT_MET = "not_met", "Inte uppfyllda"
        UNKNOWN = "unknown", "Kan inte bedömas"

    class Recommendation(models.TextChoices):
        CONTINUE = "continue", "Fortsätt"
        DEVELOP = "develop", "Utveckla"
        RENEGOTIATE = "renegotiate", "Omförhandla"
        INVESTIGATE = "investigate", "Utred alternativ"
        EXIT = "exit", "Avveckla/träd ur"

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="evaluations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="gjord av organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text="Lämna tomt för en gemensam uppföljning av alla parter.",
    )
    date = models.DateField("datum")
    evaluator = models.CharField("utförd av", max_length=200, blank=True)
    goal_attainment = models.CharField(
        "måluppfyllelse", max_length=20, choices=Attainment.choices, default=Attainment.UNKNOWN
    )
    cost_assessment = models.TextField("bedömning av kostnader", blank=True)
    collaboration = models.TextField("hur samspelet mellan parterna fungerar", blank=True)
    recommendation = models.CharField(
        "rekommendation", max_length=20, choices=Recommendation.choices, blank=True
    )
    next_evaluation = models.DateField("nästa uppföljning", null=True, blank=True)
    public_summary = models.TextField("sammanfattning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_published = models.BooleanField("publicerad", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"

    def __str__(self):
        return f"Uppföljning {self.date:%Y-%m-%d} av {self.arrangement}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + "#uppfoljning"


class Alternative(models.Model):
    class Kind(models.TextChoices):
        OWN_OPERATION = "own_operation", "Egen regi"
        OTHER_PARTNERS = "other_partners", "Andra parter"
        OTHER_FORM = "other_form", "Annan samverkansform"
        PROCUREMENT = "procurement", "Upphandling"
        ASYMMETRIC = "asymmetric", "Asymmetrisk lösning med större kommun eller regionen"
        MERGER = "merger", "Sammanslagning"
        OTHER = "other", "Annat"

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="alternatives"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="bedömd av organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alternatives",
    )
    kind = models.CharField("alternativ", max_length=20, choices=Kind.choices)
    description = models.TextField("beskrivning (offentlig)", blank=True)
    estimated_cost = models.BigIntegerField("beräknad årlig kostnad (kr)", null=True, blank=True)
    why_not_chosen = models.TextField("varför det inte valdes", blank=True)
    assessed_on = models.DateField("bedömt", null=True, blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_published = models.BooleanField("publicerat", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "pk"]
        verbose_name = "alternativ"
        verbose_name_plural = "alternativ"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.arrangement})"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + "#alternativ"


class Decision(models.Model):
    class Kind(models.TextChoices):
        ENTRY = "entry", "Inträde"
        CHANGE = "change", "Ändring"
        TARIFF = "tariff", "Taxa/avgift"
        SERVICE_CHANGE = "service_change", "Förändrad service"
        BUDGET = "budget", "Budget"
        APPOINTMENT = "appointment", "Val av ledamöter"
        EXIT = "exit", "Utträde"
        OTHER = "other", "Övrigt"

    arrangement = models.ForeignKey(
        Arrangement, verbose_name="samverkan", on_delete=models.CASCADE, related_name="decisions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="beslutande organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="Lämna tomt för beslut i samverkans eget organ.",
    )
    body = models.ForeignKey(
        Body,
        verbose_name="samverkansorgan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    deciding_body = models.CharField(
        "beslutande organ",
        max_length=200,
        help_text="Till exempel kommunfullmäktige eller direktionen.",
    )
    date = models.DateField("beslutsdatum")
    reference = models.CharField("paragraf", max_length=50, blank=True)
    diary_number = models.CharField("diarienummer", max_length=50, blank=True)
    title = models.CharField("rubrik", max_length=300)
    kind = models.CharField(
        "typ av beslut", max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    impact_cost = models.BooleanField("påverkar kostnad", default=False)
    impact_tariff = models.BooleanField("påverkar taxa", default=False)
    impact_service = models.BooleanField("påverkar service", default=False)
    impact_organisation = models.BooleanField("påverkar organisation", default=False)
    informed = models.CharField("vilka informerades", max_length=300, blank=True)
    informed_on = models.DateField("informerade den", null=True, blank=True)
    public_summary = models.TextField("sammanfattning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_published = models.BooleanField("publicerad", default=False)
    document_url = models.URLField("länk till protokoll", blank=True)
    is_example = models.BooleanField("exempeldata", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "beslut"
        verbose_name_plural = "beslut"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("register:decision_detail", args=[self.pk])

    @property
    def impacts(self):
        return [
            label
            for flag, label in (
                (self.impact_cost, "kostnad"),
                (self.impact_tariff, "taxa"),
                (self.impact_service, "service"),
                (self.impact_organisation, "organisation"),
            )
            if flag
        ]


# --- Strategic review ----------------------------------------------------------------------


class Review(models.Model):
    """A dated strategic review of an organisation's cooperation (KS strategisk genomgång)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.CASCADE, related_name="reviews"
    )
    date = models.DateField("datum")
    body = models.CharField("organ", max_length=200, default="Kommunstyrelsen")
    title = models.CharField("rubrik", max_length=300)
    reference = models.CharField("paragraf/diarienummer", max_length=100, blank=True)
    public_summary = models.TextField("sammanfattning (offentlig)", blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    is_example = models.BooleanField("exempeldata", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "strategisk genomgång"
        verbose_name_plural = "strategiska genomgångar"

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("register:review_detail", args=[self.pk])


class ReviewItem(models.Model):
    class Direction(models.TextChoices):
        DEVELOP = "develop", "Utveckla"
        MAINTAIN = "maintain", "Behåll"
        REDUCE = "reduce", "Minska"
        RENEGOTIATE = "renegotiate", "Omförhandla"
        INVESTIGATE = "investigate", "Utred alternativ"
        EXIT = "exit", "Avveckla/träd ur"

    class Priority(models.TextChoices):
        HIGH = "high", "Hög"
        MEDIUM = "medium", "Medel"
        LOW = "low", "Låg"

    class FollowUp(models.TextChoices):
        ON_TRACK = "on_track", "Enligt plan"
        DEVIATION = "deviation", "Avvikelse"
        OVERDUE = "overdue", "Uppföljning försenad"
        NOT_STARTED = "not_started", "Inte påbörjad"

    review = models.ForeignKey(
        Review, verbose_name="genomgång", on_delete=models.CASCADE, related_name="items"
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name="deltagande",
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    direction = models.CharField("inriktning", max_length=20, choices=Direction.choices, blank=True)
    priority = models.CharField("prioritet", max_length=20, choices=Priority.choices, blank=True)
    follow_up = models.CharField("uppföljning", max_length=20, choices=FollowUp.choices, blank=True)
    decision = models.TextField("beslut", blank=True)
    assignment = models.TextField("uppdrag", blank=True)
    due_date = models.DateField("klart senast", null=True, blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "participation__arrangement__name"]
        verbose_name = "genomgångspunkt"
        verbose_name_plural = "genomgångspunkter"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "participation"],
                name="review_item_unique",
                violation_error_message="Samverkan finns redan med i genomgången.",
            )
        ]

    def __str__(self):
        return f"{self.review}: {self.participation.arrangement}"

    def get_absolute_url(self):
        return self.review.get_absolute_url()


# --- Roles ---------------------------------------------------------------------------------


class Membership(models.Model):
    """A user's role in an organisation: editor or reader."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Redigerare"
        READER = "reader", "Läsare"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.READER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique",
                violation_error_message="Användaren har redan en roll i organisationen.",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display().lower()} i {self.organisation}"


# --- Requests to join ----------------------------------------------------------------------


class JoinRequest(models.Model):
    """A request that an organisation take part in an arrangement (begäran om deltagande).

    An editor of an organisation that does not take part asks, on the arrangement's page or
    through an import of the organisation's list; an editor of one of the arrangement's
    participants, or a register administrator, accepts it (the organisation becomes a participant)
    or declines it. Only one request per organisation and arrangement waits for an answer at a
    time.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Väntar på svar"
        ACCEPTED = "accepted", "Godkänd"
        DECLINED = "declined", "Avslagen"

    arrangement = models.ForeignKey(
        Arrangement,
        verbose_name="samverkan",
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    role = models.CharField(
        "begärd roll",
        max_length=20,
        choices=Participation.Role.choices,
        default=Participation.Role.MEMBER,
    )
    message = models.TextField("meddelande", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="begärd av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("begärd", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="besvarad av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("besvarad", null=True, blank=True)
    import_batch = models.ForeignKey(
        "importers.ImportBatch",
        verbose_name="importomgång",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
        help_text="Importen som skickade begäran, om den kom från en import.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "begäran om deltagande"
        verbose_name_plural = "begäranden om deltagande"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "organisation"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
                violation_error_message="Organisationen har redan begärt att få delta i den här "
                "samverkan. Begäran väntar på svar.",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="join_request_decided_when_answered",
                violation_error_message="En besvarad begäran ska ha ett datum för svaret.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} vill delta i {self.arrangement}"

    def get_absolute_url(self):
        return self.arrangement.get_absolute_url() + f"#begaran-{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def clean(self):
        if (
            self.is_pending
            and self.arrangement_id
            and self.organisation_id
            and Participation.objects.filter(
                arrangement_id=self.arrangement_id, organisation_id=self.organisation_id
            ).exists()
        ):
            raise ValidationError(
                "Organisationen deltar redan i samverkan.", code="already_participates"
            )
