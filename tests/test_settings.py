"""The settings module reads its configuration from the environment (see README, "Konfiguration").

Each test loads register/settings.py afresh as a separate module with a given environment, so the
running test settings are never touched.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import register

SETTINGS_FILE = Path(register.__file__).resolve().parent / "settings.py"
CONFIG_VARS = [
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_UNCOMPRESSED_BYTES",
    "IMPORT_PREVIEW_DAYS",
    "LOG_LEVEL",
    "CONN_MAX_AGE",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "CLIENT_IP_HEADER",
    "GC_THRESHOLD",
]
KEY = "en-lång-och-slumpmässig-nyckel"


@pytest.fixture
def load_settings(monkeypatch):
    """Return a function that loads the settings module with exactly the given variables set."""

    def load(**env):
        for name in CONFIG_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_it_uses_an_sqlite_file_in_the_project_by_default(load_settings):
    settings = load_settings(SECRET_KEY=KEY)

    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == SETTINGS_FILE.parent.parent / "db.sqlite3"
    assert db["CONN_MAX_AGE"] == 0
    # Writers wait for each other (the background worker thread and a request) rather than
    # failing with "database is locked" (register/jobs.py): the lock is taken at BEGIN.
    assert db["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


def test_it_reads_a_postgresql_database_url(load_settings):
    settings = load_settings(
        SECRET_KEY=KEY, DATABASE_URL="postgres://reg:hemligt@db.example.se:5433/samverkan"
    )

    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("samverkan", "reg", "hemligt")
    assert (db["HOST"], db["PORT"]) == ("db.example.se", 5433)


def test_it_keeps_database_connections_for_conn_max_age_seconds(load_settings):
    settings = load_settings(
        SECRET_KEY=KEY, DATABASE_URL="postgres://reg@db/samverkan", CONN_MAX_AGE="120"
    )

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 120


def test_it_reads_the_secret_key(load_settings):
    settings = load_settings(SECRET_KEY=KEY)

    assert settings.SECRET_KEY == KEY


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY måste sättas"):
        load_settings()
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(DEBUG="0", SECRET_KEY="")


def test_it_falls_back_to_a_development_key_only_in_debug_mode(load_settings):
    settings = load_settings(DEBUG="1")

    assert settings.SECRET_KEY.startswith("dev-only")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("false", False)],
)
def test_it_reads_debug_as_a_flag(load_settings, value, expected):
    assert load_settings(DEBUG=value, SECRET_KEY=KEY).DEBUG is expected


@pytest.mark.parametrize("value", ["no", "OFF", " off "])
def test_it_reads_the_other_false_words_too(load_settings, value):
    assert load_settings(DEBUG=value, SECRET_KEY=KEY).DEBUG is False


def test_debug_is_off_by_default(load_settings):
    assert load_settings(SECRET_KEY=KEY).DEBUG is False


def test_an_empty_flag_is_its_default(load_settings):
    settings = load_settings(SECRET_KEY=KEY, DEBUG="", SECURE_SSL_REDIRECT=" ")
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is True


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "ture"), ("SECURE_SSL_REDIRECT", "nej"), ("SECURE_COOKIES", "2"), ("DEBUG", "y")],
)
def test_it_refuses_to_start_on_a_flag_that_is_neither_on_nor_off(load_settings, name, value):
    with pytest.raises(ImproperlyConfigured, match=f"{name}='{value}' är varken på") as refused:
        load_settings(SECRET_KEY=KEY, **{name: value})
    assert "1, true, yes, on" in str(refused.value)
    assert "0, false, no, off" in str(refused.value)


def test_it_splits_allowed_hosts_and_trusted_origins_on_commas(load_settings):
    settings = load_settings(
        SECRET_KEY=KEY,
        ALLOWED_HOSTS=" samverkan.example.se, www.samverkan.example.se ,",
        CSRF_TRUSTED_ORIGINS="https://samverkan.example.se",
    )

    assert settings.ALLOWED_HOSTS == ["samverkan.example.se", "www.samverkan.example.se"]
    assert settings.CSRF_TRUSTED_ORIGINS == ["https://samverkan.example.se"]


def test_it_allows_only_the_local_host_by_default(load_settings):
    settings = load_settings(SECRET_KEY=KEY)

    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]
    assert settings.CSRF_TRUSTED_ORIGINS == []


def test_it_reads_the_import_size_limit_and_log_level(load_settings):
    settings = load_settings(SECRET_KEY=KEY, IMPORT_MAX_BYTES="1048576", LOG_LEVEL="INFO")

    assert settings.IMPORT_MAX_BYTES == 1_048_576
    assert settings.LOGGING["root"]["level"] == "INFO"


def test_it_reads_the_unpacked_size_limit_of_imports(load_settings):
    assert load_settings(SECRET_KEY=KEY).IMPORT_MAX_UNCOMPRESSED_BYTES == 128 * 1024 * 1024
    settings = load_settings(SECRET_KEY=KEY, IMPORT_MAX_UNCOMPRESSED_BYTES="52428800")
    assert settings.IMPORT_MAX_UNCOMPRESSED_BYTES == 50 * 1024 * 1024


def test_it_sends_cookies_over_https_only_in_production(load_settings):
    assert load_settings(SECRET_KEY=KEY).SESSION_COOKIE_SECURE is True
    assert load_settings(SECRET_KEY=KEY).CSRF_COOKIE_SECURE is True
    assert load_settings(DEBUG="1").SESSION_COOKIE_SECURE is False
    assert load_settings(SECRET_KEY=KEY, SECURE_COOKIES="0").CSRF_COOKIE_SECURE is False
    assert load_settings(DEBUG="1", SECURE_COOKIES="1").CSRF_COOKIE_SECURE is True


def test_it_redirects_to_https_and_sends_hsts_by_default_in_production(load_settings):
    settings = load_settings(SECRET_KEY=KEY)

    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_HSTS_SECONDS == 31_536_000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SECURE_HSTS_PRELOAD is True


def test_https_redirect_and_hsts_are_configurable(load_settings):
    settings = load_settings(
        SECRET_KEY=KEY,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
    )

    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 3600
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert settings.SECURE_HSTS_PRELOAD is False


def test_development_mode_neither_redirects_nor_sends_hsts(load_settings):
    settings = load_settings(DEBUG="1")

    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0


def test_it_trusts_the_proxy_header_only_when_told_which_it_is(load_settings):
    assert not hasattr(load_settings(SECRET_KEY=KEY), "SECURE_PROXY_SSL_HEADER")

    settings = load_settings(SECRET_KEY=KEY, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_login_throttling_defaults_to_five_failures_and_fifteen_minutes(load_settings):
    settings = load_settings(SECRET_KEY=KEY)

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_login_throttling_reads_its_limit_and_cool_off_from_the_environment(load_settings):
    settings = load_settings(SECRET_KEY=KEY, LOGIN_FAILURE_LIMIT="3", LOGIN_COOLOFF_MINUTES="60")

    assert settings.AXES_FAILURE_LIMIT == 3
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=60)


def test_it_takes_the_clients_address_from_the_header_the_proxy_names(load_settings):
    assert load_settings(SECRET_KEY=KEY).CLIENT_IP_META_KEY == ""

    settings = load_settings(SECRET_KEY=KEY, CLIENT_IP_HEADER="X-Forwarded-For")

    assert settings.CLIENT_IP_META_KEY == "HTTP_X_FORWARDED_FOR"


def test_it_reads_how_long_an_import_preview_keeps_its_file(load_settings):
    assert load_settings(SECRET_KEY=KEY).IMPORT_PREVIEW_DAYS == 7
    assert load_settings(SECRET_KEY=KEY, IMPORT_PREVIEW_DAYS="30").IMPORT_PREVIEW_DAYS == 30


def test_openpyxl_reads_and_writes_without_lxml_as_in_production():
    # The test tools install lxml; openpyxl would then take another code path than production's.
    import openpyxl.xml

    assert openpyxl.xml.LXML is False


def test_the_garbage_collectors_thresholds_default_to_ten_thousand_young_objects(load_settings):
    assert load_settings(SECRET_KEY=KEY).GC_THRESHOLD == (10000, 10, 10)
    assert load_settings(SECRET_KEY=KEY, GC_THRESHOLD="50000, 20, 100").GC_THRESHOLD == (
        50000,
        20,
        100,
    )
    assert load_settings(SECRET_KEY=KEY, GC_THRESHOLD="python").GC_THRESHOLD is None


@pytest.mark.parametrize("value", ["10000", "a,b,c", "10,10,10", "10000,0,10", "1,2,3,4"])
def test_it_refuses_to_start_on_garbage_collector_thresholds_it_cannot_use(load_settings, value):
    with pytest.raises(ImproperlyConfigured, match="GC_THRESHOLD"):
        load_settings(SECRET_KEY=KEY, GC_THRESHOLD=value)


def test_the_running_process_collects_garbage_as_the_setting_says():
    """Django's start (register/apps.py) set them: the web workers and the benchmarks alike."""
    import gc

    from django.conf import settings

    assert gc.get_threshold() == settings.GC_THRESHOLD == (10000, 10, 10)
