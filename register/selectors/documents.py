"""The governing documents of an arrangement as its pages show them: grouped by kind, the
current version first and the versions it replaced under "Tidigare versioner", with what the
law requires that the registrar found missing (``register.rules``, ``register.law``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import rules
from ..access import Access
from ..models import Arrangement, Document

KIND_ORDER = {value: n for n, value in enumerate(Document.Kind.values)}


@dataclass
class KindGroup:
    kind: str
    label: str
    current: list = field(default_factory=list)
    older: list = field(default_factory=list)


def annotate_checklist(document: Document, form_slug: str | None) -> None:
    """Put the law's checklist on the document (``law_checklist``), the items missing
    (``missing``: None when not checked yet) and the sentence that says so."""
    checklist = rules.document_checklist(document.kind, form_slug)
    document.law_checklist = checklist
    document.missing = rules.checklist_missing(checklist, document.checklist)
    document.missing_sentence = rules.checklist_sentence(checklist, document.missing or [])


def group_documents(
    documents, form_slug: str | None, *, checklists: bool = True
) -> list[KindGroup]:
    """Return the documents grouped by kind, in the kinds' order: in each group the current
    versions (not replaced by a version the list holds), newest first, then the older ones."""
    ids = {d.pk for d in documents}
    groups: dict[str, KindGroup] = {}
    for document in sorted(documents, key=lambda d: (KIND_ORDER.get(d.kind, 99), _newest(d))):
        group = groups.setdefault(
            document.kind, KindGroup(document.kind, document.get_kind_display())
        )
        replaced = getattr(document, "replaced_by_id", None)
        if replaced is not None and replaced in ids:
            group.older.append(document)
        else:
            if checklists:
                annotate_checklist(document, form_slug)
            group.current.append(document)
    return list(groups.values())


def _newest(document: Document):
    day = document.valid_from or document.adopted_on
    return (-(day.toordinal() if day else 0), -document.pk)


def documents_of(access: Access, arrangement: Arrangement) -> list[Document]:
    """Return the documents of ``arrangement`` the user may see (one query), each with
    ``replaced_by_id`` (the version that replaced it, if any)."""
    return list(
        access.documents(Document.objects.filter(arrangement=arrangement))
        .select_related("decision", "superseded_by")
        .defer("text")
        .order_by("kind", "-pk")
    )


def arrangement_documents(access: Access, arrangement: Arrangement) -> list[KindGroup]:
    """Return the arrangement's documents the user may see, grouped for its page."""
    documents = documents_of(access, arrangement)
    ids = {d.pk for d in documents}
    for document in documents:
        successor = getattr(document, "superseded_by", None)
        seen = successor is not None and successor.pk in ids
        # A newer version the user may not see (unpublished, to an outsider) is not named.
        document.replaced_by_id = successor.pk if seen else None
        document.replaced_by = successor if seen else None
    return group_documents(documents, arrangement.form.slug if arrangement.form_id else None)


def document_detail(access: Access, pk: int) -> Document | None:
    """Return the document the user may see, with its arrangement, the versions before and
    after it and its checklist, or None."""
    document = (
        access.documents(Document.objects.select_related("arrangement", "arrangement__form"))
        .select_related("decision", "supersedes", "superseded_by", "uploaded_by")
        .defer("text")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        return None
    visible = set(
        access.documents(Document.objects.filter(arrangement=document.arrangement)).values_list(
            "pk", flat=True
        )
    )
    # A version the user may not see (an unpublished one, to an outsider) is not named.
    document.previous = document.supersedes if document.supersedes_id in visible else None
    successor = getattr(document, "superseded_by", None)
    document.replaced_by = successor if successor is not None and successor.pk in visible else None
    annotate_checklist(document, document.arrangement.form.slug)
    return document


def public_documents(arrangement: Arrangement) -> list[Document]:
    """Return the published documents of a published arrangement (for Insyn), current versions
    first, each with ``replaced_by`` when a published newer version replaced it."""
    if not arrangement.is_published:
        return []
    documents = list(
        Document.objects.filter(arrangement=arrangement, is_published=True)
        .exclude(file="")
        .select_related("superseded_by")
        .defer("text", "internal_note", "checklist")
        .order_by("kind", "-pk")
    )
    ids = {d.pk for d in documents}
    for document in documents:
        successor = getattr(document, "superseded_by", None)
        document.replaced_by_id = successor.pk if successor is not None else None
        document.replaced_by = successor if successor is not None and successor.pk in ids else None
    groups = group_documents(documents, None, checklists=False)
    return [d for g in groups for d in g.current + g.older]


def public_document(pk: int) -> Document | None:
    """Return the document anyone may download (``rules.document_is_public``), or None."""
    document = (
        Document.objects.select_related("arrangement")
        .defer("text", "internal_note")
        .filter(pk=pk, is_published=True, arrangement__is_published=True)
        .first()
    )
    return document if document is not None and rules.document_is_public(document) else None
