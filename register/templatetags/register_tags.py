"""Template filters and tags for the register's pages: Swedish number formats, access checks,
and edit links that disappear while an edit view does not exist."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from register.validators import format_orgnr

register = template.Library()

NBSP = "\u00a0"


def format_kronor(value, suffix: str = " kr") -> str:
    """Return a whole-kronor amount as Swedish text: 1234567 -> '1 234 567 kr' (non-breaking spaces)."""
    if value is None or value == "":
        return ""
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return str(value)
    sign = "−" if number < 0 else ""
    grouped = f"{abs(number):,}".replace(",", NBSP)
    return f"{sign}{grouped}{suffix.replace(' ', NBSP)}" if suffix else f"{sign}{grouped}"


@register.filter
def kronor(value) -> str:
    """Render whole kronor: 1 234 567 kr."""
    return format_kronor(value)


@register.filter
def number(value) -> str:
    """Render an integer with Swedish thousands separators and no unit: 1 234 567."""
    return format_kronor(value, suffix="")


@register.filter
def percent(value) -> str:
    """Render a share as Swedish percent: 12,5 %."""
    if value is None or value == "":
        return ""
    try:
        text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)
    return f"{text.replace('.', ',').replace('-', '−')}{NBSP}%"


@register.filter
def absolute(value):
    """Return the number without its sign (the words say which way it went)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def orgnr(value) -> str:
    """Render an organisation number as NNNNNN-NNNN."""
    if not value:
        return ""
    return format_orgnr(str(value))


@register.filter
def can_change(access, obj) -> bool:
    return bool(access) and access.can_change(obj)


@register.filter
def can_delete(access, obj) -> bool:
    return bool(access) and access.can_delete(obj)


@register.filter
def can_view_internal(access, obj) -> bool:
    return bool(access) and access.can_view_internal(obj)


@register.simple_tag
def edit_url(name: str, *args) -> str:
    """Return the URL for ``name`` or "" when the view does not (yet) exist."""
    try:
        return reverse(name, args=[a for a in args if a is not None])
    except NoReverseMatch:
        return ""


@register.filter
def get_item(mapping, key):
    """Look up ``key`` in a dict from a template."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def trend_arrow(change) -> str:
    """Describe a cost change in words for screen readers and eyes alike."""
    if change is None:
        return ""
    if change > 0:
        return "↑ ökar"
    if change < 0:
        return "↓ minskar"
    return "→ oförändrad"
