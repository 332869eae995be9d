"""The tracking pages (/lacak/…): who may see a report, what they see, and what they may do.

Reports are built through the services (tests/builders.py). Each test's browser has an IP
address of its own, so django-ratelimit's counters (in the shared Redis) never carry over from
another test; tracking numbers are random, so the per-number counters do not either.
"""

from __future__ import annotations

import itertools
import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints import services as cs
from complaints.actors import reporter_actor
from complaints.models import CitizenProfile, Complaint, Event, Rating, Status
from complaints.selectors import tracking_view
from complaints.services import tracking as tracking_services
from complaints.workflow import TransitionError
from disposition import services as ds
from disposition.models import ResponseKind, Visibility
from tests.builders import lead_disposition, photo, reach, respond, submit, verify
from tests.conftest import NOW
from tests.factories import UserFactory

# Rate-limit counters live for an hour in Redis, across runs: start each run somewhere else.
_ips = itertools.count(secrets.randbelow(2**24 - 100_000))


def new_browser() -> Client:
    n = next(_ips)
    return Client(REMOTE_ADDR=f"10.{(n >> 16) % 256}.{(n >> 8) % 256}.{n % 256}")


@pytest.fixture
def browser():
    return new_browser()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def at_now():
    """The site's clock a little after the scenario's NOW (services ran at NOW)."""
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        yield


def detail_url(complaint) -> str:
    return reverse("complaints:track_detail", args=[complaint.tracking_number])


def form_url(complaint) -> str:
    return f"{reverse('complaints:track')}?nomor={complaint.tracking_number}"


def grant(browser, complaint, code):
    response = browser.post(
        reverse("complaints:track"),
        {"tracking_number": complaint.tracking_number, "access_code": code},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def page(response) -> str:
    return response.content.decode()


def errors_of(response) -> str:
    match = re.search(r'<div class="form-errors".*?</div>', page(response), re.S)
    return match.group(0) if match else ""


# --- the form ---------------------------------------------------------------------------------


def test_the_form_is_shown_with_the_number_from_the_link(browser, db):
    response = browser.get(reverse("complaints:track"), {"nomor": "kds 4f7k 9m2q"})

    assert response.status_code == 200
    assert 'value="KDS-4F7K-9M2Q"' in page(response)
    assert "Kirim ulang kode akses" in page(response)


def test_right_number_and_code_open_the_report(browser, world):
    complaint, code = submit(world)

    response = grant(browser, complaint, code)

    assert response["Location"] == detail_url(complaint)
    assert browser.get(detail_url(complaint)).status_code == 200


def test_opening_a_report_gives_the_browser_a_new_session_key(browser, world):
    complaint, code = submit(world)
    browser.get(reverse("complaints:track"))
    browser.session.save()
    before = browser.session.session_key

    grant(browser, complaint, code)

    assert browser.session.session_key != before
    assert browser.get(detail_url(complaint)).status_code == 200


def test_number_and_code_are_read_whatever_the_case_spaces_and_dashes(browser, world):
    complaint, code = submit(world)
    typed_number = complaint.tracking_number.lower().replace("-", " ")
    typed_code = f" {code[:5].lower()}-{code[5:]} ".replace("0", "o")

    response = browser.post(
        reverse("complaints:track"), {"tracking_number": typed_number, "access_code": typed_code}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(complaint)


def test_a_wrong_code_gets_one_generic_message_and_keeps_the_number(browser, world):
    complaint, _code = submit(world)

    response = browser.post(
        reverse("complaints:track"),
        {"tracking_number": complaint.tracking_number, "access_code": "AAAAAAAAAA"},
    )

    assert response.status_code == 200
    assert "tidak cocok" in errors_of(response)
    assert f'value="{complaint.tracking_number}"' in page(response)
    assert browser.get(detail_url(complaint)).status_code == 302


def test_an_unknown_number_gets_exactly_the_same_answer_as_a_wrong_code(world):
    complaint, _code = submit(world)
    wrong_code = new_browser().post(
        reverse("complaints:track"),
        {"tracking_number": complaint.tracking_number, "access_code": "AAAAAAAAAA"},
    )
    unknown = new_browser().post(
        reverse("complaints:track"),
        {"tracking_number": "KDS-0000-0000", "access_code": "AAAAAAAAAA"},
    )

    assert wrong_code.status_code == unknown.status_code == 200
    assert errors_of(wrong_code) == errors_of(unknown) != ""


def test_missing_fields_are_explained_next_to_them(browser, db):
    response = browser.post(reverse("complaints:track"), {"tracking_number": "KDS-1234-5678"})

    assert response.status_code == 200
    assert "Masukkan kode akses laporan Anda." in page(response)
    assert 'value="KDS-1234-5678"' in page(response)


def test_look_ups_are_limited_per_ip_and_the_refusal_keeps_the_number(browser, world, settings):
    settings.RATELIMIT_TRACKING_IP = "3/h"
    complaint, code = submit(world)
    for _ in range(3):
        browser.post(
            reverse("complaints:track"),
            {"tracking_number": complaint.tracking_number, "access_code": "AAAAAAAAAA"},
        )

    # Every attempt counts: even the right code is refused while the limit holds.
    response = browser.post(
        reverse("complaints:track"),
        {"tracking_number": complaint.tracking_number, "access_code": code},
    )

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in errors_of(response)
    assert f'value="{complaint.tracking_number}"' in page(response)
    assert browser.get(detail_url(complaint)).status_code == 302
    # Another address is not affected.
    assert grant(new_browser(), complaint, code).status_code == 302


def test_ten_wrong_codes_in_a_day_lock_the_number_even_for_the_right_code(world):
    complaint, code = submit(world)
    for _ in range(tracking_services.TRACKING_FAILURES_PER_NUMBER):
        with pytest.raises(ValidationError) as wrong:
            cs.tracking_access_check(
                tracking_number=complaint.tracking_number, access_code="AAAAAAAAAA"
            )
        assert wrong.value.code == "mismatch"

    with pytest.raises(ValidationError) as locked:
        cs.tracking_access_check(tracking_number=complaint.tracking_number, access_code=code)

    assert locked.value.code == "locked"
    other, other_code = submit(world)
    assert (
        cs.tracking_access_check(tracking_number=other.tracking_number, access_code=other_code)
        == other
    )


def test_the_lock_is_shown_on_the_form_from_any_address(world):
    complaint, code = submit(world)
    for n in range(tracking_services.TRACKING_FAILURES_PER_NUMBER):
        new_browser().post(
            reverse("complaints:track"),
            {"tracking_number": complaint.tracking_number, "access_code": f"AAAAAAAAA{n}"},
        )

    response = new_browser().post(
        reverse("complaints:track"),
        {"tracking_number": complaint.tracking_number, "access_code": code},
    )

    assert response.status_code == 429
    assert "dikunci selama 24 jam" in errors_of(response)
    assert "minta kode akses baru" in errors_of(response)


def test_an_unknown_number_locks_the_same_way_so_the_lock_reveals_nothing(db):
    for _ in range(tracking_services.TRACKING_FAILURES_PER_NUMBER):
        with pytest.raises(ValidationError):
            cs.tracking_access_check(tracking_number="KDS-ZZZZ-ZZZ1", access_code="AAAAAAAAAA")

    with pytest.raises(ValidationError) as locked:
        cs.tracking_access_check(tracking_number="KDS-ZZZZ-ZZZ1", access_code="AAAAAAAAAA")
    assert locked.value.code == "locked"


def test_a_new_code_sent_to_the_reporter_lifts_the_lock(world):
    complaint, _code = submit(world)
    for _ in range(tracking_services.TRACKING_FAILURES_PER_NUMBER):
        with pytest.raises(ValidationError):
            cs.tracking_access_check(
                tracking_number=complaint.tracking_number, access_code="AAAAAAAAAA"
            )
    assert cs.tracking_number_locked(complaint.tracking_number)

    assert cs.access_code_resend(
        tracking_number=complaint.tracking_number, contact="siti@example.test", now=NOW
    )

    assert not cs.tracking_number_locked(complaint.tracking_number)


def test_the_form_link_opens_the_report_at_once_for_a_browser_with_access(browser, world):
    complaint, code = submit(world)
    grant(browser, complaint, code)

    response = browser.get(form_url(complaint))

    assert response.status_code == 302
    assert response["Location"] == detail_url(complaint)
    # Without access it is just the form.
    assert new_browser().get(form_url(complaint)).status_code == 200


# --- who may see the report page ----------------------------------------------------------------


@pytest.mark.parametrize("number", ["existing", "KDS-0000-0000", "bukan-nomor"])
def test_the_page_without_access_redirects_to_the_form_never_200(browser, world, number):
    complaint, _code = submit(world)
    number = complaint.tracking_number if number == "existing" else number

    response = browser.get(reverse("complaints:track_detail", args=[number]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("complaints:track") + "?nomor=")
    assert complaint.text not in page(response)


def test_another_reporters_session_cannot_see_this_report(browser, world):
    mine, my_code = submit(world)
    theirs, _ = submit(world, text="Lampu jalan di gang mawar mati sejak dua minggu lalu.")
    grant(browser, mine, my_code)

    response = browser.get(detail_url(theirs))

    assert response.status_code == 302
    assert response["Location"] == form_url(theirs)
    for url in ("track_provide_info", "track_object", "track_rate"):
        post = browser.post(reverse(f"complaints:{url}", args=[theirs.tracking_number]), {})
        assert post.status_code == 302
        assert post["Location"] == form_url(theirs)


def citizen_account(username="warga.kudus"):
    user = UserFactory(username=username)
    CitizenProfile.objects.create(user=user)
    return user


def test_a_citizen_account_sees_its_own_report_without_a_code(browser, world):
    citizen = citizen_account()
    complaint, _code = submit(world, reporter_user=citizen)
    browser.force_login(citizen)

    response = browser.get(detail_url(complaint))

    assert response.status_code == 200
    assert complaint.text in page(response)
    assert reverse("complaints:my_reports") in page(response)


def test_a_citizen_account_does_not_see_other_reports(browser, world):
    citizen = citizen_account()
    other, _code = submit(world)
    browser.force_login(citizen)

    response = browser.get(detail_url(other))

    assert response.status_code == 302
    assert response["Location"] == form_url(other)


def test_staff_accounts_get_no_reporter_page(browser, world):
    complaint, _code = submit(world)
    browser.force_login(world.admin_kabupaten, backend="django.contrib.auth.backends.ModelBackend")

    assert browser.get(detail_url(complaint)).status_code == 302


def test_a_number_typed_differently_in_the_address_goes_to_the_canonical_one(browser, world):
    complaint, code = submit(world)
    grant(browser, complaint, code)

    response = browser.get(
        reverse("complaints:track_detail", args=[complaint.tracking_number.lower()])
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(complaint)


# --- what the page shows ------------------------------------------------------------------------


def test_the_page_shows_the_reporters_own_report_status_and_deadline_in_wib(browser, world, at_now):
    complaint, code = submit(world, attachments=[photo("jalan-rusak.jpg")])
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))

    assert complaint.text in html
    assert "Jalan berlubang" in html  # the reporter's own title
    assert "Jl. Raya Mejobo No. 5" in html
    assert "jalan-rusak.jpg" in html
    assert "Diterima" in html
    assert "Admin Kabupaten akan memeriksanya" in html
    # Verification: 3 working days from Tuesday 1 December 09:00 WIB.
    assert "Batas waktu verifikasi dan penerusan oleh Admin Kabupaten" in html
    assert "Jumat, 4 Desember 2026, 09:00 WIB" in html
    assert "Laporan dikirim melalui Situs web" in html


def test_internal_notes_staff_names_and_internal_reasons_never_reach_the_page(
    browser, world, at_now
):
    world.admin_opd.first_name, world.admin_opd.last_name = "Bambang", "Sutrisno"
    world.admin_opd.save()
    complaint, code = submit(world)
    verify(world, complaint)
    ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd],
        lead=world.opd,
        note="CATATAN-DISPOSISI-RAHASIA untuk OPD",
        now=NOW,
    )
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    respond(world, disposition, ResponseKind.NOTE, text="CATATAN-INTERNAL jangan bocor ke pelapor")
    respond(world, disposition, ResponseKind.INITIAL, text="Tim kami sudah meninjau lokasi.")
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))

    assert "Tim kami sudah meninjau lokasi." in html
    for secret in (
        "CATATAN-INTERNAL",
        "CATATAN-DISPOSISI-RAHASIA",
        "Bambang",
        "Sutrisno",
        world.admin_opd.username,
        world.admin_kabupaten.username,
    ):
        assert secret not in html
    assert "OPD Dinkes memberikan tanggapan awal" in html
    assert "Laporan diverifikasi" in html
    assert "Admin Kabupaten" in html


def test_a_returned_disposition_shows_no_return_reason(browser, world, at_now):
    complaint = reach(world, Status.RETURNED)
    code = _new_code(complaint)
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))

    assert "menyerahkan kembali laporan kepada Admin Kabupaten" in html
    assert "Bukan tupoksi" not in html


def test_responses_meant_for_the_reporter_are_shown_public_and_reporter_only(
    browser, world, at_now
):
    complaint = reach(world, Status.RESPONDED, is_secret=True)
    disposition = lead_disposition(complaint)
    ds.response_add(
        disposition=disposition,
        actor=world.ao,
        kind=ResponseKind.PROGRESS,
        text="Perbaikan dijadwalkan minggu depan.",
        visibility=Visibility.REPORTER,
        now=NOW,
    )
    code = _new_code(complaint)
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))

    assert "Tanggapan untuk Anda" in html
    assert "Perbaikan dijadwalkan minggu depan." in html
    assert "Hanya untuk Anda" in html
    assert "Batas waktu penyelesaian oleh OPD Dinkes" in html


def test_an_anonim_reporter_still_sees_their_own_report(browser, world, at_now):
    complaint, code = submit(world, is_anonymous=True)
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))

    assert complaint.text in html
    assert "Anonim: identitas Anda disembunyikan" in html


def test_the_page_reads_in_a_fixed_number_of_queries(
    browser, world, at_now, django_assert_max_num_queries
):
    short = reach(world, Status.RESPONDED)
    long = reach(world, Status.RESPONDED)
    disposition = lead_disposition(long)
    for n in range(8):
        respond(world, disposition, ResponseKind.PROGRESS, text=f"Tindak lanjut ke-{n} sudah.")
        respond(world, disposition, ResponseKind.NOTE, text=f"Catatan internal ke-{n}.")
    long_code, short_code = _new_code(long), _new_code(short)
    grant(browser, short, short_code)
    grant(browser, long, long_code)
    browser.get(detail_url(short))  # warm the cached working calendar

    with django_assert_max_num_queries(12) as short_queries:
        assert browser.get(detail_url(short)).status_code == 200
    with django_assert_max_num_queries(12) as long_queries:
        assert browser.get(detail_url(long)).status_code == 200

    assert len(short_queries.captured_queries) == len(long_queries.captured_queries)


def test_the_tracking_view_selector_makes_a_fixed_number_of_queries(
    world, django_assert_num_queries
):
    complaint = reach(world, Status.FINISHED)
    tracking_view(complaint, now=NOW)  # warm the cached working calendar

    # attachments, responses (+ their attachments), events, clocks, rating
    with django_assert_num_queries(6):
        view = tracking_view(complaint, now=NOW)
    assert view.can_object
    assert view.can_rate


# --- adding information when asked --------------------------------------------------------------


def test_a_reporter_who_is_asked_sees_the_question_and_a_form(browser, world, at_now):
    complaint = reach(world, Status.WAITING_REPORTER)
    grant(browser, complaint, _new_code(complaint))

    html = page(browser.get(detail_url(complaint)))

    assert "Mohon kirim foto lokasi." in html
    assert reverse("complaints:track_provide_info", args=[complaint.tracking_number]) in html
    assert "Batas waktu Anda melengkapi keterangan" in html
    # 10 working days from Tuesday 1 December 2026 (no holiday rows in the test database).
    assert "15 Desember 2026, 09:00 WIB" in html


def test_adding_information_returns_the_report_and_keeps_the_files(browser, world, at_now):
    complaint = reach(world, Status.WAITING_REPORTER)
    grant(browser, complaint, _new_code(complaint))

    response = browser.post(
        reverse("complaints:track_provide_info", args=[complaint.tracking_number]),
        {"text": "Foto lokasi terlampir, lubang di depan balai desa.", "attachments": [photo()]},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.attachments.filter(original_name="foto.jpg").exists()
    html = page(browser.get(detail_url(complaint)))
    assert "Anda menambahkan keterangan" in html
    assert "Foto lokasi terlampir" in html
    assert "Keterangan Anda sudah kami terima" in html


def test_information_cannot_be_added_when_none_was_asked_for(browser, world, at_now):
    complaint, code = submit(world)
    grant(browser, complaint, code)

    html = page(browser.get(detail_url(complaint)))
    assert "Kirim keterangan" not in html
    response = browser.post(
        reverse("complaints:track_provide_info", args=[complaint.tracking_number]),
        {"text": "Informasi yang tidak diminta."},
        follow=True,
    )

    assert "tidak ada keterangan yang diminta" in page(response)
    assert not complaint.events.filter(action="provide_info").exists()


def test_a_bad_attachment_is_explained_and_the_text_is_kept(browser, world, at_now):
    complaint = reach(world, Status.WAITING_REPORTER)
    grant(browser, complaint, _new_code(complaint))
    fake = SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")

    response = browser.post(
        reverse("complaints:track_provide_info", args=[complaint.tracking_number]),
        {"text": "Ini keterangan panjang yang saya tulis.", "attachments": [fake]},
    )

    assert response.status_code == 200
    assert "Ini keterangan panjang yang saya tulis." in page(response)
    assert 'class="errorlist"' in page(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.WAITING_REPORTER


def test_more_than_five_attachments_are_refused_with_the_text_kept(browser, world, at_now):
    complaint = reach(world, Status.WAITING_REPORTER)
    grant(browser, complaint, _new_code(complaint))

    response = browser.post(
        reverse("complaints:track_provide_info", args=[complaint.tracking_number]),
        {"text": "Enam foto sekaligus.", "attachments": [photo(f"f{n}.jpg") for n in range(6)]},
    )

    assert response.status_code == 200
    assert "Lampiran maksimal 5 berkas." in page(response)
    assert "Enam foto sekaligus." in page(response)


def test_an_empty_answer_is_refused_next_to_the_field(browser, world, at_now):
    complaint = reach(world, Status.WAITING_REPORTER)
    grant(browser, complaint, _new_code(complaint))

    response = browser.post(
        reverse("complaints:track_provide_info", args=[complaint.tracking_number]), {"text": ""}
    )

    assert response.status_code == 200
    assert "Tuliskan keterangan yang diminta." in page(response)


# --- objecting within the window ---------------------------------------------------------------


def test_a_finished_report_can_be_objected_to_within_the_window(browser, world, at_now):
    complaint = reach(world, Status.FINISHED)
    grant(browser, complaint, _new_code(complaint))
    html = page(browser.get(detail_url(complaint)))
    assert "Belum puas dengan jawaban akhir?" in html
    # Objection window: 10 working days from Tuesday 1 December.
    assert "15 Desember 2026, 09:00 WIB" in html

    response = browser.post(
        reverse("complaints:track_object", args=[complaint.tracking_number]),
        {"reason": "Jalan belum juga diperbaiki."},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED
    html = page(browser.get(detail_url(complaint)))
    assert "Anda menyanggah jawaban akhir" in html
    assert "Jalan belum juga diperbaiki." in html


def test_after_the_window_the_page_says_so_and_an_objection_is_refused(browser, world):
    complaint = reach(world, Status.FINISHED)
    code = _new_code(complaint)
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        grant(browser, complaint, code)
        html = page(browser.get(detail_url(complaint)))
        response = browser.post(
            reverse("complaints:track_object", args=[complaint.tracking_number]),
            {"reason": "Terlambat, tapi belum puas."},
        )

    assert "Masa sanggah untuk laporan ini telah berakhir." in html
    assert "Ajukan sanggahan" not in html
    assert response.status_code == 200
    assert "Masa sanggah untuk laporan ini telah berakhir." in errors_of(response)
    assert "Terlambat, tapi belum puas." in page(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.FINISHED


def test_an_objection_before_the_final_answer_is_refused(browser, world, at_now):
    complaint = reach(world, Status.RESPONDED)
    grant(browser, complaint, _new_code(complaint))

    response = browser.post(
        reverse("complaints:track_object", args=[complaint.tracking_number]),
        {"reason": "Belum puas."},
    )

    assert response.status_code == 200
    assert "tidak dapat dilakukan pada status" in errors_of(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED


def test_a_closed_report_says_the_window_ended(browser, world, at_now):
    complaint = reach(world, Status.CLOSED)
    grant(browser, complaint, _new_code(complaint))

    html = page(browser.get(detail_url(complaint)))

    assert "Masa sanggah untuk laporan ini telah berakhir." in html


# --- rating -------------------------------------------------------------------------------------


def test_a_finished_report_is_rated_once(browser, world, at_now):
    complaint = reach(world, Status.FINISHED)
    grant(browser, complaint, _new_code(complaint))
    assert "Kirim penilaian" in page(browser.get(detail_url(complaint)))

    response = browser.post(
        reverse("complaints:track_rate", args=[complaint.tracking_number]),
        {"score": "4", "comment": "Cepat ditangani."},
    )

    assert response.status_code == 302
    rating = Rating.objects.get(complaint=complaint)
    assert (rating.score, rating.comment) == (4, "Cepat ditangani.")
    event = complaint.events.get(action="rate")
    assert (event.data, event.reason, event.actor_type) == (
        {"score": 4},
        "Cepat ditangani.",
        "reporter",
    )
    html = page(browser.get(detail_url(complaint)))
    assert "Kirim penilaian" not in html
    assert "4/5" in html

    again = browser.post(
        reverse("complaints:track_rate", args=[complaint.tracking_number]),
        {"score": "1", "comment": "Berubah pikiran."},
    )
    assert again.status_code == 200
    assert Rating.objects.get(complaint=complaint).score == 4


def test_a_closed_report_can_be_rated(world):
    complaint = reach(world, Status.CLOSED)
    rating = cs.rating_submit(
        complaint=complaint, actor=reporter_actor(complaint_id=complaint.pk), score=5, now=NOW
    )
    assert rating.score == 5


def test_an_unfinished_report_cannot_be_rated(browser, world, at_now):
    complaint = reach(world, Status.RESPONDED)
    grant(browser, complaint, _new_code(complaint))
    assert "Kirim penilaian" not in page(browser.get(detail_url(complaint)))

    response = browser.post(
        reverse("complaints:track_rate", args=[complaint.tracking_number]), {"score": "5"}
    )

    assert response.status_code == 200
    assert "setelah laporan selesai" in errors_of(response)
    assert not Rating.objects.exists()


def test_only_the_reporter_rates(world):
    complaint = reach(world, Status.FINISHED)
    other, _ = submit(world)

    with pytest.raises(TransitionError) as staff:
        cs.rating_submit(complaint=complaint, actor=world.ak, score=5, now=NOW)
    assert staff.value.code == "forbidden_role"
    with pytest.raises(TransitionError) as stranger:
        cs.rating_submit(
            complaint=complaint, actor=reporter_actor(complaint_id=other.pk), score=5, now=NOW
        )
    assert stranger.value.code == "out_of_scope"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "5", True])
def test_a_score_outside_1_to_5_is_refused(world, score):
    complaint = reach(world, Status.FINISHED)
    with pytest.raises(ValidationError) as error:
        cs.rating_submit(
            complaint=complaint,
            actor=reporter_actor(complaint_id=complaint.pk),
            score=score,
            now=NOW,
        )
    assert "score" in error.value.message_dict


def test_a_missing_score_is_explained_and_the_comment_kept(browser, world, at_now):
    complaint = reach(world, Status.FINISHED)
    grant(browser, complaint, _new_code(complaint))

    response = browser.post(
        reverse("complaints:track_rate", args=[complaint.tracking_number]),
        {"comment": "Komentar saya yang panjang."},
    )

    assert response.status_code == 200
    assert "Pilih nilai 1 sampai 5." in page(response)
    assert "Komentar saya yang panjang." in page(response)


# --- a duplicate follows the original's public version ------------------------------------------


def test_a_duplicate_follows_the_originals_public_version_only(browser, world, at_now):
    original, _ = submit(
        world,
        title="JUDUL-ASLI-PELAPOR-LAIN",
        text="Teks asli pelapor lain, hubungi saya di 081299998888 ya pak.",
        reporter_name="Pelapor Asli Rahasia",
        reporter_email="asli@example.test",
    )
    verify(
        world,
        original,
        public_title="Jalan rusak di Desa Jepang",
        public_text="Jalan rusak, warga dapat dihubungi di 081299998888.",
    )
    ds.disposition_create(
        complaint=original, actor=world.ak, opds=[world.opd], lead=world.opd, now=NOW
    )
    disposition = lead_disposition(original)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    respond(world, disposition, ResponseKind.INITIAL, text="Tanggapan publik: segera ditambal.")
    ds.response_add(
        disposition=disposition,
        actor=world.ao,
        kind=ResponseKind.PROGRESS,
        text="KHUSUS-PELAPOR-ASLI: kami hubungi Anda.",
        visibility=Visibility.REPORTER,
        now=NOW,
    )
    respond(world, disposition, ResponseKind.NOTE, text="CATATAN-INTERNAL-INDUK")
    duplicate, code = submit(world, text="Jalan di depan balai desa Jepang rusak parah sekali.")
    cs.complaint_mark_duplicate(complaint=duplicate, actor=world.ak, original=original, now=NOW)
    grant(browser, duplicate, code)

    html = page(browser.get(detail_url(duplicate)))

    assert "Laporan yang Anda ikuti sekarang" in html
    assert original.tracking_number in html
    assert "Jalan rusak di Desa Jepang" in html
    assert "[disamarkan]" in html
    assert "Tanggapan publik: segera ditambal." in html
    assert reverse("complaints:public_detail", args=[original.tracking_number]) in html
    for private in (
        "JUDUL-ASLI-PELAPOR-LAIN",
        "Teks asli pelapor lain",
        "081299998888",
        "Pelapor Asli Rahasia",
        "asli@example.test",
        "KHUSUS-PELAPOR-ASLI",
        "CATATAN-INTERNAL-INDUK",
    ):
        assert private not in html
    # The reporter still sees their own report.
    assert "Jalan di depan balai desa Jepang rusak parah sekali." in html


def test_a_duplicate_of_a_secret_report_shows_a_notice_only(browser, world, at_now):
    original = reach(world, Status.VERIFIED, is_secret=True, title="JUDUL-RAHASIA")
    duplicate, code = submit(world)
    cs.complaint_mark_duplicate(complaint=duplicate, actor=world.ak, original=original, now=NOW)
    grant(browser, duplicate, code)

    html = page(browser.get(detail_url(duplicate)))

    assert "tidak ditampilkan untuk umum" in html
    assert original.tracking_number not in html
    assert "JUDUL-RAHASIA" not in html
    assert "Jalan berlubang di Desa Jepang" not in html


# --- a lost access code -------------------------------------------------------------------------


@pytest.fixture
def sms_outbox(settings):
    from complaints.messaging import LocmemSmsBackend

    settings.SMS_BACKEND = "complaints.messaging.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def _resend(browser, number, contact):
    return browser.post(
        reverse("complaints:resend_code"), {"tracking_number": number, "contact": contact}
    )


def test_a_matching_email_gets_a_new_code_and_the_old_one_stops_working(
    browser, world, mailoutbox, sms_outbox
):
    from complaints.tasks import process_pending_events

    complaint, old_code = submit(world)
    Event.objects.update(notify_state="")  # only the resend's notification is of interest

    response = _resend(browser, complaint.tracking_number.lower(), " SITI@example.test ")

    assert response.status_code == 302
    assert response["Location"] == form_url(complaint)
    process_pending_events()
    assert len(mailoutbox) == 1
    new_code = re.search(r"Kode akses baru: (\w+)", mailoutbox[0].body).group(1)
    assert mailoutbox[0].to == ["siti@example.test"]
    assert sms_outbox == []  # asked by e-mail: sent by e-mail only
    complaint.refresh_from_db()
    assert cs.access_code_matches(complaint, new_code)
    assert not cs.access_code_matches(complaint, old_code)
    event = complaint.events.get(action="access_code_resent")
    dumped = f"{event.data} {event.reason}"
    assert new_code not in dumped
    assert "siti" not in dumped.lower()
    assert event.data == {"channel": "email"}


def test_a_matching_phone_gets_the_new_code_by_sms(browser, world, mailoutbox, sms_outbox):
    from complaints.tasks import process_pending_events

    complaint, _old = submit(world)
    Event.objects.update(notify_state="")

    _resend(browser, complaint.tracking_number, "0812-3456-7890")
    process_pending_events()

    assert mailoutbox == []
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+6281234567890"
    new_code = re.search(r"laporan \S+: (\w+)", sms_outbox[0].text).group(1)
    complaint.refresh_from_db()
    assert cs.access_code_matches(complaint, new_code)
    assert len(sms_outbox[0].text) <= 160


@pytest.mark.parametrize(
    ("number", "contact"),
    [
        ("mine", "orang.lain@example.test"),
        ("mine", "081111111111"),
        ("KDS-0000-0000", "siti@example.test"),
    ],
)
def test_a_mismatch_gets_the_same_answer_and_nothing_is_sent(
    world, mailoutbox, sms_outbox, number, contact
):
    complaint, code = submit(world)
    Event.objects.update(notify_state="")
    matching = _resend(new_browser(), complaint.tracking_number, "siti@example.test")
    number = complaint.tracking_number if number == "mine" else number
    mailoutbox.clear()

    response = _resend(new_browser(), number, contact)

    assert response.status_code == matching.status_code == 302
    assert response["Location"].split("?")[0] == matching["Location"].split("?")[0]
    followed = page(new_browser().get(response["Location"]))
    assert "Lacak laporan Anda" in followed
    assert complaint.events.filter(action="access_code_resent").count() == 1
    from complaints.tasks import process_pending_events

    process_pending_events()
    assert [m.to for m in mailoutbox] == [["siti@example.test"]]  # only the matching one


def test_the_neutral_answer_is_shown_after_asking(browser, world):
    complaint, _ = submit(world)

    response = _resend(browser, complaint.tracking_number, "bukan@example.test")
    followed = page(browser.get(response["Location"]))

    assert "Bila nomor pelacakan dan kontak yang Anda masukkan sesuai" in followed


def test_an_invalid_contact_is_explained_and_kept(browser, db):
    response = _resend(browser, "KDS-1234-5678", "bukan kontak")

    assert response.status_code == 200
    assert "Masukkan nomor telepon" in page(response)
    assert 'value="bukan kontak"' in page(response)
    assert 'value="KDS-1234-5678"' in page(response)


def test_resending_is_limited_per_ip(browser, world, settings):
    settings.RATELIMIT_TRACKING_IP = "2/h"
    complaint, _ = submit(world)
    for _ in range(2):
        assert _resend(browser, complaint.tracking_number, "x@example.test").status_code == 302

    response = _resend(browser, complaint.tracking_number, "siti@example.test")

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in errors_of(response)
    assert f'value="{complaint.tracking_number}"' in page(response)
    assert not complaint.events.filter(action="access_code_resent").exists()


def test_resending_is_limited_per_number_so_a_contact_cannot_be_flooded(world):
    complaint, _ = submit(world)
    sent = [
        cs.access_code_resend(
            tracking_number=complaint.tracking_number, contact="siti@example.test", now=NOW
        )
        for _ in range(tracking_services.RESENDS_PER_NUMBER + 1)
    ]

    assert sent == [True] * tracking_services.RESENDS_PER_NUMBER + [False]


def test_no_code_is_sent_for_an_anonymised_reporter(world):
    complaint, _ = submit(world)
    cs.reporter_anonymise(complaint=complaint, actor=world.ak, reason="Permintaan", now=NOW)

    assert not cs.access_code_resend(
        tracking_number=complaint.tracking_number, contact="siti@example.test", now=NOW
    )


def test_the_resend_form_prefills_the_number(browser, db):
    response = browser.get(reverse("complaints:resend_code"), {"nomor": "kds-4f7k-9m2q"})

    assert response.status_code == 200
    assert 'value="KDS-4F7K-9M2Q"' in page(response)


# --- helpers -------------------------------------------------------------------------------------


def _new_code(complaint) -> str:
    """An access code for a report built by reach(), which drops the one it was filed with.

    The code's hash is not workflow state, so it is simply replaced.
    """
    code = cs.new_access_code()
    Complaint.objects.filter(pk=complaint.pk).update(
        access_code_hash=cs.access_code_hash(complaint.tracking_number, code)
    )
    return code


@pytest.mark.parametrize(
    ("status", "states"),
    [
        (Status.RECEIVED, ["current", "todo", "todo", "todo", "todo"]),
        (Status.RESPONDED, ["done", "done", "done", "current", "todo"]),
        (Status.CLOSED, ["done"] * 5),
        (Status.ARCHIVED, []),
        (Status.ESCALATED, []),
    ],
)
def test_the_steps_show_where_the_report_stands(world, status, states):
    view = tracking_view(reach(world, status), now=NOW)

    assert [step.state for step in view.steps] == states


def test_a_report_waiting_for_the_reporter_stays_on_its_step(world):
    complaint = reach(world, Status.VERIFIED)
    cs.complaint_request_info(complaint=complaint, actor=world.ak, question="Di mana?", now=NOW)

    view = tracking_view(Complaint.objects.get(pk=complaint.pk), now=NOW)

    assert [step.state for step in view.steps][:2] == ["done", "current"]
    assert view.step_caption == "Tahap 2 dari 5: Diverifikasi"


def test_archiving_and_escalation_are_explained_in_the_timeline(world):
    archived, _ = submit(world)
    cs.complaint_archive(complaint=archived, actor=world.ak, reason="out_of_scope", now=NOW)
    escalated = reach(world, Status.ESCALATED)

    archived_titles = [(e.title, e.text) for e in tracking_view(archived, now=NOW).timeline]
    escalated_titles = [e.title for e in tracking_view(escalated, now=NOW).timeline]

    assert ("Laporan diarsipkan", "Alasan: Di luar lingkup") in archived_titles
    assert any(t.startswith("Diteruskan melalui SP4N-LAPOR! kepada") for t in escalated_titles)
