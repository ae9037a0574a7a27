"""Login throttling with django-axes (see settings): the lockout page and the client's address."""

from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Return the Swedish lockout page, status 429 (Too Many Requests)."""
    context = {
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout.html", context, status=429)


def client_ip(request) -> str | None:
    """Return the client's address: the last one in CLIENT_IP_HEADER when that is set (the one the
    proxy in front of gunicorn added), else the address that reached gunicorn."""
    header = settings.CLIENT_IP_META_KEY
    if header and (value := request.META.get(header, "").strip()):
        return value.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR")
