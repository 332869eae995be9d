"""The back-office's main journeys in a real browser at 1366×768 (issue 4, browser tests).

Admin Kabupaten logs in with password + TOTP code, verifies a new report (writing its public
version) and dispositions it; the Admin OPD accepts, answers and finishes; the reporter reads
the answer on the tracking page. And a misrouted disposition: returned with a reason by the
wrong OPD, re-dispositioned by Admin Kabupaten to the right one.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from complaints.models import Complaint, Status
from disposition.models import DispositionStatus, ResponseKind
from tests.browser.test_staff_security import log_in
from tests.builders import reach, submit

pytestmark = pytest.mark.django_db(transaction=True)

INBOX = "/kelola/kotak-masuk/"
OPD_INBOX = "/kelola/opd/"
PUBLIC_TITLE = "Jalan berlubang di depan balai desa Jepang"
PUBLIC_TEXT = "Jalan di depan balai desa Jepang berlubang besar dan membahayakan pengendara."
INITIAL = "Laporan diterima; tim Dinkes meninjau lokasi minggu ini."
FINAL = "Lubang sudah ditambal pada 2 Desember; terima kasih atas laporannya."
RETURN_REASON = "Kerusakan jalan bukan tupoksi DPUPR di sini: lokasi di halaman puskesmas (Dinkes)."


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.RATELIMIT_CACHE_PREFIX = f"rl-browser-{uuid.uuid4().hex}:"


def _log_in_with_totp(page, user, next_url):
    """Password, then the code an authenticator app holding the confirmed device's key shows."""
    device = TOTPDevice.objects.create(user=user, name="Ponsel", confirmed=True)
    log_in(page, user.username, next_url=next_url)
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.get_by_label("Kode verifikasi").fill(f"{totp.token():0{device.digits}d}")
    page.get_by_role("button", name="Verifikasi dan masuk").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + r"$"))


def _open_from_inbox(page, inbox_url, number, *, tab=None):
    page.goto(inbox_url)
    if tab:
        page.get_by_role("link", name=re.compile(rf"^{tab}\b")).click()
    page.get_by_role("link", name=number, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/kelola/laporan/{number}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def _disposition_to(page, opd):
    panel = page.locator("#panel-disposition")
    panel.get_by_label("OPD utama").select_option(str(opd.pk))
    panel.get_by_label("Catatan disposisi").fill("Mohon ditindaklanjuti.")
    panel.get_by_role("button", name="Disposisikan").click()


def test_verify_disposition_accept_answer_finish_and_the_reporter_reads_it(new_page, world):
    complaint, code = submit(world)
    number = complaint.tracking_number

    # Admin Kabupaten: inbox → report → verify with a public version → disposition to Dinkes.
    kab = new_page()
    _log_in_with_totp(kab, world.admin_kabupaten, INBOX)
    expect(kab.get_by_role("link", name=number, exact=True)).to_be_visible()
    _open_from_inbox(kab, INBOX, number)
    verify = kab.locator("#panel-verify")
    verify.get_by_label("Klasifikasi").select_option(str(world.classification.pk))
    verify.get_by_label("Kategori").select_option(str(world.category.pk))
    verify.get_by_label("Judul publik").fill(PUBLIC_TITLE)
    verify.get_by_label("Isi publik").fill(PUBLIC_TEXT)
    verify.get_by_role("button", name="Verifikasi laporan").click()
    expect(kab.locator(".messages")).to_be_visible()
    expect(kab.locator("#panel-disposition")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert (complaint.public_title, complaint.public_text) == (PUBLIC_TITLE, PUBLIC_TEXT)

    _disposition_to(kab, world.opd)
    expect(kab.locator(".messages")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSITIONED
    disposition = complaint.dispositions.get()
    assert (disposition.opd, disposition.is_lead) == (world.opd, True)
    assert disposition.status == DispositionStatus.WAITING

    # Admin OPD of Dinkes (no second factor): OPD inbox → report → accept → answer → finish.
    opd = new_page()
    log_in(opd, world.admin_opd.username, next_url=OPD_INBOX)
    expect(opd).to_have_url(re.compile(re.escape(OPD_INBOX) + r"$"))
    _open_from_inbox(opd, OPD_INBOX, number)
    panel = opd.locator("#opd-actions")
    expect(panel).to_contain_text("Menunggu diterima")
    panel.get_by_role("button", name="Terima disposisi").click()
    expect(opd.locator(".messages")).to_be_visible()
    disposition.refresh_from_db()
    assert disposition.status == DispositionStatus.ACCEPTED

    panel = opd.locator("#opd-actions")
    expect(panel.get_by_role("heading", name="Kirim tanggapan awal")).to_be_visible()
    panel.get_by_label("Isi tanggapan").fill(INITIAL)
    panel.get_by_role("button", name="Kirim tanggapan").click()
    expect(opd.locator(".messages")).to_be_visible()
    complaint.refresh_from_db()
    disposition.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert disposition.status == DispositionStatus.RESPONDED

    panel = opd.locator("#opd-actions")
    expect(panel.get_by_role("heading", name="Kirim tindak lanjut")).to_be_visible()
    panel.get_by_label(str(ResponseKind.FINAL.label), exact=True).check()
    panel.get_by_label("Isi tanggapan").fill(FINAL)
    panel.get_by_role("button", name="Kirim tanggapan").click()
    expect(opd.locator(".messages")).to_be_visible()
    expect(opd.locator("#opd-actions")).to_contain_text("Selesai")
    complaint.refresh_from_db()
    disposition.refresh_from_db()
    assert complaint.status == Status.FINISHED
    assert disposition.status == DispositionStatus.FINISHED
    assert list(disposition.responses.order_by("created_at").values_list("kind", "text")) == [
        (ResponseKind.INITIAL, INITIAL),
        (ResponseKind.FINAL, FINAL),
    ]

    # Admin Kabupaten sees it finished in the inbox.
    kab.goto(INBOX)
    kab.get_by_role("link", name="Semua").click()
    expect(kab.locator("tr", has_text=number)).to_contain_text("Selesai")

    # The reporter, with number + access code, reads the final answer.
    reporter = new_page()
    reporter.goto("/lacak/")
    reporter.get_by_label("Nomor pelacakan").fill(number)
    reporter.get_by_label("Kode akses").fill(code)
    reporter.get_by_role("button", name="Lihat laporan").click()
    reporter.wait_for_url(f"**/lacak/{number}/")
    expect(reporter.locator(".track-head .badge")).to_have_text("Selesai")
    expect(reporter.locator("main")).to_contain_text(FINAL)
    expect(reporter.locator("main")).to_contain_text(INITIAL)


def test_misrouted_disposition_is_returned_then_redispositioned(new_page, world):
    # Dispositioned through the services to the wrong OPD (DPUPR) as lead.
    from disposition import services as ds

    complaint = reach(world, Status.VERIFIED)
    number = complaint.tracking_number
    ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.other_opd],
        lead=world.other_opd,
        now=world.now,
    )

    wrong = new_page()
    log_in(wrong, world.other_opd_admin.username, next_url=OPD_INBOX)
    _open_from_inbox(wrong, OPD_INBOX, number)
    panel = wrong.locator("#opd-actions")
    panel.get_by_text("Kembalikan ke Admin Kabupaten").click()
    panel.get_by_label("Alasan pengembalian").fill(RETURN_REASON)
    panel.get_by_role("button", name="Kembalikan disposisi").click()
    expect(wrong.locator(".messages")).to_be_visible()
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == Status.RETURNED
    returned = complaint.dispositions.get()
    assert (returned.status, returned.return_reason) == (DispositionStatus.RETURNED, RETURN_REASON)

    kab = new_page()
    _log_in_with_totp(kab, world.admin_kabupaten, INBOX)
    kab.get_by_role("link", name=re.compile(r"^Dikembalikan\b")).click()
    expect(kab.locator("tr", has_text=number)).to_contain_text("dikembalikan DPUPR")
    _open_from_inbox(kab, INBOX, number, tab="Dikembalikan")
    expect(kab.get_by_role("heading", name="Disposisi ulang")).to_be_visible()
    expect(kab.locator("#panel-disposition")).to_contain_text(RETURN_REASON)
    _disposition_to(kab, world.opd)
    expect(kab.locator(".messages")).to_be_visible()

    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSITIONED
    live = complaint.dispositions.exclude(status=DispositionStatus.RETURNED).get()
    assert (live.opd, live.is_lead, live.status) == (world.opd, True, DispositionStatus.WAITING)

    # The right OPD now finds it waiting in its inbox.
    right = new_page()
    log_in(right, world.admin_opd.username, next_url=OPD_INBOX)
    expect(right.get_by_role("link", name=number, exact=True)).to_be_visible()


def test_clicking_a_number_in_the_opd_inbox_opens_the_report(new_page, world):
    number = reach(world, Status.DISPOSITIONED).tracking_number
    page = new_page()
    log_in(page, world.admin_opd.username, next_url=OPD_INBOX)
    page.get_by_role("link", name=number, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/kelola/laporan/{number}/"))
    expect(page.locator("#opd-actions")).to_be_visible(timeout=3_000)
