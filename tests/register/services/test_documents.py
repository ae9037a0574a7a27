"""The governing documents' files: what is refused (with a Swedish message and nothing stored),
what is stored, the text read out of them, versions, and the law's checklist."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from register import rules
from register.access import Access
from register.models import Document
from register.services import documents
from tests import factories as f
from tests.document_files import (
    docx_bytes,
    docx_zip_bomb,
    make_document,
    odt_bytes,
    pdf_bytes,
)


def stored_files() -> list[str]:
    found = []
    for root, _, names in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, n) for n in names]
    return sorted(found)


@pytest.fixture
def world(taby, taby_editor):
    arrangement = f.make_arrangement(members=[taby], name="Räddningstjänsten Storstockholm")
    return {"arrangement": arrangement, "access": Access.for_user(taby_editor), "user": taby_editor}


def create(world, data: bytes, name: str, **kw) -> Document:
    instance = Document(
        arrangement=world["arrangement"],
        kind=kw.pop("kind", Document.Kind.CHARTER),
        title=kw.pop("title", "Förbundsordning"),
        **kw,
    )
    return documents.document_create(
        access=world["access"],
        instance=instance,
        upload=SimpleUploadedFile(name, data),
        user=world["user"],
    )


HOSTILE = [
    ("a PDF renamed .docx", lambda: pdf_bytes(), "ordning.docx", "är en PDF-fil"),
    ("a DOCX zip bomb", docx_zip_bomb, "bomb.docx", "packad ovanligt hårt"),
    ("an empty file", lambda: b"", "tom.pdf", "Filen är tom"),
    ("a file that is none of the three", lambda: b"MZ\x90\x00 not a document", "a.pdf", "varken"),
]


@pytest.mark.parametrize("label, make, name, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_in_swedish_and_nothing_is_stored(
    world, label, make, name, message
):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        create(world, make(), name)
    assert message in " ".join(refused.value.message_dict["file"])
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_an_oversized_file_is_refused_before_it_is_read(world, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        create(world, pdf_bytes("x" * 2000), "stor.pdf")
    assert "högst" in refused.value.message_dict["file"][0]
    assert Document.objects.count() == 0
    assert stored_files() == before


@pytest.mark.parametrize(
    "make, name, content_type",
    [
        (pdf_bytes, "Förbundsordning 2024.pdf", documents.PDF),
        (docx_bytes, "ordning.docx", documents.DOCX),
        (odt_bytes, "ordning.odt", documents.ODT),
    ],
)
def test_a_document_is_stored_and_its_text_read_out(world, make, name, content_type):
    data = make()
    document = create(world, data, name)
    document.refresh_from_db()
    assert document.content_type == content_type
    assert document.file_name == name
    assert document.size == len(data)
    assert len(document.sha256) == 64
    assert document.file.name.startswith(f"documents/{world['arrangement'].pk}/")
    assert name not in document.file.name  # the storage name is the register's own
    # Read out by the background job (inline in the tests).
    assert document.text_status == Document.TextStatus.DONE
    assert "säte i Täby" in document.text
    # The history holds the record, never the text.
    history = document.history.first()
    assert not hasattr(history, "text")


def test_a_file_no_reader_understands_is_marked_failed(world):
    document = create(world, pdf_bytes(), "ordning.pdf")
    Document.objects.filter(pk=document.pk).update(content_type=documents.DOCX)
    documents.extract_document_text(document.pk)
    document.refresh_from_db()
    assert document.text_status == Document.TextStatus.FAILED


def test_a_new_version_supersedes_the_old_which_stays(world):
    old = create(world, pdf_bytes(), "v1.pdf", version="1")
    new = Document(arrangement=world["arrangement"], kind=old.kind, title=old.title, version="2")
    documents.document_create(
        access=world["access"],
        instance=new,
        upload=SimpleUploadedFile("v2.pdf", pdf_bytes("Version 2")),
        supersedes=old,
    )
    old.refresh_from_db()
    assert old.superseded_by == new and old.is_superseded and old.file
    again = Document(arrangement=world["arrangement"], kind=old.kind, title=old.title)
    with pytest.raises(ValidationError, match="redan ersatts"):
        documents.document_create(
            access=world["access"],
            instance=again,
            upload=SimpleUploadedFile("v3.pdf", pdf_bytes()),
            supersedes=old,
        )


def test_a_reader_may_not_upload(world, taby_reader):
    instance = Document(arrangement=world["arrangement"], kind="charter", title="X")
    with pytest.raises(Exception, match="behörighet"):
        documents.document_create(
            access=Access.for_user(taby_reader),
            instance=instance,
            upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )
    assert Document.objects.count() == 0


def test_the_kl_checklist_on_a_charter_with_two_items_missing(world):
    document = make_document(world["arrangement"])
    checklist = rules.document_checklist(document.kind, world["arrangement"].form.slug)
    assert checklist.citation.startswith("kommunallagen (2017:725) 9 kap. 6 §")
    assert rules.checklist_missing(checklist, document.checklist) is None  # not checked yet
    entries = {item.key: f"§ {n}" for n, item in enumerate(checklist.items, start=1)}
    entries["auditors"] = "saknas"
    entries["disputes"] = "Saknas"
    documents.checklist_save(access=world["access"], instance=document, entries=entries)
    document.refresh_from_db()
    missing = rules.checklist_missing(checklist, document.checklist)
    assert [item.key for item in missing] == ["auditors", "disputes"]
    assert rules.checklist_sentence(checklist, missing) == (
        "Förbundsordningen reglerar inte: antalet revisorer och hur tvister mellan förbundet "
        "och medlemmarna löses."
    )


def test_deleting_a_document_removes_its_file(world, django_capture_on_commit_callbacks):
    document = create(world, pdf_bytes(), "a.pdf")
    path = document.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_delete(access=world["access"], instance=document)
    assert not os.path.exists(path)
    assert Document.objects.count() == 0
