"""Shared fixtures. Reference data (290 municipalities, 21 regions, forms, areas) comes from the
migrations, so every database test has it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from register.models import Membership
from tests import factories as f


def pytest_configure(config):
    from django.conf import settings

    # The production hasher is slow on purpose; tests create many users and need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: the public pages' cache (register/public/cache.py)
    is invalidated when a transaction commits, which a test's rolled-back one never does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def taby(db):
    return f.municipality("0160")


@pytest.fixture
def vaxholm(db):
    return f.municipality("0187")


@pytest.fixture
def knivsta(db):
    return f.municipality("0330")


@pytest.fixture
def admin_user(db):
    return f.make_user("registeradmin", superuser=True)


@pytest.fixture
def taby_editor(taby):
    return f.make_member(taby, Membership.Role.EDITOR, "taby-redaktor")


@pytest.fixture
def taby_reader(taby):
    return f.make_member(taby, Membership.Role.READER, "taby-lasare")


@pytest.fixture
def knivsta_editor(knivsta):
    return f.make_member(knivsta, Membership.Role.EDITOR, "knivsta-redaktor")


@pytest.fixture
def shared_arrangement(taby, vaxholm):
    """A joint committee with Täby as host and Vaxholm as member (like SRMH)."""
    arrangement = f.make_arrangement(
        name="Södra Roslagens miljö- och hälsoskyddsnämnd",
        form_slug="joint_committee",
        areas=("miljo_bygg",),
        host=taby,
    )
    f.make_participation(arrangement, taby, role="host")
    f.make_participation(arrangement, vaxholm, role="member")
    return arrangement


@pytest.fixture
def published_shared_arrangement(shared_arrangement):
    """The shared joint committee, published: every logged-in user sees it."""
    shared_arrangement.is_published = True
    shared_arrangement.save()
    return shared_arrangement


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module that asks for it, inside a transaction rolled back at
    the end (so no other module sees it); yields what load_demo printed. A module using it marks
    its tests ``django_db`` (see tests/browser/conftest.py on transactional tests)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("load_demo", "--password", "pw-demo-12345", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
