from django.urls import path

app_name = "importers"

urlpatterns: list = []
