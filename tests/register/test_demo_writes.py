"""load_demo writes through the register's services, as the forms do: the same validation, and a
value that breaks a rule is refused with nothing written. (Apart from test_demo.py, whose module
fixture has already loaded the demo.)"""

import pytest
from django.core.exceptions import ValidationError

from register import demo as demo_module
from register.demo import DemoLoader, load_demo
from register.models import Arrangement, Participation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_loader_writes_through_the_services_the_forms_use(monkeypatch):
    calls = []
    for name in ("arrangement_create", "participation_set", "cost_set", "record_save"):
        real_service = getattr(demo_module, name)

        def spy(*args, _service=real_service, _name=name, **kwargs):
            calls.append(_name)
            return _service(*args, **kwargs)

        monkeypatch.setattr(demo_module, name, spy)
    load_demo(password="pw-demo-12345")
    assert {"arrangement_create", "participation_set", "cost_set", "record_save"} <= set(calls)
    assert calls.count("arrangement_create") == Arrangement.objects.count()


def test_the_loader_refuses_an_over_long_value_and_writes_nothing(taby):
    loader = DemoLoader()
    with pytest.raises(ValidationError, match="300"):
        loader.sync(
            Arrangement,
            {"external_id": "demo-for-long"},
            {"name": "x" * 301, "form": f.form("agreement"), "host": taby},
            m2m={"service_areas": []},
        )
    assert not Arrangement.objects.filter(external_id="demo-for-long").exists()


def test_the_loader_refuses_a_role_that_is_not_one_of_the_choices(shared_arrangement, knivsta):
    with pytest.raises(ValidationError):
        DemoLoader().sync(
            Participation,
            {"arrangement": shared_arrangement, "organisation": knivsta},
            {"role": "boss"},
        )
    assert not shared_arrangement.participations.filter(organisation=knivsta).exists()
