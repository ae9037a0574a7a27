"""URLs of the requests to join an arrangement (names are a contract: see the README)."""

from django.urls import path

from . import join_views as v

urlpatterns = [
    path("samverkan/<int:pk>/begar-deltagande/", v.join_request_create, name="join_request_create"),
    path("begaran-om-deltagande/", v.join_request_list, name="join_request_list"),
    path(
        "begaran-om-deltagande/<int:pk>/godkann/",
        v.join_request_accept,
        name="join_request_accept",
    ),
    path(
        "begaran-om-deltagande/<int:pk>/avsla/",
        v.join_request_decline,
        name="join_request_decline",
    ),
]
