"""Follow-up of an arrangement: evaluations, alternatives and decisions."""

import json

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .arrangements import Arrangement, Body
from .reference import Organisation


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
    goal_attainments = models.JSONField(
        "måluppfyllelse per mål",
        default=list,
        blank=True,
        help_text="Per mål som samverkan bidrar till: [{goal, title, attainment}]; målets rubrik "
        "som den var vid uppföljningen.",
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

    @property
    def goal_attainment_rows(self) -> list[tuple[str, str]]:
        """Return (goal, attainment in words) per goal assessed."""
        labels = dict(self.Attainment.choices)
        rows = self.goal_attainments or []
        if isinstance(rows, str):  # read back raw by a UNION query (selectors/union.py)
            try:
                rows = json.loads(rows)
            except ValueError:
                rows = []
        return [
            (row.get("title", ""), labels.get(row.get("attainment"), ""))
            for row in rows
            if isinstance(rows, list)
            if isinstance(row, dict)
        ]


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
