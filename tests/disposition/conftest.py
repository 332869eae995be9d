"""Fixtures for the SLA clock and calendar tests.

Complaints are plain ORM inserts here: the clock services only read a complaint's
classification, category, priority and channel, and the complaint services are not what these
tests are about. Fixture names carry ``sla_`` so they never shadow the suite's persona fixtures
(``opd``, ``other_opd`` …) for other tests in this directory.
"""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from complaints.models import Channel, Complaint
from disposition.calendar import CALENDAR_CACHE_KEY, holidays_seed
from disposition.models import OPD, Disposition

WIB = ZoneInfo("Asia/Jakarta")
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The cached calendar outlives a test's rolled-back transaction: never let one test's
    # holidays leak into the next.
    cache.delete(CALENDAR_CACHE_KEY)
    yield
    cache.delete(CALENDAR_CACHE_KEY)


@pytest.fixture
def wib():
    """wib(2026, 3, 17, 10) → an aware datetime in Asia/Jakarta."""

    def make(year, month, day, hour=0, minute=0, second=0):
        return datetime(year, month, day, hour, minute, second, tzinfo=WIB)

    return make


@pytest.fixture
def make_sla_complaint(db):
    def make(**fields):
        number = next(_numbers)
        values = {
            "tracking_number": f"TST-{number:06d}",
            "access_code_hash": "0" * 64,
            "channel": Channel.WEB,
            "text": "Jalan berlubang di depan balai desa.",
            "created_at": datetime(2026, 6, 1, 8, tzinfo=WIB),
        }
        values.update(fields)
        return Complaint.objects.create(**values)

    return make


@pytest.fixture
def sla_complaint(make_sla_complaint):
    return make_sla_complaint()


@pytest.fixture
def sla_opd(db):
    return OPD.objects.create(
        name="Dinas Perhubungan (uji jam layanan)", short_name="Dishub-SLA", kind=OPD.Kind.DINAS
    )


@pytest.fixture
def make_sla_disposition(sla_opd):
    def make(complaint, **fields):
        values = {
            "complaint": complaint,
            "opd": sla_opd,
            "is_lead": True,
            "created_at": complaint.created_at,
        }
        values.update(fields)
        return Disposition.objects.create(**values)

    return make


@pytest.fixture
def holidays_2026_2027(db):
    """The package's national holidays and cuti bersama of 2026 and 2027 in the table."""
    holidays_seed(years=[2026, 2027])
