"""Version tokens: a save never silently reverts what someone else saved meanwhile.

Every page that changes or deletes existing records carries, in a hidden field, the version of what
it showed: the id of the newest history row (django-simple-history) of the record, or, for a
formset, of the rows it edits under their parent (so that rows added or deleted meanwhile count
too). The save checks the token inside its own transaction, after locking the rows. When anything
was saved in between, nothing is written and the user is told what changed (which fields and rows,
old → new, by whom and when); the page keeps what they typed and now carries the current version,
so that saving again is a deliberate choice. Creating a new record needs no token.

Used by ``register.services`` (the check) and ``register.web.edit`` (the hidden field).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from .selectors.changelog import _display as display_value

#: The name of the hidden field that carries the token.
FIELD = "edit_version"

#: At most this many changed records are listed in a refusal.
MAX_LISTED = 15
MAX_VALUE_LENGTH = 120

_TOKEN = re.compile(r"[0-9]{1,18}")

STALE = (
    "Någon annan har sparat ändringar här sedan du öppnade sidan. Inget av det du skrev har "
    "sparats, men det står kvar i formuläret. Det här har ändrats:"
)
STALE_ADVICE = (
    "Spara igen om det du skrev ska gälla i stället för ändringarna ovan, eller avbryt för att "
    "behålla dem."
)
INVALID = (
    "Sidan saknar uppgift om vilken version av uppgifterna du utgick från, eller så är uppgiften "
    "ogiltig. Inget har sparats, men det du skrev står kvar i formuläret. Spara igen om det ska "
    "gälla, eller ladda om sidan för att se uppgifterna som de är nu."
)
STALE_DELETE = "Uppgifterna har ändrats sedan du öppnade sidan och har inte tagits bort:"
STALE_DELETE_ADVICE = "Bekräfta igen om de ändå ska tas bort."
INVALID_DELETE = (
    "Sidan saknar uppgift om vilken version av uppgifterna du utgick från, eller så är uppgiften "
    "ogiltig. Inget har tagits bort. Bekräfta igen om uppgifterna ska tas bort."
)


class StaleEdit(ValidationError):
    """What the page showed has changed since (or its version token is missing or invalid)."""

    def __init__(self, messages: Iterable[str]):
        super().__init__(list(messages), code="stale")


def parse(value) -> int | None:
    """Return the token as a number, or None when it is missing or not a token at all."""
    if isinstance(value, str) and _TOKEN.fullmatch(value.strip()):
        return int(value.strip())
    return None


def lock(queryset: models.QuerySet, *, key: bool = False) -> None:
    """Lock the rows until the end of the transaction (where the database can).

    ``key=True`` takes the strong lock that also makes rows referring to these wait (an insert
    of a seat into a body being deleted), otherwise the lock only serialises writers.
    """
    features = connections[queryset.db].features
    if not features.has_select_for_update:
        return
    no_key = not key and features.has_select_for_no_key_update
    list(queryset.select_for_update(no_key=no_key).order_by("pk").values_list("pk", flat=True))


_lock = lock  # (``Version.check`` has an argument of the same name)


def _described(model, names: Iterable[str]) -> tuple[str, ...]:
    """Return the names among ``names`` that are the model's own editable fields."""
    kept = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.auto_created or field.primary_key or not (field.concrete or field.many_to_many):
            continue
        kept.append(name)
    return tuple(kept)


def editable_fields(model) -> list[str]:
    """Return the model's editable fields (what a change before a deletion is described by)."""
    return [
        f.name
        for f in model._meta.get_fields()
        if not f.auto_created and f.editable and (f.concrete or f.many_to_many)
    ]


@dataclass
class Version:
    """The version of what one page edits, and the token the page sent back (``posted``)."""

    model: type[models.Model]
    history: models.QuerySet
    locks: tuple[models.QuerySet, ...]
    fields: tuple[str, ...]
    posted: str | None = None
    rows: bool = False
    deleting: bool = False
    refused: bool = False

    @classmethod
    def of_record(
        cls, obj: models.Model, *, fields: Iterable[str], posted=None, deleting: bool = False
    ) -> Version:
        """The version of one record (for its form or its delete confirmation)."""
        model = type(obj)
        return cls(
            model=model,
            history=model.history.filter(id=obj.pk),
            locks=(model._default_manager.filter(pk=obj.pk),),
            fields=_described(model, fields),
            posted=posted,
            deleting=deleting,
        )

    @classmethod
    def of_rows(
        cls,
        model: type[models.Model],
        *,
        parent: models.Model,
        fk: str,
        scope: Q | None = None,
        fields: Iterable[str],
        posted=None,
    ) -> Version:
        """The version of the rows a formset edits: ``model``'s rows under ``parent`` (through
        the foreign key ``fk``) within ``scope``, a filter on the model's own columns."""
        scope = scope or Q()
        return cls(
            model=model,
            history=model.history.filter(**{fk: parent.pk}).filter(scope),
            locks=(
                type(parent)._default_manager.filter(pk=parent.pk),
                model._default_manager.filter(**{fk: parent.pk}).filter(scope),
            ),
            fields=tuple(n for n in _described(model, fields) if n != fk),
            posted=posted,
            rows=True,
        )

    # --- the token ---------------------------------------------------------------------------

    def current(self) -> int:
        """Return the current token: the newest history id (0 when there is no history)."""
        return self.history.aggregate(latest=Max("history_id"))["latest"] or 0

    def input(self) -> SafeString:
        """The hidden field for the page: the current version when the page is shown or the
        user has just been told what changed, otherwise the version the user started from."""
        if self.posted is None or self.refused:
            value = str(self.current())
        else:
            claimed = parse(self.posted)
            value = "" if claimed is None else str(claimed)
        return format_html('<input type="hidden" name="{}" value="{}">', FIELD, value)

    def check(self, *, lock: bool = True) -> None:
        """Raise ``StaleEdit`` unless the page's token is the current version.

        Call inside the transaction that saves: the rows stay locked until it ends, so that no
        other save slips in between the check and this one. ``lock=False`` only tells (a form
        that is not saved anyway because it has errors).
        """
        if lock:
            for queryset in self.locks:
                _lock(queryset)
        current = self.current()
        claimed = parse(self.posted)
        if claimed == current:
            return
        self.refused = True
        if claimed is None or claimed > current:
            raise StaleEdit([INVALID_DELETE if self.deleting else INVALID])
        lines = self.changes_since(claimed)
        if self.deleting:
            raise StaleEdit([STALE_DELETE, *lines, STALE_DELETE_ADVICE])
        raise StaleEdit([STALE, *lines, STALE_ADVICE])

    # --- what changed ------------------------------------------------------------------------

    def changes_since(self, token: int) -> list[str]:
        """Return, in plain Swedish, what was saved after ``token``: one line per change."""
        later: dict[int, list] = {}
        for record in (
            self.history.filter(history_id__gt=token)
            .select_related("history_user")
            .order_by("history_id")
        ):
            later.setdefault(record.id, []).append(record)
        bases = {}
        for record in self.history.filter(id__in=list(later), history_id__lte=token).order_by(
            "history_id"
        ):
            bases[record.id] = record  # the last one before the token wins
        pairs = [(bases.get(pk), records) for pk, records in later.items()]
        known = self._known_names(pairs)
        lines = []
        for base, records in pairs:
            lines.extend(self._describe(base, records, known))
        if not lines:
            records = [r for _, rs in pairs for r in rs]
            records.sort(key=lambda r: r.history_id)
            lines.append(f"Sparat på nytt {_who(records)}, utan ändringar i uppgifterna här.")
        if len(lines) > MAX_LISTED:
            rest = len(lines) - MAX_LISTED
            lines = lines[:MAX_LISTED] + [f"… och {rest} ändringar till."]
        return lines

    def typed_in_row_gone(self, form) -> list[str]:
        """Return what the user typed (``"Field: value"``) in a formset row deleted meanwhile,
        where it differs from the row as their page showed it."""
        claimed = parse(self.posted)
        pk = parse(form.data.get(form.add_prefix(form.instance._meta.pk.name)))
        if claimed is None or pk is None:
            return []
        before = self.history.filter(id=pk, history_id__lte=claimed).order_by("-history_id").first()
        if before is None or before.history_type == "-":
            return []
        shown = before.instance
        typed = []
        for name in self.fields:
            field = form.fields.get(name)
            if field is None or field.disabled:
                continue
            value = form[name].data
            if field.has_changed(self.model._meta.get_field(name).value_from_object(shown), value):
                label = capfirst(str(field.label or name))
                typed.append(f"{label}: {_typed(field, value)}")
        return typed

    def _describe(self, base, records: list, known: dict) -> list[str]:
        latest = records[-1]
        who = _who(records)
        if latest.history_type == "-":
            if base is None:
                return []  # added and removed again meanwhile: nothing to lose
            if self.rows:
                return [f"Borttagen rad: {_label(base)} ({who})."]
            return [f"Uppgifterna har tagits bort {who}."]
        if base is None:
            if self.rows:
                return [f"Ny rad: {_label(latest)} ({who})."]
            return [f"Ändrat {who}."]
        changes = self._field_changes(base, latest, known)
        if self.rows:
            if not changes:
                return []
            return [f"{capfirst(_label(latest))}: {'; '.join(changes)} ({who})."]
        return [f"Ändrat {who}:", *changes] if changes else []

    def _field_changes(self, old, new, known: dict) -> list[str]:
        out = []
        tracked_m2m = {f.name for f in getattr(new, "_history_m2m_fields", ())}
        for name in self.fields:
            field = self.model._meta.get_field(name)
            label = capfirst(str(field.verbose_name))
            if field.many_to_many:
                if name not in tracked_m2m:
                    continue
                before, after = _m2m_ids(old, field), _m2m_ids(new, field)
                if before != after:
                    out.append(
                        f"{label}: {_m2m_names(field, before, known)} → "
                        f"{_m2m_names(field, after, known)}"
                    )
                continue
            before, after = getattr(old, field.attname), getattr(new, field.attname)
            if before == after or (before in (None, "") and after in (None, "")):
                continue
            out.append(f"{label}: {_value(field, before, known)} → {_value(field, after, known)}")
        return out

    def _known_names(self, pairs) -> dict:
        """Return the names of the records the changed foreign keys point at, one query each."""
        wanted: dict[type, set] = {}
        for base, records in pairs:
            for record in (base, records[-1]):
                if record is None:
                    continue
                for name in self.fields:
                    field = self.model._meta.get_field(name)
                    if field.many_to_one and getattr(record, field.attname) is not None:
                        wanted.setdefault(field.related_model, set()).add(
                            getattr(record, field.attname)
                        )
                    elif field.many_to_many and name in {
                        f.name for f in getattr(record, "_history_m2m_fields", ())
                    }:
                        wanted.setdefault(field.related_model, set()).update(
                            _m2m_ids(record, field)
                        )
        known = {}
        for model, ids in wanted.items():
            for pk, obj in model._default_manager.in_bulk(list(ids)).items():
                known[(model._meta.model_name, pk)] = _safe_str(obj)
        return known


def _m2m_ids(record, field) -> frozenset:
    through = get_m2m_reverse_field_name(field)
    return frozenset(getattr(record, field.name).values_list(through, flat=True))


def _m2m_names(field, ids, known: dict) -> str:
    if not ids:
        return "–"
    model_name = field.related_model._meta.model_name
    return ", ".join(sorted(known.get((model_name, pk), f"nr {pk}") for pk in ids))


def _value(field, value, known: dict) -> str:
    text = display_value(field.model, field, value, known)
    text = " ".join(text.split())
    if len(text) > MAX_VALUE_LENGTH:
        text = text[: MAX_VALUE_LENGTH - 1] + "…"
    return text


def _typed(field, value) -> str:
    """Return a typed-in value as the user saw it (a choice by its label)."""
    if value in (None, "", []):
        return "–"
    text = str(value)
    if hasattr(field, "queryset"):
        try:
            text = _safe_str(field.to_python(value)) or text
        except ValidationError:
            pass
    elif getattr(field, "choices", None):
        text = str(dict(field.choices).get(value, value))
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def _safe_str(obj) -> str:
    try:
        return str(obj)
    except ObjectDoesNotExist:  # a label that needs a record deleted meanwhile
        return f"nr {obj.pk}"


def _label(record) -> str:
    """Return e.g. 'kostnad ”Täby kommun i Räddningstjänsten 2024”' for a history row."""
    name = record.instance_type._meta.verbose_name
    return f"{name} ”{_safe_str(record.instance)}”"


def _who(records: list) -> str:
    """Return 'av Anna Svensson den 1 mars 2025 kl. 14.05' for the newest of the records."""
    latest = records[-1]
    when = formats.date_format(timezone.localtime(latest.history_date), r"j F Y \k\l. H.i")
    user = latest.history_user
    text = f"den {when}"
    if user is not None:
        text = f"av {user.get_full_name() or user.get_username()} {text}"
    if latest.history_change_reason:
        text += f" ({latest.history_change_reason})"
    return text
