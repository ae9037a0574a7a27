"""Decisions the registrar makes in the preview instead of in Excel: a possible duplicate is
"the same arrangement as X" or "a new one", an unknown partner name is one of the likely
organisations; each is remembered for the next import of the same list."""

import pytest
from django.urls import reverse

from importers.choices import list_key
from importers.models import ImportChoice, ImportRow
from importers.services import ImportRefused, batch_commit, batch_decide, batch_preview
from register.access import Access
from register.models import Arrangement, Participation

from .conftest import build_xlsx

pytestmark = pytest.mark.django_db

DUPLICATE = [
    ["Namn", "Samverkansform", "Parter", "Värdkommun", "Ansvarig nämnd"],
    ["Miljönämnden", "gem. nämnd", "Vaxholm", "Täby", "Miljönämnden i Täby"],
]


def preview(taby, user, rows, name="Samverkan 2025.xlsx"):
    return batch_preview(
        data=build_xlsx({"Blad1": rows}), file_name=name, organisation=taby, user=user
    )


def the_row(batch) -> ImportRow:
    return batch.rows.get(row_number=2)


def test_the_list_identity_ignores_years_versions_case_and_format():
    assert list_key("Samverkan 2025 v2.xlsx") == list_key("samverkan_2026.xls") == "samverkan"


def test_a_possible_duplicate_offers_the_register_s_arrangement_and_a_new_one(
    client, taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    row = the_row(batch)
    assert row.outcome == "new"
    assert row.offers["duplicate"]["options"] == [
        {"id": shared_arrangement.pk, "name": shared_arrangement.name}
    ]
    client.force_login(taby_editor)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert f'value="same:{shared_arrangement.pk}"' in page and 'value="new"' in page


def test_choosing_the_same_arrangement_updates_it_instead_of_creating_a_duplicate(
    client, taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    client.force_login(taby_editor)
    response = client.post(
        reverse("importers:batch_decide", args=[batch.pk]),
        {"rad": the_row(batch).pk, "val": f"same:{shared_arrangement.pk}"},
        follow=True,
    )
    assert "Valet är sparat" in response.content.decode()
    row = the_row(batch)
    assert row.outcome == "update" and row.arrangement_id == shared_arrangement.pk
    assert "Namn" not in row.diff  # the register's name is kept
    batch_commit(batch=batch, user=taby_editor)
    assert Arrangement.objects.filter(form__slug="joint_committee").count() == 1
    own = Participation.objects.get(arrangement=shared_arrangement, organisation=taby)
    assert own.political_body == "Miljönämnden i Täby"

    # Remembered: the next import of the same list (next year's file) matches at once.
    again = preview(taby, taby_editor, DUPLICATE, name="samverkan_2026.xlsx")
    assert the_row(again).outcome == "unchanged"
    assert the_row(again).arrangement_id == shared_arrangement.pk


def test_choosing_a_new_one_silences_the_warning_now_and_next_time(
    taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    access = Access.for_user(taby_editor)
    batch_decide(
        batch=batch, access=access, row_id=the_row(batch).pk, choice="new", user=taby_editor
    )
    assert the_row(batch).warnings == [] and the_row(batch).outcome == "new"
    again = preview(taby, taby_editor, DUPLICATE)
    assert the_row(again).warnings == [] and the_row(again).offers == {}


def test_an_unknown_partner_offers_likely_organisations_and_the_choice_is_remembered(
    taby, taby_editor
):
    rows = [["Namn", "Samverkansform", "Parter"], ["Räddning Väst", "avtal", "Kungälf"]]
    batch = preview(taby, taby_editor, rows)
    row = the_row(batch)
    assert row.outcome == "invalid"
    [offer] = row.offers["partners"]
    assert offer["text"] == "Kungälf"
    kungalv = next(o for o in offer["options"] if o["name"] == "Kungälvs kommun")
    batch_decide(
        batch=batch,
        access=Access.for_user(taby_editor),
        row_id=row.pk,
        choice=f"partner:0:{kungalv['id']}",
        user=taby_editor,
    )
    assert the_row(batch).outcome == "new"
    assert "Kungälvs kommun" in the_row(batch).diff["Parter som läggs till"]["after"]
    again = preview(taby, taby_editor, rows)
    assert the_row(again).outcome == "new"
    assert ImportChoice.objects.get().list_key == "samverkan"


def test_a_choice_that_was_not_offered_is_refused_and_nothing_is_stored(
    taby, taby_editor, vaxholm, shared_arrangement
):
    other = Arrangement.objects.create(name="Annan", form=shared_arrangement.form)
    batch = preview(taby, taby_editor, DUPLICATE)
    access = Access.for_user(taby_editor)
    for choice in (f"same:{other.pk}", "partner:0:1", "same:x", "", "delete"):
        with pytest.raises(ImportRefused):
            batch_decide(batch=batch, access=access, row_id=the_row(batch).pk, choice=choice)
    assert not ImportChoice.objects.exists()


def test_a_reader_or_another_organisation_cannot_decide(
    client, taby, taby_editor, taby_reader, knivsta_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    url = reverse("importers:batch_decide", args=[batch.pk])
    for user in (taby_reader, knivsta_editor):
        client.force_login(user)
        response = client.post(url, {"rad": the_row(batch).pk, "val": "new"})
        assert response.status_code == 403
    assert not ImportChoice.objects.exists()


def test_a_saved_import_takes_no_more_choices(
    client, taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    batch_decide(
        batch=batch,
        access=Access.for_user(taby_editor),
        row_id=the_row(batch).pk,
        choice="new",
        user=taby_editor,
    )
    row = the_row(batch)
    batch_commit(batch=batch, user=taby_editor)
    client.force_login(taby_editor)
    response = client.post(
        reverse("importers:batch_decide", args=[batch.pk]),
        {"rad": row.pk, "val": "new"},
        follow=True,
    )
    assert "redan genomförd" in response.content.decode()
    assert ImportChoice.objects.count() == 1  # only the answer given before saving


def test_the_preview_page_offers_the_likely_organisations_for_an_unknown_partner(
    client, taby, taby_editor
):
    rows = [["Namn", "Samverkansform", "Parter"], ["Räddning Väst", "avtal", "Kungälf"]]
    batch = preview(taby, taby_editor, rows)
    client.force_login(taby_editor)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert "Vilken organisation är ”Kungälf”?" in page
    assert 'value="partner:0:' in page and "Kungälvs kommun" in page
