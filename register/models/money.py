"""Costs: each participant's per year, and an arrangement's total per year."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .. import rules  # the module: rules.py itself uses the models
from .arrangements import Arrangement, Participation


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
        return rules.best_amount(self)


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
