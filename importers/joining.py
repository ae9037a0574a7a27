"""A row naming an arrangement the organisation sees but does not take part in: a request to
join it (``JoinRequest``), and nothing else written, with what the preview says about it."""

from __future__ import annotations

from django.utils import timezone

from register.models import JoinRequest, Organisation, Participation
from register.rules import participant_role

from .lookups import Lookups
from .models import ImportRow
from .results import Change, RowPlan
from .selectors import Snapshot

JOIN_LABEL = "Begäran om deltagande"


def _join_message(organisation: Organisation, status: str | None, when=None) -> str:
    """Return what the preview says about a row that names an arrangement the organisation does
    not take part in (``status``: of its latest request to join, or None)."""
    later = (
        "Inget annat på raden sparas nu (kostnader, ledamöter, ansvarig nämnd, beslut och "
        "övriga uppgifter). När begäran är godkänd sparas de om ni importerar listan igen."
    )
    if status == JoinRequest.Status.PENDING:
        return (
            f"{organisation} har redan begärt att få delta i samverkan ({when:%Y-%m-%d}). "
            "Begäran väntar på svar från samverkans parter; importen skickar ingen ny. " + later
        )
    if status == JoinRequest.Status.DECLINED:
        return (
            f"Samverkans parter avslog begäran om deltagande från {organisation} "
            f"({when:%Y-%m-%d}). Importen skickar ingen ny begäran och sparar inget på raden. "
            "Vill ni försöka igen: begär deltagande på samverkans sida."
        )
    return (
        f"Samverkan finns i registret, men {organisation} deltar inte i den. När importen "
        "sparas skickas en begäran om deltagande till samverkans parter, som godkänner eller "
        "avslår den. " + later
    )


def plan_join(plan: RowPlan, snap: Snapshot, lookups: Lookups, latest: dict | None) -> None:
    """Plan a row naming a visible arrangement the organisation does not take part in: a request
    to join it (unless one waits for an answer or the last one was declined), nothing else.

    The row's own data (costs, seats, responsible body ...) is not written: it belongs on a
    participation that does not exist until a participant accepts; the next import writes it.
    """
    org = lookups.organisation
    plan.outcome = ImportRow.Outcome.JOIN
    status = latest["status"] if latest else None
    if status in (JoinRequest.Status.PENDING, JoinRequest.Status.DECLINED):
        when = timezone.localtime(latest["decided_at"] or latest["requested_at"])
        plan.warn("", _join_message(org, status, when))
        return
    host_id = snap.fields.get("host_id") or (
        plan.parsed["host"].pk if "host" in plan.parsed else None
    )
    form = lookups.form_of(lookups.form_slug.get(snap.fields["form_id"]))
    role = participant_role(form, is_host=host_id == org.pk)
    label = Participation.Role(role).label.lower()
    plan.changes = [Change(JOIN_LABEL, "", f"{org} som {label}", "join", org.pk, role)]
    plan.warn("", _join_message(org, None))
