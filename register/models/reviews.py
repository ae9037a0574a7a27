"""Strategic reviews of an organisation's cooperation and their items."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .arrangements import Participation
from .reference import Organisation


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
    term_start_year = models.PositiveSmallIntegerField(
        "mandatperiod (från år)",
        null=True,
        blank=True,
        help_text="Valåret då mandatperioden börjar, till exempel 2026 för 2026–2030.",
    )
    closed_on = models.DateField("avslutad", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "strategisk genomgång"
        verbose_name_plural = "strategiska genomgångar"

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("register:review_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def term_label(self) -> str:
        if not self.term_start_year:
            return ""
        return f"{self.term_start_year}–{self.term_start_year + 4}"


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

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Fortsätt"
        CONTINUE_CHANGED = "continue_changed", "Fortsätt med förändringar"
        RENEGOTIATE = "renegotiate", "Omförhandla"
        INVESTIGATE = "investigate", "Utred alternativ"
        EXIT = "exit", "Träd ur"

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
    # The board's four questions about each arrangement, each asked once (DOMAIN.md: direction,
    # priority and follow-up, and the position that becomes a decision when the review closes).
    direction = models.CharField(
        "inriktning",
        max_length=20,
        choices=Direction.choices,
        blank=True,
        help_text="Vart samverkan ska gå de kommande åren.",
    )
    priority = models.CharField(
        "prioritet",
        max_length=20,
        choices=Priority.choices,
        blank=True,
        help_text="Hur viktig samverkan är för kommunens egna mål.",
    )
    follow_up = models.CharField(
        "uppföljning",
        max_length=20,
        choices=FollowUp.choices,
        blank=True,
        help_text="Hur arbetet med uppdraget går.",
    )
    decision = models.TextField("beslut", blank=True)
    assignment = models.TextField("uppdrag", blank=True)
    due_date = models.DateField("klart senast", null=True, blank=True)
    internal_note = models.TextField("intern anteckning", blank=True)
    direction_text = models.TextField(
        "inriktning i ord",
        blank=True,
        help_text="Valfritt: vad inriktningen innebär för just denna samverkan. "
        "Texten förs in i beslutet.",
    )
    outcome = models.CharField(
        "ställningstagande",
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="Kommunstyrelsens beslut om samverkan. Varje punkt behöver ett "
        "ställningstagande innan genomgången kan avslutas; det förs då in som ett beslut "
        "på samverkan.",
    )
    assignment_done_on = models.DateField("uppdraget klart", null=True, blank=True)
    decision_record = models.ForeignKey(
        "Decision",
        verbose_name="beslut på samverkan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_items",
    )

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
