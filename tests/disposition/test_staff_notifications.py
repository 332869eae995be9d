"""Staff notifications (issue 4 point 7): a new disposition e-mailed to the OPD's admins,
Admin Kabupaten told when the OPD has no active admin, and the daily digest."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail as django_mail

from complaints.actors import actor_for_user
from complaints.models import OutboxState, Status
from complaints.tasks import process_pending_events
from disposition import notifications, staff
from disposition import services as ds
from disposition.models import Role, StaffRole
from disposition.tasks import send_daily_digest
from tests.builders import reach, reach_from_lapor, submit
from tests.conftest import NOW
from tests.factories import StaffRoleFactory

WIB = ZoneInfo("Asia/Jakarta")
SITE = "https://pengaduan.kuduskab.go.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SMS_BACKEND = "complaints.messaging.LocmemSmsBackend"


def staff_mail(mailoutbox) -> list:
    """The messages to staff (the reporter's own go to siti@example.test)."""
    return [m for m in mailoutbox if m.to != ["siti@example.test"]]


def to(messages) -> list[str]:
    return sorted(address for m in messages for address in m.to)


def dispose(world, complaint, opds, *, lead=None, now=NOW):
    return ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=opds, lead=lead or opds[0], now=now
    )


# --- a new disposition --------------------------------------------------------------------


def test_a_new_disposition_is_mailed_to_the_opds_admins_and_its_pejabat_penghubung(
    world, colleague_opd, other_pejabat_penghubung, mailoutbox
):
    complaint = reach(world, Status.VERIFIED)
    process_pending_events()
    mailoutbox.clear()

    dispose(world, complaint, [world.opd])
    process_pending_events()

    sent = staff_mail(mailoutbox)
    assert to(sent) == [
        "admin.dinkes@example.test",
        "admin2.dinkes@example.test",
        "pp.dinkes@example.test",
    ]  # never the other OPD's people, nor Admin Kabupaten (the OPD has admins)
    message = next(m for m in sent if m.to == ["admin.dinkes@example.test"])
    number = complaint.tracking_number
    assert message.subject == f"Disposisi baru untuk Dinkes: laporan {number}"
    assert "Jalan berlubang di Desa Jepang" in message.body
    assert "OPD utama" in message.body
    assert "Batas tanggapan awal: Selasa, 8 Desember 2026, 09:00 WIB" in message.body
    assert f"{SITE}/kelola/laporan/{number}/" in message.body
    (html, _mime) = message.alternatives[0]
    assert f"{SITE}/kelola/laporan/{number}/" in html
    for part in (message.body, html):  # no reporter identity in a staff e-mail
        for secret in ("Siti Aminah", "siti@example.test", "081234567890", "3319054101900001"):
            assert secret not in part


def test_each_opd_hears_of_its_own_disposition(world, mailoutbox):
    complaint = reach(world, Status.VERIFIED)
    process_pending_events()
    mailoutbox.clear()

    dispose(world, complaint, [world.opd, world.other_opd], lead=world.opd)
    process_pending_events()

    sent = staff_mail(mailoutbox)
    pupr = [m for m in sent if m.to == ["admin.pupr@example.test"]]
    assert len(pupr) == 1
    assert "Disposisi baru untuk DPUPR" in pupr[0].subject
    assert "OPD pendukung" in pupr[0].body
    assert len([m for m in sent if m.to == ["admin.dinkes@example.test"]]) == 1


def test_admin_kabupaten_is_told_when_the_opd_has_no_active_admin(world, admin_opd, mailoutbox):
    staff.staff_deactivate(actor=world.ak, user=admin_opd, reason="Pindah tugas")
    second_ak = StaffRoleFactory(role=Role.ADMIN_KABUPATEN, opd=None).user
    complaint = reach(world, Status.VERIFIED)
    process_pending_events()
    mailoutbox.clear()

    dispose(world, complaint, [world.opd])
    process_pending_events()

    sent = staff_mail(mailoutbox)
    assert to(sent) == sorted(
        ["admin.kabupaten@example.test", second_ak.email, "pp.dinkes@example.test"]
    )
    ak_mail = next(m for m in sent if m.to == ["admin.kabupaten@example.test"])
    assert "tanpa Admin OPD aktif: Dinkes" in ak_mail.subject
    assert "Pejabat Penghubung" in ak_mail.body
    assert f"{SITE}/kelola/onboarding/opd/{world.opd.pk}/" in ak_mail.body
    pp_mail = next(m for m in sent if m.to == ["pp.dinkes@example.test"])
    assert "menggantikan Admin OPD" in pp_mail.body


def test_an_opd_with_nobody_is_named_to_admin_kabupaten(world, mailoutbox):
    for role in StaffRole.objects.filter(opd=world.opd):
        staff.staff_deactivate(actor=world.ak, user=role.user, reason="Pindah tugas")
    complaint = reach(world, Status.VERIFIED)
    process_pending_events()
    mailoutbox.clear()

    dispose(world, complaint, [world.opd])
    process_pending_events()

    (ak_mail,) = staff_mail(mailoutbox)
    assert ak_mail.to == ["admin.kabupaten@example.test"]
    assert "belum ada Pejabat Penghubung" in ak_mail.body


def test_a_report_from_lapor_is_still_routed_to_staff(world, mailoutbox):
    complaint = reach_from_lapor(world)
    process_pending_events()

    dispose(world, complaint, [world.opd])
    process_pending_events()

    assert "admin.dinkes@example.test" in to(staff_mail(mailoutbox))


def test_processing_twice_mails_nobody_twice(world, mailoutbox):
    complaint = reach(world, Status.VERIFIED)
    dispose(world, complaint, [world.opd])
    process_pending_events()
    count = len(mailoutbox)

    event = complaint.events.get(action="disposition", disposition__isnull=True)
    notifications.staff_notify(event)  # a redelivered event

    assert len(mailoutbox) == count


def test_a_failed_send_is_retried_without_repeating_the_sent_ones(
    world, colleague_opd, mailoutbox, monkeypatch
):
    complaint = reach(world, Status.VERIFIED)
    process_pending_events()
    mailoutbox.clear()
    real_send = django_mail.EmailMultiAlternatives.send
    failing = {"admin2.dinkes@example.test"}

    def flaky_send(message, *args, **kwargs):
        if message.to[0] in failing:
            raise ConnectionError("SMTP down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(django_mail.EmailMultiAlternatives, "send", flaky_send)
    dispose(world, complaint, [world.opd])

    process_pending_events()
    event = complaint.events.get(action="disposition", disposition__isnull=True)
    event.refresh_from_db()
    assert event.notify_state == OutboxState.PENDING
    first = to(staff_mail(mailoutbox))

    failing.clear()
    process_pending_events()

    event.refresh_from_db()
    assert event.notify_state == OutboxState.DONE
    everyone = to(staff_mail(mailoutbox))
    assert "admin2.dinkes@example.test" not in first
    assert everyone == sorted(
        ["admin.dinkes@example.test", "admin2.dinkes@example.test", "pp.dinkes@example.test"]
    )


def test_an_opd_added_to_a_report_being_handled_is_told(world, mailoutbox):
    complaint = reach(world, Status.DISPOSITIONED)
    process_pending_events()
    mailoutbox.clear()

    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.other_opd], lead=None, now=NOW
    )
    process_pending_events()

    assert "admin.pupr@example.test" in to(staff_mail(mailoutbox))


# --- the daily digest ---------------------------------------------------------------------


def at(day, hour=7):
    return datetime(2026, 12, day, hour, tzinfo=WIB)


@pytest.fixture
def due_and_overdue(world):
    """On Wednesday 9 December 2026 07:00 WIB: one Dinkes disposition overdue (its initial
    response was due Tuesday 09:00), one at risk (due today 09:00), one on time; and one
    report overdue for verification."""
    overdue = reach(world, Status.VERIFIED, title="Saluran mampet")
    dispose(world, overdue, [world.opd], now=NOW)
    at_risk = reach(world, Status.VERIFIED, title="Puskesmas tutup")
    dispose(world, at_risk, [world.opd], now=NOW + timedelta(days=1))
    on_time = reach(world, Status.VERIFIED, title="Masih lama")
    dispose(world, on_time, [world.opd], now=NOW + timedelta(days=7))
    unverified, _code = submit(world, title="Belum diverifikasi")
    return {"overdue": overdue, "at_risk": at_risk, "on_time": on_time, "unverified": unverified}


def test_the_digest_tells_each_opd_person_what_is_due_and_overdue(
    world, due_and_overdue, mailoutbox
):
    sent = send_daily_digest(now=at(9).isoformat())

    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == [
        "admin.dinkes@example.test",
        "admin.kabupaten@example.test",
        "pp.dinkes@example.test",
    ]  # nothing for DPUPR's admin: nothing is due there
    assert sent == 3
    opd_mail = by_address["admin.dinkes@example.test"]
    assert opd_mail.subject == (
        "Ringkasan harian Dinkes: 1 melewati batas waktu, 1 mendekati batas waktu"
    )
    body = opd_mail.body
    overdue = due_and_overdue["overdue"].tracking_number
    at_risk = due_and_overdue["at_risk"].tracking_number
    assert body.index("MELEWATI BATAS WAKTU (1)") < body.index(overdue)
    assert body.index("MENDEKATI BATAS WAKTU (1)") < body.index(at_risk)
    assert body.index(overdue) < body.index("MENDEKATI")
    assert due_and_overdue["on_time"].tracking_number not in body
    assert f"{SITE}/kelola/laporan/{overdue}/" in body
    assert "Rabu, 9 Desember 2026, 07.00 WIB" in body
    ak_mail = by_address["admin.kabupaten@example.test"]
    assert due_and_overdue["unverified"].tracking_number in ak_mail.body
    assert overdue not in ak_mail.body
    for message in mailoutbox:
        assert "Siti Aminah" not in message.body


def test_the_digest_goes_once_per_person_per_day(world, due_and_overdue, mailoutbox):
    first = send_daily_digest(now=at(9).isoformat())
    second = send_daily_digest(now=at(9, 8).isoformat())

    assert first == 3
    assert second == 0
    assert len(mailoutbox) == 3
    assert send_daily_digest(now=at(10).isoformat()) == 3  # a new day, a new digest


def test_no_digest_when_there_is_nothing_to_say(world, mailoutbox):
    reach(world, Status.VERIFIED)  # verification due Friday 4 December: on time on Tuesday

    assert send_daily_digest(now=at(1, 10).isoformat()) == 0
    assert mailoutbox == []


def test_no_digest_on_a_day_off(world, due_and_overdue, mailoutbox):
    assert send_daily_digest(now=at(12).isoformat()) == 0  # a Saturday
    assert mailoutbox == []


def test_admin_kabupaten_hears_of_pending_nominations(world, pejabat_penghubung, mailoutbox):
    staff.nomination_create(
        actor=actor_for_user(pejabat_penghubung), name="Rina", email="rina@x.test", now=NOW
    )

    assert send_daily_digest(now=at(2).isoformat()) == 1
    (message,) = mailoutbox
    assert message.to == ["admin.kabupaten@example.test"]
    assert "1 usulan Admin OPD menunggu keputusan" in message.body


def test_the_digest_is_scheduled_on_working_mornings():
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-daily-digest"]

    assert entry["task"] == "disposition.tasks.send_daily_digest"
    assert entry["schedule"].hour == {7}
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
