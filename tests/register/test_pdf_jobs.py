"""PDFs outside the request (issue 23): the introduction pack, the review pack and the briefing are
rendered by a background job and kept per (document, audience, data version). A request serves
the kept PDF at once, or starts (or joins) the job and shows a progress page that refreshes itself
without JavaScript. With the queue (JOBS_BACKEND "rq" on a real redis-server) the request never
lays out a PDF; a worker does, and the next request serves the file."""

from __future__ import annotations

import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from register.models import BackgroundJob, Membership
from tests import factories as f
from tests.register.public.test_cache import redis_url  # noqa: F401 (the real Redis fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def layouts(monkeypatch):
    """Spy on WeasyPrint's layout (every PDF of the register is laid out by ``HTML.render``):
    records whether each layout happened while a request was being answered."""
    import weasyprint

    calls = []
    in_request = threading.local()
    original = weasyprint.HTML.render

    def render(self, *args, **kwargs):
        calls.append(getattr(in_request, "value", False))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    return calls, in_request


def get(client, url, in_request, commit=None):
    """GET ``url``, marked as inside a request for the layout spy; ``commit`` (pytest-django's
    django_capture_on_commit_callbacks) runs what waits for the request's commit (django-rq puts
    a job on the queue then), as a real request's autocommit does."""
    in_request.value = True
    try:
        if commit is None:
            return client.get(url)
        with commit(execute=True):
            return client.get(url)
    finally:
        in_request.value = False


@pytest.fixture
def reader_client(client, taby, shared_arrangement):
    client.force_login(f.make_member(taby, Membership.Role.READER, "pdf-lasare"))
    return client


def pack_url(taby):
    return reverse("register:intro_pack_pdf", args=[taby.pk])


def work_off(queue) -> None:
    """Run every queued job in this process (rq's SimpleWorker, burst mode: until the queue is
    empty), as ``manage.py rqworker default`` does in production."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


@pytest.mark.redis
def test_with_the_queue_the_request_never_lays_out_the_pdf_and_the_next_serves_it(
    reader_client,
    taby,
    media,
    layouts,
    redis_url,  # noqa: F811 (the fixture imported above)
    django_capture_on_commit_callbacks,
):
    calls, in_request = layouts
    commit = django_capture_on_commit_callbacks
    with override_settings(JOBS_BACKEND="rq", RQ_QUEUES={"default": {"URL": redis_url}}):
        import django_rq

        queue = django_rq.get_queue("default")
        first = get(reader_client, pack_url(taby), in_request, commit)
        assert calls == []  # nothing laid out, in the request or anywhere
        job = BackgroundJob.objects.get()
        assert first.status_code == 302 and first.url == reverse(
            "register:background_job", args=[job.pk]
        )
        assert job.status == BackgroundJob.Status.QUEUED and queue.count == 1
        page = reader_client.get(first.url).content.decode()
        assert '<meta http-equiv="refresh"' in page and "<progress" in page
        assert "Pdf:en tas fram" in page
        # A second request while it waits joins the same job.
        assert get(reader_client, pack_url(taby), in_request, commit).url == first.url
        assert queue.count == 1

        work_off(queue)
        assert calls == [False]  # laid out once, by the worker
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.DONE and job.file
        assert job.total >= 1 and job.done == job.total
        done_page = reader_client.get(first.url).content.decode()
        assert 'http-equiv="refresh"' not in done_page
        assert reverse("register:background_job_file", args=[job.pk]) in done_page

        served = get(reader_client, pack_url(taby), in_request, commit)
        assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
        assert served.content.startswith(b"%PDF")
        assert "introduktion-T" in served["Content-Disposition"]
        assert get(reader_client, pack_url(taby), in_request, commit).status_code == 200
        assert calls == [False] and queue.count == 0  # the same data version: not again

        # A change in the register is a new data version: a new job, rendered by the worker.
        with django_capture_on_commit_callbacks(execute=True):
            arrangement = taby.participations.first().arrangement
            arrangement.name = "Nytt namn på nämnden"
            arrangement.save()
        again = get(reader_client, pack_url(taby), in_request, commit)
        assert again.status_code == 302 and calls == [False]
        assert queue.count == 1
        work_off(queue)
        assert calls == [False, False]
        newest = BackgroundJob.objects.latest("pk")
        assert newest.pk != job.pk and newest.data_version != job.data_version
        assert newest.status == BackgroundJob.Status.DONE
        assert get(reader_client, pack_url(taby), in_request, commit).status_code == 200


def test_inline_the_first_request_renders_and_the_second_serves_the_kept_file(
    reader_client, taby, media, layouts
):
    calls, in_request = layouts
    first = get(reader_client, pack_url(taby), in_request)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert calls == [True]  # inline: in the caller, the tests' backend
    second = get(reader_client, pack_url(taby), in_request)
    assert second.content.startswith(b"%PDF")
    assert calls == [True]
    job = BackgroundJob.objects.get()
    assert job.kind == BackgroundJob.Kind.INTRO_PACK and job.organisation == taby
    assert job.requested_by.username == "pdf-lasare"


def test_a_pdf_for_another_audience_is_rendered_for_it(client, taby, knivsta, media, layouts):
    """A member sees more than a stranger: each audience has its own PDF, never another's."""
    calls, in_request = layouts
    client.force_login(f.make_member(taby, Membership.Role.READER, "taby-lasare-2"))
    get(client, pack_url(taby), in_request)
    client.force_login(f.make_member(knivsta, Membership.Role.EDITOR, "knivsta-red-2"))
    get(client, pack_url(taby), in_request)
    assert len(calls) == 2
    assert BackgroundJob.objects.values("audience").distinct().count() == 2


def test_another_organisations_user_cannot_see_or_fetch_the_job(
    reader_client, client, taby, knivsta, media
):
    reader_client.get(pack_url(taby))
    job = BackgroundJob.objects.get()
    urls = [
        reverse("register:background_job", args=[job.pk]),
        reverse("register:background_job_file", args=[job.pk]),
    ]
    assert [reader_client.get(u).status_code for u in urls] == [200, 200]
    from django.test import Client

    other = Client()
    other.force_login(f.make_member(knivsta, Membership.Role.EDITOR, "knivsta-red-3"))
    assert [other.get(u).status_code for u in urls] == [404, 404]
    retry = reverse("register:background_job_retry", args=[job.pk])
    assert other.post(retry).status_code == 404
    admin = Client()
    admin.force_login(f.make_user("admin-pdf", superuser=True))
    assert admin.get(urls[0]).status_code == 200


def test_access_lists_only_the_jobs_of_ones_own_audience(taby, knivsta, media, reader_client):
    from register.access import Access

    reader_client.get(pack_url(taby))
    job = BackgroundJob.objects.get()
    member = Access(user_id=None, member_org_ids=frozenset({taby.pk}))
    stranger = Access(user_id=None, member_org_ids=frozenset({knivsta.pk}))
    assert member.can_view_background_job(job) and not stranger.can_view_background_job(job)
    assert list(member.background_jobs()) == [job]
    assert list(stranger.background_jobs()) == []
    assert list(Access.administrator().background_jobs()) == [job]


def test_a_failed_job_says_so_in_swedish_and_offers_a_retry(
    reader_client, taby, media, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint tog slut")

    monkeypatch.setattr("register.reports.intro_pack.pdf", broken)
    response = reader_client.get(pack_url(taby))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert job.status == BackgroundJob.Status.FAILED
    page = reader_client.get(response.url).content.decode()
    assert "Pdf:en kunde inte tas fram" in page
    assert 'http-equiv="refresh"' not in page
    retry = reverse("register:background_job_retry", args=[job.pk])
    assert f'action="{retry}"' in page and 'method="post"' in page
    assert "WeasyPrint tog slut" not in page  # the technical cause is logged, not shown

    monkeypatch.undo()
    done = reader_client.post(retry)
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert reader_client.get(pack_url(taby)).status_code == 200


def test_the_review_pack_and_the_briefing_are_kept_too(editor_client_review, media, layouts):
    calls, in_request = layouts
    client, url = editor_client_review
    assert get(client, url, in_request).status_code == 200
    assert get(client, url, in_request).status_code == 200
    assert len(calls) == 1
    assert BackgroundJob.objects.get().kind == BackgroundJob.Kind.REVIEW_PACK


@pytest.fixture
def editor_client_review(client, taby, taby_editor, shared_arrangement):
    from register.models import Review

    review = Review.objects.create(
        organisation=taby, title="Genomgång 2026", date="2026-11-30", body="Kommunstyrelsen"
    )
    client.force_login(taby_editor)
    return client, reverse("register:review_pack_pdf", args=[review.pk])


def test_the_progress_page_passes_the_content_security_policy(reader_client, taby, media):
    from register.reports import pdf_jobs
    from register.services import background_jobs

    job = background_jobs.request_job(
        kind=BackgroundJob.Kind.INTRO_PACK,
        key=str(taby.pk),
        organisation=taby,
        audience="members:0",
        version=pdf_jobs.data_version(taby),
        user=None,
        file_name="x",
        start=False,
    )
    BackgroundJob.objects.filter(pk=job.pk).update(audience=_audience(reader_client, taby))
    response = reader_client.get(reverse("register:background_job", args=[job.pk]))
    page = response.content.decode()
    assert "style=" not in page and "<script" not in page
    assert "<progress" in page and "I kö" in page


def _audience(client, taby):
    from register.access import Access

    return Access(user_id=None, member_org_ids=frozenset({taby.pk})).audience()


def test_a_current_pdf_is_served_in_a_few_queries(
    reader_client, taby, media, django_assert_max_num_queries
):
    reader_client.get(pack_url(taby))
    with django_assert_max_num_queries(5):  # session, user, memberships, the job
        response = reader_client.get(pack_url(taby))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_weasyprints_progress_is_heard_page_by_page_in_this_thread_only():
    from weasyprint import HTML

    from register.reports import pdf

    heard = []
    html = "<style>p { break-after: page }</style><p>1</p><p>2</p><p>3</p>"
    with pdf.progress(lambda step, page: heard.append((step, page))):
        pdf.write_pdf(HTML(string=html))
    assert [h for h in heard if h[0] == "page"] == [("page", 1), ("page", 2), ("page", 3)]
    assert heard[-1] == ("writing", None)
    pdf.write_pdf(HTML(string=html))  # outside the block: nobody listens
    assert len(heard) == 4


def test_redis_url_makes_rq_the_backend_and_rq_without_redis_refuses_to_start():
    import os
    import subprocess
    import sys

    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.JOBS_BACKEND, 'django_rq' in settings.INSTALLED_APPS)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "register.settings", "DEBUG": "1"}
    env.pop("JOBS_BACKEND", None)
    with_redis = {**env, "REDIS_URL": "redis://127.0.0.1:6399/1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=with_redis, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["rq", "True"]
    env.pop("REDIS_URL", None)
    refused = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "JOBS_BACKEND": "rq"},
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "REDIS_URL" in refused.stderr


def _job(taby, **kw):
    return BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INTRO_PACK,
        key=str(taby.pk),
        organisation=taby,
        audience=kw.pop("audience", f"medlem:{taby.pk}"),
        data_version=kw.pop("data_version", "2-20261206"),
        **kw,
    )


def test_the_bar_shows_a_total_only_when_the_last_pdf_tells_how_many_pages_to_expect(taby):
    from register.reports.pdf_jobs import Progress

    job = _job(taby, status=BackgroundJob.Status.RUNNING)
    first = Progress(job)
    first("page", 5)
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (5, 0, "Sida 5 ställs upp")
    _job(taby, status=BackgroundJob.Status.DONE, done=23, total=23, data_version="1-20261205")
    again = Progress(job)
    again("page", 6)
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (6, 23, "Sida 6 av omkring 22 ställs upp")
    again("writing", None)
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (6, 7, "Pdf:en skrivs (6 sidor)")


def test_a_job_that_never_finished_is_failed_and_offers_a_retry(reader_client, taby, media):
    from django.utils import timezone

    from register.services import background_jobs

    job = _job(taby, audience=_audience(reader_client, taby))
    BackgroundJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - background_jobs.stale_after() * 1.1
    )
    page = reader_client.get(reverse("register:background_job", args=[job.pk])).content.decode()
    assert "Pdf:en blev inte klar i tid." in page and "Försök igen" in page


def test_a_kept_file_gone_from_the_storage_is_offered_again(reader_client, taby, media):
    reader_client.get(pack_url(taby))
    job = BackgroundJob.objects.get()
    job.file.storage.delete(job.file.name)
    response = reader_client.get(pack_url(taby))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    page = reader_client.get(response.url).content.decode()
    assert "Den sparade pdf:en finns inte längre." in page and "Försök igen" in page
    assert (
        reader_client.post(reverse("register:background_job_retry", args=[job.pk])).status_code
        == 302
    )
    assert reader_client.get(pack_url(taby)).content.startswith(b"%PDF")
