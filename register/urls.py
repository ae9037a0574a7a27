from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from register.public import views as public_views
from register.public.cache import public_page
from register.public.sitemaps import SITEMAPS
from register.web import sso

urlpatterns = [
    path("admin/", admin.site.urls),
    path("logga-in/", sso.LoginView.as_view(), name="login"),
    path("logga-ut/", sso.LogoutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect; 404 unless OIDC_RP_CLIENT_ID is set): register/web/sso.py.
    path("oidc/authenticate/", sso.sso_start, name="oidc_authentication_init"),
    path("oidc/callback/", sso.sso_callback, name="oidc_authentication_callback"),
    # A forgotten password: Django's own views, by e-mail (EMAIL_BACKEND), in Swedish
    # (templates/registration/password_reset_*.html).
    path(
        "glomt-losenord/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "glomt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "glomt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
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
    path("favicon.ico", public_views.favicon, name="favicon"),
    path("", include("register.web.urls")),
]

# A database that cannot be written answers with the Swedish 503 page (register/web/unavailable.py).
handler500 = "register.web.unavailable.server_error"
handler400 = "register.web.unavailable.bad_request"
