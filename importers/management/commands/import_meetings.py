"""python manage.py import_meetings FILE --body ID (--organisation KOD | --user NAMN) [--json]

Import a joint body's meeting calendar (iCalendar, .ics) or agenda list (.xlsx) into its
meetings (:mod:`importers.meetings`). The command acts for an organisation, as ``import_excel``
does (``Access.for_organisation``: what an editor of it may change), or for a user (what the user
may change); either way it must be allowed to change the body.

Exit 0 when the file was imported, 1 when it was refused (a body the acting organisation may not
change, events or rows at fault: nothing was written), 2 when the file cannot be read at all or
the body, organisation or user does not exist.
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from importers.meetings import import_meetings
from importers.readers.workbook import ReadError, RowErrors, check_size
from register.access import Access
from register.models import Body, Organisation


class Command(BaseCommand):
    help = (
        "Importera ett organs sammanträden från dess sammanträdeskalender (.ics) eller en "
        "dagordningslista (.xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Sökväg till .ics- eller .xlsx-filen.")
        parser.add_argument("--body", required=True, type=int, help="Organets id i registret.")
        actor = parser.add_mutually_exclusive_group(required=True)
        actor.add_argument(
            "--organisation",
            help="Kommunkod (fyra siffror) eller länskod för organisationen som importerar.",
        )
        actor.add_argument("--user", help="Användarnamnet på den som importerar.")
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def _access(self, options) -> Access:
        if options["organisation"]:
            code = options["organisation"].strip()
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is None:
                raise CommandError(f"Det finns ingen organisation med koden {code}.", returncode=2)
            return Access.for_organisation(organisation)
        username = options["user"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Det finns ingen aktiv användare {username}.", returncode=2)
        return Access.for_user(user)

    def handle(self, *args, **options):
        access = self._access(options)
        body = Body.objects.select_related("arrangement").filter(pk=options["body"]).first()
        if body is None:
            raise CommandError(f"Det finns inget organ med id {options['body']}.", returncode=2)
        path = Path(options["path"])
        try:
            if not path.is_file():
                raise ReadError(f"Filen {path} finns inte.")
            check_size(path.stat().st_size)
            result = import_meetings(
                data=path.read_bytes(), file_name=path.name, body=body, access=access
            )
        except PermissionDenied as exc:
            self._refused([str(exc)], options["json"])
            sys.exit(1)
        except RowErrors as exc:
            self._refused(
                exc.problems, options["json"], "Ingenting sparades eftersom filen har fel."
            )
            sys.exit(1)
        except ReadError as exc:
            self._refused([f"Filen kan inte läsas: {exc}"], options["json"])
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.summary())
            self.stdout.write(self.style.SUCCESS("Importen är sparad."))

    def _refused(self, problems: list[str], as_json: bool, closing: str = "") -> None:
        if as_json:
            data = {"created": 0, "updated": 0, "unchanged": 0, "meetings_created": 0}
            self.stdout.write(json.dumps(data | {"errors": problems}, ensure_ascii=False))
            return
        for problem in problems:
            self.stderr.write(problem)
        if closing:
            self.stderr.write(closing)
