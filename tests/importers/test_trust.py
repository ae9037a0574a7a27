"""Small things that erode trust: undo asks first, no stale "de sparas ändå", the summary and
the tabs agree on skipped rows, and every count has the right Swedish number."""

import re

import pytest
from django.urls import reverse

from importers.models import ImportBatch
from importers.services import batch_commit, batch_preview
from importers.views import commit_message
from register.models import Arrangement
from register.rules import count_of

from .conftest import build_xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    ["Namn", "Samverkansform", "Parter", "Verksamhetsområde"],
    ["Vårdförbundet", "Kommunalförbund", "Vaxholm", "Fiskevård"],  # a warning: unknown area
    [],
    ["Summa", None, None, None],
]


def preview(taby, taby_editor, rows=ROWS):
    return batch_preview(
        data=build_xlsx({"Blad1": rows}), file_name="lista.xlsx", organisation=taby,
        user=taby_editor,
    )  # fmt: skip


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 rader"), (1, "1 rad"), (2, "2 rader"), (1234, "1\u00a0234 rader")],
)
def test_every_count_agrees_in_number_through_one_rule(n, expected):
    assert count_of(n, "rad", "rader") == expected


def test_the_batch_page_offers_undo_as_a_link_to_a_confirmation_not_a_direct_post(
    client, taby, taby_editor, vaxholm
):
    batch = preview(taby, taby_editor)
    batch_commit(batch=batch, all_or_nothing=True, user=taby_editor)
    client.force_login(taby_editor)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    undo_url = reverse("importers:batch_undo", args=[batch.pk])
    assert f'action="{undo_url}"' not in page  # no form that undoes at once
    assert f'href="{undo_url}"' in page
    confirm = client.get(undo_url)
    assert "Avbryt" in confirm.content.decode() and Arrangement.objects.exists()
    client.post(undo_url)
    assert not Arrangement.objects.filter(name="Vårdförbundet").exists()


def test_after_a_save_or_an_undo_the_page_no_longer_says_the_warnings_are_saved_anyway(
    client, taby, taby_editor, vaxholm
):
    client.force_login(taby_editor)
    batch = preview(taby, taby_editor)
    url = reverse("importers:batch_detail", args=[batch.pk])
    assert "1 rad har varningar (se nedan); den sparas ändå." in text(client.get(url))
    batch_commit(batch=batch, all_or_nothing=True, user=taby_editor)
    assert "sparas ändå" not in text(client.get(url))
    client.post(reverse("importers:batch_undo", args=[batch.pk]))
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.UNDONE
    assert "sparas ändå" not in text(client.get(url))


def test_the_summary_and_the_tab_agree_on_the_number_of_skipped_rows(
    client, taby, taby_editor, vaxholm
):
    client.force_login(taby_editor)
    batch = preview(taby, taby_editor)
    page = text(client.get(reverse("importers:batch_detail", args=[batch.pk])))
    assert "1 Överhoppad summarad hoppas över" in page
    assert "Överhoppade (1)" in page
    assert "1 tom rad i filen lästes inte." in page


def test_the_save_message_agrees_in_number_with_every_count(taby, taby_editor, vaxholm):
    batch = preview(taby, taby_editor)
    result = batch_commit(batch=batch, all_or_nothing=True, user=taby_editor)
    assert commit_message(result) == (
        "Importen är sparad: 1 ny samverkan, 0 uppdaterade och 0 oförändrade."
    )
