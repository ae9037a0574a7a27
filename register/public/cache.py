"""The public pages' cache: whole responses kept under the register's data version.

One number in the cache, the data version, changes whenever a register record is saved or deleted
(Django's signals on every model of the register app, and the write side's own hook,
``register.services.changes.data_changed``, for what is written without them); it is the time of
the change in milliseconds. A page's cache key holds it, so an edit
makes every public page new at once, and the same number gives the page its ETag and
Last-Modified: an unchanged page answers a conditional request with 304 without being built.

With the default local-memory cache each server process has its own version: that is right for
one process (``runserver``, one gunicorn worker). Several workers or servers share one version and
one cache through Redis (``REDIS_URL``, see the README).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

VERSION_KEY = "insyn:data-version"


def data_version() -> int:
    """Return the current data version (set on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), None)
        version = cache.get(VERSION_KEY) or int(time.time() * 1000)
    return version


def bump() -> None:
    """Start a new data version: every cached public page is out of date."""
    now = int(time.time() * 1000)
    old = cache.get(VERSION_KEY) or 0
    cache.set(VERSION_KEY, max(now, old + 1), None)


def bump_on_commit(**kwargs) -> None:
    """Bump when the transaction commits, so that no reader caches the old data meanwhile."""
    transaction.on_commit(bump)


def connect_signals() -> None:
    from ..services.changes import data_changed

    data_changed.connect(bump_on_commit, dispatch_uid="insyn-services", weak=False)
    for model in apps.get_app_config("register").get_models():
        if getattr(model, "derived_from_register", False):
            continue  # a background job's record: made from the data, not part of it
        uid = f"insyn-{model._meta.label}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    m2m_changed.connect(bump_on_commit, dispatch_uid="insyn-m2m", weak=False)


def _request_version(request) -> int:
    """Return the data version, read once per request (the ETag, Last-Modified and cache key
    all ask for it)."""
    version = getattr(request, "_insyn_data_version", None)
    if version is None:
        version = request._insyn_data_version = data_version()
    return version


def _etag(request, *args, **kwargs) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    return f"{_request_version(request)}-{path}"


def _last_modified(request, *args, **kwargs) -> dt.datetime:
    return dt.datetime.fromtimestamp(_request_version(request) // 1000, tz=dt.UTC)


def public_page(view):
    """Cache a public view's successful GET response under the data version, and answer
    If-None-Match / If-Modified-Since with 304 while the data is unchanged."""

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        key = f"insyn:page:{_etag(request)}"
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):  # a TemplateResponse (the sitemap)
            response = response.render()
        if response.status_code == 200 and not response.streaming:
            headers = dict(response.items())  # the view's own: type and file name
            cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(cached)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        # Readers' browsers and proxies may keep it briefly, then must ask again (ETag).
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
