"""Public pages are cached, invalidated when their data change, and answer 304 when unchanged."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from register.models import Body

pytestmark = pytest.mark.django_db


def test_an_unchanged_page_answers_304_to_its_etag_and_last_modified(client, public_world):
    url = reverse("public:organisation", args=["0160"])
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_a_cached_page_is_served_without_a_query(client, public_world, django_assert_num_queries):
    url = reverse("public:organisation", args=["0160"])
    client.get(url)
    with django_assert_num_queries(0):
        assert "Förbundsdirektionen" in client.get(url).content.decode()


def test_an_edit_invalidates_the_cached_page_and_its_etag(
    client, public_world, django_capture_on_commit_callbacks
):
    url = reverse("public:organisation", args=["0160"])
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        body = public_world["body"]
        body.name = "Nya direktionen"
        body.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Nya direktionen" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_a_bulk_write_invalidates_the_cache_too(
    client, public_world, django_capture_on_commit_callbacks
):
    from register.public import cache

    before = cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        from register.services import bulk

        extra = Body.objects.create(arrangement=public_world["arrangement"], kind="other", name="X")
        bulk.delete_rows(Body, [extra.pk])
    assert cache.data_version() > before


def test_an_unpublished_arrangement_leaves_the_cached_pages_at_once(
    client, public_world, django_capture_on_commit_callbacks
):
    url = reverse("public:organisation", args=["0160"])
    assert "Roslagens brandförsvarsförbund" in client.get(url).content.decode()
    a = public_world["arrangement"]
    with django_capture_on_commit_callbacks(execute=True):
        a.is_published = False
        a.save()
    assert "Roslagens brandförsvarsförbund" not in client.get(url).content.decode()


# --- against a real Redis server -----------------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path):
    """Start redis-server on a free loopback port in a temporary directory; stop it after."""
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server saknas (make test installerar det från Debians paket)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(tmp_path),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("redis-server startade inte")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.redis
def test_with_redis_an_edit_invalidates_the_cached_page(
    client, public_world, redis_url, django_capture_on_commit_callbacks
):
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    with override_settings(CACHES={"default": backend}):
        from django.core.cache import caches

        assert type(caches["default"]).__name__ == "RedisCache"
        url = reverse("public:organisation", args=["0160"])
        first = client.get(url)
        assert "Förbundsdirektionen" in first.content.decode()
        import redis

        keys = redis.Redis.from_url(redis_url).keys("*insyn:page:*")
        assert keys, "the page was not stored in Redis"
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        with django_capture_on_commit_callbacks(execute=True):
            body = public_world["body"]
            body.name = "Nya direktionen"
            body.save()
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert "Nya direktionen" in again.content.decode()


def test_redis_url_selects_djangos_redis_backend():
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION', ''))"
    )
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6399/1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6399/1",
    ]
    env.pop("REDIS_URL")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.stdout.startswith("django.core.cache.backends.locmem.LocMemCache"), run.stderr
