from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("samverkan/", views.ArrangementListView.as_view(), name="arrangement_list"),
    path("samverkan/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("beslut/", views.DecisionListView.as_view(), name="decision_list"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("genomgangar/", views.ReviewListView.as_view(), name="review_list"),
    path("genomgangar/<int:pk>/", views.review_detail, name="review_detail"),
]
