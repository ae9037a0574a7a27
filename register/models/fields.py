"""Field types and constraints that several of the register's models share."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ..validators import normalise_orgnr, validate_orgnr


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
