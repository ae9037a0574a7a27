"""python manage.py load_demo [--password PW] [--no-portfolio]"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from register import search
from register.demo import DEFAULT_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Läser in de 44 verkliga samarbetena med deras medlemmar, Täby kommuns exempelportfölj "
        "och demoanvändarna. Att köra kommandot igen ändrar ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Lösenord för nya demoanvändare (standard: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--no-portfolio",
            action="store_true",
            help="Läs bara in de verkliga uppgifterna, inte Täbys exempelportfölj.",
        )

    def handle(self, *args, **options):
        with search.paused():  # rebuilt once below
            result = load_demo(password=options["password"], portfolio=not options["no_portfolio"])
        s = result.stats
        self.stdout.write(
            f"Verkliga samarbeten: {result.real_arrangements} "
            f"med {result.real_participations} deltaganden."
        )
        self.stdout.write(f"Påhittade exempelsamarbeten (Täby): {result.example_arrangements}.")
        self.stdout.write(
            f"Poster: {s.created} nya, {s.updated} ändrade, {s.unchanged} oförändrade."
        )
        self.stdout.write("Demoinloggningar:")
        for username, label, created in result.users:
            if created:
                self.stdout.write(f"  {username} / {result.password}  ({label})")
            else:
                self.stdout.write(f"  {username}  ({label}; fanns redan, lösenordet är oförändrat)")
        call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Klart."))
