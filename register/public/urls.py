"""URLs of the public site (Insyn), namespace ``public:``, mounted at /insyn/ without login.

The paths are permalinks: an organisation by its code (kommunkod, länskod), an arrangement by
its id with its name as a readable tail.
"""

from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import views
from .cache import organisation, public_page
from .feeds import DecisionFeed

app_name = "public"

CODE = r"(?P<code>[0-9]{2}|[0-9]{4})"

urlpatterns = [
    path("", views.index, name="index"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.personal_data, name="personal_data"),
    path("data/", views.data_index, name="data"),
    path("data/katalog.jsonld", views.catalogue, name="catalogue"),
    re_path(r"^data/hela-registret\.(?P<fmt>json|xlsx)$", views.whole_register, name="bulk"),
    path("samverkan/<slug:slug>/", views.arrangement, name="arrangement"),
    # A published governing document's file (never a media URL; register/downloads.py).
    path("dokument/<int:pk>/ladda-ned/", views.document_download, name="document_download"),
    re_path(rf"^{CODE}/$", views.organisation, name="organisation"),
    re_path(rf"^{CODE}/vem-ansvarar/$", views.responsible, name="responsible"),
    re_path(rf"^{CODE}/vem-ansvarar/inbaddning/$", views.embed, name="embed"),
    re_path(
        rf"^{CODE}/vem-ansvarar/inbaddning/(?P<area>[a-z0-9_-]+)/$",
        views.embed,
        name="embed_area",
    ),
    re_path(
        rf"^{CODE}/beslut\.atom$",
        require_safe(public_page(DecisionFeed(), depends=organisation)),
        name="decision_feed",
    ),
    re_path(rf"^{CODE}/data\.json$", views.organisation_data, name="organisation_data"),
    re_path(
        rf"^{CODE}/(?P<name>samverkan|beslut|foretradare|kostnader)\.(?P<fmt>csv|json|xlsx)$",
        views.organisation_list,
        name="organisation_list",
    ),
]
