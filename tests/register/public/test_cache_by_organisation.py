"""Insyn's pages are invalidated by organisation: a save in one organisation leaves another's pages
cached, and with Redis every process sees the same versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from register import dataversions
from register.public.selectors import arrangement_slug
from tests import factories as f

from .test_cache import redis_url  # noqa: F401 (the real Redis server fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_worlds(public_world, knivsta, django_capture_on_commit_callbacks):
    """The public world (Täby and Vaxholm) and Knivsta with a federation of its own."""
    with django_capture_on_commit_callbacks(execute=True):
        own = f.make_arrangement(
            name="Knivsta vattenförbund", host=knivsta, is_published=True, areas=("vatten",)
        )
        f.make_participation(own, knivsta, role="host")
    return {**public_world, "knivsta": knivsta, "own": own}


def test_a_save_in_one_organisation_leaves_anothers_pages_cached(
    client, two_worlds, django_capture_on_commit_callbacks, django_assert_num_queries
):
    knivsta = reverse("public:organisation", args=["0330"])
    own = reverse(
        "public:arrangement",
        args=[arrangement_slug({"id": two_worlds["own"].pk, "name": two_worlds["own"].name})],
    )
    taby = reverse("public:organisation", args=["0160"])
    shared = reverse("public:arrangement", args=[two_worlds["slug"]])
    for url in (knivsta, own, taby, shared):
        assert client.get(url).status_code == 200
    knivsta_etag = client.get(knivsta)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        body = two_worlds["body"]
        body.name = "Nya direktionen"
        body.save()
    # Knivsta's pages were not rebuilt: served from the cache without a query, same ETag.
    with django_assert_num_queries(0):
        again = client.get(knivsta)
        assert client.get(own).status_code == 200
    assert again["ETag"] == knivsta_etag
    assert client.get(knivsta, HTTP_IF_NONE_MATCH=knivsta_etag).status_code == 304
    # Täby's page and the shared arrangement's page are rebuilt with the new name.
    assert "Nya direktionen" in client.get(taby).content.decode()
    assert "Nya direktionen" in client.get(shared).content.decode()


def test_the_national_pages_follow_every_save(
    client, two_worlds, django_capture_on_commit_callbacks
):
    url = reverse("public:index")
    first = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        own = two_worlds["own"]
        own.name = "Knivsta och Uppsala vattenförbund"
        own.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.redis
def test_with_redis_two_processes_see_the_same_versions(redis_url, monkeypatch):  # noqa: F811
    """Two cache connections to one Redis stand for two workers: a bump in one is seen by the
    other, and a version read first by the other is the same number."""
    from django.core.cache.backends.redis import RedisCache

    one = RedisCache(redis_url, {})
    other = RedisCache(redis_url, {})
    monkeypatch.setattr(dataversions, "cache", one)
    before_one = dataversions.for_organisation(7)
    monkeypatch.setattr(dataversions, "cache", other)
    assert dataversions.for_organisation(7) == before_one
    before_eight = dataversions.for_organisation(8)
    monkeypatch.setattr(dataversions, "cache", one)
    dataversions.bump(dataversions.Touched(organisations={7}))
    bumped = dataversions.for_organisation(7)
    assert bumped > before_one
    monkeypatch.setattr(dataversions, "cache", other)
    assert dataversions.for_organisation(7) == bumped
    assert dataversions.for_organisation(8) == before_eight
    assert dataversions.national() == bumped
