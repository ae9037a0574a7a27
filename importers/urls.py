from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("ladda-upp/", views.upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/genomfor/", views.batch_commit, name="batch_commit"),
    path("<int:pk>/angra/", views.batch_undo, name="batch_undo"),
    path("<int:pk>/val/", views.batch_decide, name="batch_decide"),
    path("<int:pk>/ogiltiga-rader.xlsx", views.batch_invalid_rows, name="batch_invalid_rows"),
    path(
        "sammantraden/<int:body_pk>/",
        views.meeting_import,
        name="meeting_import",
    ),
    path(
        "export/<int:organisation_pk>/samverkan.xlsx",
        views.export_portfolio,
        name="export_portfolio",
    ),
]
