"""Intake, verification and the other report services: what they write, what they refuse."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import services as cs
from complaints.actors import SYSTEM, actor_for_user, reporter_actor
from complaints.models import Attachment, Complaint, Event, OutboxState, Reporter, Status
from complaints.tasks import process_pending_events
from disposition.calendar import working_calendar
from disposition.models import ClockKind, ClockUnit, SlaClock
from tests.builders import photo, reach, reach_from_lapor, submit, verify
from tests.conftest import NOW


def test_submit_stores_the_report_its_reporter_and_a_verification_clock(world):
    complaint, code = submit(world)

    assert re.fullmatch(
        r"KDS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", complaint.tracking_number
    )
    assert cs.access_code_matches(complaint, code)
    assert not cs.access_code_matches(complaint, "AAAAAAAAAA")
    assert complaint.status == Status.RECEIVED
    reporter = complaint.reporter
    assert (reporter.name, reporter.phone, reporter.nik) == (
        "Siti Aminah",
        "+6281234567890",
        "3319054101900001",
    )
    clock = complaint.clocks.get()
    assert (clock.kind, clock.amount, clock.unit) == (ClockKind.VERIFICATION, 3, "working_days")
    # Tuesday 09:00 + 3 working days = Friday 09:00.
    assert clock.due_at == NOW + timedelta(days=3)
    event = complaint.events.get()
    assert (event.action, event.from_status, event.to_status) == ("submit", "", "received")
    assert event.notify_state == OutboxState.PENDING


def test_the_access_code_is_not_stored(world):
    complaint, code = submit(world)
    row = Complaint.objects.filter(pk=complaint.pk).values().get()
    assert code not in str(row)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("(0291) 435 123", "+62291435123"),
    ],
)
def test_phone_numbers_are_stored_as_e164(raw, e164):
    assert cs.normalise_phone(raw) == e164


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("text", "terlalu pendek", "text"),
        ("text", "x" * 5001, "text"),
        ("reporter_nik", "1234", "reporter_nik"),
        ("reporter_nik", "3319059999990001", "reporter_nik"),
        ("reporter_phone", "12345", "reporter_phone"),
        ("reporter_email", "bukan-email", "reporter_email"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(world, field, value, error_field):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, **{field: value})
    assert error_field in excinfo.value.message_dict
    assert Complaint.objects.count() == 0
    assert Event.objects.count() == 0


def test_a_desa_outside_the_chosen_kecamatan_is_refused(world):
    from tests.factories import KecamatanFactory

    jati = KecamatanFactory(code="331903", name="Jati")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, kecamatan=jati)
    assert excinfo.value.message_dict["desa"] == [
        "Desa/kelurahan tidak berada di kecamatan yang dipilih."
    ]


def test_a_photo_is_stored_without_its_gps_position(world):
    complaint, _ = submit(world, attachments=[photo(with_gps=True)])

    attachment = complaint.attachments.get()
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert 0x8825 not in exif
    assert exif[0x010F] == "KameraUji"  # the rest of EXIF is kept
    assert attachment.size == len(stored)


def test_a_file_is_judged_by_its_content_not_its_name(world):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 this is an executable", "image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, attachments=[fake])
    assert excinfo.value.message_dict["attachments"] == [
        "Berkas “foto.jpg” bukan foto (JPEG, PNG, WebP) atau PDF."
    ]
    assert Attachment.objects.count() == 0


def test_an_oversize_file_and_too_many_files_are_refused(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as excinfo:
        submit(world, attachments=[photo()])
    assert "terlalu besar" in excinfo.value.message_dict["attachments"][0]

    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as excinfo:
        submit(world, attachments=[photo(f"{i}.jpg") for i in range(6)])
    assert excinfo.value.message_dict["attachments"] == ["Lampiran maksimal 5 berkas."]


def test_verification_writes_the_public_version_and_rounds_the_location(world):
    complaint, _ = submit(world, attachments=[photo("a.jpg"), photo("b.jpg", with_gps=True)])
    first = complaint.attachments.order_by("id").first()

    verify(world, complaint, public_attachment_ids=[first.pk])

    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert complaint.public_title == "Jalan berlubang di Desa Jepang"
    assert str(complaint.public_lat) == "-6.812"
    assert str(complaint.public_lng) == "110.871"
    assert list(complaint.attachments.filter(is_public=True)) == [first]
    assert complaint.text.startswith("Jalan di depan balai desa")  # original untouched
    assert complaint.clocks.get(kind=ClockKind.VERIFICATION).state == "running"


def test_setting_a_flag_at_verification_is_an_audited_event(world):
    complaint, _ = submit(world)
    verify(world, complaint, is_secret=True)

    event = complaint.events.get(action="flags_changed")
    assert event.data == {"is_secret": [False, True]}
    assert event.actor == world.admin_kabupaten


def test_the_public_version_is_required(world):
    complaint, _ = submit(world)
    with pytest.raises(ValidationError) as excinfo:
        verify(world, complaint, public_text="  ")
    assert "public_text" in excinfo.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_a_lapor_report_arrives_verified_with_lapors_verification_clock(world):
    forwarded_at = NOW - timedelta(days=7)  # Tuesday a week earlier
    world.now = NOW
    complaint = cs.complaint_receive_from_lapor(
        lapor_id="1916449",
        title="Lampu mati",
        text="Lampu jalan mati sejak seminggu.",
        dispositioned_at=forwarded_at,
        now=NOW,
    )

    assert complaint.status == Status.VERIFIED
    assert complaint.channel == "lapor"
    clock = complaint.clocks.get(kind=ClockKind.VERIFICATION)
    assert clock.started_at == forwarded_at
    assert clock.due_at == forwarded_at + timedelta(days=3)
    event = complaint.events.get()
    assert (event.action, event.actor_type) == ("receive_from_lapor", "lapor")


def test_asking_the_reporter_pauses_the_clocks_and_the_answer_resumes_them(world):
    complaint, _ = submit(world)
    clock = complaint.clocks.get(kind=ClockKind.VERIFICATION)
    remaining = working_calendar().elapsed(NOW, clock.due_at, ClockUnit.WORKING_DAYS)

    cs.complaint_request_info(
        complaint=complaint, actor=world.ak, question="Di RT berapa lokasinya?", now=NOW
    )
    clock.refresh_from_db()
    assert clock.state == SlaClock.State.PAUSED
    info_clock = complaint.clocks.get(kind=ClockKind.REPORTER_INFO)
    assert info_clock.due_at == NOW + timedelta(days=14)  # 10 working days

    answered = NOW + timedelta(days=7)
    cs.complaint_provide_info(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        text="RT 03 RW 02, depan masjid.",
        now=answered,
    )
    complaint.refresh_from_db()
    clock.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert clock.state == SlaClock.State.RUNNING
    assert working_calendar().elapsed(answered, clock.due_at, ClockUnit.WORKING_DAYS) == remaining
    info_clock.refresh_from_db()
    assert (info_clock.state, info_clock.met) == (SlaClock.State.STOPPED, True)
    assert complaint.events.get(action="provide_info").data["text"] == "RT 03 RW 02, depan masjid."


def test_an_urgent_report_gets_one_working_day_for_the_initial_response(world):
    from disposition import services as ds

    complaint, _ = submit(world)
    verify(world, complaint, priority="urgent")
    (disposition,) = ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=NOW
    )
    initial = disposition.clocks.get(kind=ClockKind.INITIAL_RESPONSE)
    resolution = disposition.clocks.get(kind=ClockKind.RESOLUTION)
    assert initial.due_at == NOW + timedelta(days=1)
    assert resolution.due_at == NOW + timedelta(days=60)
    verification = complaint.clocks.get(kind=ClockKind.VERIFICATION)
    assert (verification.state, verification.met) == (SlaClock.State.STOPPED, True)


def test_a_duplicate_points_at_the_root_original_and_its_clocks_stop(world):
    root = reach(world, Status.VERIFIED)
    middle, _ = submit(world)
    cs.complaint_mark_duplicate(complaint=middle, actor=world.ak, original=root, now=NOW)
    late, _ = submit(world)

    cs.complaint_mark_duplicate(complaint=late, actor=world.ak, original=middle, now=NOW)

    late.refresh_from_db()
    assert (late.status, late.duplicate_of) == (Status.DUPLICATE, root)
    assert late.clocks.get().state == SlaClock.State.CANCELLED
    assert late.events.get(action="mark_duplicate").data["original"] == root.tracking_number


def test_a_report_is_not_a_duplicate_of_itself(world):
    complaint, _ = submit(world)
    with pytest.raises(ValidationError):
        cs.complaint_mark_duplicate(
            complaint=complaint, actor=world.ak, original=complaint, now=NOW
        )


def test_archiving_needs_a_reason_from_the_list(world):
    complaint, _ = submit(world)
    with pytest.raises(ValidationError):
        cs.complaint_archive(complaint=complaint, actor=world.ak, reason="bosan", now=NOW)
    with pytest.raises(ValidationError):
        cs.complaint_archive(complaint=complaint, actor=world.ak, reason="other", note="", now=NOW)
    cs.complaint_archive(complaint=complaint, actor=world.ak, reason="spam", now=NOW)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.archive_reason) == (Status.ARCHIVED, "spam")


def test_escalation_records_the_institution_and_stops_kudus_clocks(world):
    complaint = reach(world, Status.DISPOSITIONED)
    cs.complaint_escalate(
        complaint=complaint,
        actor=world.ak,
        institution=world.institution,
        reason="Jalan provinsi.",
        now=NOW,
    )
    complaint.refresh_from_db()
    assert complaint.escalated_to == world.institution
    assert not complaint.clocks.filter(state__in=["running", "paused"]).exists()


def test_an_objection_after_the_window_is_refused(world):
    from complaints.workflow import TransitionError

    complaint = reach(world, Status.FINISHED)
    too_late = NOW + timedelta(days=30)
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_object(
            complaint=complaint,
            actor=reporter_actor(complaint_id=complaint.pk),
            reason="Belum beres.",
            now=too_late,
        )
    assert excinfo.value.code == "objection_window_closed"


def test_lapor_status_changes_apply_once(world):
    complaint = reach_from_lapor(world)
    assert cs.complaint_apply_lapor_status(
        complaint=complaint, target=Status.ARCHIVED, status_name="Ditolak", now=NOW
    )
    assert (
        cs.complaint_apply_lapor_status(
            complaint=complaint, target=Status.ARCHIVED, status_name="Ditolak", now=NOW
        )
        is None
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.archive_reason) == (Status.ARCHIVED, "lapor_rejected")
    assert complaint.events.filter(action="lapor_status").count() == 1


def test_anonymising_erases_the_identity_and_keeps_the_report(world):
    complaint = reach(world, Status.RESPONDED)
    events_before = complaint.events.count()

    cs.reporter_anonymise(complaint=complaint, actor=world.ak, reason="Permintaan pelapor", now=NOW)

    reporter = Reporter.objects.get(complaint=complaint)
    assert (reporter.name, reporter.nik, reporter.phone, reporter.email) == ("", "", "", "")
    assert reporter.anonymised_at == NOW
    complaint.refresh_from_db()
    assert complaint.is_anonymous
    assert complaint.status == Status.RESPONDED
    assert complaint.events.count() > events_before
    # No event anywhere kept a copy of the identity.
    dump = str(list(Event.objects.values("reason", "data")))
    for secret in (
        "Siti",
        "081234567890",
        "+6281234567890",
        "siti@example.test",
        "3319054101900001",
    ):
        assert secret not in dump


def test_only_admin_kabupaten_anonymises(world):
    from complaints.workflow import TransitionError

    complaint = reach(world, Status.RESPONDED)
    with pytest.raises(TransitionError):
        cs.reporter_anonymise(complaint=complaint, actor=world.ao, reason="x", now=NOW)


def test_status_changes_are_mailed_to_the_reporter_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        complaint, _ = submit(world)
        verify(world, complaint)
    # The outbox is processed once the change is committed: one task for all its events.
    assert len(callbacks) == 1

    assert process_pending_events() == 2
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"Laporan {complaint.tracking_number}: Diterima",
        f"Laporan {complaint.tracking_number}: Terverifikasi",
    ]
    assert mail.outbox[0].to == ["siti@example.test"]
    assert f"/lacak/?nomor={complaint.tracking_number}" in mail.outbox[0].body
    assert not Event.objects.filter(notify_state=OutboxState.PENDING).exists()
    # Run twice: nothing is sent twice.
    assert process_pending_events() == 0
    assert len(mail.outbox) == 2


def test_an_anonymised_reporter_is_not_mailed_what_was_queued(world):
    complaint, _ = submit(world)
    cs.reporter_anonymise(complaint=complaint, actor=world.ak, reason="Permintaan", now=NOW)
    process_pending_events()
    assert mail.outbox == []


def test_a_staff_entry_records_who_entered_it(world):
    complaint, _ = submit(world, actor=world.ak, channel="whatsapp")
    assert complaint.submitted_by == world.admin_kabupaten
    assert complaint.events.get().actor_role == "admin_kabupaten"


def test_services_refuse_naive_datetimes(world):
    from datetime import datetime

    with pytest.raises(ValueError, match="aware"):
        submit(world, now=datetime(2026, 12, 1, 9, 0))  # noqa: DTZ001


def test_a_citizen_account_is_no_staff_actor(citizen):
    assert actor_for_user(citizen) is None


def test_a_revoked_staff_role_gives_no_rights(admin_opd):
    admin_opd.staff_role.is_active = False
    admin_opd.staff_role.save()
    admin_opd.refresh_from_db()
    assert actor_for_user(admin_opd) is None


def test_system_cannot_verify(world):
    from complaints.workflow import TransitionError

    complaint, _ = submit(world)
    with pytest.raises(TransitionError):
        cs.complaint_verify(
            complaint=complaint,
            actor=SYSTEM,
            classification=world.classification,
            category=world.category,
            public_title="x",
            public_text="y",
            is_secret=False,
            is_anonymous=False,
            now=NOW,
        )


def test_lapor_finishing_an_escalated_report_finishes_it(world):
    complaint = reach(world, Status.ESCALATED)
    cs.complaint_apply_lapor_status(
        complaint=complaint, target=Status.FINISHED, status_name="Selesai", now=NOW
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.archive_reason) == (Status.FINISHED, "")


def test_lapor_cannot_finish_a_report_it_did_not_take_over(world):
    from complaints.workflow import TransitionError

    complaint = reach(world, Status.DISPOSITIONED)
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_apply_lapor_status(complaint=complaint, target=Status.FINISHED, now=NOW)
    assert excinfo.value.code == "invalid_status"


def test_closing_ends_the_objection_window_without_a_verdict(world):
    complaint = reach(world, Status.FINISHED)
    cs.complaint_close(complaint=complaint, actor=SYSTEM, now=NOW + timedelta(days=20))
    window = complaint.clocks.get(kind=ClockKind.OBJECTION)
    assert (window.state, window.met) == (SlaClock.State.CANCELLED, None)


def test_verification_time_is_the_first_one(world):
    complaint = reach(world, Status.VERIFIED)
    first = Complaint.objects.get(pk=complaint.pk).verified_at
    cs.complaint_request_info(
        complaint=complaint, actor=world.ak, question="RT berapa?", now=NOW + timedelta(days=1)
    )
    cs.complaint_provide_info(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        text="RT 03.",
        now=NOW + timedelta(days=2),
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert complaint.verified_at == first


def test_an_overlong_email_is_refused_not_crashed(world):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, reporter_email="a" * 250 + "@example.test")
    assert excinfo.value.message_dict["reporter_email"] == ["Alamat e-mail terlalu panjang."]
