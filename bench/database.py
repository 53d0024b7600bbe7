"""The bench databases: one per size beside the configured one, never the
configured one itself (``bench_database`` swaps the default connection)."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote, urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from portal.cache import forget_process_values

BENCH_ALIAS = "bench"


def _is_in_memory(name: str) -> bool:
    return name in ("", ":memory:") or "mode=memory" in name


def bench_database_settings(base: dict, size: int) -> dict:
    """Settings of the bench database for ``size``: a copy of ``base`` with NAME changed."""
    settings = copy.deepcopy(base)
    vendor = base["ENGINE"].rsplit(".", 1)[-1]
    name = str(base["NAME"] or "")
    if vendor == "sqlite3":
        if _is_in_memory(name):
            path = Path(tempfile.gettempdir()) / f"portal_bench_{size}.sqlite3"
        else:
            configured = Path(name)
            path = configured.with_name(f"{configured.stem}_bench_{size}.sqlite3")
        settings["NAME"] = str(path)
    elif vendor in ("postgresql", "postgis"):
        settings["NAME"] = f"{name}_bench_{size}"
    else:
        raise CommandError(f"bench は SQLite と PostgreSQL に対応しています（{base['ENGINE']}）。")
    return settings


def vendor(settings: dict) -> str:
    return "sqlite" if settings["ENGINE"].endswith("sqlite3") else "postgresql"


@contextmanager
def _maintenance_cursor(settings: dict) -> Iterator:
    """A cursor on PostgreSQL's ``postgres`` database, for CREATE/DROP DATABASE."""
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(
        {**settings, "NAME": "postgres"}, alias="__bench_maintenance__"
    )
    try:
        with wrapper.cursor() as cursor:
            yield cursor, wrapper.ops.quote_name
    finally:
        wrapper.close()


def ensure_database(settings: dict) -> bool:
    """Create the bench database if it is missing; True when it was created."""
    if vendor(settings) == "sqlite":
        path = Path(settings["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    with _maintenance_cursor(settings) as (cursor, quote):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        if cursor.fetchone():
            return False
        cursor.execute(f"CREATE DATABASE {quote(settings['NAME'])}")
        return True


def drop_database(settings: dict) -> None:
    """Remove a bench database (tests; a developer may also drop it by hand)."""
    if vendor(settings) == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{settings['NAME']}{suffix}").unlink(missing_ok=True)
        return
    with _maintenance_cursor(settings) as (cursor, quote):
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(settings['NAME'])} WITH (FORCE)")


def _reset_process_caches() -> None:
    # The process values (locator, reference lists) follow the data version of
    # the database they were built from; the content types are kept by alias.
    forget_process_values()
    ContentType.objects.clear_cache()


@contextmanager
def bench_database(settings: dict) -> Iterator:
    """Point the ``default`` alias at the bench database for the duration.

    Why swap ``default`` instead of querying a ``bench`` alias with ``using()``:
    the views, the access policy and the search selector all read through the
    default alias, and so do the project's data migrations (0002 seeds reference
    data, 0004 backfills search fields) and the post_migrate role groups, which
    do not pass ``using``: ``migrate --database bench`` would write those into the
    configured database. So the default alias's *connection object* is replaced
    (in this thread) by a new wrapper built from the bench settings; the original
    wrapper is put aside untouched (an open transaction in it, such as a test's,
    stays as it was) and restored afterwards. The settings are also registered
    as the ``bench`` alias while the block runs. Works the same on SQLite and
    PostgreSQL.
    """
    backend = load_backend(settings["ENGINE"])
    saved = connections[DEFAULT_DB_ALIAS]
    wrapper = backend.DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    connections.databases[BENCH_ALIAS] = settings
    connections[DEFAULT_DB_ALIAS] = wrapper
    _reset_process_caches()
    try:
        yield wrapper
    finally:
        try:
            wrapper.close()
        finally:
            connections[DEFAULT_DB_ALIAS] = saved
            connections.databases.pop(BENCH_ALIAS, None)
            with suppress(AttributeError):
                del connections[BENCH_ALIAS]
            _reset_process_caches()


def database_url(settings: dict) -> str:
    """A DATABASE_URL (as portal/settings.py reads it) for these database settings."""
    if vendor(settings) == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    scheme = "postgis" if settings["ENGINE"].endswith("postgis") else "postgres"
    auth = quote(str(settings.get("USER") or ""), safe="")
    if settings.get("PASSWORD"):
        auth += ":" + quote(str(settings["PASSWORD"]), safe="")
    host = quote(str(settings.get("HOST") or ""), safe="")
    if settings.get("PORT"):
        host += f":{settings['PORT']}"
    options = {k: v for k, v in (settings.get("OPTIONS") or {}).items() if isinstance(v, str)}
    query = f"?{urlencode(options)}" if options else ""
    name = quote(settings["NAME"], safe="")
    return f"{scheme}://{auth + '@' if auth else ''}{host}/{name}{query}"
