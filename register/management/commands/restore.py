"""python manage.py restore FIL [--force] [--compare] [--database ALIAS]: see register/backup.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from register import backup


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från manage.py backup till en tom databas (eller, med "
        "--force, i stället för allt i databasen) och jämför sedan varje tabell med manifestet. "
        "Med --compare jämförs bara databasen med säkerhetskopian; inget ändras."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Säkerhetskopian (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ersätt databasens innehåll och MEDIA_ROOT även om de inte är tomma.",
        )
        parser.add_argument(
            "--compare",
            action="store_true",
            help="Jämför bara databasen med säkerhetskopian (antal rader och kontrollsumma per "
            "tabell); ändrar inget.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive: str, force: bool, compare: bool, database: str, **options):
        connection = connections[database]
        media_root = getattr(settings, "MEDIA_ROOT", "")
        try:
            with tempfile.TemporaryDirectory(prefix="samverkan-restore-") as work:
                unpacked = backup.unpack(Path(archive), Path(work))
                pending = backup.check_compatible(unpacked, connection)
                if compare:
                    self.compare(unpacked, connection)
                    return
                self.check_target(unpacked, connection, media_root, force)
                fresh = backup.prepare_media(unpacked, media_root)
                try:
                    backup.restore_database(unpacked, connection)
                except backup.BackupError:
                    backup.discard_media(fresh)
                    raise
                backup.swap_media(fresh, media_root)
                files = len(unpacked.manifest["media"])
                self.stdout.write(
                    f"Återställt från {archive} (säkerhetskopia från "
                    f"{unpacked.manifest['created']}); {files} uppladdade filer."
                )
                self.compare(unpacked, connection)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if pending:
            self.stdout.write(
                "Koden har migreringar som säkerhetskopian saknar: kör python manage.py migrate "
                f"({', '.join(pending)})."
            )

    def check_target(self, unpacked, connection, media_root, force: bool) -> None:
        """Refuse, before anything changes, a target that holds something (without --force)."""
        tables = backup.is_empty(connection)
        if tables and not force:
            raise backup.BackupError(
                f"Databasen {connection.settings_dict['NAME']} är inte tom ({len(tables)} "
                "tabeller). Återställ till en ny, tom databas, eller ange --force för att ersätta "
                "allt i den. Inget har ändrats."
            )
        if unpacked.manifest["media"] and not media_root:
            raise backup.BackupError(
                f"Säkerhetskopian har {len(unpacked.manifest['media'])} uppladdade filer men "
                "MEDIA_ROOT är inte satt. Inget har ändrats."
            )
        if force:
            return
        root = Path(media_root) if media_root else None
        if unpacked.manifest["media"] and root and root.is_dir() and any(root.iterdir()):
            raise backup.BackupError(
                f"MEDIA_ROOT ({root}) är inte tom. Ange --force för att ersätta filerna. "
                "Inget har ändrats."
            )

    def compare(self, unpacked, connection) -> None:
        found = backup.database_summary(connection)
        wrong = backup.differences(unpacked.manifest, found)
        if wrong:
            raise backup.BackupError(
                "Databasen stämmer inte med säkerhetskopian:\n  " + "\n  ".join(wrong)
            )
        rows = sum(t["rows"] for t in found["tables"].values())
        self.stdout.write(
            f"Kontroll: databasen stämmer med säkerhetskopian ({len(found['tables'])} tabeller, "
            f"{rows} rader, samma kontrollsumma i varje tabell)."
        )
