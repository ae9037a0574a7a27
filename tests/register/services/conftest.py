"""Fixtures of the write services' tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users here log in with force_login; hashing their passwords slowly buys nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
