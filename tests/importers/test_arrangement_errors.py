"""The import checks an arrangement's fields once per distinct value (changes.arrangement_errors)
and says exactly what the model instance's clean_fields() and clean() say."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from importers.changes import arrangement_errors
from register.models import Arrangement
from tests import factories as f

pytestmark = pytest.mark.django_db

EXCLUDE = ["form", "host", "legal_entity", "predecessor", "parent", "website"]


def model_errors(fields: dict) -> dict:
    instance = Arrangement(**fields)
    try:
        instance.clean_fields(exclude=EXCLUDE)
        instance.clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"name": "x" * 400},
        {"orgnr": "123"},
        {"start_date": date(2020, 1, 1), "end_date": date(2019, 1, 1)},
        {"notice_months": -3},
        {"name": "", "orgnr": "5560000000"},
    ],
)
def test_the_same_errors_as_the_model_gives(extra):
    form = f.form()
    fields = {"name": "Samverkan", "form_id": form.pk} | extra
    checked: dict = {}
    assert arrangement_errors(fields, checked) == model_errors(fields)
    assert arrangement_errors(fields, checked) == model_errors(fields)  # and from the memo
