"""python manage.py network --json [--organisation KOMMUNKOD] [--county LÄNSKOD]
[--kind municipality|municipality_region|all] [--include-ended] [--on YYYY-MM-DD]

The partner network's figures per organisation (register/graph.py), keyed by the organisation's
code (``id:<pk>`` for one without a code). The command sees what Access lets it see: with
``--organisation`` what the organisation's members see (published arrangements and its own),
otherwise the published arrangements. An unknown code exits with status 1 and a Swedish message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from register import graph
from register.access import Access
from register.models import County, Organisation
from register.selectors.network import organisation_figures


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} är inget datum; skriv det som ÅÅÅÅ-MM-DD."
        ) from None


class Command(BaseCommand):
    help = "Skriver ut partnernätverkets mått per organisation."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Skriv ut ett JSON-objekt.")
        parser.add_argument("--organisation", metavar="KOMMUNKOD")
        parser.add_argument("--county", metavar="LÄNSKOD")
        parser.add_argument("--kind", choices=list(graph.KINDS), default="all")
        parser.add_argument("--include-ended", action="store_true")
        parser.add_argument("--on", type=iso_date, metavar="ÅÅÅÅ-MM-DD")

    def handle(self, *args, **options):
        organisation = county = None
        access = Access(user_id=None)
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    f"Det finns ingen organisation med koden {options['organisation']}."
                )
            access = Access.for_organisation(organisation)
        if options["county"]:
            county = County.objects.filter(code=options["county"]).first()
            if county is None:
                raise CommandError(f"Det finns inget län med koden {options['county']}.")
        net, figures = organisation_figures(
            access,
            on=options["on"],
            kind=options["kind"],
            include_ended=options["include_ended"],
            organisation_id=organisation.pk if organisation else None,
            county_code=county.code if county else None,
        )
        if organisation is not None and not figures:
            raise CommandError(
                f"{organisation.name} är inte med i nätverket med urvalet "
                f"”{graph.KINDS[options['kind']][0].lower()}”."
            )
        result = {f.org.key: f.as_json() for f in figures}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        for key, row in result.items():
            self.stdout.write(
                f"{key} {row['name']}: {row['arrangements']} samverkan, {row['partners']} parter, "
                f"{row['distinct_partner_groups']} olika partnergrupper, "
                f"{row['cross_county_partners']} parter i annat län"
            )
