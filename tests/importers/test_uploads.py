"""Uploaded files: kept apart from the batch's history, only as long as a preview needs them
(README, "Excelimport"), and moved there from the batches by a migration."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from importers.models import ImportBatch, ImportFile, preview_days
from importers.services import (
    ImportRefused,
    batch_commit,
    batch_preview,
    batch_undo,
    import_file,
    purge_files,
)
from register.models import Arrangement

from .conftest import EXAMPLE, HEADER, build_xlsx

pytestmark = pytest.mark.django_db

DATA = EXAMPLE.read_bytes()


def preview(organisation, data=DATA, **kw):
    return batch_preview(data=data, file_name="lista.xlsx", organisation=organisation, **kw)


def age(batch, days):
    """Make the batch look uploaded ``days`` days ago."""
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=days))


def history_models():
    return [m for m in apps.get_models() if m.__name__.startswith("Historical")]


def test_saving_an_import_batch_writes_no_file_bytes_to_any_history_table(taby, taby_editor):
    batch = preview(taby, user=taby_editor)
    batch_commit(batch=batch, user=taby_editor)
    batch_undo(batch=ImportBatch.objects.get(pk=batch.pk))
    assert ImportBatch.history.filter(id=batch.pk).count() >= 3  # every save made a version
    for model in history_models():
        binary = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.BinaryField | models.FileField)
        ]
        assert binary == [], f"{model.__name__} has a column for file bytes: {binary}"
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a table name of our own
            values = [value for row in cursor.fetchall() for value in row]
        blobs = [v for v in values if isinstance(v, bytes | bytearray | memoryview)]
        assert blobs == [], f"{model.__name__} holds bytes"
        assert not any(isinstance(v, str) and len(v) >= len(DATA) for v in values)


def test_a_preview_keeps_its_file_without_history_until_it_is_saved(taby, taby_editor):
    batch = preview(taby, user=taby_editor)
    assert bytes(ImportFile.objects.get(batch=batch).content) == DATA
    assert not hasattr(ImportFile, "history")
    result = batch_commit(batch=batch, user=taby_editor)
    assert result.written and Arrangement.objects.count() == 5
    assert not ImportFile.objects.exists()
    # The rows stay: what happened to every row, and the invalid rows to download.
    assert ImportBatch.objects.get(pk=batch.pk).rows.filter(outcome="new").count() == 5


def test_a_refused_commit_keeps_the_file_so_that_the_valid_rows_can_be_saved(taby):
    data = build_xlsx(
        {"Samverkan": [HEADER, ["Lönenämnden", "gemensam nämnd", "Vaxholm"], ["", "avtal"]]}
    )
    batch = preview(taby, data=data)
    result = batch_commit(batch=batch, all_or_nothing=True)
    assert not result.written and ImportFile.objects.filter(batch=batch).exists()
    result = batch_commit(batch=ImportBatch.objects.get(pk=batch.pk), all_or_nothing=False)
    assert result.written and not ImportFile.objects.exists()
    assert Arrangement.objects.filter(name="Lönenämnden").exists()


def test_the_command_line_import_stores_no_file(taby):
    result = import_file(data=DATA, file_name="lista.xlsx", organisation=taby)
    assert result.written and ImportBatch.objects.count() == 1
    assert not ImportFile.objects.exists()


def test_a_preview_older_than_the_retention_period_cannot_be_saved(client, taby, taby_editor):
    batch = preview(taby, user=taby_editor)
    age(batch, preview_days() + 1)
    with pytest.raises(ImportRefused, match="finns inte längre sparad"):
        batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    assert not Arrangement.objects.exists()

    client.force_login(taby_editor)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert f"en fil sparas i {preview_days()} dagar" in page
    assert "Ladda upp filen igen" in page
    assert reverse("importers:batch_commit", args=[batch.pk]) not in page
    response = client.post(reverse("importers:batch_commit", args=[batch.pk]), follow=True)
    assert "finns inte längre sparad" in response.content.decode()
    assert not Arrangement.objects.exists()


def test_a_preview_within_the_retention_period_can_be_saved(taby):
    batch = preview(taby)
    age(batch, preview_days() - 1)
    assert batch_commit(batch=ImportBatch.objects.get(pk=batch.pk)).written


def test_the_retention_period_is_a_setting(taby, settings):
    settings.IMPORT_PREVIEW_DAYS = 1
    batch = preview(taby)
    age(batch, 2)
    with pytest.raises(ImportRefused, match="en fil sparas i 1 dagar"):
        batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))


def test_purge_imports_deletes_every_file_the_rule_no_longer_keeps(taby):
    recent = preview(taby)
    old = preview(taby)
    age(old, preview_days() + 1)
    # A committed batch with a file (as the migration moves them) keeps it only until the purge.
    committed = ImportBatch.objects.create(
        organisation=taby, file_name="gammal.xlsx", checksum="0" * 64, mode="committed"
    )
    ImportFile.objects.create(batch=committed, content=DATA)
    out = call_command_output("purge_imports")
    assert "2 filer togs bort" in out and f"sparas i {preview_days()} dagar" in out
    assert list(ImportFile.objects.values_list("batch_id", flat=True)) == [recent.pk]
    assert ImportBatch.objects.count() == 3  # the batches and their rows stay
    assert call_command_output("purge_imports").startswith("0 filer togs bort")


def test_every_upload_purges_the_files_the_rule_no_longer_keeps(taby):
    old = preview(taby)
    age(old, preview_days() + 1)
    new = preview(taby)
    assert list(ImportFile.objects.values_list("batch_id", flat=True)) == [new.pk]


def test_an_undone_batch_keeps_no_file(taby):
    batch = preview(taby)
    batch_commit(batch=batch)
    batch = ImportBatch.objects.get(pk=batch.pk)
    ImportFile.objects.create(batch=batch, content=DATA)  # as if moved by the migration
    batch_undo(batch=batch)
    assert not ImportFile.objects.exists()
    assert purge_files() == 0


def call_command_output(name, *args) -> str:
    import io

    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


# --- the migration ------------------------------------------------------------------------------

BEFORE = [("importers", "0002_importrow_join_outcome")]
AFTER = [("importers", "0004_remove_importbatch_file_content")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_every_batch_file_out_of_the_batch_and_its_history():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        organisation = old.get_model("register", "Organisation").objects.get(code="0160")
        Batch = old.get_model("importers", "ImportBatch")
        with_file = Batch.objects.create(
            organisation_id=organisation.pk,
            file_name="lista.xlsx",
            checksum="0" * 64,
            file_content=DATA,
        )
        without_file = Batch.objects.create(
            organisation_id=organisation.pk, file_name="tom.xlsx", checksum="1" * 64
        )
        old.get_model("importers", "HistoricalImportBatch").objects.create(
            id=with_file.pk,
            organisation_id=organisation.pk,
            file_name="lista.xlsx",
            checksum="0" * 64,
            created_at=timezone.now(),
            file_content=DATA,
            history_date=timezone.now(),
            history_type="+",
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        files = new.get_model("importers", "ImportFile").objects.all()
        assert [(f.batch_id, bytes(f.content)) for f in files] == [(with_file.pk, DATA)]
        assert (
            new.get_model("importers", "ImportBatch")
            .objects.filter(pk__in=[with_file.pk, without_file.pk])
            .count()
            == 2
        )
        with connection.cursor() as cursor:
            for table in ("importers_importbatch", "importers_historicalimportbatch"):
                columns = connection.introspection.get_table_description(cursor, table)
                assert "file_content" not in [c.name for c in columns]

        # And back: the files return to their batches.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        restored = old.get_model("importers", "ImportBatch").objects.get(pk=with_file.pk)
        assert bytes(restored.file_content) == DATA
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
