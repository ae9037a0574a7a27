"""Goals, how arrangements contribute to them, and conflicts between them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .arrangements import Arrangement
from .reference import Organisation


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
