"""Settings fail loudly on a bad environment; /healthz tells an orchestrator what is down.

The settings tests import Django in a fresh interpreter with a hand-made environment: settings
are read once per process, and the test process's own environment (DEBUG=1, the test database)
must not leak into the configuration under test.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from kudus_pengaduan.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pengaduan.kuduskab.go.id",
    # Nothing here connects: settings and system checks must not need the servers.
    "DATABASE_URL": "postgres://kudus:db-password@db.invalid:5432/kudus_pengaduan",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def run_python(code, **env_vars):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kudus_pengaduan.settings",
        **{name: value for name, value in env_vars.items() if value is not None},
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def django_setup(**env_vars):
    return run_python(["-c", "import django; django.setup()"], **env_vars)


def test_production_environment_imports_cleanly():
    """The baseline the failure tests below change one variable of."""
    result = django_setup(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_environment_passes_the_deploy_checks():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_default_needs_no_variables_but_debug():
    result = run_python(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)",
        ],
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


@pytest.mark.parametrize("value", ["maybe", "flase", "2", ""])
def test_bad_debug_value_fails_at_import(value):
    result = django_setup(**{**PRODUCTION_ENV, "DEBUG": value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DEBUG={value!r} is not a boolean" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "mysql://kudus:db-password@db.invalid/kudus",
        "redis://:db-password@db.invalid:6379/0",
        "db.invalid/kudus",
        "",
    ],
)
def test_bad_database_url_scheme_fails_at_import_without_printing_the_password(url):
    result = django_setup(**{**PRODUCTION_ENV, "DATABASE_URL": url})
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL must be a URL with scheme" in result.stderr
    assert "db-password" not in result.stderr


def test_missing_secret_key_with_debug_off_fails_at_import():
    result = django_setup(**{**PRODUCTION_ENV, "SECRET_KEY": None})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SESSION_COOKIE_AGE", "8h", "SESSION_COOKIE_AGE='8h' is not an integer"),
        ("SECURE_SSL_REDIRECT", "yes please", "SECURE_SSL_REDIRECT='yes please' is not a"),
        ("REDIS_URL", "http://redis.invalid", "REDIS_URL must be a URL with scheme"),
        ("CELERY_TASK_SOFT_TIME_LIMIT", "900", "must be below CELERY_TASK_TIME_LIMIT"),
        ("EMAIL_URL", "smtps-typo://mail.invalid", "Invalid email schema"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' is not a logging level"),
    ],
)
def test_other_bad_values_fail_at_import(name, value, message):
    result = django_setup(**{**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert message in result.stderr


# --- /healthz -------------------------------------------------------------------------------


def closed_port():
    """A local port nothing listens on: bound by us, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    assert settings.CELERY_BROKER_URL.startswith("redis"), "the suite runs on real Redis"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_quickly_when_the_broker_is_down(client, monkeypatch):
    # The CELERY_BROKER_URL variable would win over the app's configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")

    started = time.monotonic()
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    assert time.monotonic() - started < 5


def test_healthz_is_503_when_the_database_is_unreachable(client):
    """Without the django_db mark pytest-django refuses every query, as a dead server would."""
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"].startswith("error: ")
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    """Load balancers probe over plain HTTP inside the network."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
