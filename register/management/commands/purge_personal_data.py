"""python manage.py purge_personal_data [--dry-run]

Remove the phone and e-mail of the people whose last seat ended more than
PERSONAL_DATA_CONTACT_RETENTION_DAYS (365) days ago and who hold no seat now or later (README,
"Personuppgifter"), on the person and in its history; the names, seats and decisions stay. Run it
daily beside purge_imports (cron, a systemd timer).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from register import rules
from register.personal_data import UNANSWERED_INVITATION_DAYS, contact_retention_days
from register.services.personal_data import contact_details_purge, unanswered_invitations_purge


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'personer'}"


def _rows(n: int) -> str:
    return f"{n} {'historikrad' if n == 1 else 'historikrader'}"


class Command(BaseCommand):
    help = (
        "Ta bort telefonnummer och e-postadress för personer vars sista uppdrag tog slut för mer "
        "än det antal dagar som kontaktuppgifter sparas, även ur ändringshistoriken. Namn, "
        "uppdrag och beslut finns kvar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Räkna bara: visa vad som skulle tas bort utan att ändra något.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        days = contact_retention_days()
        result = contact_details_purge(today=rules.today(), days=days, dry_run=dry_run)
        done = "skulle få" if dry_run else "fick"
        self.stdout.write(
            f"{_people(result.people)} {done} telefon och e-post borttagna ({_rows(result.history_rows)} "
            f"i ändringshistoriken; kontaktuppgifter sparas i {days} dagar efter sista uppdraget)."
        )
        invitations = unanswered_invitations_purge(
            now=timezone.now(), days=UNANSWERED_INVITATION_DAYS, dry_run=dry_run
        )
        self.stdout.write(
            f"{invitations} {'inbjudan' if invitations == 1 else 'inbjudningar'} som aldrig togs "
            f"emot {'skulle tas' if dry_run else 'togs'} bort ({UNANSWERED_INVITATION_DAYS} dagar "
            "efter att de gick ut eller drogs tillbaka)."
        )
        for line in result.refused:
            self.stderr.write(f"Ändrades inte, posten är inte giltig: {line}")
