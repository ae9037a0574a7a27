"""register.fieldchecks: a field's check of a value, remembered only inside ``remembered()``."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from register import fieldchecks
from register.models import Arrangement, Cost, Participation


def counting(monkeypatch, field):
    calls = []
    original = type(field).clean

    def clean(self, value, instance):
        if self is field:
            calls.append(value)
        return original(self, value, instance)

    monkeypatch.setattr(type(field), "clean", clean)
    return calls


def test_outside_a_block_every_call_checks(monkeypatch):
    field = Arrangement._meta.get_field("name")
    calls = counting(monkeypatch, field)
    assert fieldchecks.clean(field, "Räddningstjänsten") == "Räddningstjänsten"
    assert fieldchecks.clean(field, "Räddningstjänsten") == "Räddningstjänsten"
    assert len(calls) == 2


def test_inside_a_block_each_plain_value_is_checked_once_per_field(monkeypatch):
    field = Arrangement._meta.get_field("name")
    calls = counting(monkeypatch, field)
    with fieldchecks.remembered():
        with fieldchecks.remembered():  # nested: the outer block's outcomes
            assert fieldchecks.clean(field, "Lön") == "Lön"
        assert fieldchecks.clean(field, "Lön") == "Lön"
        assert fieldchecks.clean(field, "IT") == "IT"
    assert calls == ["Lön", "IT"]
    assert fieldchecks.clean(field, "Lön") == "Lön"  # the block is over: checked again
    assert calls == ["Lön", "IT", "Lön"]


def test_a_refused_value_is_refused_with_the_same_messages_every_time():
    field = Arrangement._meta.get_field("name")
    too_long = "x" * (field.max_length + 1)
    with pytest.raises(ValidationError) as plain:
        field.clean(too_long, None)
    with fieldchecks.remembered():
        for _ in range(2):
            with pytest.raises(ValidationError) as remembered:
                fieldchecks.clean(field, too_long)
            assert remembered.value.messages == plain.value.messages


def test_relations_and_decimals_are_checked_every_time(monkeypatch):
    relation = Participation._meta.get_field("organisation")
    amount = Cost._meta.get_field("outcome")
    assert relation.is_relation
    calls = counting(monkeypatch, amount)
    with fieldchecks.remembered():
        fieldchecks.clean(amount, Decimal("1.00"))
        fieldchecks.clean(amount, Decimal("1.00"))
    assert len(calls) == 2


def test_each_field_has_its_own_outcomes_even_one_made_where_another_was_dropped():
    from django.db import models

    with fieldchecks.remembered():
        for _ in range(20):  # a field dropped and another made: often at the same address
            short = models.CharField(max_length=3)
            with pytest.raises(ValidationError):
                fieldchecks.clean(short, "abcd")
            del short
            long = models.CharField(max_length=10)
            assert fieldchecks.clean(long, "abcd") == "abcd"
            del long
        name = Arrangement._meta.get_field("name")
        short_name = Arrangement._meta.get_field("short_name")
        too_long = "x" * (short_name.max_length + 1)
        assert fieldchecks.clean(name, too_long) == too_long
        with pytest.raises(ValidationError):
            fieldchecks.clean(short_name, too_long)
