"""Requests to join an arrangement (begäran om deltagande): ask, list, accept, decline.

An editor of an organisation that does not take part in an arrangement it can see asks to join
it; an editor of one of the arrangement's participants, or a register administrator, accepts or
declines. Thin views: permissions through ``register.access.Access``, writes through
``register.services``. A request the user may not see is a 404, one they may see but not decide
a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..access import Access
from ..models import JoinRequest
from ..selectors.join_requests import join_requests_to_answer, own_join_requests
from ..services import join_requests
from .forms import RegisterForm

FORM_TEMPLATE = "register/join_request_form.html"


class JoinRequestForm(RegisterForm):
    """The organisation that asks to join, its role and a message to the participants."""

    class Meta(RegisterForm.Meta):
        model = JoinRequest
        fields = ["organisation", "role", "message"]
        labels = {"message": "Meddelande till parterna"}
        help_texts = {
            "organisation": "Den organisation som vill delta.",
            "role": "Den roll organisationen vill ha i samverkan.",
            "message": "Frivilligt. Till exempel vilket beslut deltagandet bygger på.",
        }

    def __init__(self, *args, organisations, **kwargs):
        self.organisations = organisations
        super().__init__(*args, **kwargs)

    def limit_choices(self) -> None:
        field = self.fields["organisation"]
        field.queryset = self.organisations.order_by("name")
        if len(field.queryset) == 1:
            field.empty_label = None


def _access(request) -> Access:
    return Access.for_user(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request, pk):
    access = _access(request)
    arrangement = get_object_or_404(access.arrangements(), pk=pk)
    if not access.may_ask_to_join(arrangement):
        raise PermissionDenied(
            "Du kan bara begära deltagande för en organisation som du är redigerare för och som "
            "inte redan deltar."
        )
    organisations = access.join_candidates(arrangement)
    cancel_url = arrangement.get_absolute_url() + "#parter"
    if not organisations.exists():
        messages.info(
            request,
            "Din organisation har redan begärt att få delta i samverkan. Begäran väntar på svar "
            "från någon av parterna.",
        )
        return redirect(cancel_url)
    form = JoinRequestForm(
        request.POST or None,
        access=access,
        organisations=organisations,
        instance=JoinRequest(arrangement=arrangement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            join_requests.join_request_create(
                access=access,
                arrangement=arrangement,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except IntegrityError:
            form.add_error(
                None,
                "Begäran kunde inte sparas eftersom en annan begäran för organisationen "
                "skickades samtidigt. Ladda om sidan.",
            )
        else:
            messages.success(
                request,
                f"Begäran om deltagande i ”{arrangement}” är skickad. En redigerare hos någon "
                "av parterna godkänner eller avslår den.",
            )
            return redirect(cancel_url)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "title": f"Begär deltagande i {arrangement}",
            "intro": "Din organisation deltar inte i samverkan. Skicka en begäran till parterna: "
            "när en redigerare hos någon av dem har godkänt den blir organisationen part och kan "
            "lägga in sitt deltagande, sina kostnader och ledamöter.",
            "form": form,
            "cancel_url": cancel_url,
            "arrangement": arrangement,
        },
    )


def _join_request(access: Access, pk: int) -> JoinRequest:
    return get_object_or_404(
        access.join_requests(
            JoinRequest.objects.select_related("arrangement", "organisation", "requested_by")
        ),
        pk=pk,
    )


def _next_url(request, join_request: JoinRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return join_request.arrangement.get_absolute_url() + "#parter"


def _decide(request, pk, decide, done_message) -> HttpResponse:
    """Accept or decline a pending request (POST only): 404 for a request the user may not see,
    403 for one they may see but not answer."""
    access = _access(request)
    join_request = _join_request(access, pk)
    if not join_request.is_pending:
        messages.info(request, f"Begäran är redan {join_request.get_status_display().lower()}.")
        return redirect(_next_url(request, join_request))
    if not access.can_decide_join_request(join_request):
        raise PermissionDenied(
            "Bara en redigerare hos någon av samverkans parter kan besvara begäran."
        )
    try:
        decide(access=access, join_request=join_request, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message(join_request))
    return redirect(_next_url(request, join_request))


@login_required
@require_POST
def join_request_accept(request, pk):
    return _decide(
        request,
        pk,
        join_requests.join_request_accept,
        lambda r: (
            f"{r.organisation} deltar nu i ”{r.arrangement}” som {r.get_role_display().lower()}."
        ),
    )


@login_required
@require_POST
def join_request_decline(request, pk):
    return _decide(
        request,
        pk,
        join_requests.join_request_decline,
        lambda r: f"Begäran från {r.organisation} om att delta i ”{r.arrangement}” är avslagen.",
    )


@login_required
@require_safe
def join_request_list(request):
    """Requests waiting for the user's answer, and their own organisations' requests."""
    access = _access(request)
    to_answer = join_requests_to_answer(access)
    own = own_join_requests(access)
    return render(
        request,
        "register/join_request_list.html",
        {
            "to_answer": list(to_answer.order_by("requested_at", "pk")[:200]),
            "own": list(own.order_by("-requested_at", "-pk")[:100]),
            "next": reverse("register:join_request_list"),
        },
    )
