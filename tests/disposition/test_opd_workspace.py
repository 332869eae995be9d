"""The OPD workspace (/kelola/opd/, /kelola/disposisi/<id>/…, /kelola/templat-jawaban/): who
sees and does what, each action's flow, refusals that keep what was typed, answer templates,
and the inbox's query count.

Decision tested here: Admin Kabupaten gets 404 on these pages (one OPD's desk); it sees every
disposition on its own inbox and the report page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.actors import actor_for_user
from complaints.models import Attachment, Event, OutboxState, Status
from disposition import services as ds
from disposition.models import (
    AnswerTemplate,
    Disposition,
    DispositionStatus,
    Response,
    ResponseKind,
    SlaClock,
    StaffRole,
    Visibility,
)
from tests.builders import lead_disposition, photo, reach, respond
from tests.conftest import NOW
from tests.factories import OPDFactory, StaffRoleFactory

D = DispositionStatus
INBOX = reverse("kelola:opd_inbox")
TEMPLATES = reverse("kelola:answer_templates")
ANSWER = "Petugas kami sudah meninjau lokasi dan menjadwalkan perbaikan pekan depan."


# --- helpers ------------------------------------------------------------------------------


def action_url(name: str, disposition: Disposition) -> str:
    return reverse(f"kelola:opd_{name}", args=[disposition.pk])


def detail_url(disposition: Disposition) -> str:
    return reverse("kelola:report_detail", args=[disposition.complaint.tracking_number])


def text_of(response) -> str:
    return response.content.decode()


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def snapshot(disposition: Disposition) -> tuple:
    """Everything an action could change, to assert that a refusal changed nothing."""
    disposition.refresh_from_db()
    complaint = disposition.complaint
    complaint.refresh_from_db()
    return (
        disposition.status,
        disposition.assigned_to_id,
        complaint.status,
        Event.objects.filter(complaint=complaint).count(),
        Response.objects.filter(complaint=complaint).count(),
    )


def without_admin(world) -> None:
    """The OPD loses its only Admin OPD: its Pejabat Penghubung now acts in its place."""
    StaffRole.objects.filter(opd=world.opd, role="admin_opd").update(is_active=False)


@pytest.fixture
def waiting(world):
    return lead_disposition(reach(world, Status.DISPOSITIONED))


@pytest.fixture
def accepted(world, waiting):
    ds.disposition_accept(disposition=waiting, actor=world.ao, now=NOW)
    waiting.refresh_from_db()
    return waiting


@pytest.fixture
def responded(world, accepted):
    respond(world, accepted, ResponseKind.INITIAL)
    accepted.refresh_from_db()
    return accepted


@pytest.fixture
def persona(
    world,
    citizen,
    colleague_opd,
    other_pejabat_penghubung,
):
    """persona(name) → the user of that persona (None: anonymous)."""
    users = {
        "anonymous": None,
        "citizen": citizen,
        "admin_kabupaten": world.admin_kabupaten,
        "admin_opd": world.admin_opd,
        "colleague": colleague_opd,
        "pejabat_penghubung": world.pejabat_penghubung,
        "other_opd_admin": world.other_opd_admin,
        "other_pejabat_penghubung": other_pejabat_penghubung,
    }
    return users.__getitem__


@pytest.fixture
def client_as(staff_client, persona, client):
    def make(name):
        user = persona(name)
        if user is None:
            return client
        return staff_client(user)

    return make


# --- the inbox: who sees it ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected", "sees_report"),
    [
        ("anonymous", 302, False),
        ("citizen", 404, False),
        ("admin_kabupaten", 404, False),
        ("admin_opd", 200, True),
        ("colleague", 200, True),
        ("pejabat_penghubung", 200, True),
        ("other_opd_admin", 200, False),
        ("other_pejabat_penghubung", 200, False),
    ],
)
def test_opd_inbox_shows_only_the_own_opds_dispositions(
    client_as, waiting, who, expected, sees_report
):
    response = client_as(who).get(INBOX)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("kelola:login"))
    number = waiting.complaint.tracking_number
    assert (number in text_of(response)) is sees_report


def test_opd_inbox_row_shows_the_disposition_at_a_glance(client_as, world, waiting):
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        page = text_of(client_as("admin_opd").get(INBOX))
    complaint = waiting.complaint
    assert reverse("kelola:report_detail", args=[complaint.tracking_number]) in page
    assert complaint.public_title in page
    assert complaint.category.name in page
    assert complaint.desa.name in page
    assert "Utama" in page
    assert "Belum ditugaskan" in page
    # Both clocks, each with its state and due time.
    assert "Tanggapan awal" in page
    assert "Penyelesaian" in page
    assert "Tepat waktu" in page
    assert "WIB" in page


def test_opd_inbox_shows_an_overdue_clock(client_as, waiting):
    with time_machine.travel(NOW + timedelta(days=14), tick=False):
        page = text_of(client_as("admin_opd").get(INBOX))
    assert "Melewati batas waktu" in page


def test_opd_inbox_queues_sort_dispositions_by_status(client_as, world, waiting):
    accepted_one = lead_disposition(reach(world, Status.RESPONDED))
    finished_one = lead_disposition(reach(world, Status.FINISHED))
    returned_one = reach(world, Status.RETURNED).dispositions.get()
    client = client_as("admin_opd")
    queues = {
        "menunggu": waiting,
        "ditangani": accepted_one,
        "selesai": finished_one,
        "dikembalikan": returned_one,
    }
    for queue, expected in queues.items():
        page = text_of(client.get(INBOX, {"antrian": queue}))
        for other in queues.values():
            number = other.complaint.tracking_number
            assert (number in page) is (other == expected), (queue, number)
    assert returned_one.return_reason in text_of(client.get(INBOX, {"antrian": "dikembalikan"}))


def test_opd_inbox_filters_what_is_assigned_to_me(client_as, world, waiting, colleague_opd):
    mine = lead_disposition(reach(world, Status.DISPOSITIONED))
    ds.disposition_assign(disposition=mine, actor=world.ao, assignee=world.admin_opd, now=NOW)
    ds.disposition_assign(disposition=waiting, actor=world.ao, assignee=colleague_opd, now=NOW)
    page = text_of(client_as("admin_opd").get(INBOX, {"saya": "1"}))
    assert mine.complaint.tracking_number in page
    assert waiting.complaint.tracking_number not in page
    page = text_of(client_as("admin_opd").get(INBOX))
    assert mine.complaint.tracking_number in page
    assert waiting.complaint.tracking_number in page


def test_opd_inbox_pages_by_keyset(client_as, world, monkeypatch):
    from disposition import selectors

    monkeypatch.setattr(selectors, "OPD_PAGE_SIZE", 3)
    numbers = [
        lead_disposition(reach(world, Status.DISPOSITIONED)).complaint.tracking_number
        for _ in range(4)
    ]
    client = client_as("admin_opd")
    page = client.get(INBOX).context["page"]
    # The oldest first: the most urgent work on top.
    assert [r.complaint.tracking_number for r in page.rows] == numbers[:3]
    assert page.previous_cursor is None
    assert page.next_cursor
    second = client.get(INBOX, {"setelah": page.next_cursor}).context["page"]
    assert [r.complaint.tracking_number for r in second.rows] == numbers[3:]
    assert second.next_cursor is None
    back = client.get(INBOX, {"sebelum": second.previous_cursor}).context["page"]
    assert [r.complaint.tracking_number for r in back.rows] == numbers[:3]
    # A malformed cursor is the first page, not an error.
    assert client.get(INBOX, {"setelah": "x'; --"}).status_code == 200


def test_pejabat_penghubung_reads_the_inbox_with_a_read_only_notice(client_as, waiting):
    page = text_of(client_as("pejabat_penghubung").get(INBOX))
    assert waiting.complaint.tracking_number in page
    assert "hanya baca" in page
    assert "Ditugaskan ke saya" not in page


def test_pejabat_penghubung_is_told_when_acting_in_place(client_as, world, waiting):
    without_admin(world)
    page = text_of(client_as("pejabat_penghubung").get(INBOX))
    assert "Anda bertindak sebagai pengganti Admin OPD" in page


def _disposition_rows(world, count):
    for index in range(count):
        disposition = lead_disposition(reach(world, Status.DISPOSITIONED))
        if index % 2:
            ds.disposition_assign(
                disposition=disposition, actor=world.ao, assignee=world.admin_opd, now=NOW
            )


def test_opd_inbox_query_count_does_not_grow_with_rows(client_as, world):
    client = client_as("admin_opd")
    _disposition_rows(world, 5)
    client.get(INBOX)  # warm the calendar cache and the session
    with CaptureQueriesContext(connection) as five:
        assert client.get(INBOX).status_code == 200
    _disposition_rows(world, 25)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(INBOX)
    assert len(response.context["page"].rows) == 25
    assert len(thirty) == len(five), [q["sql"] for q in thirty.captured_queries]


def test_opd_inbox_query_count_is_pinned(client_as, world, django_assert_max_num_queries):
    client = client_as("admin_opd")
    _disposition_rows(world, 30)
    client.get(INBOX)
    # session, user, staff role, the OPD in the header, counts, rows, clocks.
    with django_assert_max_num_queries(8):
        client.get(INBOX)


# --- actions: who may act -----------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["citizen", "admin_kabupaten", "other_opd_admin", "other_pejabat_penghubung"]
)
@pytest.mark.parametrize("name", ["accept", "return", "assign", "request_info", "respond", "note"])
def test_outsiders_get_404_on_every_action_and_nothing_changes(
    client_as, waiting, colleague_opd, who, name
):
    before = snapshot(waiting)
    client = client_as(who)
    assert client.get(action_url(name, waiting)).status_code == 404
    data = {
        "reason": "Bukan tupoksi kami.",
        "assignee": colleague_opd.pk,
        "question": "Mohon kirim foto lokasi.",
        "kind": "initial",
        "text": ANSWER,
        "visibility": "public",
    }
    assert client.post(action_url(name, waiting), data).status_code == 404
    assert snapshot(waiting) == before


@pytest.mark.parametrize("name", ["accept", "return", "assign", "request_info", "respond", "note"])
def test_anonymous_is_sent_to_the_staff_login_by_every_action(client, waiting, name):
    before = snapshot(waiting)
    response = client.post(action_url(name, waiting), {"text": ANSWER, "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("kelola:login"))
    assert snapshot(waiting) == before


def test_an_unknown_disposition_is_404(client_as):
    assert (
        client_as("admin_opd").get(reverse("kelola:opd_accept", args=[999999])).status_code == 404
    )


def test_pejabat_penghubung_cannot_act_while_the_opd_has_an_admin(client_as, waiting):
    before = snapshot(waiting)
    client = client_as("pejabat_penghubung")
    response = client.post(action_url("accept", waiting))
    assert response.status_code == 200
    assert "memiliki Admin OPD aktif" in text_of(response)
    response = client.post(action_url("note", waiting), {"text": ANSWER})
    assert "memiliki Admin OPD aktif" in text_of(response)
    assert ANSWER in text_of(response)
    assert snapshot(waiting) == before


def test_pejabat_penghubung_acts_in_place_when_the_opd_has_no_admin(client_as, world, waiting):
    without_admin(world)
    client = client_as("pejabat_penghubung")
    response = client.post(action_url("accept", waiting))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == D.ACCEPTED
    event = Event.objects.get(disposition=waiting, action="accept")
    assert event.data["in_place_of_admin_opd"] is True
    assert event.actor == world.pejabat_penghubung
    response = client.post(
        action_url("respond", waiting),
        {"kind": "initial", "text": ANSWER, "visibility": "public"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == D.RESPONDED


def test_a_colleague_of_the_same_opd_acts(client_as, waiting, colleague_opd):
    response = client_as("colleague").post(action_url("accept", waiting))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == D.ACCEPTED


# --- actions: flows -----------------------------------------------------------------------


def test_admin_opd_accepts(client_as, waiting):
    client = client_as("admin_opd")
    assert "Terima disposisi" in text_of(client.get(action_url("accept", waiting)))
    response = client.post(action_url("accept", waiting))
    assert response.status_code == 302
    assert response["Location"] == detail_url(waiting)
    assert any("diterima" in m for m in flash(response))
    waiting.refresh_from_db()
    assert waiting.status == D.ACCEPTED


def test_accepting_twice_shows_why_not(client_as, accepted):
    before = snapshot(accepted)
    response = client_as("admin_opd").post(action_url("accept", accepted))
    assert response.status_code == 200
    assert "tidak dapat dilakukan pada status" in text_of(response)
    assert snapshot(accepted) == before


def test_returning_needs_a_reason_and_keeps_nothing_half_done(client_as, waiting):
    before = snapshot(waiting)
    response = client_as("admin_opd").post(action_url("return", waiting), {"reason": "  "})
    assert response.status_code == 200
    assert "Alasan pengembalian wajib diisi." in text_of(response)
    assert snapshot(waiting) == before


def test_admin_opd_returns_with_a_reason(client_as, waiting):
    reason = "Bukan tupoksi Dinas Kesehatan: jalan desa kewenangan DPUPR."
    response = client_as("admin_opd").post(action_url("return", waiting), {"reason": reason})
    assert response.status_code == 302
    assert any("dikembalikan" in m for m in flash(response))
    waiting.refresh_from_db()
    assert waiting.status == D.RETURNED
    assert waiting.return_reason == reason
    assert waiting.complaint.status == Status.RETURNED


def test_a_return_after_accepting_is_refused_with_the_reason_kept(client_as, accepted):
    before = snapshot(accepted)
    reason = "Ternyata bukan kewenangan kami."
    response = client_as("admin_opd").post(action_url("return", accepted), {"reason": reason})
    assert response.status_code == 200
    page = text_of(response)
    assert "tidak dapat dilakukan pada status" in page
    assert reason in page
    assert snapshot(accepted) == before


def test_admin_opd_assigns_a_colleague_or_a_sub_unit(client_as, world, waiting, colleague_opd):
    sub_unit = OPDFactory(name="UPTD Puskesmas Mejobo", short_name="PKM Mejobo", parent=world.opd)
    puskesmas = StaffRoleFactory(user__username="admin.pkm", role="admin_opd", opd=sub_unit).user
    client = client_as("admin_opd")
    page = text_of(client.get(action_url("assign", waiting)))
    assert "admin2.dinkes" in page
    assert "admin.pkm" in page
    assert "PKM Mejobo" in page
    assert "admin.pupr" not in page
    response = client.post(action_url("assign", waiting), {"assignee": colleague_opd.pk})
    assert response.status_code == 302
    assert any("ditugaskan kepada admin2.dinkes" in m for m in flash(response))
    waiting.refresh_from_db()
    assert waiting.assigned_to == colleague_opd
    client.post(action_url("assign", waiting), {"assignee": puskesmas.pk})
    waiting.refresh_from_db()
    assert waiting.assigned_to == puskesmas


def test_assigning_someone_of_another_opd_is_refused_by_the_service(client_as, world, waiting):
    before = snapshot(waiting)
    response = client_as("admin_opd").post(
        action_url("assign", waiting), {"assignee": world.other_opd_admin.pk}
    )
    assert response.status_code == 200
    assert "Petugas bukan Admin OPD aktif pada OPD ini." in text_of(response)
    assert snapshot(waiting) == before


def test_admin_opd_asks_the_reporter_and_the_clocks_pause(client_as, accepted):
    question = "Mohon kirim foto lokasi dan patokan terdekat."
    response = client_as("admin_opd").post(
        action_url("request_info", accepted), {"question": question}
    )
    assert response.status_code == 302
    assert any("dijeda" in m for m in flash(response))
    complaint = accepted.complaint
    complaint.refresh_from_db()
    assert complaint.status == Status.WAITING_REPORTER
    assert not SlaClock.objects.filter(disposition=accepted, state="running").exists()
    assert Event.objects.get(complaint=complaint, action="request_info").reason == question


def test_asking_while_already_waiting_is_refused_with_the_question_kept(client_as, world, accepted):
    client = client_as("admin_opd")
    client.post(action_url("request_info", accepted), {"question": "Foto lokasi, mohon."})
    before = snapshot(accepted)
    question = "Sekalian alamat lengkapnya."
    response = client.post(action_url("request_info", accepted), {"question": question})
    assert response.status_code == 200
    assert "tidak dapat dilakukan pada status" in text_of(response)
    assert question in text_of(response)
    assert snapshot(accepted) == before


def test_initial_response_with_attachments(client_as, accepted):
    response = client_as("admin_opd").post(
        action_url("respond", accepted),
        {
            "kind": "initial",
            "text": ANSWER,
            "visibility": "public",
            "attachments": [photo("a.jpg"), photo("b.jpg")],
        },
    )
    assert response.status_code == 302
    assert any("Tanggapan awal terkirim" in m for m in flash(response))
    accepted.refresh_from_db()
    assert accepted.status == D.RESPONDED
    answer = Response.objects.get(disposition=accepted)
    assert (answer.kind, answer.visibility, answer.text) == ("initial", "public", ANSWER)
    assert Attachment.objects.filter(response=answer).count() == 2
    assert accepted.complaint.status == Status.RESPONDED


def test_too_many_attachments_are_refused_by_the_service_with_the_text_kept(
    client_as, accepted, settings
):
    settings.ATTACHMENT_MAX_COUNT = 2
    before = snapshot(accepted)
    response = client_as("admin_opd").post(
        action_url("respond", accepted),
        {
            "kind": "initial",
            "text": ANSWER,
            "visibility": "public",
            "attachments": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")],
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Lampiran maksimal 2 berkas." in page
    assert ANSWER in page
    assert "pilih ulang lampiran" in page
    assert snapshot(accepted) == before


def test_a_short_response_is_refused_with_the_text_kept(client_as, accepted):
    before = snapshot(accepted)
    response = client_as("admin_opd").post(
        action_url("respond", accepted),
        {"kind": "initial", "text": "Oke siap", "visibility": "public"},
    )
    assert response.status_code == 200
    assert "Tanggapan minimal 10 karakter." in text_of(response)
    assert "Oke siap" in text_of(response)
    assert snapshot(accepted) == before


def test_responding_before_accepting_is_refused_with_the_text_kept(client_as, waiting):
    before = snapshot(waiting)
    response = client_as("admin_opd").post(
        action_url("respond", waiting), {"kind": "initial", "text": ANSWER, "visibility": "public"}
    )
    assert response.status_code == 200
    assert "tidak dapat dilakukan pada status “Menunggu diterima”" in text_of(response)
    assert ANSWER in text_of(response)
    assert snapshot(waiting) == before


def test_a_rahasia_report_is_answered_to_the_reporter_only(client_as, world):
    secret = lead_disposition(reach(world, Status.DISPOSITIONED, is_secret=True))
    ds.disposition_accept(disposition=secret, actor=world.ao, now=NOW)
    client = client_as("admin_opd")
    page = text_of(client.get(action_url("respond", secret)))
    assert 'value="public"' not in page
    before = snapshot(secret)
    response = client.post(
        action_url("respond", secret), {"kind": "initial", "text": ANSWER, "visibility": "public"}
    )
    assert "Visibilitas tidak sesuai untuk tanggapan ini." in text_of(response)
    assert ANSWER in text_of(response)
    assert snapshot(secret) == before
    client.post(
        action_url("respond", secret), {"kind": "initial", "text": ANSWER, "visibility": "reporter"}
    )
    assert Response.objects.get(disposition=secret).visibility == Visibility.REPORTER


def test_follow_up_then_final_follow_up(client_as, responded):
    client = client_as("admin_opd")
    page = text_of(client.get(action_url("respond", responded)))
    assert 'value="progress"' in page
    assert 'value="final"' in page
    assert 'value="initial"' not in page
    progress = "Perbaikan sudah dimulai hari ini, selesai dalam tiga hari kerja."
    response = client.post(
        action_url("respond", responded),
        {"kind": "progress", "text": progress, "visibility": "public"},
    )
    assert response.status_code == 302
    assert any("Tindak lanjut terkirim" in m for m in flash(response))
    responded.refresh_from_db()
    assert responded.status == D.RESPONDED
    final = "Perbaikan selesai; jalan sudah dapat dilalui dengan aman."
    response = client.post(
        action_url("respond", responded), {"kind": "final", "text": final, "visibility": "public"}
    )
    assert response.status_code == 302
    assert any("Tindak lanjut akhir terkirim" in m for m in flash(response))
    responded.refresh_from_db()
    assert responded.status == D.FINISHED
    assert responded.complaint.status == Status.FINISHED
    kinds = list(Response.objects.filter(disposition=responded).values_list("kind", flat=True))
    assert kinds == ["initial", "progress", "final"]


def test_a_follow_up_before_the_initial_response_is_refused(client_as, accepted):
    before = snapshot(accepted)
    response = client_as("admin_opd").post(
        action_url("respond", accepted),
        {"kind": "progress", "text": ANSWER, "visibility": "public"},
    )
    assert response.status_code == 200
    assert "Tindak lanjut hanya dapat dikirim setelah tanggapan awal" in text_of(response)
    assert snapshot(accepted) == before


def test_internal_note_is_never_for_the_reporter(client_as, waiting):
    note = "Koordinasi dengan Puskesmas Mejobo sebelum survei lokasi."
    response = client_as("admin_opd").post(action_url("note", waiting), {"text": note})
    assert response.status_code == 302
    assert any("tidak pernah ditampilkan kepada pelapor" in m for m in flash(response))
    saved = Response.objects.get(disposition=waiting)
    assert (saved.kind, saved.visibility, saved.text) == ("note", "internal", note)
    event = Event.objects.get(disposition=waiting, action="note")
    assert event.notify_state == OutboxState.NONE
    waiting.refresh_from_db()
    assert waiting.status == D.WAITING


def test_a_returned_disposition_offers_no_action(client_as, world):
    returned = reach(world, Status.RETURNED).dispositions.get()
    page = text_of(client_as("admin_opd").get(action_url("note", returned)))
    assert "Tindakan ini tidak tersedia" in page
    assert "<textarea" not in page


# --- the panel on the report page ---------------------------------------------------------

PANEL = Template('{% include "disposition/report/_opd_actions.html" %}')


def render_panel(user, disposition, *, refresh=True) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.actor = actor_for_user(user)
    complaint = disposition.complaint
    if refresh:
        complaint.refresh_from_db()
    return PANEL.render(Context({"request": request, "complaint": complaint, "csrf_token": "t"}))


def test_panel_offers_accept_and_return_on_a_waiting_disposition(world, waiting):
    page = render_panel(world.admin_opd, waiting)
    assert action_url("accept", waiting) in page
    assert action_url("return", waiting) in page
    assert action_url("assign", waiting) in page
    assert action_url("note", waiting) in page
    assert action_url("respond", waiting) not in page


def test_panel_offers_the_initial_response_once_accepted(world, accepted):
    AnswerTemplate.objects.create(opd=world.opd, title="Survei lokasi", text=ANSWER)
    page = render_panel(world.admin_opd, accepted)
    assert action_url("accept", accepted) not in page
    assert action_url("return", accepted) not in page
    assert action_url("respond", accepted) in page
    assert 'name="kind" value="initial"' in page
    assert "Gunakan templat" in page
    assert "Survei lokasi" in page
    assert action_url("request_info", accepted) in page


def test_panel_offers_follow_up_and_final_once_responded(world, responded):
    page = render_panel(world.admin_opd, responded)
    assert 'value="progress"' in page
    assert 'value="final"' in page
    assert 'value="initial"' not in page


def test_panel_is_read_only_for_pejabat_penghubung_while_an_admin_exists(world, waiting):
    page = render_panel(world.pejabat_penghubung, waiting)
    assert "hanya baca" in page
    assert "<form" not in page
    assert waiting.opd.short_name in page


def test_panel_lets_pejabat_penghubung_act_when_the_opd_has_no_admin(world, waiting):
    without_admin(world)
    page = render_panel(world.pejabat_penghubung, waiting)
    assert "Anda bertindak sebagai pengganti Admin OPD" in page
    assert action_url("accept", waiting) in page
    # Nobody is left to assign the disposition to.
    assert action_url("assign", waiting) not in page


@pytest.mark.parametrize("who", ["admin_kabupaten", "other_opd_admin", "other_pejabat_penghubung"])
def test_panel_shows_nothing_outside_the_opd(persona, waiting, who):
    assert render_panel(persona(who), waiting).strip() == ""


def test_panel_query_count_is_constant(world, responded, django_assert_max_num_queries):
    render_panel(world.admin_opd, responded)
    # dispositions, clocks, colleagues, templates (an Admin OPD needs no admin check).
    with django_assert_max_num_queries(4):
        render_panel(world.admin_opd, responded, refresh=False)


# --- answer templates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("admin_kabupaten", 404),
        ("admin_opd", 200),
        ("pejabat_penghubung", 200),
        ("other_opd_admin", 200),
    ],
)
def test_answer_templates_page_by_persona(client_as, world, who, expected):
    AnswerTemplate.objects.create(opd=world.opd, title="Survei lokasi", text=ANSWER)
    response = client_as(who).get(TEMPLATES)
    assert response.status_code == expected
    assert ("Survei lokasi" in text_of(response)) is (who in ("admin_opd", "pejabat_penghubung"))


def test_answer_templates_create_edit_deactivate(client_as, world):
    client = client_as("admin_opd")
    response = client.post(
        reverse("kelola:answer_template_create"), {"title": "Survei  lokasi", "text": ANSWER}
    )
    assert response.status_code == 302
    template = AnswerTemplate.objects.get()
    assert (template.opd, template.title, template.created_by) == (
        world.opd,
        "Survei lokasi",
        world.admin_opd,
    )
    # Same title again: refused, input kept.
    response = client.post(
        reverse("kelola:answer_template_create"), {"title": "survei lokasi", "text": "Lain lagi."}
    )
    assert "sudah memiliki templat dengan judul ini" in text_of(response)
    assert "Lain lagi." in text_of(response)
    edit = reverse("kelola:answer_template_edit", args=[template.pk])
    response = client.post(edit, {"title": "Survei lokasi", "text": "Teks baru templat."})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == "Teks baru templat."
    status = reverse("kelola:answer_template_active", args=[template.pk])
    client.post(status, {"aktif": "0"})
    template.refresh_from_db()
    assert template.is_active is False
    client.post(status, {"aktif": "1"})
    template.refresh_from_db()
    assert template.is_active is True


def test_pejabat_penghubung_manages_the_opds_templates(client_as, world):
    response = client_as("pejabat_penghubung").post(
        reverse("kelola:answer_template_create"), {"title": "Salam pembuka", "text": ANSWER}
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get().opd == world.opd


@pytest.mark.parametrize("who", ["other_opd_admin", "other_pejabat_penghubung"])
def test_another_opds_templates_are_404_and_unchanged(client_as, world, who):
    template = AnswerTemplate.objects.create(opd=world.opd, title="Survei lokasi", text=ANSWER)
    client = client_as(who)
    edit = reverse("kelola:answer_template_edit", args=[template.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"title": "Diubah", "text": "Diubah orang lain."}).status_code == 404
    status = reverse("kelola:answer_template_active", args=[template.pk])
    assert client.post(status, {"aktif": "0"}).status_code == 404
    template.refresh_from_db()
    assert (template.title, template.text, template.is_active) == ("Survei lokasi", ANSWER, True)


def test_a_template_prefills_the_response_without_javascript(client_as, world, accepted):
    own = AnswerTemplate.objects.create(opd=world.opd, title="Survei lokasi", text=ANSWER)
    theirs = AnswerTemplate.objects.create(
        opd=world.other_opd, title="Milik DPUPR", text="Teks templat milik OPD lain."
    )
    client = client_as("admin_opd")
    page = text_of(client.get(action_url("respond", accepted), {"templat": own.pk}))
    assert f"{ANSWER}</textarea>" in page
    page = text_of(client.get(action_url("respond", accepted), {"templat": theirs.pk}))
    assert "Teks templat milik OPD lain." not in page
    assert "Milik DPUPR" not in page


def test_a_deactivated_template_is_not_offered(client_as, world, accepted):
    AnswerTemplate.objects.create(opd=world.opd, title="Lama", text=ANSWER, is_active=False)
    page = text_of(client_as("admin_opd").get(action_url("respond", accepted)))
    assert "Gunakan templat" not in page
