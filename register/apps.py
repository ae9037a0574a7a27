import gc

from django.apps import AppConfig
from django.conf import settings


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Samverkansregistret"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Python's garbage collector as settings.GC_THRESHOLD says (every process that starts
        # Django: the web workers, the background worker, the commands, the benchmarks).
        if settings.GC_THRESHOLD is not None:
            gc.set_threshold(*settings.GC_THRESHOLD)

        # Every saved or deleted register record moves the data versions it touches (the public
        # pages' cache and the analytics are kept under them).
        from .dataversions import connect_signals

        connect_signals()

        # An organisation's overview is computed again in the background after a change in it,
        # for those who opened it lately (register/reports/analytics.py).
        from .dataversions import after_change
        from .reports.analytics import keep_overviews_after

        after_change(keep_overviews_after)

        # The search index follows every write (register/search.py).
        from .search import connect_signals as connect_search

        connect_search()

        # The session's idle time starts at login (register/web/sessions.py).
        from django.contrib.auth.signals import user_logged_in

        from .web.sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="register-session-login")
