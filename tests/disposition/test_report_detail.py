"""The staff report page /kelola/laporan/<nomor>/ and its attachments /kelola/lampiran/<id>/:
who sees it, whose identity they see, what it shows, and what it costs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services as cs
from complaints.models import Attachment, Status
from disposition import services as ds
from disposition.models import ResponseKind
from tests.builders import lead_disposition, photo, reach, respond
from tests.conftest import NOW

REPORTER = ("Siti Aminah", "+6281234567890", "siti@example.test", "3319054101900001")
HIDDEN = "Identitas pelapor disembunyikan (anonim)"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail_url(complaint):
    return reverse("kelola:report_detail", args=[complaint.tracking_number])


def pdf(name="surat.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@pytest.fixture
def dispositioned(world):
    return reach(world, Status.DISPOSITIONED)


# --- who may see the page -------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, dispositioned):
    response = client.get(detail_url(dispositioned))
    assert response.status_code == 302
    assert response.url.startswith(reverse("kelola:login"))


def test_a_citizen_gets_404_even_for_their_own_report(world, citizen, staff_client):
    complaint = reach(world, Status.DISPOSITIONED, reporter_user=citizen)
    assert staff_client(citizen).get(detail_url(complaint)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin_kabupaten", 200),
        ("admin_opd", 200),
        ("colleague_opd", 200),
        ("pejabat_penghubung", 200),
        ("other_opd_admin", 404),
        ("other_pejabat_penghubung", 404),
    ],
)
def test_who_sees_a_dispositioned_report(request, staff_client, dispositioned, persona, expected):
    user = request.getfixturevalue(persona)
    assert staff_client(user).get(detail_url(dispositioned)).status_code == expected


def test_an_opd_role_does_not_see_a_report_before_its_disposition(
    world, staff_client, admin_opd, pejabat_penghubung
):
    verified = reach(world, Status.VERIFIED)
    for user in (admin_opd, pejabat_penghubung):
        assert staff_client(user).get(detail_url(verified)).status_code == 404


def test_an_unknown_number_is_404(staff_client, admin_kabupaten, db):
    url = reverse("kelola:report_detail", args=["KDS-0000-0000"])
    assert staff_client(admin_kabupaten).get(url).status_code == 404


def test_admin_kabupaten_needs_the_second_factor(world, staff_client, admin_kabupaten):
    complaint = reach(world, Status.RECEIVED)
    response = staff_client(admin_kabupaten, verified=False).get(detail_url(complaint))
    assert response.status_code == 302
    assert response.url == reverse("kelola:second_factor")


def test_an_opd_that_returned_its_disposition_still_reads_the_history(
    world, staff_client, admin_opd
):
    returned = reach(world, Status.RETURNED)
    html = staff_client(admin_opd).get(detail_url(returned)).content.decode()
    assert "Bukan tupoksi Dinas Kesehatan." in html


# --- identity -------------------------------------------------------------------------------


def test_admin_kabupaten_sees_the_reporter_of_an_anonim_report(
    world, staff_client, admin_kabupaten
):
    complaint = reach(world, Status.DISPOSITIONED, is_anonymous=True)
    html = staff_client(admin_kabupaten).get(detail_url(complaint)).content.decode()
    for value in REPORTER:
        assert value in html
    assert HIDDEN not in html


@pytest.mark.parametrize("persona", ["admin_opd", "pejabat_penghubung"])
def test_opd_roles_do_not_see_the_reporter_of_an_anonim_report(
    request, world, staff_client, persona
):
    text = "Jalan rusak parah di depan rumah saya, hubungi 0812-3456-7890 atau siti@example.test."
    complaint = reach(world, Status.DISPOSITIONED, is_anonymous=True, text=text)
    html = staff_client(request.getfixturevalue(persona)).get(detail_url(complaint))
    html = html.content.decode()
    assert HIDDEN in html
    for value in REPORTER:
        assert value not in html
    # The original text quotes the number: masked for the OPD on an anonim report.
    assert "0812-3456-7890" not in html
    assert "[disamarkan]" in html


def test_what_the_reporter_adds_to_an_anonim_report_is_masked_for_the_opd(
    world, staff_client, admin_opd, admin_kabupaten
):
    from complaints.actors import reporter_actor

    complaint = reach(world, Status.DISPOSITIONED, is_anonymous=True)
    cs.complaint_request_info(
        complaint=complaint, actor=world.ak, question="Di sebelah mana?", now=NOW
    )
    cs.complaint_provide_info(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        text="Depan rumah saya, telepon 0812-3456-7890 kalau bingung.",
        now=NOW,
    )
    html = staff_client(admin_opd).get(detail_url(complaint)).content.decode()
    assert "Depan rumah saya, telepon [disamarkan] kalau bingung." in html
    assert "0812-3456-7890" not in html
    html = staff_client(admin_kabupaten).get(detail_url(complaint)).content.decode()
    assert "0812-3456-7890" in html


def test_opd_roles_see_the_reporter_of_a_report_that_is_not_anonim(
    staff_client, admin_opd, dispositioned
):
    html = staff_client(admin_opd).get(detail_url(dispositioned)).content.decode()
    assert "Siti Aminah" in html
    assert "+6281234567890" in html
    assert HIDDEN not in html


# --- what the page shows --------------------------------------------------------------------


def test_the_header_shows_number_status_channel_flags_priority_and_lapor_id(
    world, staff_client, admin_kabupaten
):
    complaint = reach(world, Status.RECEIVED, priority="urgent", is_secret=True)
    cs.complaint_link_lapor(complaint=complaint, actor=world.ak, lapor_id="1916449", now=NOW)
    html = staff_client(admin_kabupaten).get(detail_url(complaint)).content.decode()
    assert complaint.tracking_number in html
    assert "Diterima" in html
    assert "Situs web" in html
    assert "Rahasia" in html
    assert "Mendesak" in html
    assert "1916449" in html
    assert complaint.text in html  # the original, as written
    assert "Jl. Raya Mejobo No. 5" in html


def test_the_page_shows_the_original_beside_the_public_version(
    staff_client, admin_kabupaten, dispositioned
):
    html = staff_client(admin_kabupaten).get(detail_url(dispositioned)).content.decode()
    assert dispositioned.text in html
    assert "Jalan berlubang di Desa Jepang" in html
    assert "Jalan di depan balai desa berlubang besar." in html


def test_the_page_shows_dispositions_with_their_clocks_and_the_timeline(
    world, staff_client, admin_kabupaten, colleague_opd, dispositioned
):
    disposition = lead_disposition(dispositioned)
    ds.disposition_assign(disposition=disposition, actor=world.ao, assignee=colleague_opd, now=NOW)
    html = staff_client(admin_kabupaten).get(detail_url(dispositioned)).content.decode()
    assert "Dinkes" in html
    assert "utama" in html
    assert "Menunggu diterima" in html
    assert "admin2.dinkes" in html  # the assignee
    # Clocks: the report's verification clock stopped, the OPD's two running with due times.
    assert "Verifikasi dan disposisi" in html
    assert "Tanggapan awal" in html
    assert "Penyelesaian" in html
    assert "08-12-2026 09:00 WIB" in html  # 5 working days after Tuesday 1 Dec 09:00
    # Timeline: every step, who did it and the move.
    for title in ("Laporan masuk", "Diverifikasi", "Disposisi · Dinkes (utama)", "Penugasan"):
        assert title in html
    assert "admin.kabupaten · Admin Kabupaten" in html
    assert "Diterima → Terverifikasi" in html
    assert "Ditugaskan kepada" in html


def test_a_returned_report_shows_the_return_reason(world, staff_client, admin_kabupaten):
    returned = reach(world, Status.RETURNED)
    html = staff_client(admin_kabupaten).get(detail_url(returned)).content.decode()
    assert "Bukan tupoksi Dinas Kesehatan." in html
    assert "Dikembalikan" in html


@pytest.fixture
def two_opds_with_notes(world, dispositioned):
    """A report handled by Dinkes (lead) and DPUPR, each with an internal note and an answer."""
    ds.disposition_create(
        complaint=dispositioned, actor=world.ak, opds=[world.other_opd], lead=None, now=NOW
    )
    ours = lead_disposition(dispositioned)
    theirs = dispositioned.dispositions.get(opd=world.other_opd)
    respond(world, ours, ResponseKind.NOTE, text="Catatan Dinkes: cek anggaran dulu.")
    respond(
        world,
        theirs,
        ResponseKind.NOTE,
        actor=world.other_ao,
        text="Catatan DPUPR: koordinasi dengan kecamatan.",
    )
    ds.disposition_accept(disposition=theirs, actor=world.other_ao, now=NOW)
    respond(
        world, theirs, ResponseKind.INITIAL, actor=world.other_ao, text="DPUPR meninjau lokasi."
    )
    return dispositioned


def test_admin_kabupaten_reads_every_response_with_notes_marked_internal(
    staff_client, admin_kabupaten, two_opds_with_notes
):
    html = staff_client(admin_kabupaten).get(detail_url(two_opds_with_notes)).content.decode()
    assert "Catatan Dinkes: cek anggaran dulu." in html
    assert "Catatan DPUPR: koordinasi dengan kecamatan." in html
    assert "DPUPR meninjau lokasi." in html
    assert "internal" in html


def test_an_opd_reads_its_own_notes_and_every_answer_but_not_another_opds_notes(
    staff_client, admin_opd, other_opd_admin, two_opds_with_notes
):
    ours = staff_client(admin_opd).get(detail_url(two_opds_with_notes)).content.decode()
    assert "Catatan Dinkes: cek anggaran dulu." in ours
    assert "DPUPR meninjau lokasi." in ours  # an answer meant for the reporter
    assert "Catatan DPUPR" not in ours

    theirs = staff_client(other_opd_admin).get(detail_url(two_opds_with_notes)).content.decode()
    assert "Catatan DPUPR: koordinasi dengan kecamatan." in theirs
    assert "Catatan Dinkes" not in theirs


def test_an_opd_role_sees_only_its_own_dispositions(
    staff_client, other_opd_admin, two_opds_with_notes
):
    response = staff_client(other_opd_admin).get(detail_url(two_opds_with_notes))
    rows = response.context["dispositions"]
    assert [row.disposition.opd.short_name for row in rows] == ["DPUPR"]


def test_opd_roles_get_no_admin_kabupaten_panels(staff_client, admin_opd, dispositioned):
    response = staff_client(admin_opd).get(detail_url(dispositioned))
    assert response.context["panels"] == []
    html = response.content.decode()
    assert reverse("kelola:report_escalate", args=[dispositioned.tracking_number]) not in html
    assert 'id="opd-panel"' in html  # where the OPD's own actions go


# --- attachments ----------------------------------------------------------------------------


@pytest.fixture
def with_files(world):
    return reach(world, Status.DISPOSITIONED, attachments=[photo(), pdf()])


def _attachment(complaint, content_type):
    return Attachment.objects.get(complaint=complaint, content_type=content_type)


def test_admin_kabupaten_gets_an_image_inline_with_nosniff(
    staff_client, admin_kabupaten, with_files
):
    image = _attachment(with_files, "image/jpeg")
    response = staff_client(admin_kabupaten).get(reverse("kelola:attachment", args=[image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == image.file.open("rb").read()


def test_a_pdf_is_downloaded_not_shown(staff_client, admin_opd, with_files):
    document = _attachment(with_files, "application/pdf")
    response = staff_client(admin_opd).get(reverse("kelola:attachment", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="surat.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "persona", ["admin_kabupaten", "admin_opd", "pejabat_penghubung", "colleague_opd"]
)
def test_staff_in_scope_get_the_file(request, staff_client, with_files, persona):
    image = _attachment(with_files, "image/jpeg")
    client = staff_client(request.getfixturevalue(persona))
    assert client.get(reverse("kelola:attachment", args=[image.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["other_opd_admin", "other_pejabat_penghubung", "citizen"])
def test_anyone_else_gets_404_for_a_file(request, staff_client, with_files, persona):
    image = _attachment(with_files, "image/jpeg")
    client = staff_client(request.getfixturevalue(persona))
    assert client.get(reverse("kelola:attachment", args=[image.pk])).status_code == 404


def test_the_public_never_gets_a_file(client, with_files):
    image = _attachment(with_files, "image/jpeg")
    response = client.get(reverse("kelola:attachment", args=[image.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("kelola:login"))
    assert not hasattr(response, "streaming_content")


def test_the_file_of_another_opds_internal_note_is_404(
    world, staff_client, admin_opd, other_opd_admin, admin_kabupaten, dispositioned
):
    ds.disposition_create(
        complaint=dispositioned, actor=world.ak, opds=[world.other_opd], lead=None, now=NOW
    )
    theirs = dispositioned.dispositions.get(opd=world.other_opd)
    note = ds.response_add(
        disposition=theirs,
        actor=world.other_ao,
        kind=ResponseKind.NOTE,
        text="Foto internal hasil survei DPUPR.",
        attachments=[photo("survei.jpg")],
        now=NOW,
    )
    url = reverse("kelola:attachment", args=[note.attachments.get().pk])
    assert staff_client(admin_opd).get(url).status_code == 404
    assert staff_client(other_opd_admin).get(url).status_code == 200
    assert staff_client(admin_kabupaten).get(url).status_code == 200


def test_the_page_links_files_through_the_checked_view_only(
    staff_client, admin_kabupaten, with_files
):
    html = staff_client(admin_kabupaten).get(detail_url(with_files)).content.decode()
    image = _attachment(with_files, "image/jpeg")
    assert reverse("kelola:attachment", args=[image.pk]) in html
    assert "/media/" not in html


# --- cost -----------------------------------------------------------------------------------


def _grow(world, complaint, colleague):
    """More of everything the page lists: dispositions, responses, notes, events, files."""
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.other_opd], lead=None, now=NOW
    )
    ours = lead_disposition(complaint)
    theirs = complaint.dispositions.get(opd=world.other_opd)
    ds.disposition_assign(disposition=ours, actor=world.ao, assignee=world.admin_opd, now=NOW)
    for i in range(3):
        respond(world, ours, ResponseKind.NOTE, text=f"Catatan koordinasi nomor {i}.")
        respond(world, theirs, ResponseKind.NOTE, actor=world.other_ao, text=f"Catatan {i} PUPR.")
        ds.response_add(
            disposition=ours,
            actor=world.ao,
            kind=ResponseKind.PROGRESS,
            text=f"Tindak lanjut ke-{i}: perbaikan berjalan.",
            attachments=[photo(f"progres{i}.jpg")],
            now=NOW,
        )


# The page's fixed cost (22 today): session, user, OTP device, staff role, report, identity,
# files, dispositions + clocks, responses + files, events, reference names, assignees' names,
# report clocks, duplicates, and the panels' choices (OPDs, suggestions, institutions). An OPD
# role's page also draws the OPD action panel (disposition/templatetags/opd_panel.py), which
# has its own fixed cost.
OPD_PANEL_QUERIES = 10


@pytest.mark.parametrize(
    ("persona", "budget"), [("admin_kabupaten", 25), ("admin_opd", 25 + OPD_PANEL_QUERIES)]
)
def test_the_page_costs_the_same_queries_however_long_the_history(
    request, world, staff_client, colleague_opd, django_assert_max_num_queries, persona, budget
):
    client = staff_client(request.getfixturevalue(persona))
    complaint = reach(world, Status.RESPONDED, attachments=[photo(), pdf()])
    ds.disposition_assign(
        disposition=lead_disposition(complaint), actor=world.ao, assignee=colleague_opd, now=NOW
    )
    client.get(detail_url(complaint))  # warm the calendar cache
    with django_assert_max_num_queries(budget) as small:
        assert client.get(detail_url(complaint)).status_code == 200
    _grow(world, complaint, colleague_opd)
    with django_assert_max_num_queries(budget) as large:
        assert client.get(detail_url(complaint)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
