"""Reference tables (counties, forms of cooperation, service areas, motives) and organisations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..validators import digits_condition, format_orgnr, orgnr_constraint_condition
from .fields import OrgnrField

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


class BodyKind(models.TextChoices):
    """The kinds of body an arrangement has (``Body.Kind``); a form names the one that decides."""

    FEDERATION_ASSEMBLY = "federation_assembly", "Förbundsfullmäktige"
    FEDERATION_BOARD = "federation_board", "Förbundsdirektion"
    JOINT_COMMITTEE = "joint_committee", "Gemensam nämnd"
    COMPANY_BOARD = "company_board", "Bolagsstyrelse"
    STEERING_GROUP = "steering_group", "Politisk styrgrupp"
    OFFICIALS_GROUP = "officials_group", "Tjänstepersonsgrupp"
    WORKING_GROUP = "working_group", "Arbetsgrupp"
    OTHER = "other", "Annat organ"


class CooperationForm(models.Model):
    """A form of cooperation (samverkansform). Extensible: a new form is a new row, and what the
    register's rules need to know of a form (``register.rules``) is on the row too: the roles of
    its participants and the joint body that decides for it."""

    class Roles(models.TextChoices):
        HOST_AND_MEMBERS = "host_members", "Värd och medlemmar"
        PROVIDER_AND_PURCHASERS = "provider_purchasers", "Utförare och köpare"
        OWNERS = "owners", "Ägare"

    slug = models.SlugField("kod", max_length=50, unique=True)
    name = models.CharField("benämning", max_length=100)
    legal_basis = models.CharField("rättslig grund", max_length=200, blank=True)
    description = models.TextField("beskrivning", blank=True)
    is_legal_entity = models.BooleanField("egen juridisk person", default=False)
    participant_roles = models.CharField(
        "parternas roller",
        max_length=20,
        choices=Roles.choices,
        default=Roles.HOST_AND_MEMBERS,
        help_text="Avtalssamverkan: en utförare och köpare. Bolag: alla är ägare. Annars: en värd "
        "och medlemmar.",
    )
    deciding_body_kind = models.CharField(
        "beslutande organ, typ",
        max_length=30,
        choices=BodyKind.choices,
        blank=True,
        help_text="Det gemensamma organ som beslutar för samverkan. Tomt om formen saknar eget "
        "organ (då beslutar parternas egna organ).",
    )
    deciding_body_name = models.CharField(
        "beslutande organ, namn", max_length=200, blank=True, help_text="Till exempel Styrelsen."
    )
    sort_order = models.PositiveSmallIntegerField("sortering", default=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "samverkansform"
        verbose_name_plural = "samverkansformer"
        constraints = [
            models.CheckConstraint(
                condition=Q(deciding_body_kind="", deciding_body_name="")
                | (~Q(deciding_body_kind="") & ~Q(deciding_body_name="")),
                name="cooperationform_deciding_body_kind_and_name",
                violation_error_message="Ange både typ och namn på det beslutande organet, eller "
                "inget av dem.",
            )
        ]

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
    evaluation_interval_years = models.PositiveSmallIntegerField(
        "uppföljning senast vart (år)",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="En samverkan utan uppföljning på så här många år ska följas upp.",
    )

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


class PopulationFigure(models.Model):
    """An organisation's population on 31 December of a year (SCB's figures).

    Reference data, loaded with the municipalities (``register/data/population.csv``); a region's
    figure is the sum of its county's municipalities. Per-inhabitant figures take the population
    of their own year, or of the nearest earlier year named as such (``rules.population_in``).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    year = models.PositiveSmallIntegerField(
        "år", validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    population = models.PositiveIntegerField("folkmängd 31 december")
    source = models.CharField("källa", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "year"]
        verbose_name = "folkmängd"
        verbose_name_plural = "folkmängd per år"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="population_figure_unique_year",
                violation_error_message="Det finns redan en folkmängd för det året.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"
