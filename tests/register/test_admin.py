import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

# The search index (register/search.py) is derived from the other models' rows and rebuilt from
# them (rebuild_search_index): nothing to edit by hand, so no admin.
DERIVED = {"SearchEntry"}
REGISTER_MODELS = [
    m for m in apps.get_app_config("register").get_models() if m.__name__ not in DERIVED
]
# Made only on the product's own pages (an invitation sends its e-mail there; a background job
# by its PDF link): no add page.
NO_ADD_PAGE = {"Invitation", "BackgroundJob"}
# Derived from the register, not part of it: no history (register/models/jobs.py).
NO_HISTORY = {"BackgroundJob"}


def test_every_register_model_has_an_admin():
    missing = [
        m.__name__
        for m in REGISTER_MODELS
        if not m.__name__.startswith("Historical") and m not in admin.site._registry
    ]
    assert missing == []


def test_register_admins_keep_history():
    from simple_history.admin import SimpleHistoryAdmin

    for model in REGISTER_MODELS:
        if model in admin.site._registry and model.__name__ not in NO_HISTORY:
            assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


@pytest.mark.parametrize(
    "model",
    [m for m in REGISTER_MODELS if not m.__name__.startswith("Historical")],
    ids=lambda m: m.__name__,
)
def test_admin_changelist_and_add_pages_load(client, admin_user, shared_arrangement, model):
    client.force_login(admin_user)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist + "?q=a").status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert client.get(add).status_code == (403 if model.__name__ in NO_ADD_PAGE else 200)


def test_arrangement_admin_shows_participations_inline(client, admin_user, shared_arrangement):
    client.force_login(admin_user)
    url = reverse("admin:register_arrangement_change", args=[shared_arrangement.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Vaxholms kommun" in response.content.decode()


def test_arrangement_admin_history_page_loads(client, admin_user, shared_arrangement):
    client.force_login(admin_user)
    url = reverse("admin:register_arrangement_history", args=[shared_arrangement.pk])
    assert client.get(url).status_code == 200


def test_non_staff_user_cannot_open_the_admin(client, taby_editor):
    client.force_login(taby_editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
