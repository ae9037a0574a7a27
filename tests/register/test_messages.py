"""Django's stock validator messages in plain Swedish (locale/sv overrides Django's catalogue)."""

from django import forms
from django.utils import translation

from register.models import Participation


class Name(forms.Form):
    name = forms.CharField(max_length=300)
    share = forms.DecimalField(min_value=0, max_value=100)


def test_a_too_long_text_is_told_in_plain_swedish():
    with translation.override("sv"):
        form = Name({"name": "x" * 301, "share": "-1"})
        assert not form.is_valid()
        assert form.errors["name"] == ["Texten får vara högst 300 tecken lång, men är 301 tecken."]
        assert form.errors["share"] == ["Värdet får inte vara mindre än 0."]
        form = Name({"name": "x", "share": "101"})
        form.is_valid()
        assert form.errors["share"] == ["Värdet får inte vara större än 100."]


def test_a_model_field_limit_gets_the_same_message():
    with translation.override("sv"):
        p = Participation(cost_share=-5)
        errors = {}
        try:
            p.clean_fields(exclude=["arrangement", "organisation"])
        except Exception as e:  # ValidationError
            errors = e.message_dict
        assert errors["cost_share"] == ["Värdet får inte vara mindre än 0."]
