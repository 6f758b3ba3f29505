"""Persona fixtures for every role, plus an outsider, shared by all tests."""

import importlib
import os

import pytest

from accounts.choices import OrganisationKind, Role

from .factories import (
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
)

# Live-server browser tests touch the database from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Manifest storage needs collectstatic; tests render pages without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords; tests only need a working hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _a_redis_cache_database_per_worker():
    """Parallel workers each get their own Redis cache database: clearing the cache (below) empties
    the whole database, and task counts are cached by user id, which each worker's database reuses."""
    from django.conf import settings
    from django.test.utils import override_settings

    cache_settings = settings.CACHES["default"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not cache_settings["BACKEND"].endswith("RedisCache") or not worker.startswith("gw"):
        yield
        return
    base, _, database = cache_settings["LOCATION"].rpartition("/")
    own = (int(database or 0) + 1 + int(worker.removeprefix("gw"))) % 16
    with override_settings(CACHES={"default": {**cache_settings, "LOCATION": f"{base}/{own}"}}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives a test; what it holds (task counts by user id, throttles) must not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_la(db):
    return LocalAuthorityFactory(code="926", name="Norfolk", region="East of England")


@pytest.fixture
def other_la(db):
    return LocalAuthorityFactory(code="935", name="Suffolk", region="East of England")


@pytest.fixture
def home_la_org(home_la):
    return OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY, name="Norfolk County Council", local_authority=home_la
    )


@pytest.fixture
def other_la_org(other_la):
    return OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY, name="Suffolk County Council", local_authority=other_la
    )


@pytest.fixture
def national_body(db):
    return OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY, name="National College")


@pytest.fixture
def home_school(home_la):
    return SchoolFactory(local_authority=home_la, name="Home Primary School")


@pytest.fixture
def other_school(other_la):
    return SchoolFactory(local_authority=other_la, name="Other Primary School")


@pytest.fixture
def teaching_school_org(home_school):
    return OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Home Teaching School", school=home_school,
        local_authority=home_school.local_authority,
    )


def _member(organisation, role, email):
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, role=role
    ).user


@pytest.fixture
def national_admin(national_body):
    return _member(national_body, Role.NATIONAL_ADMINISTRATOR, "admin@example.org")


@pytest.fixture
def la_officer(home_la_org):
    return _member(home_la_org, Role.LA_OFFICER, "officer@norfolk.example.org")


@pytest.fixture
def other_la_officer(other_la_org):
    return _member(other_la_org, Role.LA_OFFICER, "officer@suffolk.example.org")


@pytest.fixture
def teaching_school_lead(teaching_school_org):
    return _member(teaching_school_org, Role.TEACHING_SCHOOL_LEAD, "lead@teaching.example.org")


@pytest.fixture
def school_leader(home_school):
    school_org = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school,
        local_authority=home_school.local_authority,
    )
    return _member(school_org, Role.SCHOOL_LEADER, "head@school.example.org")


@pytest.fixture
def commissioner(home_la_org):
    return _member(home_la_org, Role.COMMISSIONER, "commissioner@norfolk.example.org")


@pytest.fixture
def associate(national_body):
    return _member(national_body, Role.ASSOCIATE, "associate@example.org")


@pytest.fixture
def outsider(db):
    """Signed in, but a member of no organisation."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def eager_celery():
    """Run tasks in-process even in the pass that has a real broker (tests of the eager path)."""
    from config import celery_app

    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def _flushes(item) -> bool:
    """A transactional test or a live-server browser test: the database is flushed after it."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    flushing_fixtures = {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    return transactional or bool(flushing_fixtures)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests that flush the database last.

    A flush also empties the rows the data migrations seeded (the designation types), so a test
    after one that needs them would fail. pytest-django orders tests that reach the database only
    through a fixture looked up at run time among the "no database" tests, after the flushing ones.
    """
    flushing = [item for item in items if _flushes(item)]
    items[:] = [item for item in items if not _flushes(item)] + flushing


@pytest.fixture(autouse=True)
def _seeded_rows_after_a_flush(request):
    """Before a flushing test, put back the seeded designation types and national term dates an
    earlier one flushed away."""
    if not _flushes(request.node):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from designations.models import DesignationType
    from schooldays.models import SchoolYear

    if not DesignationType.objects.exists():
        importlib.import_module("designations.migrations.0002_seed_designation_types").seed(apps, None)
        importlib.import_module("designations.migrations.0004_brokerage_fit").forwards(apps, None)
        importlib.import_module(
            "designations.migrations.0006_independent_decisions"
        ).mark_local_authority_referees(apps, None)
    if not SchoolYear.objects.exists():
        importlib.import_module("schooldays.migrations.0002_seed_national_term_dates").seed(apps, None)
    from dataprotection.models import RetentionRule

    if not RetentionRule.objects.exists():
        importlib.import_module("dataprotection.migrations.0001_initial").add_default_rules(apps, None)
