"""``manage.py demo_setup``: one account per role, idempotent, demo reports in every status
made through the services, and no demo accounts on a server with DEBUG off."""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from complaints.actors import actor_for_user, reporter_actor
from complaints.generator import generate_complaints
from complaints.management.commands.demo_setup import DEMO_PASSWORD, SCENARIOS, WARGA_SCENARIOS
from complaints.models import Complaint, Event, Reporter, Status
from complaints.reference import reference_data_load
from complaints.selectors import complaints_for
from complaints.services import access_code_matches
from disposition.calendar import CALENDAR_CACHE_KEY, WIB
from disposition.clocks import ClockStatus, clock_state
from disposition.models import Disposition, Response, Role, SlaClock, StaffRole

pytestmark = pytest.mark.django_db

User = get_user_model()
ROLES = {
    "admin.kabupaten": (Role.ADMIN_KABUPATEN, None),
    "pp.dinkes": (Role.PEJABAT_PENGHUBUNG, "Dinas Kesehatan"),
    "admin.dinkes": (Role.ADMIN_OPD, "Dinas Kesehatan"),
    "admin.pupr": (Role.ADMIN_OPD, "Dinas Pekerjaan Umum dan Penataan Ruang"),
}
TABLES = (User, StaffRole, Complaint, Reporter, Event, Disposition, Response, SlaClock)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    cache.delete(CALENDAR_CACHE_KEY)
    yield
    cache.delete(CALENDAR_CACHE_KEY)


@pytest.fixture
def reference():
    reference_data_load(holidays=False)


@pytest.fixture
def demo(reference, settings):
    """Run the command with DEBUG on (tests run with DEBUG off); returns its output."""
    settings.DEBUG = True

    def run(*args) -> str:
        out = StringIO()
        call_command("demo_setup", *args, stdout=out)
        return out.getvalue()

    return run


def row_counts() -> dict:
    return {model.__name__: model.objects.count() for model in TABLES}


def printed_codes(output: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s+(KDS-\w{4}-\w{4})\s+(\w{10})\s", output, flags=re.MULTILINE)


def test_creates_one_account_per_role_with_the_demo_password(demo):
    output = demo()
    for username, (role, opd_name) in ROLES.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_staff
        assert not user.is_superuser
        staff_role = user.staff_role
        assert (staff_role.role, staff_role.is_active) == (role, True)
        assert (staff_role.opd.name if staff_role.opd else None) == opd_name
        assert actor_for_user(user).role == role
        assert username in output
    operator = User.objects.get(username="operator")
    assert operator.is_superuser
    assert operator.is_staff
    assert operator.check_password(DEMO_PASSWORD)
    assert not StaffRole.objects.filter(user=operator).exists()
    warga = User.objects.get(username="warga")
    assert not warga.is_staff
    assert actor_for_user(warga) is None
    assert DEMO_PASSWORD in output


def test_creates_reports_in_every_status_through_the_services(demo):
    demo()
    assert Complaint.objects.count() == len(SCENARIOS) + len(WARGA_SCENARIOS)
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    for complaint in Complaint.objects.all():
        # What the services write: an intake event first, and a move for the current status.
        moves = complaint.events.filter(disposition__isnull=True).exclude(to_status="")
        assert moves.first().action in ("submit", "receive_from_lapor")
        assert moves.last().to_status == complaint.status
    # Staff acted as the demo personas.
    assert Event.objects.filter(actor__username="admin.kabupaten", action="verify").exists()
    assert Event.objects.filter(actor__username="admin.dinkes", action="accept").exists()
    assert Event.objects.filter(actor__username="admin.pupr", action="respond_final").exists()


def test_history_is_spread_over_past_weeks_so_clocks_show_every_state(demo):
    demo()
    now = timezone.now()
    oldest = Complaint.objects.order_by("created_at").first().created_at
    assert (now - oldest).days >= 30
    assert not Event.objects.filter(created_at__gt=now).exists()
    shown = {
        clock_state(clock, now=now)
        for clock in SlaClock.objects.filter(state__in=["running", "paused"])
    }
    assert {ClockStatus.ON_TIME, ClockStatus.AT_RISK, ClockStatus.OVERDUE,
            ClockStatus.PAUSED} <= shown  # fmt: skip


def test_the_citizen_finds_reports_in_my_reports(demo):
    demo()
    warga = User.objects.get(username="warga")
    mine = complaints_for(reporter_actor(user=warga))
    assert mine.count() == len(WARGA_SCENARIOS)
    assert {Status.RECEIVED, Status.RESPONDED, Status.FINISHED, Status.CLOSED} <= set(
        mine.values_list("status", flat=True)
    )


def test_printed_access_codes_open_their_reports_on_every_run(demo):
    first = printed_codes(demo())
    assert len(first) == 2
    second = printed_codes(demo())
    assert second == first
    for tracking_number, code in first:
        assert access_code_matches(Complaint.objects.get(tracking_number=tracking_number), code)


def test_second_run_creates_nothing_new(demo):
    demo()
    before = row_counts()
    output = demo()
    assert row_counts() == before
    assert "none created" in output
    assert output.count("exists") >= 6


def test_reports_are_left_alone_on_a_database_that_already_has_many(demo):
    generate_complaints(
        count=40, seed=1, years=1, batch_size=40, now=datetime(2026, 6, 1, 9, tzinfo=WIB)
    )
    demo()
    # Only the citizen's own reports are added, so "my reports" is never empty.
    assert Complaint.objects.count() == 40 + len(WARGA_SCENARIOS)
    assert Reporter.objects.filter(user__username="warga").count() == len(WARGA_SCENARIOS)


def test_refuses_with_debug_off_unless_forced(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_setup", stdout=StringIO())
    assert not User.objects.exists()
    assert not Complaint.objects.exists()
    call_command("demo_setup", "--force", stdout=StringIO())
    assert User.objects.filter(username="admin.kabupaten").exists()


def test_refuses_without_reference_data(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("demo_setup", stdout=StringIO())
    assert not User.objects.exists()
