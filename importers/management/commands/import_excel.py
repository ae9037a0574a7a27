"""python manage.py import_excel PATH --organisation KOMMUNKOD [--dry-run] [--skip-invalid] [--json]

The command acts for the organisation and sees what an editor of it sees (published arrangements
and those it takes part in, ``Access.for_organisation``), exactly as an import on the web does: a
row naming an arrangement it does not take part in becomes a request to join it.

Exit 0 when no row was invalid (or with --skip-invalid), 1 when rows were invalid and nothing was
written, 2 when the file cannot be read at all.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importers.readers.workbook import ReadError, check_size
from importers.results import ImportResult
from importers.services import import_file
from register.models import Organisation


class ProgressBar:
    """A progress bar on stderr (only for files over 1,000 rows)."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 1000:
            return
        share = min(1.0, done / total) if total else 1.0
        percent = int(share * 100)
        if percent == self.last:
            return
        self.last = percent
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rLäser rader [{bar}] {percent:3d} % ({done}/{total})")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Importera en Excel-förteckning (.xlsx) över samverkan för en organisation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Sökväg till .xlsx-filen.")
        parser.add_argument(
            "--organisation",
            required=True,
            help="Kommunkod (fyra siffror) eller länskod för regionen vars lista det är.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle hända utan att spara."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Spara giltiga rader även om andra rader är ogiltiga.",
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def handle(self, *args, **options):
        code = options["organisation"].strip()
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"Det finns ingen organisation med koden {code}.", returncode=2)
        path = Path(options["path"])
        try:
            if not path.is_file():
                raise ReadError(f"Filen {path} finns inte.")
            check_size(path.stat().st_size)
            data = path.read_bytes()
            result = import_file(
                data=data,
                file_name=path.name,
                organisation=organisation,
                dry_run=options["dry_run"],
                all_or_nothing=not options["skip_invalid"],
                progress=ProgressBar(
                    self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
                ),
            )
        except ReadError as exc:
            self._report_unreadable(str(exc), options["json"])
            sys.exit(2)
        self._report(result, options)
        if result.invalid and not options["skip_invalid"]:
            sys.exit(1)

    def _report_unreadable(self, message: str, as_json: bool) -> None:
        if as_json:
            result = ImportResult(read_error=message)
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stderr.write(f"Filen kan inte läsas: {message}")

    def _report(self, result: ImportResult, options) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        summary = result.summary()
        self.stdout.write(
            f"Nya: {summary['created']}, uppdateras: {summary['updated']}, begäran om "
            f"deltagande: {summary['join_requests']}, oförändrade: "
            f"{summary['unchanged']}, ogiltiga: {summary['invalid']}, överhoppade rader: "
            f"{summary['skipped_rows']}."
        )
        for sheet, reason in result.skipped_sheets:
            self.stdout.write(f"Bladet ”{sheet}” hoppades över: {reason}")
        for issue in result.errors:
            self.stdout.write(
                f"Fel i {issue.sheet} rad {issue.row}, {issue.field}: {issue.message}"
            )
        for issue in result.warnings:
            self.stdout.write(
                f"Varning i {issue.sheet} rad {issue.row}, {issue.field}: {issue.message}"
            )
        if options["dry_run"]:
            self.stdout.write("Provkörning: ingenting sparades.")
        elif result.written:
            self.stdout.write(self.style.SUCCESS("Importen är sparad."))
        else:
            self.stdout.write(
                self.style.ERROR(
                    "Ingenting sparades eftersom rader är ogiltiga. Rätta dem eller använd "
                    "--skip-invalid."
                )
            )
