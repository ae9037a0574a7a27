"""``/sok/``: one search over everything the user may see (register/search.py does the work)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import search
from ..access import Access


@login_required
@require_safe
def search_page(request):
    raw = request.GET.get("q", "")
    kind = request.GET.get("typ", "")
    kind = kind if kind in search.BY_KIND else ""
    query = search.clean_query(raw)
    too_long = len(" ".join(raw.split())) > search.MAX_QUERY_LENGTH
    results = None
    if query and not too_long:
        results = search.search(
            Access.for_user(request.user), query, kinds=[kind] if kind else None
        )
    return render(
        request,
        "register/search.html",
        {
            "query": query,
            "kind": search.BY_KIND[kind].label if kind else "",
            "results": results,
            "too_long": too_long,
            "max_length": search.MAX_QUERY_LENGTH,
        },
    )
