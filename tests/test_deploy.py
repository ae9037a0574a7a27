"""Production: with the variables README's "Drift" documents, Django's deployment check passes
with no warning; without a SECRET_KEY (and DEBUG off) the register refuses to start.

Each test runs manage.py in a subprocess with the production settings (register.settings), not
the test suite's (tests/settings.py), and with no variable from this environment but the basics.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BASIC_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONDONTWRITEBYTECODE")
PLACEHOLDERS = {
    "DATABASE_URL": "postgres://samverkan:hemligt@db.example.se:5432/samverkan",
    "SECRET_KEY": secrets.token_urlsafe(50),
}


def readme_production_variables() -> dict[str, str]:
    """Return the variables of the `export` in README's "Drift", placeholders filled in."""
    drift = README.read_text(encoding="utf-8").split("### Drift", 1)[1].split("\n## ", 1)[0]
    export = re.search(r"^export (.*?)(?<!\\)$", drift, re.MULTILINE | re.DOTALL)
    assert export, 'README: ingen "export" under Drift'
    pairs = re.findall(r"([A-Z_]+)=(\S+)", export.group(1).replace("\\\n", " "))
    return {name: PLACEHOLDERS.get(name, value) for name, value in pairs}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing from this process (the tests' key, DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests).
    clean = {k: os.environ[k] for k in BASIC_ENV if k in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "register.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_documents_the_production_variables():
    assert set(readme_production_variables()) == {
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_PROXY_SSL_HEADER",
        "CLIENT_IP_HEADER",
    }
    assert "manage.py check --deploy --fail-level WARNING" in README.read_text(encoding="utf-8")


def test_the_deployment_check_passes_with_the_readmes_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **readme_production_variables())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_when_https_is_switched_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **readme_production_variables(),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
    )

    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_it_refuses_to_start_without_a_secret_key():
    variables = readme_production_variables()
    del variables["SECRET_KEY"]

    result = manage("check", **variables)

    assert result.returncode != 0
    assert "SECRET_KEY måste sättas" in result.stderr


def test_development_mode_starts_without_a_secret_key():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr
