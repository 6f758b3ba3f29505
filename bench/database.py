"""The benchmark's PostgreSQL databases: the one the data lives in, and the import's scratch copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/syslead_bench"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _server(url: str):
    """A connection to the server's maintenance database, for creating and dropping others."""
    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def exists(url: str) -> bool:
    with _server(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)])
        return cursor.fetchone() is not None


def create(url: str, template: str | None = None) -> None:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url)))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    connection = _server(url)
    try:
        connection.cursor().execute(statement)
    finally:
        connection.close()


def drop(url: str) -> None:
    connection = _server(url)
    try:
        connection.cursor().execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )
    finally:
        connection.close()


def manage(url: str, *arguments: str) -> None:
    """``manage.py`` against ``url`` in a child process (tasks in-process, no e-mail sent)."""
    environment = child_environment(url)
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=environment, check=True)  # noqa: S603


def child_environment(url: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"}
    }
    environment.update(DATABASE_URL=url, DJANGO_DEBUG="false", EMAIL_URL="dummymail://", LOG_LEVEL="WARNING",
                       STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage")
    return environment


def fresh_scratch(url: str) -> str:
    """An empty, migrated database beside ``url`` for the import: copied from a migrated template
    kept beside it (migrating from nothing takes minutes), brought up to date first."""
    template = with_database(url, f"{database_name(url)}_import_template")
    if not exists(template):
        create(template)
    manage(template, "migrate", "--noinput", "-v0")
    scratch = with_database(url, f"{database_name(url)}_import")
    drop(scratch)
    create(scratch, template=database_name(template))
    return scratch
