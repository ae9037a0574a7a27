"""Response headers that every answer of the register carries (issue 22).

* ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) on every answer, static files included:
  no page of the register uses the camera, the microphone, the position and the like.
* ``Cache-Control: private, no-store`` on every answer outside the public site: an internal page,
  the login page, the admin and the calendar feed at its secret address are never kept by a
  browser's cache or a proxy. The public site (Insyn, the sitemap, robots.txt, static files)
  keeps its own public caching (register/public/cache.py, WhiteNoise).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_cache_control

PUBLIC_PREFIXES = ("/insyn/", "/sitemap.xml", "/robots.txt", "/favicon.ico")


def is_public_path(path: str) -> bool:
    """Return whether ``path`` belongs to the public site (or is a static file)."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith((*PUBLIC_PREFIXES, static))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not is_public_path(request.path):
            response.headers.pop("Expires", None)
            patch_cache_control(response, private=True, no_store=True)
        return response
