"""E-mail each responsible person their coming deadlines (for cron: ``manage.py send_reminders``).

The responsible person of a deadline is the participation's responsible official, else its
politically responsible person; people without an e-mail address get nothing. Django's e-mail
settings come from the environment (the console backend by default).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from register.access import Access
from register.models import Organisation, Person
from register.selectors.due import due_rows


class Command(BaseCommand):
    help = "Skickar e-post till varje ansvarig om sista dagar som närmar sig eller har passerats."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.REMINDER_DAYS)
        parser.add_argument("--date", help="Dagens datum (ÅÅÅÅ-MM-DD), för prov.")

    def handle(self, *args, days: int, date: str | None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Ange datumet som ÅÅÅÅ-MM-DD.") from exc
        last = today + dt.timedelta(days=days)
        access = Access.administrator()
        organisations = Organisation.objects.filter(
            Q(participations__admin_owner__email__gt="")
            | Q(participations__political_owner__email__gt="")
        ).distinct()
        per_person = defaultdict(list)
        for organisation in organisations:
            for row in due_rows(access, organisation, today):
                if row.owner_id and row.date is not None and row.date <= last:
                    per_person[row.owner_id].append(row)
        people = Person.objects.filter(pk__in=per_person).exclude(email="")
        sent = 0
        for person in people:
            rows = sorted(per_person[person.pk], key=lambda r: r.date)
            lines = [
                f"{r.date:%Y-%m-%d}{' (försenad)' if r.is_overdue else ''} – {r.kind_label}: "
                f"{r.arrangement.name if r.arrangement else ''}\n  {r.text}\n  {r.action}"
                for r in rows
            ]
            send_mail(
                subject=f"Samverkansregistret: {len(rows)} sista dagar att hålla koll på",
                message=f"Hej {person.name}!\n\nDet här är på gång i samverkan du ansvarar för:\n\n"
                + "\n\n".join(lines)
                + "\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[person.email],
            )
            sent += 1
        self.stdout.write(f"{sent} påminnelser skickade.")
