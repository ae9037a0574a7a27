"""Arrangements and who takes part: participations, bodies, people and their seats."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..validators import format_orgnr, orgnr_constraint_condition
from .fields import OrgnrField, check_end_after_start, end_after_start
from .reference import BodyKind, CooperationForm, Motive, Organisation, ServiceArea


def name_with_party(name, party) -> str:
    """Return a person's name with their party, as every page, file and list writes it:
    'Eva Ek (S)', or the name alone without a party. (Here, beside Person, so that the models do
    not import the rules that read them.)"""
    return f"{name} ({party})" if party else f"{name}"


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
    # As the Dutch register of joint arrangements has them (Wgr art. 136): the tasks the
    # participants have handed over (the seat is ``seat`` above).
    transferred_tasks = models.TextField(
        "överlämnade uppgifter",
        blank=True,
        help_text="De uppgifter som parterna har lämnat över till samverkan (offentligt).",
    )
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
        # A long page links one arrangement from several lists (the overview: some 800 links for
        # 258 arrangements): the address is worked out once per object and primary key.
        known = self.__dict__.get("_absolute_url")
        if known is None or known[0] != self.pk:
            known = self.__dict__["_absolute_url"] = (
                self.pk,
                reverse("register:arrangement_detail", args=[self.pk]),
            )
        return known[1]

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

    Kind = BodyKind

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
    seat_count = models.PositiveSmallIntegerField(
        "antal platser",
        null=True,
        blank=True,
        help_text="Organets ordinarie platser (ledamöter, ordförande och vice ordförande; inte "
        "ersättare). Platsandelen räknas mot det.",
    )
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
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="användarkonto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="Personens konto i registret: startsidan visar då personens uppdrag, nästa "
        "sammanträden och föredragningar.",
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
        return name_with_party(self.name, self.party)

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
