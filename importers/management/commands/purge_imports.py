"""python manage.py purge_imports

Delete the uploaded files that the retention rule no longer keeps (README, "Excelimport"): a
file is kept only while its batch is a preview uploaded within the last IMPORT_PREVIEW_DAYS days
(7). Every upload does the same; run this daily (cron, a systemd timer) so that an installation
where nobody uploads does not keep old files either. The batches and their rows stay.
"""

from django.core.management.base import BaseCommand

from importers.models import preview_days
from importers.storage import purge_files


class Command(BaseCommand):
    help = (
        "Ta bort uppladdade importfiler som inte längre behövs: filen till en sparad, ångrad "
        "eller misslyckad import och till en förhandsgranskning som är äldre än det antal dagar "
        "som filer sparas."
    )

    def handle(self, *args, **options):
        deleted = purge_files()
        self.stdout.write(
            f"{deleted} {'fil' if deleted == 1 else 'filer'} togs bort (filer till "
            f"förhandsgranskningar sparas i {preview_days()} dagar)."
        )
