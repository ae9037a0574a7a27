"""The Django admin's change form for an arrangement fits a 1280 px screen (it was 1,600 px)."""

import pytest

from register.models import Arrangement

pytestmark = pytest.mark.browser


def test_the_arrangement_change_form_fits_a_laptop_screen(demo_data, login_as, live_server):
    page = login_as("admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    busiest = max(Arrangement.objects.all(), key=lambda a: a.participations.count())
    page.goto(f"{live_server.url}/admin/register/arrangement/{busiest.pk}/change/")
    assert page.get_by_role("heading", name="Ändra samverkan").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Service areas and motives are checkboxes, each with its label.
    assert page.locator("#id_service_areas input[type=checkbox]").count() > 5
