"""The batch (and its history) no longer holds the file: 0003 moved every file to ImportFile.

Dropping the history table's column also removes every copy of the files that earlier saves of
a batch wrote there.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0003_importfile"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalimportbatch",
            name="file_content",
        ),
        migrations.RemoveField(
            model_name="importbatch",
            name="file_content",
        ),
    ]
