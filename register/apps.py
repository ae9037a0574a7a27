from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Samverkansregistret"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every saved or deleted register record moves the data versions it touches (the public
        # pages' cache and the analytics are kept under them).
        from .dataversions import connect_signals

        connect_signals()

        # The search index follows every write (register/search.py).
        from .search import connect_signals as connect_search

        connect_search()

        # The session's idle time starts at login (register/web/sessions.py).
        from django.contrib.auth.signals import user_logged_in

        from .web.sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="register-session-login")
