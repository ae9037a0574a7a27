"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE, see pyproject.toml).

The production settings (register/settings.py, DEBUG off) with two differences: a key of the
tests' own when none is set, since the production settings refuse to start without one; and plain
http, since the test client and the live server that Playwright visits speak http. Everything
else, the Content-Security-Policy and the login throttling included, is as in production.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "k" * 40)

from register.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Background work runs at once, inside the test's transaction (register/jobs.py); the tests of the
# queue itself choose their backend.
JOBS_BACKEND = "inline"

# Files kept in Django's storage (the PDFs made in the background, uploaded documents) go to a
# folder of the test run's own, never into the project.
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-test-media-")
