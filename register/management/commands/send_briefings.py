"""E-mail each of our representatives the briefing (föredragning) before their next meetings, the
PDF attached (for cron: ``manage.py send_briefings``, like ``send_reminders``).

Who gets what: every person holding a seat in force on the meeting day in the body of a planned
meeting from today to ``--days`` days ahead (7 unless told; ``BRIEFING_DAYS`` in the
environment), if the person has an e-mail address. The briefing is the one the appointing
organisation's members read on the web (``register.selectors.briefings``), the PDF the one they
download (``register.reports.briefing``). Django's e-mail settings come from the environment
(``EMAIL_*``; the console backend by default, which only prints).

Each sending is logged in the organisation's information log (``InformationEntry`` of kind
``briefing_sent``, with the meeting and the person), through ``services.meetings.information_record``.

Never the same briefing twice: a representative who has been sent the briefing of a meeting gets
it again only when what it says about the meeting has changed since (the time, the place, the
agenda, or our positions: ``Briefing.fingerprint``, kept in the log entry's note); the e-mail then
says that the briefing has been changed. The cost, goals and evaluation do not count as a change:
they are the background, not what the representative is to say. ``--dry-run`` lists what would be
sent and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from register import rules
from register.access import Access
from register.downloads import safe_filename
from register.models import InformationEntry
from register.reports import briefing as report
from register.selectors import briefings
from register.services.meetings import information_record

#: The note's prefix before the briefing's fingerprint (how a resend is recognised).
FINGERPRINT_LABEL = "Underlagets kontrollsumma: "


def sent_fingerprints(subjects) -> dict[tuple[int, int], set[str]]:
    """Return, by (meeting id, person id), the fingerprints of the briefings already sent."""
    sent: dict[tuple[int, int], set[str]] = {}
    entries = InformationEntry.objects.filter(
        kind=InformationEntry.Kind.BRIEFING_SENT,
        meeting_id__in={s.meeting.pk for s in subjects},
        person__isnull=False,
    ).values_list("meeting_id", "person_id", "note")
    for meeting_id, person_id, note in entries:
        fingerprint = ""
        for line in note.splitlines():
            if line.startswith(FINGERPRINT_LABEL):
                fingerprint = line.removeprefix(FINGERPRINT_LABEL).strip()
        sent.setdefault((meeting_id, person_id), set()).add(fingerprint)
    return sent


class Command(BaseCommand):
    help = (
        "Skickar föredragningen (PDF) till varje företrädare med e-postadress inför "
        "sammanträden de närmaste dagarna. Samma föredragning skickas inte två gånger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.BRIEFING_DAYS,
            help="Hur många dagar framåt (standard %(default)s).",
        )
        parser.add_argument("--date", help="Dagens datum (ÅÅÅÅ-MM-DD), för prov.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle skickas, skicka inget."
        )

    def handle(self, *args, days: int, date: str | None, dry_run: bool, **options):
        try:
            today = dt.date.fromisoformat(date) if date else rules.today()
        except ValueError as exc:
            raise CommandError("Ange datumet som ÅÅÅÅ-MM-DD.") from exc
        if days < 0:
            raise CommandError("Ange antalet dagar som 0 eller fler.")
        access = Access.administrator()
        subjects = [
            s
            for s in briefings.subjects_between(today, today + dt.timedelta(days=days))
            if s.seat.person.email
        ]
        sent_before = sent_fingerprints(subjects)
        sent = changed = unchanged = 0
        for subject in subjects:
            found = briefings.briefing(access, subject, today=today)
            earlier = sent_before.get((subject.meeting.pk, subject.seat.person_id), set())
            if found.fingerprint in earlier:
                unchanged += 1
                continue
            is_change = bool(earlier)
            person = found.person
            if dry_run:
                self.stdout.write(f"Skulle skicka: {report.title(found)} till {person.email}")
            else:
                self.send(found, is_change=is_change)
            sent += 1
            changed += is_change
        verb = "skulle skickas" if dry_run else "skickade"
        self.stdout.write(
            f"{sent} föredragningar {verb} ({changed} ändrade sedan förra utskicket), "
            f"{unchanged} redan skickade och oförändrade."
        )

    def send(self, found: briefings.Briefing, *, is_change: bool) -> None:
        """Send one briefing and log it; the log entry is written only when the e-mail went."""
        person, meeting = found.person, found.meeting
        title = report.title(found)
        subject = f"Ändrad föredragning: {title}" if is_change else title
        changed = (
            "Föredragningen har ändrats sedan du fick den förra gången (dagordningen eller "
            "våra ståndpunkter).\n\n"
            if is_change
            else ""
        )
        body = (
            f"Hej {person.name}!\n\n{changed}"
            f"Här är föredragningen inför sammanträdet med {found.body.name} "
            f"{found.day:%Y-%m-%d} kl. {timezone.localtime(meeting.starts_at):%H.%M}"
            f"{', ' + meeting.place if meeting.place else ''}: dagordningen med "
            f"{found.organisation.name}s ståndpunkter ({found.position_count} av "
            f"{len(found.agenda)} ärenden), kostnaden, målen, den senaste uppföljningen och "
            "öppna målkonflikter. Den finns som PDF i bilagan.\n\n"
            "Föredragningen är ett internt underlag för organisationens företrädare.\n"
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )
        message.attach(
            safe_filename(report.file_stem(found), ".pdf", prefix="foredragning-"),
            report.pdf(found),
            "application/pdf",
        )
        message.send()
        information_record(
            access=None,
            organisation=found.organisation,
            kind=InformationEntry.Kind.BRIEFING_SENT,
            informed=person.name,
            meeting=meeting,
            person=person,
            note=(
                f"{'Ändrad föredragning' if is_change else 'Föredragningen'} skickad med e-post "
                f"till {person.email} ({found.position_count} ståndpunkter i "
                f"{len(found.agenda)} ärenden).\n{FINGERPRINT_LABEL}{found.fingerprint}"
            ),
        )
