"""Notifications to the reporter: what each event sends by e-mail and SMS, and what it never
sends (internal notes, access codes after the first message, anything after anonymising)."""

from __future__ import annotations

import logging
import re

import pytest
from django.utils.module_loading import import_string

from complaints import services as cs
from complaints.actors import SYSTEM, reporter_actor
from complaints.messaging import (
    SMS_MAX_LENGTH,
    LocmemSmsBackend,
    LoggingSmsBackend,
    SmsBackend,
    get_sms_backend,
    send_sms,
)
from complaints.models import Event, OutboxState, Status
from complaints.notifications import event_notify, sms_text
from complaints.tasks import process_pending_events
from disposition import services as ds
from disposition.models import ResponseKind, Visibility
from tests.builders import lead_disposition, reach, reach_from_lapor, respond, submit, verify
from tests.conftest import NOW


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "complaints.messaging.LocmemSmsBackend"
    settings.SITE_URL = "https://pengaduan.kuduskab.go.id"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def drain(mailoutbox, sms_outbox):
    """Send what is pending so far, and forget it: the test looks at what comes next."""
    process_pending_events()
    mailoutbox.clear()
    sms_outbox.clear()


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


# --- submission ---------------------------------------------------------------------------------


def test_the_submit_confirmation_carries_number_code_and_link(world, mailoutbox, sms_outbox):
    complaint, code = cs.complaint_submit(
        actor=reporter_actor(),
        channel="web",
        text="Jalan di depan balai desa berlubang besar dan membahayakan.",
        reporter_phone="081234567890",
        reporter_email="siti@example.test",
        now=NOW,
    )

    assert process_pending_events() == 1

    (mail,) = mailoutbox
    assert mail.subject == f"Laporan {complaint.tracking_number}: Diterima"
    assert mail.to == ["siti@example.test"]
    for part in (mail.body, html_of(mail)):
        assert complaint.tracking_number in part
        assert code in part
        assert f"https://pengaduan.kuduskab.go.id/lacak/?nomor={complaint.tracking_number}" in part
    (sms,) = sms_outbox
    assert sms.to == "+6281234567890"
    assert code in sms.text
    assert complaint.tracking_number in sms.text
    assert sms.text.endswith(f"/lacak/{complaint.tracking_number}/")
    assert len(sms.text) <= SMS_MAX_LENGTH
    # The code is in no event, and not kept once sent.
    event = complaint.events.get(action="submit")
    assert code not in f"{event.data} {event.reason}"
    assert cs.access_code_stashed(event) is None


def test_without_a_stashed_code_the_confirmation_explains_how_to_get_one(
    world, mailoutbox, sms_outbox
):
    complaint, code = submit(world)
    # The stashed code expired (a worker outage longer than ACCESS_CODE_STASH_SECONDS).
    cs.access_code_forget(complaint.events.get(action="submit"))

    process_pending_events()

    (mail,) = mailoutbox
    assert code not in mail.body
    assert "minta kode baru" in mail.body
    assert "/lacak/kirim-ulang-kode/" in mail.body
    assert code not in sms_outbox[0].text


def test_a_report_without_contact_notifies_nobody(world, mailoutbox, sms_outbox):
    submit(world, reporter_phone="", reporter_email="")

    process_pending_events()

    assert mailoutbox == []
    assert sms_outbox == []
    assert not Event.objects.filter(notify_state=OutboxState.PENDING).exists()


# --- status changes -----------------------------------------------------------------------------


def test_verification_is_mailed_and_texted_without_the_code(world, mailoutbox, sms_outbox):
    complaint, code = cs.complaint_submit(
        actor=reporter_actor(),
        channel="web",
        text="Jalan di depan balai desa berlubang besar dan membahayakan.",
        reporter_phone="081234567890",
        reporter_email="siti@example.test",
        now=NOW,
    )
    drain(mailoutbox, sms_outbox)
    verify(world, complaint)

    process_pending_events()

    (mail,) = mailoutbox
    assert mail.subject == f"Laporan {complaint.tracking_number}: Terverifikasi"
    assert "kini berstatus: Terverifikasi" in mail.body
    assert "segera meneruskannya kepada OPD" in mail.body
    assert code not in mail.body
    assert code not in html_of(mail)
    (sms,) = sms_outbox
    assert sms.text.startswith(f"Laporan {complaint.tracking_number}: Terverifikasi.")
    assert code not in sms.text
    assert len(sms.text) <= SMS_MAX_LENGTH


def test_a_request_for_information_carries_the_question_and_the_deadline(
    world, mailoutbox, sms_outbox
):
    complaint, _ = submit(world)
    drain(mailoutbox, sms_outbox)
    cs.complaint_request_info(
        complaint=complaint, actor=world.ak, question="Di RT/RW berapa lokasinya?", now=NOW
    )

    process_pending_events()

    (mail,) = mailoutbox
    assert mail.subject.endswith("Menunggu informasi pelapor")
    assert "Di RT/RW berapa lokasinya?" in mail.body
    # 10 working days from Tuesday 1 December 2026 09:00 WIB.
    assert "15 Desember 2026, 09:00 WIB" in mail.body
    assert "Di RT/RW berapa lokasinya?" in html_of(mail)
    assert "Mohon lengkapi keterangan" in sms_outbox[0].text


def test_routing_names_the_opd(world, mailoutbox, sms_outbox):
    complaint = reach(world, Status.VERIFIED)
    drain(mailoutbox, sms_outbox)
    ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd],
        lead=world.opd,
        note="CATATAN-DISPOSISI untuk OPD",
        now=NOW,
    )

    process_pending_events()

    (mail,) = to_reporter(mailoutbox)
    assert "Didisposisikan" in mail.subject
    assert "Diteruskan kepada: Dinkes." in mail.body
    assert "CATATAN-DISPOSISI" not in mail.body


def test_the_first_answer_is_sent_with_its_text(world, mailoutbox, sms_outbox):
    complaint = reach(world, Status.DISPOSITIONED)
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    drain(mailoutbox, sms_outbox)

    respond(world, disposition, ResponseKind.INITIAL, text="Petugas meninjau lokasi besok pagi.")
    process_pending_events()

    (mail,) = mailoutbox  # one message for the answer and the status it brings
    assert mail.subject.endswith("tanggapan awal dari Dinkes")
    assert "Petugas meninjau lokasi besok pagi." in mail.body
    assert "Dinkes memberikan tanggapan awal" in mail.body
    assert "Petugas meninjau lokasi besok pagi." in html_of(mail)
    assert world.admin_opd.username not in mail.body
    assert len(sms_outbox) == 1


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.REPORTER])
def test_a_follow_up_meant_for_the_reporter_is_sent(world, mailoutbox, sms_outbox, visibility):
    complaint = reach(world, Status.RESPONDED)
    drain(mailoutbox, sms_outbox)

    ds.response_add(
        disposition=lead_disposition(complaint),
        actor=world.ao,
        kind=ResponseKind.PROGRESS,
        text="Material sudah dipesan, pengerjaan Senin.",
        visibility=visibility,
        now=NOW,
    )
    process_pending_events()

    (mail,) = mailoutbox
    assert mail.subject == f"Laporan {complaint.tracking_number}: tindak lanjut dari Dinkes"
    assert "Material sudah dipesan, pengerjaan Senin." in mail.body
    (sms,) = sms_outbox
    assert "tindak lanjut dari Dinkes" in sms.text
    assert len(sms.text) <= SMS_MAX_LENGTH


def test_an_internal_note_sends_nothing(world, mailoutbox, sms_outbox):
    complaint = reach(world, Status.RESPONDED)
    drain(mailoutbox, sms_outbox)

    respond(world, lead_disposition(complaint), ResponseKind.NOTE, text="CATATAN-INTERNAL saja.")
    note = complaint.events.get(action="note")
    process_pending_events()

    assert note.notify_state == OutboxState.NONE
    assert event_notify(note) is False  # even if it were queued
    assert mailoutbox == []
    assert sms_outbox == []


def test_the_final_answer_is_sent_with_the_objection_deadline(world, mailoutbox, sms_outbox):
    complaint = reach(world, Status.RESPONDED)
    drain(mailoutbox, sms_outbox)

    respond(world, lead_disposition(complaint), ResponseKind.FINAL, text="Jalan sudah ditambal.")
    process_pending_events()

    (mail,) = mailoutbox
    assert mail.subject.endswith("tindak lanjut akhir dari Dinkes")
    assert "Jalan sudah ditambal." in mail.body
    assert "Dinkes memberikan tindak lanjut akhir" in mail.body
    # The objection window: 10 working days.
    assert "menyanggah" in mail.body
    assert "15 Desember 2026, 09:00 WIB" in mail.body
    assert "penilaian" in mail.body


def test_an_objection_and_closing_are_told(world, mailoutbox, sms_outbox):
    complaint = reach(world, Status.FINISHED)
    drain(mailoutbox, sms_outbox)
    cs.complaint_object(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        reason="Masih berlubang.",
        now=NOW,
    )
    process_pending_events()
    assert [m.subject.split(": ")[1] for m in mailoutbox] == ["Dibuka kembali"]

    closed = reach(world, Status.FINISHED)
    drain(mailoutbox, sms_outbox)
    cs.complaint_close(complaint=closed, actor=SYSTEM, now=NOW)
    process_pending_events()
    (mail,) = mailoutbox
    assert mail.subject.endswith("Ditutup")
    assert "beri penilaian" in mail.body


def test_archiving_gives_the_reason(world, mailoutbox, sms_outbox):
    complaint, _ = submit(world)
    drain(mailoutbox, sms_outbox)
    cs.complaint_archive(complaint=complaint, actor=world.ak, reason="out_of_scope", now=NOW)

    process_pending_events()

    (mail,) = mailoutbox
    assert "Alasan: Di luar lingkup." in mail.body


def test_nothing_is_sent_after_anonymising(world, mailoutbox, sms_outbox):
    complaint, _ = submit(world)
    verify(world, complaint)
    cs.reporter_anonymise(complaint=complaint, actor=world.ak, reason="Permintaan", now=NOW)
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=NOW
    )

    process_pending_events()

    assert to_reporter(mailoutbox) == []  # staff are still told
    assert sms_outbox == []
    assert not cs.access_code_resend(
        tracking_number=complaint.tracking_number, contact="siti@example.test", now=NOW
    )


def test_an_anonim_reporter_is_still_told(world, mailoutbox, sms_outbox):
    submit(world, is_anonymous=True)

    process_pending_events()

    assert len(mailoutbox) == 1
    assert len(sms_outbox) == 1


def test_a_report_from_lapor_is_left_to_lapor_to_tell(world, mailoutbox, sms_outbox):
    complaint = reach_from_lapor(world)
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=NOW
    )

    process_pending_events()

    assert to_reporter(mailoutbox) == []  # staff are still told
    assert sms_outbox == []


# --- delivery -----------------------------------------------------------------------------------


class FailingSms(SmsBackend):
    def send(self, to_e164, text):
        raise ConnectionError("gateway down")


def test_a_failed_sms_keeps_the_event_pending_and_the_mail_is_not_sent_twice(
    world, mailoutbox, settings
):
    settings.SMS_BACKEND = f"{__name__}.FailingSms"
    complaint, _ = submit(world)

    assert process_pending_events() == 0
    assert complaint.events.get().notify_state == OutboxState.PENDING
    assert len(mailoutbox) == 1

    settings.SMS_BACKEND = "complaints.messaging.LocmemSmsBackend"
    assert process_pending_events() == 1
    assert len(mailoutbox) == 1
    assert len(LocmemSmsBackend.outbox) == 1


def test_the_sms_backend_is_chosen_by_setting(settings):
    settings.SMS_BACKEND = "complaints.messaging.LoggingSmsBackend"
    assert isinstance(get_sms_backend(), LoggingSmsBackend)
    assert isinstance(get_sms_backend("complaints.messaging.LocmemSmsBackend"), LocmemSmsBackend)
    assert import_string("complaints.messaging.SmsBackend") is SmsBackend


def test_the_logging_backend_logs_without_the_whole_number(settings, caplog):
    settings.SMS_BACKEND = "complaints.messaging.LoggingSmsBackend"
    with caplog.at_level(logging.INFO, logger="complaints.messaging"):
        send_sms("+6281234567890", "Halo dari Lapor Kudus")

    assert "Halo dari Lapor Kudus" in caplog.text
    assert "7890" in caplog.text
    assert "+6281234567890" not in caplog.text


def test_an_sms_over_one_segment_is_refused():
    with pytest.raises(ValueError, match="160"):
        send_sms("+6281234567890", "x" * 161)


def test_a_long_sms_is_shortened_but_its_link_kept():
    url = "https://pengaduan.kuduskab.go.id/lacak/KDS-4F7K-9M2Q/"
    text = sms_text("Laporan KDS-4F7K-9M2Q: " + "sangat panjang " * 20, url)

    assert len(text) <= SMS_MAX_LENGTH
    assert text.endswith(url)
    assert re.match(r"Laporan KDS-4F7K-9M2Q: sangat", text)


def test_the_status_subjects_stay_as_they_were(world, mailoutbox):
    complaint, _ = submit(world)
    verify(world, complaint)

    process_pending_events()

    assert [m.subject for m in mailoutbox] == [
        f"Laporan {complaint.tracking_number}: Diterima",
        f"Laporan {complaint.tracking_number}: Terverifikasi",
    ]


def test_if_answers_are_ever_queued_themselves_one_message_tells_answer_and_status(
    world, mailoutbox, sms_outbox
):
    # disposition.services does not queue the initial and final answers today (their status
    # change tells them); if it ever does, the reporter must still get one message, not two.
    complaint = reach(world, Status.DISPOSITIONED)
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    drain(mailoutbox, sms_outbox)
    respond(world, disposition, ResponseKind.INITIAL, text="Petugas meninjau lokasi besok.")
    complaint.events.filter(action="respond_initial").update(notify_state=OutboxState.PENDING)

    process_pending_events()

    (mail,) = mailoutbox
    assert mail.subject == f"Laporan {complaint.tracking_number}: tanggapan awal dari Dinkes"
    assert "Petugas meninjau lokasi besok." in mail.body
    assert "Status laporan kini: Ditanggapi." in mail.body
    assert len(sms_outbox) == 1


def test_a_resent_code_whose_cache_entry_expired_is_not_sent(world, mailoutbox, sms_outbox):
    complaint, _ = submit(world)
    drain(mailoutbox, sms_outbox)
    cs.access_code_resend(
        tracking_number=complaint.tracking_number, contact="siti@example.test", now=NOW
    )
    cs.access_code_forget(complaint.events.get(action="access_code_resent"))

    process_pending_events()

    assert mailoutbox == []
    assert sms_outbox == []


def test_a_second_opds_answer_reaches_the_reporter_though_the_status_stays(
    world, mailoutbox, sms_outbox
):
    complaint = reach(world, Status.VERIFIED)
    lead, other = ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd, world.other_opd],
        lead=world.opd,
        now=NOW,
    )
    for disposition, actor in ((lead, world.ao), (other, world.other_ao)):
        ds.disposition_accept(disposition=disposition, actor=actor, now=NOW)
    respond(world, lead, ResponseKind.INITIAL)
    process_pending_events()
    drain(mailoutbox, sms_outbox)

    respond(
        world,
        other,
        ResponseKind.INITIAL,
        actor=world.other_ao,
        text="DPUPR akan memperbaiki saluran air.",
    )
    process_pending_events()

    (mail,) = mailoutbox
    assert "DPUPR akan memperbaiki saluran air." in mail.body


def to_reporter(mailoutbox):
    """The mail meant for reporters: staff notifications land in the same outbox."""
    from disposition.models import StaffRole

    staff = set(StaffRole.objects.values_list("user__email", flat=True))
    return [mail for mail in mailoutbox if not set(mail.to) & staff]
