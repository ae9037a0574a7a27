"""Who may see, save and undo an import batch is ``register.access.Access``; the pages read
through ``importers.selectors``."""

import ast
from pathlib import Path

import pytest

from importers import selectors
from importers.models import ImportBatch, ImportRow
from importers.services import batch_preview
from register.access import Access
from register.models import Membership
from tests import factories as f

from .conftest import HEADER, build_xlsx

pytestmark = pytest.mark.django_db


def batch_of(organisation, name="lista.xlsx"):
    return ImportBatch.objects.create(organisation=organisation, file_name=name, checksum="0" * 64)


@pytest.fixture
def batches(taby, knivsta):
    return batch_of(taby, "taby.xlsx"), batch_of(knivsta, "knivsta.xlsx")


def test_members_see_their_own_organisations_batches_and_administrators_all(
    batches, taby_editor, taby_reader, knivsta_editor, admin_user
):
    taby_batch, knivsta_batch = batches
    stranger = f.make_user("framling")

    def seen(user):
        return set(Access.for_user(user).visible(ImportBatch.objects.all()))

    assert seen(taby_editor) == seen(taby_reader) == {taby_batch}
    assert seen(knivsta_editor) == {knivsta_batch}
    assert seen(admin_user) == {taby_batch, knivsta_batch}
    assert seen(stranger) == set()
    assert seen(None) == set()


def test_import_batches_narrows_a_given_queryset(batches, taby_editor):
    taby_batch, _ = batches
    access = Access.for_user(taby_editor)
    assert list(access.visible(ImportBatch.objects.filter(file_name="taby.xlsx"))) == [taby_batch]
    assert not access.visible(ImportBatch.objects.filter(file_name="knivsta.xlsx"))


@pytest.mark.parametrize(
    "actor, can_view, can_change",
    [
        ("editor", True, True),
        ("reader", True, False),
        ("other_editor", False, False),
        ("stranger", False, False),
        ("admin", True, True),
    ],
)
def test_a_batch_is_seen_by_its_members_and_saved_or_undone_by_its_editors(
    taby, knivsta, actor, can_view, can_change
):
    users = {
        "editor": lambda: f.make_member(taby, Membership.Role.EDITOR),
        "reader": lambda: f.make_member(taby, Membership.Role.READER),
        "other_editor": lambda: f.make_member(knivsta, Membership.Role.EDITOR),
        "stranger": lambda: f.make_user(),
        "admin": lambda: f.make_user(superuser=True),
    }
    access = Access.for_user(users[actor]())
    batch = batch_of(taby)
    assert access.can_view(batch) is can_view
    assert access.can_change(batch) is can_change
    assert (batch in access.visible(ImportBatch.objects.all())) is can_view


def test_the_batch_list_shows_the_newest_first(taby, taby_editor):
    first, second = batch_of(taby, "först.xlsx"), batch_of(taby, "sedan.xlsx")
    page = selectors.batch_list_page(Access.for_user(taby_editor), None)
    assert list(page.object_list) == [second, first]


def test_the_batch_page_counts_every_outcome_and_pages_the_rows(taby):
    rows = [["Lönenämnden", "gemensam nämnd", "Vaxholm"], ["", "avtal"]]
    rows += [[f"Samverkan {i}", "avtal", "Vaxholm"] for i in range(120)]
    batch = batch_preview(
        data=build_xlsx({"Samverkan": [HEADER, *rows]}), file_name="l.xlsx", organisation=taby
    )
    shown = selectors.batch_rows(batch)
    assert shown.counts == {ImportRow.Outcome.NEW: 121, ImportRow.Outcome.INVALID: 1}
    assert (shown.invalid, shown.to_write, shown.to_join) == (1, 121, 0)
    assert shown.has_file
    assert len(shown.rows) == selectors.ROWS_PER_PAGE
    assert shown.rows[0].display_name == "Lönenämnden"
    assert ("", "Alla rader", 122) in shown.filters
    invalid = selectors.batch_rows(batch, outcome=ImportRow.Outcome.INVALID)
    assert [r.row_number for r in invalid.rows] == [3]
    assert selectors.batch_rows(batch, page_number=2).rows[-1].display_name == "Samverkan 119"


def test_the_upload_page_offers_an_editors_own_organisations_as_templates(
    taby, taby_editor, admin_user
):
    assert selectors.template_organisations(Access.for_user(taby_editor)) == [taby]
    assert selectors.template_organisations(Access.for_user(admin_user)) == []


def test_the_import_views_query_nothing_themselves():
    """The views are thin: every query goes through Access, the selectors or the services."""
    source = Path(selectors.__file__).with_name("views.py").read_text()
    tree = ast.parse(source)
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"objects", "get_object_or_404", "Paginator", "Count", "filter"}
    assert "_can_view" not in source and "_can_edit" not in source
