"""Persona fixtures (STYLE.md): each test states who is acting.

The suite runs on the real PostgreSQL and Redis named by DATABASE_URL and REDIS_URL (the
Makefile's `test` target sets them); it refuses to run on SQLite.
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings


def pytest_configure(config):
    if not settings.IS_POSTGRES:
        raise pytest.UsageError(
            "The test suite needs PostgreSQL: run `make test` or set DATABASE_URL=postgres://..."
        )
    # Parallel workers share one Redis: give each its own cache keys (cached calendars, rate
    # limit counters), so one worker's test data never leaks into another's.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}"
    # Hashing test passwords with PBKDF2 would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Personas -----------------------------------------------------------------------------

from complaints.actors import actor_for_user, reporter_actor  # noqa: E402
from disposition.models import Role  # noqa: E402
from tests.factories import OPDFactory, StaffRoleFactory, UserFactory  # noqa: E402


@pytest.fixture
def opd(db):
    """The OPD most tests route to."""
    return OPDFactory(name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def other_opd(db):
    return OPDFactory(name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR")


@pytest.fixture
def admin_kabupaten(db):
    return StaffRoleFactory(
        user__username="admin.kabupaten", role=Role.ADMIN_KABUPATEN, opd=None
    ).user


@pytest.fixture
def admin_opd(opd):
    return StaffRoleFactory(user__username="admin.dinkes", role=Role.ADMIN_OPD, opd=opd).user


@pytest.fixture
def colleague_opd(opd):
    """A second Admin OPD of the same OPD."""
    return StaffRoleFactory(user__username="admin2.dinkes", role=Role.ADMIN_OPD, opd=opd).user


@pytest.fixture
def other_opd_admin(other_opd):
    return StaffRoleFactory(user__username="admin.pupr", role=Role.ADMIN_OPD, opd=other_opd).user


@pytest.fixture
def pejabat_penghubung(opd):
    return StaffRoleFactory(user__username="pp.dinkes", role=Role.PEJABAT_PENGHUBUNG, opd=opd).user


@pytest.fixture
def other_pejabat_penghubung(other_opd):
    return StaffRoleFactory(
        user__username="pp.pupr", role=Role.PEJABAT_PENGHUBUNG, opd=other_opd
    ).user


@pytest.fixture
def citizen(db):
    """A citizen account (with its profile: what the citizen login looks for)."""
    from complaints.models import CitizenProfile

    user = UserFactory(username="warga")
    CitizenProfile.objects.create(user=user, phone="+6281229990001")
    return user


@pytest.fixture
def as_actor():
    """Turn a persona (a user) into the Actor the services take."""

    def convert(user):
        actor = actor_for_user(user)
        return actor if actor is not None else reporter_actor(user=user)

    return convert


# A Tuesday morning in WIB: the default "now" of workflow scenarios.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def world(admin_kabupaten, admin_opd, other_opd_admin, pejabat_penghubung, opd, other_opd):
    """Personas and reference data for building reports through the services."""
    from tests.builders import World

    return World(
        admin_kabupaten=admin_kabupaten,
        admin_opd=admin_opd,
        other_opd_admin=other_opd_admin,
        pejabat_penghubung=pejabat_penghubung,
        opd=opd,
        other_opd=other_opd,
        now=NOW,
    )


@pytest.fixture
def staff_client(db):
    """staff_client(user) → a test Client logged in as ``user``, with a verified second factor
    (a confirmed TOTP device, marked in the session the way ``django_otp.login`` does) when the
    user's role requires one. ``staff_client(user, verified=True)`` verifies any user."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from disposition.views.access import needs_second_factor

    def make(user, *, verified: bool | None = None):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        actor = actor_for_user(user)
        if verified is None:
            verified = actor is not None and needs_second_factor(user, actor)
        if verified:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Uji", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return make
