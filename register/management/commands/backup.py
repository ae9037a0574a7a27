"""python manage.py backup [--output FIL] [--database ALIAS]: see register/backup.py."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from register import backup


def app_version() -> str:
    """The register's version: installed package's, else pyproject.toml's beside the code."""
    try:
        return version("samverkansregistret")
    except PackageNotFoundError:
        pass
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "okänd"


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar hela registret till en .tar.gz: databasen med databasens egna verktyg "
        "(SQLite:s backup-API, pg_dump), de uppladdade filerna (MEDIA_ROOT) och ett manifest med "
        "antal rader och kontrollsumma per tabell."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Filen att skriva (standard: samverkan-backup-<tid i UTC>.tar.gz i aktuell mapp).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output: str | None, database: str, **options):
        if output is None:
            output = f"samverkan-backup-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz"
        connection = connections[database]
        try:
            result = backup.create_backup(
                connection,
                Path(output),
                getattr(settings, "MEDIA_ROOT", ""),
                app_version(),
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        size = result.path.stat().st_size
        self.stdout.write(
            f"Säkerhetskopian är skriven: {result.path} ({size:,} byte).".replace(",", " ")
        )
        self.stdout.write(
            f"{backup.ENGINE_NAMES[manifest['engine']]}: {len(manifest['tables'])} tabeller, "
            f"{rows} rader; {len(manifest['media'])} uppladdade filer."
        )
