"""A citizen's journeys through the website in a real browser (Chromium, JavaScript on):
filing a report with a photo and finding it again with nothing but the two codes, a bad
submission that is explained and keeps everything typed, and reading and rating the OPD's
answer.

State the citizen does not make in the browser is made through the services
(tests/builders.py). The live server runs in this process, so the ``settings`` fixture applies
to it too.
"""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import urlparse

import pytest
from django.utils import formats, timezone, translation
from PIL import Image
from playwright.sync_api import expect

from complaints.models import Attachment, Complaint, Rating, Reporter, Status
from complaints.selectors import tracking_view
from disposition import services as ds
from disposition.models import ResponseKind
from tests.browser.conftest import PHONE
from tests.builders import jpeg_bytes, lead_disposition, respond, submit, verify
from tests.factories import CategoryFactory, ClassificationFactory, DesaFactory, KecamatanFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Lampu penerangan jalan di Gang Kenanga mati sejak dua minggu, jalan gelap sekali malam hari."
)
ADDRESS = "Gang Kenanga RT 03 RW 02, dekat musala"
NAME = "Sri Wahyuni Lestari"
EMAIL = "sri.wahyuni@contoh.id"
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads in a temporary folder; rate-limit counters of this test only (Redis is shared
    between runs, and every submission from the live server comes from 127.0.0.1)."""
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_CACHE_PREFIX = f"rl-browser-{uuid.uuid4().hex}:"


@pytest.fixture
def open_page(new_page, live_server):
    """A page in a fresh browser context (no cookies) that reaches only the live server: the
    map's tile server is a setting pointing outside, and a closed test network must not slow
    the page down."""
    host = urlparse(live_server.url).netloc

    def make(viewport=None):
        page = new_page(viewport) if viewport else new_page()
        page.context.route(lambda url: urlparse(url).netloc != host, lambda route: route.abort())
        return page

    return make


@pytest.fixture
def places(db):
    """What the form offers: a classification, a category, two kecamatan with a desa each."""
    ClassificationFactory()
    category = CategoryFactory(slug="penerangan-jalan", name="Penerangan Jalan")
    desa = DesaFactory()  # Jepang, Kecamatan Mejobo
    kota = KecamatanFactory(code="331902", name="Kota Kudus")
    other_desa = DesaFactory(code="3319021001", name="Purwosari", kecamatan=kota)
    return category, desa, other_desa


def photo_file(name="foto-lampu.jpg"):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(with_gps=True)}


def choose_place(page, desa, other_desa):
    """Kecamatan first; the desa list then offers only that kecamatan's desa (htmx)."""
    page.select_option("#id_kecamatan", value=str(desa.kecamatan_id))
    expect(page.locator(f"#id_desa option[value='{other_desa.pk}']")).to_have_count(0)
    page.select_option("#id_desa", value=str(desa.pk))


def test_an_anonymous_report_with_a_photo_is_found_again_with_its_two_codes(open_page, places):
    category, desa, other_desa = places
    page = open_page(PHONE)  # most citizens file from a phone
    page.goto("/lapor/")

    page.select_option("#id_category", value=str(category.pk))
    page.fill("#id_text", TEXT)
    choose_place(page, desa, other_desa)
    page.fill("#id_address", ADDRESS)
    page.set_input_files("#id_attachments", photo_file())
    page.check("#id_is_anonymous")
    page.fill("#id_reporter_email", EMAIL)
    page.check("#id_consent")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url("**/lapor/terkirim/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan Anda sudah kami terima")
    number = page.locator("#tracking-number").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    expect(page.locator(".contact-list")).to_contain_text("sr***@contoh.id")

    # Someone else's browser, or the same citizen a week later: only the two codes.
    other = open_page()
    other.goto("/lacak/")
    other.get_by_label("Nomor pelacakan").fill(number)
    other.get_by_label("Kode akses").fill(code)
    other.get_by_role("button", name="Lihat laporan").click()

    other.wait_for_url(f"**/lacak/{number}/")
    expect(other.locator(".track-report-text")).to_contain_text(TEXT)
    expect(other.locator(".track-head .badge")).to_have_text("Diterima")
    expect(other.locator(".track-files")).to_contain_text("foto-lampu.jpg")

    complaint = Complaint.objects.get(tracking_number=number)
    assert (complaint.status, complaint.is_anonymous, complaint.is_secret) == (
        Status.RECEIVED,
        True,
        False,
    )
    assert (complaint.kecamatan_id, complaint.desa_id, complaint.category_id) == (
        desa.kecamatan_id,
        desa.pk,
        category.pk,
    )
    assert Reporter.objects.get(complaint=complaint).email == EMAIL
    attachment = Attachment.objects.get(complaint=complaint)
    assert Image.open(io.BytesIO(jpeg_bytes(with_gps=True))).getexif().get(GPS_IFD)
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert GPS_IFD not in image.getexif()


def test_a_bad_submission_is_explained_next_to_the_fields_and_keeps_what_was_typed(
    open_page, places, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    category, desa, other_desa = places
    page = open_page()
    page.goto("/lapor/")
    page.fill("#id_title", "Lampu jalan mati")
    page.select_option("#id_category", value=str(category.pk))
    choose_place(page, desa, other_desa)
    page.fill("#id_address", ADDRESS)
    page.check("#id_is_secret")
    page.fill("#id_reporter_name", NAME)
    page.fill("#id_reporter_email", EMAIL)
    # No report text, no consent, and a photo over the (1 MB) limit.
    big = {"name": "besar.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (1024 * 1024 + 1)}
    page.set_input_files("#id_attachments", big)
    page.get_by_role("button", name="Kirim laporan").click()

    expect(page.locator("#error-summary")).to_contain_text("3 isian perlu diperbaiki")
    expect(page.locator("#field-text .errorlist")).to_have_text("Tuliskan isi laporan Anda.")
    expect(page.locator("#field-consent .errorlist")).to_have_text(
        "Anda perlu menyetujui pemberitahuan privasi untuk mengirim laporan."
    )
    expect(page.locator("#field-attachments .errorlist")).to_have_text(
        "Berkas “besar.jpg” terlalu besar (maksimal 1 MB)."
    )
    # Each error is announced with its field, not only shown above it.
    expect(page.locator("#id_text")).to_have_accessible_description(
        re.compile("Tuliskan isi laporan Anda.")
    )
    expect(page.locator("#id_attachments")).to_have_accessible_description(
        re.compile("terlalu besar")
    )
    expect(page.locator("#files-note")).to_contain_text("Pilih ulang lampiran.")
    assert page.input_value("#id_attachments") == ""
    _assert_kept(page, category, desa, text="")
    expect(page.locator("#id_consent")).not_to_be_checked()

    # The citizen writes the text, consents, and picks a file that only claims to be a photo.
    page.fill("#id_text", TEXT)
    page.check("#id_consent")
    fake = {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"bukan foto, hanya teks\n"}
    page.set_input_files("#id_attachments", fake)
    page.get_by_role("button", name="Kirim laporan").click()

    expect(page.locator("#error-summary")).to_contain_text("1 isian perlu diperbaiki")
    expect(page.locator("#field-attachments .errorlist")).to_have_text(
        "Berkas “foto.jpg” bukan foto (JPEG, PNG, WebP) atau PDF."
    )
    expect(page.locator("#files-note")).to_be_visible()
    expect(page.locator("#field-text .errorlist")).to_have_count(0)
    _assert_kept(page, category, desa, text=TEXT)
    expect(page.locator("#id_consent")).to_be_checked()
    assert not Complaint.objects.exists()


def _assert_kept(page, category, desa, *, text):
    expect(page.locator("#id_title")).to_have_value("Lampu jalan mati")
    expect(page.locator("#id_text")).to_have_value(text)
    expect(page.locator("#id_category")).to_have_value(str(category.pk))
    expect(page.locator("#id_kecamatan")).to_have_value(str(desa.kecamatan_id))
    expect(page.locator("#id_desa")).to_have_value(str(desa.pk))
    expect(page.locator("#id_address")).to_have_value(ADDRESS)
    expect(page.locator("#id_is_secret")).to_be_checked()
    expect(page.locator("#id_is_anonymous")).not_to_be_checked()
    expect(page.locator("#id_reporter_name")).to_have_value(NAME)
    expect(page.locator("#id_reporter_email")).to_have_value(EMAIL)


def test_the_reporter_reads_the_opds_answer_and_rates_it(open_page, world):
    # The site's real clock: the objection window is counted from the final answer.
    world.now = timezone.now()
    complaint, code = submit(world)
    verify(world, complaint)
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=world.now
    )
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=world.now)
    respond(world, disposition, ResponseKind.INITIAL, text="Laporan diterima, petugas ke lokasi.")
    answer = "Lubang sudah ditambal dengan aspal pada hari Senin oleh tim Bina Marga."
    respond(world, disposition, ResponseKind.FINAL, text=answer)
    complaint.refresh_from_db()
    assert complaint.status == Status.FINISHED
    due = tracking_view(complaint).objection_due_at
    with translation.override("id"):
        due_text = formats.date_format(timezone.localtime(due), "l, j F Y, H:i")

    page = open_page()
    page.goto(f"/lacak/?nomor={complaint.tracking_number}")
    expect(page.get_by_label("Nomor pelacakan")).to_have_value(complaint.tracking_number)
    page.get_by_label("Kode akses").fill(code.lower())  # the code is read whatever the case
    page.get_by_role("button", name="Lihat laporan").click()

    page.wait_for_url(f"**/lacak/{complaint.tracking_number}/")
    expect(page.locator(".track-responses")).to_contain_text(answer)
    expect(page.locator("#sanggah")).to_contain_text(f"Anda dapat menyanggah sampai {due_text} WIB")

    rating = page.locator("#penilaian")
    rating.get_by_label("4 — Puas").check()
    rating.get_by_label("Komentar").fill("Cepat ditangani, terima kasih.")
    rating.get_by_role("button", name="Kirim penilaian").click()

    page.wait_for_url(f"**/lacak/{complaint.tracking_number}/#penilaian")
    expect(page.get_by_text("Terima kasih atas penilaian Anda.")).to_be_visible()
    expect(page.locator("#penilaian")).to_contain_text("4/5")
    expect(page.locator("#penilaian")).to_contain_text("Cepat ditangani, terima kasih.")
    expect(page.get_by_role("button", name="Kirim penilaian")).to_have_count(0)
    saved = Rating.objects.get(complaint=complaint)
    assert (saved.score, saved.comment) == (4, "Cepat ditangani, terima kasih.")
