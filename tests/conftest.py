"""Persona fixtures (STYLE.md): each test states who is acting.

The suite runs on the real PostgreSQL and Redis named by DATABASE_URL and REDIS_URL (the
Makefile's `test` target sets them); it refuses to run on SQLite.
"""

import pytest
from django.conf import settings


def pytest_configure(config):
    if not settings.IS_POSTGRES:
        raise pytest.UsageError(
            "The test suite needs PostgreSQL: run `make test` or set DATABASE_URL=postgres://..."
        )
