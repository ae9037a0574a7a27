"""The public pages' cache: whole responses kept under the data version they depend on.

Which version a page depends on is the page's own: a municipality's or region's pages (its page,
"Vem ansvarar?", its open data and decision feed) depend on that organisation's version, an
arrangement's page on the arrangement's, and the register-wide pages (search, open data, the
catalogue, the sitemap) on the national version (``register.dataversions``, which also decides
which versions a write touches: a save in Kiruna leaves Täby's pages cached). A page's cache key
holds its version, and the same number gives the page its ETag and Last-Modified: an unchanged
page answers a conditional request with 304 without being built.

With the default local-memory cache each server process has its own versions: that is right for
one process (``runserver``, one gunicorn worker). Several workers or servers share the versions
and the pages through Redis (``REDIS_URL``, see the README).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from .. import dataversions
from .selectors import arrangement_id_from_slug

data_version = dataversions.data_version


def bump() -> None:
    """Start a new data version for everything: every cached public page is out of date."""
    dataversions.bump()


# --- Which version a page depends on ----------------------------------------------------------


def national(request, *args, **kwargs) -> int:
    """The register-wide pages: the national version."""
    return dataversions.national()


def organisation(request, *args, code=None, **kwargs) -> int:
    """A municipality's or region's pages: its own version."""
    return dataversions.for_organisation_code(code) if code else dataversions.national()


def arrangement(request, *args, slug=None, **kwargs) -> int:
    """An arrangement's page: its own version."""
    pk = arrangement_id_from_slug(slug or "")
    return dataversions.for_arrangement(pk) if pk else dataversions.national()


def _request_version(request, depends=national, *args, **kwargs) -> int:
    """Return the page's data version, read once per request (the ETag, Last-Modified and cache
    key all ask for it)."""
    version = getattr(request, "_insyn_data_version", None)
    if version is None:
        version = request._insyn_data_version = depends(request, *args, **kwargs)
    return version


def _etag(request, *args, depends=national, **kwargs) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    return f"{_request_version(request, depends, *args, **kwargs)}-{path}"


def _last_modified(request, *args, depends=national, **kwargs) -> dt.datetime:
    version = _request_version(request, depends, *args, **kwargs)
    return dt.datetime.fromtimestamp(version // 1000, tz=dt.UTC)


def public_page(view=None, *, depends=national):
    """Cache a public view's successful GET response under the data version it ``depends`` on
    (national, ``organisation`` or ``arrangement``; a function of the request and the view's
    arguments), and answer If-None-Match / If-Modified-Since with 304 while the data is
    unchanged."""
    if view is None:
        return functools.partial(public_page, depends=depends)

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        key = f"insyn:page:{_etag(request, *args, depends=depends, **kwargs)}"
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

    conditional = condition(
        etag_func=functools.partial(_etag, depends=depends),
        last_modified_func=functools.partial(_last_modified, depends=depends),
    )(cached)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        # Readers' browsers and proxies may keep it briefly, then must ask again (ETag).
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
