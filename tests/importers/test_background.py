"""A large import is previewed and saved outside the web request (importers/background.py):
the request stores the batch and asks ``register.jobs.enqueue`` for the work; the batch's page
shows the progress and reloads itself until the preview or the saved result is there."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from importers import background, services
from importers.models import ImportBatch, ImportFile
from register.models import Arrangement

from .conftest import EXAMPLE, HEADER, build_xlsx

pytestmark = pytest.mark.django_db

Status = ImportBatch.JobStatus


@pytest.fixture
def large(settings):
    """Every file counts as large: the example list (7 kB) goes to the background."""
    settings.IMPORT_BACKGROUND_BYTES = 1000


@pytest.fixture
def enqueued(monkeypatch):
    """Record what is asked of the queue, and run nothing."""
    calls = []
    monkeypatch.setattr(background.jobs, "enqueue", lambda path, *args: calls.append((path, args)))
    return calls


def upload(client, organisation, content=None, name="lista.xlsx"):
    file = SimpleUploadedFile(name, content if content is not None else EXAMPLE.read_bytes())
    return client.post(
        reverse("importers:upload"),
        {"organisation": organisation.pk, "file": file, "all_or_nothing": "on"},
    )


def test_a_large_upload_is_not_read_in_the_request(
    client, taby, taby_editor, large, enqueued, monkeypatch, django_capture_on_commit_callbacks
):
    def never(*args, **kwargs):
        raise AssertionError("the request read the file")

    monkeypatch.setattr(services, "open_workbook", never)
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, taby)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("importers:batch_detail", args=[batch.pk])
    assert enqueued == [("importers.background.preview_job", (batch.pk,))]
    assert batch.job == ImportBatch.Job.PREVIEW and batch.job_status == Status.QUEUED
    assert batch.file_size == len(EXAMPLE.read_bytes()) and not batch.rows.exists()
    assert ImportFile.objects.filter(batch=batch).exists()

    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page and "Väntar på sin tur" in page
    assert "Spara importen" not in page and "<script" not in page


def test_a_small_upload_is_still_previewed_in_the_request(
    client, taby, taby_editor, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, taby)
    assert enqueued == [] and ImportBatch.objects.get().rows.exists()


def test_with_the_inline_backend_the_preview_and_the_save_complete(
    client, taby, taby_editor, large, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, taby)
    batch = ImportBatch.objects.get()
    assert batch.job_status == Status.DONE and batch.rows_total == batch.rows_read > 0
    page = client.get(response["Location"]).content.decode()
    assert "Ingenting är sparat ännu" in page and "http-equiv" not in page
    assert "Storstockholms brandförsvar" in page and not Arrangement.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"}
        )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.COMMITTED and batch.job_status == Status.DONE
    assert batch.rows_saved == Arrangement.objects.count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "Importen är sparad" in page and "5 rader sparades" in page
    assert not ImportFile.objects.filter(batch=batch).exists()


def test_the_save_is_asked_of_the_queue_with_the_batch(
    client, taby, taby_editor, large, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, taby)
    batch = ImportBatch.objects.get()
    background.preview_job(batch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"})
    assert enqueued[-1] == ("importers.background.commit_job", (batch.pk, taby_editor.pk, True))
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert "sparas" in page and "<progress" in page and "http-equiv" in page
    # A second click while it waits asks for nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("importers:batch_commit", args=[batch.pk]), follow=True)
    assert len(enqueued) == 2 and "arbetar redan" in response.content.decode()
    assert not Arrangement.objects.exists()


def test_progress_is_written_to_the_batch_while_the_rows_are_read(taby, monkeypatch):
    rows = [[f"Samverkan {i}", "Avtal", "Täby kommun", "", "IT", "2020-01-01"] for i in range(600)]
    data = build_xlsx({"Lista": [HEADER, *rows]})
    batch = background.start_preview(data=data, file_name="stor.xlsx", organisation=taby)
    seen = []
    original = background.Progress.set

    def record(self, **fields):
        original(self, **fields)
        stored = ImportBatch.objects.get(pk=self.batch.pk)  # what another request sees
        seen.append((stored.job_status, stored.rows_read, stored.rows_total))

    monkeypatch.setattr(background.Progress, "set", record)
    monkeypatch.setattr(background, "PROGRESS_EVERY", 0)
    background.preview_job(batch.pk)
    assert (Status.READING, 250, 600) in seen and (Status.READING, 500, 600) in seen
    assert (Status.CHECKING, 600, 600) in seen
    batch.refresh_from_db()
    assert batch.job_status == Status.DONE and batch.summary["created"] == 600


def test_the_page_shows_the_progress_as_a_bar(client, taby, taby_reader):
    batch = ImportBatch.objects.create(
        organisation=taby,
        file_name="stor.xlsx",
        checksum="x",
        job=ImportBatch.Job.PREVIEW,
        job_status=Status.READING,
        job_updated_at=timezone.now(),
        rows_read=250,
        rows_total=600,
        file_size=2_000_000,
    )
    client.force_login(taby_reader)
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert '<progress id="forlopp" max="600" value="250">42 %</progress>' in page
    assert "250 av 600 rader lästa (42 %)" in page and "Läser raderna" in page


def test_a_failure_in_the_middle_of_the_save_leaves_nothing_written(
    client, taby, taby_editor, large, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, taby)
    batch = ImportBatch.objects.get()
    preview_rows = batch.rows.count()

    def broken(*args, **kwargs):  # after every arrangement and the batch's rows are written
        raise OSError("disk full")

    monkeypatch.setattr(services, "forget_file", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"}
        )
    batch.refresh_from_db()
    assert not Arrangement.objects.exists() and not Arrangement.history.exists()
    assert batch.mode == ImportBatch.Mode.DRY_RUN and batch.job_status == Status.FAILED
    assert batch.rows.count() == preview_rows and batch.committed_at is None
    page = client.get(response["Location"]).content.decode()
    assert "Importen kunde inte sparas." in page and "Ingenting har sparats" in page
    assert "Spara importen" in page  # it can be tried again


def test_an_unreadable_large_file_fails_with_a_swedish_message(
    client, taby, taby_editor, large, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, taby, b"not a workbook " * 100)
    batch = ImportBatch.objects.get()
    assert batch.mode == ImportBatch.Mode.FAILED and batch.job_status == Status.FAILED
    assert not ImportFile.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Filen kunde inte läsas." in page and "inte en Excel-arbetsbok" in page


def test_another_organisations_user_cannot_see_or_save_the_work(
    client, taby, taby_editor, knivsta_editor, large, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, taby)
    batch = ImportBatch.objects.get()
    client.force_login(knivsta_editor)
    assert client.get(reverse("importers:batch_detail", args=[batch.pk])).status_code == 403
    response = client.post(reverse("importers:batch_commit", args=[batch.pk]))
    assert response.status_code == 403 and len(enqueued) == 1


def test_work_that_stopped_says_so_and_the_save_can_be_asked_again(
    client, taby, taby_editor, large, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(taby_editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, taby)
    batch = ImportBatch.objects.get()
    background.preview_job(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(
        job=ImportBatch.Job.COMMIT,
        job_status=Status.SAVING,
        job_updated_at=timezone.now() - timedelta(hours=1),
    )
    page = client.get(reverse("importers:batch_detail", args=[batch.pk])).content.decode()
    assert "avbröts innan det blev klart" in page and "http-equiv" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"})
    assert enqueued[-1][0] == "importers.background.commit_job"


def test_the_batch_list_shows_the_work_under_way(client, taby, taby_reader):
    ImportBatch.objects.create(
        organisation=taby,
        file_name="stor.xlsx",
        checksum="x",
        job=ImportBatch.Job.PREVIEW,
        job_status=Status.READING,
        job_updated_at=timezone.now(),
        rows_read=300,
        rows_total=600,
    )
    client.force_login(taby_reader)
    page = client.get(reverse("importers:batch_list")).content.decode()
    assert "Läser raderna (50 %)" in page
