from django.core.management.base import BaseCommand

from register import search


class Command(BaseCommand):
    help = (
        "Bygger om sökindexet (/sok/ och Insyns sökning på handlingar) från registrets poster. "
        "Indexet hålls annars aktuellt vid varje ändring; kör kommandot efter en återställning "
        "eller en inläsning utanför registrets tjänster."
    )

    def handle(self, *args, **options):
        counts = search.rebuild()
        per_kind = ", ".join(
            f"{search.BY_KIND[kind].label.lower()} {count}" for kind, count in counts.items()
        )
        self.stdout.write(f"Sökindexet har {sum(counts.values())} poster ({per_kind}).")
