"""Our voice in the joint bodies: a body's meetings and their agendas, our position on an agenda
item (where it was agreed, whether it binds all our representatives, how it ended), and the log
of who was informed of what and when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .arrangements import Body, Person
from .followup import Decision
from .reference import Organisation, ServiceArea


class Meeting(models.Model):
    """A meeting of a joint body (sammanträde), entered by hand or from the body's published
    meeting calendar (``uid`` is the calendar event's, so that a new import updates it)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerat"
        HELD = "held", "Genomfört"
        CANCELLED = "cancelled", "Inställt"

    body = models.ForeignKey(
        Body, verbose_name="organ", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField("rubrik", max_length=300, blank=True)
    starts_at = models.DateTimeField("börjar")
    ends_at = models.DateTimeField("slutar", null=True, blank=True)
    place = models.CharField("plats", max_length=300, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    papers_url = models.URLField("handlingar", blank=True, max_length=500)
    uid = models.CharField(
        "kalenderns id",
        max_length=300,
        blank=True,
        help_text="Händelsens UID i organets sammanträdeskalender (iCalendar).",
    )
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "uid"],
                condition=~Q(uid=""),
                name="meeting_unique_calendar_uid",
                violation_error_message="Organet har redan ett sammanträde med det kalender-id:t.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message="Sammanträdet kan inte sluta innan det börjar.",
            ),
        ]

    def __str__(self):
        # The day in the register's time zone: a meeting at 00:30 is not the day before's.
        return f"{self.body} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("register:meeting_detail", args=[self.pk])


class AgendaItem(models.Model):
    """An item on a meeting's agenda (ärende)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="sammanträde", on_delete=models.CASCADE, related_name="items"
    )
    number = models.CharField(
        "nummer", max_length=20, blank=True, help_text="Till exempel 5 eller § 12."
    )
    title = models.CharField("ärende", max_length=500)
    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name="verksamhetsområde",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_url = models.URLField("handling", blank=True, max_length=500)
    sort_order = models.PositiveIntegerField("ordning", default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "sort_order", "pk"]
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#arende-{self.pk}"


class Position(models.Model):
    """Our position (ställningstagande) on an agenda item: what our representatives are to say,
    where it was agreed, and afterwards how it ended."""

    class Stance(models.TextChoices):
        SUPPORT = "support", "Bifall"
        OPPOSE = "oppose", "Avslag"
        AMEND = "amend", "Ändringsyrkande"
        NONE = "none", "Ingen ståndpunkt"

    class AgreedIn(models.TextChoices):
        KSAU = "ksau", "Kommunstyrelsens arbetsutskott"
        KS = "ks", "Kommunstyrelsen"
        MAJORITY = "majority", "Majoritetens gruppmöte"
        WITH_OPPOSITION = "with_opposition", "Beredning tillsammans med oppositionen"
        OWN_JUDGEMENT = "own_judgement", "Ledamotens egen bedömning"

    class Outcome(models.TextChoices):
        AS_WANTED = "as_wanted", "Som vi ville"
        OTHERWISE = "otherwise", "Annat beslut"
        POSTPONED = "postponed", "Bordlagt"
        WITHDRAWN = "withdrawn", "Återtaget"

    item = models.ForeignKey(
        AgendaItem, verbose_name="ärende", on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="positions",
    )
    stance = models.CharField("ståndpunkt", max_length=20, choices=Stance.choices)
    text = models.TextField("vad vi vill", blank=True)
    agreed_in = models.CharField("förankrad i", max_length=20, choices=AgreedIn.choices, blank=True)
    agreed_on = models.DateField("förankrad den", null=True, blank=True)
    agreed_by = models.CharField("förankrad av", max_length=200, blank=True)
    binding = models.BooleanField(
        "gäller alla våra företrädare",
        default=True,
        help_text="Alla som företräder organisationen i organet ska driva ståndpunkten.",
    )
    outcome = models.CharField("utfall", max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("om utfallet", blank=True)
    decision = models.OneToOneField(
        Decision,
        verbose_name="beslut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="position",
    )
    public_summary = models.TextField(
        "sammanfattning för medborgare",
        blank=True,
        help_text="Vad våra företrädare drev och hur det gick, i vardagliga ord (visas på Insyn "
        "när ställningstagandet är publicerat).",
    )
    is_published = models.BooleanField("publicerad", default=False)
    internal_note = models.TextField("intern anteckning", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item__meeting__starts_at", "item__sort_order", "pk"]
        verbose_name = "ställningstagande"
        verbose_name_plural = "ställningstaganden"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organisation"],
                name="position_one_per_item_and_organisation",
                violation_error_message="Organisationen har redan ett ställningstagande i ärendet.",
            )
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.item}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class InformationEntry(models.Model):
    """Who was informed of what and when (the opposition informed, a briefing sent, a position
    shown at a meeting of the KS presidium)."""

    class Kind(models.TextChoices):
        BRIEFING_SENT = "briefing_sent", "Föredragning skickad"
        POSITION_SHOWN = "position_shown", "Ställningstagande redovisat"
        OTHER = "other", "Annan information"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="information_entries",
    )
    kind = models.CharField("vad", max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="sammanträde",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="information_entries",
    )
    position = models.ForeignKey(
        Position,
        verbose_name="ställningstagande",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="information_entries",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="person som informerades",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="information_entries",
        help_text="När en av organisationens företrädare informerades, till exempel med en "
        "föredragning inför ett sammanträde.",
    )
    informed = models.CharField(
        "vem informerades",
        max_length=300,
        help_text="En person eller en grupp, till exempel kommunstyrelsens presidium.",
    )
    informed_at = models.DateTimeField("när")
    note = models.TextField("anteckning", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerad av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-informed_at", "-pk"]
        verbose_name = "information"
        verbose_name_plural = "informationslogg"

    def __str__(self):
        when = timezone.localtime(self.informed_at)
        return f"{self.get_kind_display()}: {self.informed} {when:%Y-%m-%d}"
