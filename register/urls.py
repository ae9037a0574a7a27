from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from register.public import views as public_views
from register.public.cache import public_page
from register.public.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("import/", include("importers.urls")),
    # The public site (Insyn): no login; it reads published records only (register/public/).
    path("insyn/", include("register.public.urls")),
    path(
        "sitemap.xml",
        require_safe(public_page(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", public_views.robots, name="robots"),
    path("", include("register.web.urls")),
]
