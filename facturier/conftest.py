"""Fixtures every platform test gets (the engine's tests run without Django)."""

import pytest
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A SQLite test database in a file rather than in shared-cache memory.

    In memory, SQLite locks whole tables between threads and answers "table is locked" at
    once instead of waiting as a file database does (what the platform runs on), so no
    concurrency test could run on SQLite.
    """
    from django.conf import settings

    for db_settings in settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3" and not db_settings.get("TEST", {}).get("NAME"):
            db_settings.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request in English leaves its language active in the
    thread, and commands called in-process speak the thread's language."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def archive_dir(settings, tmp_path):
    """Each test archives into its own directory."""
    location = tmp_path / "archive"
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "file_permissions_mode": 0o440},
        },
    }
    settings.ARCHIVE_STORAGE = "archive"
    return location


@pytest.fixture(autouse=True)
def _empty_archive_before_flush(request):
    """Transactional tests flush tables with DELETE on SQLite, which the triggers refuse: the rows
    that reference archive records go first, then the records themselves. A test that asks for a
    live server is transactional too, marker or not; asking for the database here makes this
    clean-up run before the flush whatever order the fixtures were set up in."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames))
    if transactional:
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        from facturier.testing.database import empty_platform_tables

        empty_platform_tables()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Registry answers and lockout counters are cached: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """The shared test world: two firms, their people and dossiers in every state (testing/world.py)."""
    from facturier.testing.world import build_world

    return build_world()


@pytest.fixture
def accounts_settings(settings, tmp_path_factory):
    """Files (signing key, photos) under a temporary directory, and the test client credentials."""
    data_dir = tmp_path_factory.getbasetemp() / "accounts-data"
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "media"
    settings.OIDC_CLIENT_ID = "facturier-tests"
    settings.OIDC_CLIENT_SECRET = "client secret/with+reserved:chars"
    from django.core.cache import cache

    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def idp(accounts_settings, live_server):
    """The development provider on a real HTTP server, and the platform pointed at it."""
    accounts_settings.BASE_URL = live_server.url
    accounts_settings.OIDC_ISSUER = live_server.url + "/dev-idp"
    return live_server


@pytest.fixture
def visitor(idp):
    """An HTTP client keeping cookies, standing in for the person's browser."""
    import httpx

    with httpx.Client(base_url=idp.url, timeout=20) as client:
        yield client
