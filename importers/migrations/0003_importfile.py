"""Uploaded files move out of ImportBatch (which has history) into ImportFile (which has none).

Every batch's bytes are moved as they are; the retention rule (``ImportFile.objects.expired()``,
README "Excelimport") then purges the files it no longer keeps, on the next upload or with
``manage.py purge_imports``. The column is dropped in 0004 (on PostgreSQL a table that has just
had rows inserted with deferred foreign keys cannot be altered in the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models


def move_files(apps, schema_editor):
    """Copy each batch's file into an ImportFile, one file in memory at a time."""
    ImportBatch = apps.get_model("importers", "ImportBatch")
    ImportFile = apps.get_model("importers", "ImportFile")
    db = schema_editor.connection.alias
    batches = ImportBatch.objects.using(db)
    pks = list(batches.filter(file_content__isnull=False).values_list("pk", flat=True))
    for pk in pks:
        content = batches.filter(pk=pk).values_list("file_content", flat=True).get()
        ImportFile.objects.using(db).create(batch_id=pk, content=bytes(content))


def restore_files(apps, schema_editor):
    """Put each stored file back on its batch (the column is back: 0004 was reversed first)."""
    ImportBatch = apps.get_model("importers", "ImportBatch")
    ImportFile = apps.get_model("importers", "ImportFile")
    db = schema_editor.connection.alias
    files = ImportFile.objects.using(db)
    for pk in list(files.values_list("pk", flat=True)):
        content = files.filter(pk=pk).values_list("content", flat=True).get()
        ImportBatch.objects.using(db).filter(pk=pk).update(file_content=bytes(content))


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0002_importrow_join_outcome"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportFile",
            fields=[
                (
                    "batch",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="upload",
                        serialize=False,
                        to="importers.importbatch",
                        verbose_name="importomgång",
                    ),
                ),
                ("content", models.BinaryField(verbose_name="innehåll")),
            ],
            options={
                "verbose_name": "uppladdad fil",
                "verbose_name_plural": "uppladdade filer",
            },
        ),
        migrations.RunPython(move_files, restore_files),
    ]
