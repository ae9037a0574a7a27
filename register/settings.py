"""Settings for Samverkansregistret, driven by environment variables.

SQLite is the embedded default so that a fresh checkout just runs; set DATABASE_URL for PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# openpyxl switches to lxml whenever lxml is installed (the test tools bring it), and then writes
# and parses workbooks differently. The register reads and writes them the same way in
# production, tests and benchmarks: with openpyxl's own ElementTree code.
os.environ.setdefault("OPENPYXL_LXML", "False")


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """Return the flag in the variable ``name``; unset or empty gives ``default``.

    Any other value than the true and false words (in any case) refuses to start, as
    Healthchecks' envbool does: a typo such as ``SECURE_SSL_REDIRECT=ture`` must not quietly
    turn a protection off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} är varken på ({', '.join(TRUE_WORDS)}) eller av "
        f"({', '.join(FALSE_WORDS)}) (se README, Konfiguration)."
    )


def env_header(name: str) -> str:
    """Return the request.META key of the HTTP header named in the variable ("" when unset)."""
    header = os.environ.get(name, "").strip()
    return "HTTP_" + header.upper().replace("-", "_") if header else ""


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Without DEBUG this is production: never run on a key that is in the source code.
        raise ImproperlyConfigured(
            "SECRET_KEY måste sättas när DEBUG är av (se README, Konfiguration). "
            "För utveckling: DEBUG=1 (som make run sätter)."
        )
    # A development-only key, used only with DEBUG on.
    SECRET_KEY = "dev-only-insecure-key-change-me"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    # First, so that its management commands win over Django's (createsuperuser, which checks the
    # password also with --noinput: register/management/commands/createsuperuser.py).
    "register",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "importers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every answer; Cache-Control: private, no-store on every internal one.
    "register.web.headers.SecurityHeadersMiddleware",
    # Before WhiteNoise, so that static files get the Content-Security-Policy header too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout: a request starts the session's time again.
    "register.web.sessions.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database that cannot be written (full disk, read only): the Swedish 503 page.
    "register.web.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every table's body cells name their column, so that a table can stack on a phone.
    "register.web.stacked_tables.StackedTablesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a refused login (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "register.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "register.context_processors.access",
            ],
        },
    },
]

WSGI_APPLICATION = "register.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A writing transaction takes SQLite's write lock when it begins (IMMEDIATE), and a second
    # writer (a request, the background worker thread) waits up to 20 s for it: with DEFERRED
    # transactions a reader that turns writer meets a busy lock at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Swedish for django-axes' admin
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files kept in Django's default storage (the PDFs made in the background, uploaded documents).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "").strip() or str(BASE_DIR / "media")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the governing documents, register/services/documents.py) are stored through
# Django's storage API. The file system (MEDIA_ROOT) by default, which ``manage.py backup`` copies;
# DOCUMENT_STORAGE=s3 or azure stores them through django-storages instead (its own variables:
# AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME …; AZURE_ACCOUNT_NAME,
# AZURE_CONTAINER … read by django-storages itself), with boto3 or azure-storage-blob installed
# (``pip install django-storages[s3]`` / ``[azure]``; README, Konfiguration). Files are never
# served from a media URL: every download goes through a view that asks Access.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "").strip() or str(BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
DOCUMENT_STORAGE = os.environ.get("DOCUMENT_STORAGE", "").strip().lower() or "filesystem"
DOCUMENT_STORAGE_BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "s3": "storages.backends.s3.S3Storage",
    "azure": "storages.backends.azure_storage.AzureStorage",
}
if DOCUMENT_STORAGE not in DOCUMENT_STORAGE_BACKENDS:
    raise ImproperlyConfigured(
        f"DOCUMENT_STORAGE={DOCUMENT_STORAGE!r} ska vara filesystem, s3 eller azure "
        "(se README, Konfiguration)."
    )
STORAGES = {
    "default": {"BACKEND": DOCUMENT_STORAGE_BACKENDS[DOCUMENT_STORAGE]},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if DOCUMENT_STORAGE == "s3":
    # Private objects: a document is only ever handed out by the register's download view.
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
# The largest governing document (PDF, DOCX or ODT) the register stores.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one user name from
# one address, that combination is refused for LOGIN_COOLOFF_MINUTES (on /logga-in/ and in the
# admin alike). A register administrator unlocks under "Axes" in the Django admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (OpenID Connect, below): does nothing unless OIDC_RP_CLIENT_ID is set.
    "register.web.sso.SsoBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "register.throttling.lockout_response"  # Swedish page, status 429
# Behind a proxy every request comes from the proxy's address: CLIENT_IP_HEADER names the header in
# which the proxy passes on the client's (e.g. X-Forwarded-For; its last address is used).
CLIENT_IP_META_KEY = env_header("CLIENT_IP_HEADER")
AXES_CLIENT_IP_CALLABLE = "register.throttling.client_ip"

# Sessions end after SESSION_IDLE_TIMEOUT_HOURS without a request (sliding: a request starts the
# time again, register/web/sessions.py); with SESSION_EXPIRE_AT_BROWSER_CLOSE also when the
# browser is closed.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_TIMEOUT_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "register:home"
LOGOUT_REDIRECT_URL = "login"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_PAGE_RANGE = 8

# Uploads: the importer refuses files over 20 MB before parsing them.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# A workbook that unpacks to more is refused before it is read; the default holds a sheet at the
# row limit (importers/readers/archive.py, MAX_UNCOMPRESSED_BYTES, says why).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(128 * 1024 * 1024))
)
# A preview that is not saved within this many days loses its uploaded file (importers.models).
IMPORT_PREVIEW_DAYS = int(os.environ.get("IMPORT_PREVIEW_DAYS", "7"))
# A list larger than this (bytes) is previewed and saved in the background (register/jobs.py),
# its page showing the progress; a smaller one in the request (importers/background.py).
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(100 * 1024)))
# Background work on an import that has not moved for this many minutes has stopped (a restart):
# its page says so, and the save can be asked for again.
IMPORT_JOB_STALLED_MINUTES = int(os.environ.get("IMPORT_JOB_STALLED_MINUTES", "15"))
# A person's phone and e-mail are removed this many days after their last seat ended
# (``manage.py purge_personal_data``; register/personal_data.py is the record of processing).
PERSONAL_DATA_CONTACT_RETENTION_DAYS = int(
    os.environ.get("PERSONAL_DATA_CONTACT_RETENTION_DAYS", "365")
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# https: on by default when DEBUG is off (production); each can be turned off for a site that
# really runs on plain http. `python manage.py check --deploy` checks them.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind an https-terminating proxy: the header it sets to "https", e.g. X-Forwarded-Proto. Only
# when the proxy always sets it (and overwrites what the client sent).
if proxy_header := env_header("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (register/web/headers.py): the browser features no page of the register uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), bluetooth=(), browsing-topics=(), camera=(), "
    "display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)

# Content-Security-Policy (django-csp): only this site's own scripts, styles and images; no inline
# script or style anywhere (tests/test_csp.py scans the templates; tests/browser/test_csp.py
# visits the pages).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The cache: local memory by default; with REDIS_URL (redis://host:6379/0) Django's own Redis
# backend, so that several app servers share the public pages' cache (register/public/cache.py).
if redis_url := os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (register/jobs.py): "rq" puts it on a queue in the same Redis (REDIS_URL), which a
# worker process works off (`python manage.py rqworker default`, django-rq): the default when
# REDIS_URL is set. "thread" runs it in a thread of the web process (the embedded default without
# Redis, nothing more to start); "inline" runs it at once in the caller (the tests).
JOBS_BACKENDS = ("rq", "thread", "inline")
JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "").strip() or ("rq" if redis_url else "thread")
if JOBS_BACKEND not in JOBS_BACKENDS:
    raise ImproperlyConfigured(
        f"JOBS_BACKEND={JOBS_BACKEND!r} ska vara något av {', '.join(JOBS_BACKENDS)} (se README)."
    )
if JOBS_BACKEND == "rq" and not redis_url:
    raise ImproperlyConfigured("JOBS_BACKEND=rq behöver en Redis-server i REDIS_URL (se README).")
# The longest a job may run in the rq worker before it is stopped (seconds).
JOBS_TIMEOUT_SECONDS = int(os.environ.get("JOBS_TIMEOUT_SECONDS", "600"))
RQ_QUEUES = {
    "default": {
        "URL": redis_url or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": JOBS_TIMEOUT_SECONDS,
    }
}
RQ_SHOW_ADMIN_LINK = False
if JOBS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # its `rqworker` command; only a queue needs it
# Python's garbage collector (register/apps.py sets it when Django starts: gunicorn's workers, the
# rq worker, manage.py, the benchmarks alike). Three numbers, the thresholds of gc.set_threshold;
# "python" keeps Python's own (700,10,10). With Python's, a page that builds many thousands of
# objects (the busiest municipality's overview after a change) spends a quarter of its time in
# collections that find nothing; 10 000 objects before a young collection is a few MB at most.
GC_THRESHOLD_DEFAULT = "10000,10,10"


def env_gc_threshold(name: str) -> tuple[int, ...] | None:
    """The collector's thresholds from ``name`` (None: Python's own); a bad value stops the start."""
    value = os.environ.get(name, "").strip() or GC_THRESHOLD_DEFAULT
    if value.lower() == "python":
        return None
    try:
        numbers = tuple(int(part) for part in value.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != 3 or numbers[0] < 100 or min(numbers) < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} ska vara tre heltal med komma emellan, det första minst 100 "
            "(t.ex. 10000,10,10), eller python (se README)."
        )
    return numbers


GC_THRESHOLD = env_gc_threshold("GC_THRESHOLD")
# How long a public page stays in the cache (seconds); an edit invalidates it at once anyway.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# E-mail (the reminders of ``manage.py send_reminders``): the console backend unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverkansregistret@localhost")
# How many days ahead the reminders look.
REMINDER_DAYS = int(os.environ.get("REMINDER_DAYS", "30"))
# How many days ahead ``manage.py send_briefings`` sends the briefings of coming meetings.
BRIEFING_DAYS = int(os.environ.get("BRIEFING_DAYS", "7"))
# How many days the link in an invitation to an organisation works (``services.users``).
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))


# --- Single sign-on with OpenID Connect (mozilla-django-oidc) ----------------------------------
# Optional: set OIDC_RP_CLIENT_ID (and the provider's endpoints) to show "Logga in med kommunens
# konto" on the login page. Unset, nothing changes: password login only. README, "Inloggning via
# kommunens konto", lists every variable with examples for Microsoft Entra ID and Keycloak.


def env_sso_map(name: str) -> dict[str, list[tuple[str, str]]]:
    """Parse ``key=CODE:role,key2=CODE:role`` (a group or an e-mail domain to an organisation's
    code and a role) from the variable ``name``; a key may be given several times."""
    result: dict[str, list[tuple[str, str]]] = {}
    for item in os.environ.get(name, "").split(","):
        if not item.strip():
            continue
        key, _, target = item.partition("=")
        code, _, role = target.partition(":")
        key, code, role = key.strip(), code.strip(), role.strip().lower()
        if not (key and code and role):
            raise ImproperlyConfigured(
                f"{name}: {item.strip()!r} ska skrivas nyckel=organisationskod:roll, "
                "till exempel grp-taby-editors=0160:editor (se README, Konfiguration)."
            )
        result.setdefault(key if name != "OIDC_EMAIL_DOMAIN_MAP" else key.lower(), []).append(
            (code, role)
        )
    return result


OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
# The provider's issuer (the "iss" of its tokens, checked on every ID token) and its endpoints,
# as its /.well-known/openid-configuration lists them.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
# The provider's end_session_endpoint: logging out here also ends the session there (optional).
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").strip()
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID är satt men {', '.join(_missing)} saknas (se README, Konfiguration)."
        )
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile").strip()
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the logout at the provider
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", False)
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "").strip() or "Logga in med kommunens konto"
# Memberships from the provider's groups claim and from verified e-mail domains, set again at
# every login (only those single sign-on gave; a membership given by hand is left alone).
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups").strip() or "groups"
OIDC_GROUP_MAP = env_sso_map("OIDC_GROUP_MAP")
OIDC_EMAIL_DOMAIN_MAP = env_sso_map("OIDC_EMAIL_DOMAIN_MAP")
# Link an existing account by e-mail only when the provider says email_verified=true AND this is
# on: only for a provider whose e-mail addresses the municipality itself controls.
OIDC_TRUST_EMAIL_VERIFIED = env_bool("OIDC_TRUST_EMAIL_VERIFIED", False)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"


def form_action_with_logout(endpoint: str) -> list:
    """The CSP's form-action with the origin of the provider's logout endpoint: the logout form
    posts to /logga-ut/, which redirects there, and browsers hold a form's redirects to
    form-action too."""
    if not endpoint:
        return [SELF]
    parts = urlsplit(endpoint)
    return [SELF, f"{parts.scheme}://{parts.netloc}"]


if OIDC_ENABLED:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = form_action_with_logout(
        OIDC_OP_LOGOUT_ENDPOINT
    )
