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


def test_rows_that_give_different_fields_each_get_the_models_errors():
    """The defaults of the fields a row does not give are worked out once per set of fields
    given; a row that leaves out a field whose default the model refuses gets that error."""
    form = f.form()
    checked: dict = {}
    rows = [
        {"name": "Samverkan", "form_id": form.pk},
        {"form_id": form.pk},  # no name: the default "" is refused
        {"name": "Samverkan", "form_id": form.pk, "start_date": date(2020, 1, 1)},
        {"form_id": form.pk, "orgnr": "123"},
        {"form_id": form.pk},
        {"name": "Samverkan", "form_id": form.pk},
    ]
    for fields in rows * 2:
        assert arrangement_errors(fields, checked) == model_errors(fields)
    assert list(arrangement_errors({"form_id": form.pk, "orgnr": "123"}, checked)) == [
        "name",
        "orgnr",
    ]  # in the model's order
