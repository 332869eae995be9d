"""The complaint form (/lapor/): filing a report, every refusal, the htmx helpers and the page
that shows the access code once.

Every refusal is checked to keep what was typed. django-ratelimit's counters live in the shared
Redis: each test gets a cache prefix of its own, so no counter carries over between tests.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.forms.report import HONEYPOT_FIELD
from complaints.models import (
    Attachment,
    CitizenProfile,
    Complaint,
    Desa,
    Event,
    OutboxState,
    Reporter,
    Status,
)
from complaints.services import access_code_matches
from complaints.views.access import tracking_actor
from complaints.views.report_form import submission_max_bytes
from tests.builders import jpeg_bytes, photo
from tests.factories import (
    CategoryFactory,
    ClassificationFactory,
    DesaFactory,
    KecamatanFactory,
    UserFactory,
)

URL = reverse("complaints:report_create")
SUBMITTED_URL = reverse("complaints:report_submitted")
# Distinctive words, to find what was typed in a re-rendered page.
TEXT = "Lampu penerangan jalan di Gang Kenanga mati sejak dua minggu, jalan gelap sekali."
ADDRESS = "Gang Kenanga RT 03 RW 02, dekat musala"
NAME = "Sri Wahyuni Lestari"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def ref(db):
    """Reference data of the form: a classification, a category tree, two kecamatan."""
    classification = ClassificationFactory()
    parent = CategoryFactory(slug="pekerjaan-umum", name="Pekerjaan Umum")
    category = CategoryFactory(slug="penerangan-jalan", name="Penerangan Jalan", parent=parent)
    desa = DesaFactory()  # Jepang, Kecamatan Mejobo
    kota = KecamatanFactory(code="331902", name="Kota Kudus")
    other_desa = DesaFactory(
        code="3319021001", name="Purwosari", kecamatan=kota, kind=Desa.Kind.KELURAHAN
    )
    return type(
        "Ref",
        (),
        {
            "classification": classification,
            "parent": parent,
            "category": category,
            "desa": desa,
            "kecamatan": desa.kecamatan,
            "other_kecamatan": kota,
            "other_desa": other_desa,
        },
    )


def citizen_account(**fields):
    """A registered citizen: a user with a citizen profile (what the citizen login accepts)."""
    phone = fields.pop("phone", "")
    user = UserFactory(**{"username": "warga", **fields})
    CitizenProfile.objects.create(user=user, phone=phone or None)
    return user


def valid_data(ref, **changes) -> dict:
    data = {
        "classification": str(ref.classification.pk),
        "category": str(ref.category.pk),
        "title": "Lampu jalan mati",
        "text": TEXT,
        "incident_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "kecamatan": str(ref.kecamatan.pk),
        "desa": str(ref.desa.pk),
        "address": ADDRESS,
        "lat": "-6.812345",
        "lng": "110.871234",
        "reporter_name": NAME,
        "reporter_phone": "0812 3456 7890",
        "reporter_email": "Sri.Wahyuni@Example.TEST",
        "reporter_nik": "3319054101900001",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def page(response) -> str:
    return response.content.decode()


def field_errors(response, name: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page(response))
    return match.group(1) if match else ""


def assert_input_kept(response, *, files_lost=False):
    html = page(response)
    assert TEXT in html
    assert f'value="{ADDRESS}"' in html
    assert f'value="{NAME}"' in html
    if files_lost:
        assert "Pilih ulang lampiran." in html


# --- GET -----------------------------------------------------------------------------------------


def test_an_anonymous_visitor_gets_the_empty_form(client, ref, settings):
    response = client.get(URL)

    html = page(response)
    assert response.status_code == 200
    assert 'name="classification"' in html
    assert "Keluhan tentang layanan publik" in html
    assert '<optgroup label="Pekerjaan Umum">' in html
    assert "Pekerjaan Umum: lainnya" in html
    assert '<optgroup label="Kecamatan Mejobo">' in html
    assert f'data-kecamatan="{ref.kecamatan.pk}"' in html
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in html
    assert "multiple" in html
    assert f'data-tile-url="{settings.MAP_TILE_URL}"' in html
    assert reverse("complaints:privacy") in html
    assert f'name="{HONEYPOT_FIELD}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Laporan tidak ditampilkan kepada publik sama sekali" in html
    assert "hanya Admin Kabupaten yang melihatnya" in html


def test_the_first_classification_is_chosen_by_default(client, ref):
    html = page(client.get(URL))

    assert re.search(r'<input type="radio" name="classification" value="\d+"[^>]*checked', html)


def test_a_logged_in_citizen_finds_their_contact_filled_in(client, ref):
    citizen = citizen_account(first_name="Budi", email="budi@example.test", phone="+6281234567891")
    client.force_login(citizen)

    html = page(client.get(URL))

    assert 'value="budi@example.test"' in html
    assert 'value="Budi"' in html
    assert 'value="+6281234567891"' in html


def test_the_form_costs_a_fixed_number_of_queries(client, ref, django_assert_max_num_queries):
    for n in range(20):
        DesaFactory(code=f"33190520{n:02d}", name=f"Desa {n}", kecamatan=ref.kecamatan)
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200


def test_a_citizen_form_costs_a_fixed_number_of_queries(client, ref, django_assert_max_num_queries):
    client.force_login(citizen_account())
    with django_assert_max_num_queries(7):  # + session, user, citizen profile
        assert client.get(URL).status_code == 200


# --- A complete submission -----------------------------------------------------------------------


def test_a_complete_submission_files_the_report_and_shows_the_code_once(client, ref):
    response = client.post(URL, {**valid_data(ref), "attachments": [photo(with_gps=True)]})

    assert response.status_code == 302
    assert response["Location"] == SUBMITTED_URL
    complaint = Complaint.objects.get()
    assert complaint.channel == "web"
    assert complaint.status == Status.RECEIVED
    assert complaint.text == TEXT
    assert complaint.title == "Lampu jalan mati"
    assert complaint.classification == ref.classification
    assert complaint.category == ref.category
    assert (complaint.kecamatan, complaint.desa) == (ref.kecamatan, ref.desa)
    assert complaint.address == ADDRESS
    assert str(complaint.lat) == "-6.812345"
    assert str(complaint.lng) == "110.871234"
    assert complaint.incident_date == timezone.localdate() - timedelta(days=3)
    assert not complaint.is_secret
    assert not complaint.is_anonymous
    reporter = Reporter.objects.get(complaint=complaint)
    assert reporter.name == NAME
    assert reporter.phone == "+6281234567890"
    assert reporter.email == "sri.wahyuni@example.test"
    assert reporter.nik == "3319054101900001"
    assert reporter.user is None
    # The photo is stored without its GPS position.
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as stored:
        exif = Image.open(io.BytesIO(stored.read())).getexif()
    assert 0x8825 not in exif
    # The submit event is queued for the reporter's notification (sent after commit).
    assert Event.objects.get(complaint=complaint, action="submit").notify_state == (
        OutboxState.PENDING
    )

    shown = client.get(SUBMITTED_URL)
    html = page(shown)
    code = re.search(r'<p class="code-box" id="access-code"[^>]*>(\w+)</p>', html).group(1)
    assert complaint.tracking_number in html
    assert access_code_matches(complaint, code)
    assert "sr***@example.test" in html
    assert "+62812****890" in html
    assert "no-store" in shown["Cache-Control"]
    assert reverse("complaints:track_detail", args=[complaint.tracking_number]) in html

    again = client.get(SUBMITTED_URL)
    assert again.status_code == 200
    assert code not in page(again)
    assert "hanya ditampilkan sekali" in page(again)
    assert complaint.tracking_number in page(again)


def test_the_browser_that_filed_a_report_may_follow_it(client, ref, rf):
    client.post(URL, valid_data(ref))
    complaint = Complaint.objects.get()

    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request.session = client.session

    assert tracking_actor(request, complaint) is not None


def test_a_logged_in_citizen_s_report_is_linked_to_their_account(client, ref):
    citizen = citizen_account()
    client.force_login(citizen)

    response = client.post(URL, valid_data(ref))

    assert response.status_code == 302
    assert Reporter.objects.get().user == citizen


def test_a_report_may_be_filed_with_no_contact_at_all(client, ref):
    data = valid_data(
        ref,
        reporter_name="",
        reporter_phone="",
        reporter_email="",
        reporter_nik="",
        is_anonymous="on",
        is_secret="on",
    )

    response = client.post(URL, data)

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.is_secret
    assert complaint.is_anonymous
    assert "tidak meninggalkan kontak" in page(client.get(SUBMITTED_URL))


def test_only_text_classification_and_consent_are_required(client, ref):
    data = {
        "classification": str(ref.classification.pk),
        "text": TEXT,
        "consent": "on",
    }

    assert client.post(URL, data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.category is None
    assert complaint.desa is None
    assert complaint.lat is None


def test_a_desa_alone_brings_its_kecamatan(client, ref):
    client.post(URL, valid_data(ref, kecamatan=""))

    assert Complaint.objects.get().kecamatan == ref.kecamatan


# --- Refusals: each keeps what was typed ---------------------------------------------------------


def test_missing_required_fields_are_named_and_nothing_is_saved(client, ref):
    data = valid_data(ref, text="", consent=None, classification=None)

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "Tuliskan isi laporan Anda." in field_errors(response, "text")
    assert "Pilih jenis laporan." in field_errors(response, "classification")
    assert "menyetujui pemberitahuan privasi" in field_errors(response, "consent")
    assert "3 isian perlu diperbaiki" in page(response)
    # With htmx, the similar-report hints load at once for what was typed.
    assert 'hx-trigger="load, input changed' in page(response)
    assert f'value="{ADDRESS}"' in page(response)
    assert f'value="{NAME}"' in page(response)
    assert not Complaint.objects.exists()


def test_a_short_text_is_refused_with_the_service_s_limit(client, ref):
    response = client.post(URL, valid_data(ref, text="Jalan rusak", address=ADDRESS))

    assert "minimal 20 karakter" in field_errors(response, "text")
    assert "Jalan rusak</textarea>" in page(response)
    assert f'value="{ADDRESS}"' in page(response)
    assert not Complaint.objects.exists()


def test_a_text_over_the_limit_is_refused(client, ref):
    response = client.post(URL, valid_data(ref, text=TEXT + "x" * 5000))

    assert "maksimal 5000 karakter" in field_errors(response, "text")
    assert not Complaint.objects.exists()


def test_an_incident_date_in_the_future_is_refused(client, ref):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(URL, valid_data(ref, incident_date=tomorrow))

    assert "tidak boleh di masa depan" in field_errors(response, "incident_date")
    assert f'value="{tomorrow}"' in page(response)
    assert_input_kept(response)
    assert not Complaint.objects.exists()


def test_a_desa_outside_the_chosen_kecamatan_is_refused(client, ref):
    response = client.post(URL, valid_data(ref, desa=str(ref.other_desa.pk)))

    assert "Purwosari tidak berada di Kecamatan Mejobo" in field_errors(response, "desa")
    assert_input_kept(response)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reporter_nik", "1234567890123456", "NIK tidak valid"),
        ("reporter_phone", "12345", "Nomor telepon tidak valid."),
        ("reporter_email", "sri@", "Alamat e-mail tidak valid."),
        ("reporter_email", "a" * 60 + "@" + "b" * 200 + ".test", "paling banyak 254 karakter"),
    ],
)
def test_a_bad_nik_phone_or_email_is_refused_and_kept_for_correction(
    client, ref, field, value, message
):
    response = client.post(URL, valid_data(ref, **{field: value}))

    assert message in field_errors(response, field)
    assert f'value="{value}"' in page(response)
    assert_input_kept(response)
    assert not Complaint.objects.exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_by_its_content(client, ref):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 bukan foto " * 50, content_type="image/jpeg")

    response = client.post(URL, {**valid_data(ref), "attachments": [photo(), fake]})

    assert response.status_code == 200
    assert "bukan foto (JPEG, PNG, WebP) atau PDF" in field_errors(response, "attachments")
    assert_input_kept(response, files_lost=True)
    assert not Complaint.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, ref, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("besar.jpg", jpeg_bytes() + b"\0" * (1024 * 1024), "image/jpeg")

    response = client.post(URL, {**valid_data(ref), "attachments": [big]})

    assert "“besar.jpg” terlalu besar (maksimal 1 MB)" in field_errors(response, "attachments")
    assert_input_kept(response, files_lost=True)
    assert not Complaint.objects.exists()


def test_six_files_are_refused(client, ref):
    files = [photo(f"foto{n}.jpg") for n in range(6)]

    response = client.post(URL, {**valid_data(ref), "attachments": files})

    assert "maksimal 5 berkas" in field_errors(response, "attachments")
    assert_input_kept(response, files_lost=True)
    assert not Complaint.objects.exists()


def test_five_files_are_accepted(client, ref):
    files = [photo(f"foto{n}.jpg") for n in range(5)]

    assert client.post(URL, {**valid_data(ref), "attachments": files}).status_code == 302
    assert Attachment.objects.count() == 5


def test_missing_consent_is_refused(client, ref):
    response = client.post(URL, valid_data(ref, consent=None))

    assert "menyetujui pemberitahuan privasi" in field_errors(response, "consent")
    assert_input_kept(response)
    assert not Complaint.objects.exists()


def test_a_bad_map_point_is_refused(client, ref):
    response = client.post(URL, valid_data(ref, lat="-6.8", lng=""))

    assert "Titik lokasi tidak valid" in page(response)
    assert not Complaint.objects.exists()


def test_the_reason_to_choose_files_again_is_shown_only_when_files_were_sent(client, ref):
    without_files = client.post(URL, valid_data(ref, consent=None))
    with_files = client.post(URL, {**valid_data(ref, consent=None), "attachments": [photo()]})

    assert "Pilih ulang lampiran." not in page(without_files)
    assert "Pilih ulang lampiran." in page(with_files)


def test_a_60_mb_request_is_refused_with_a_friendly_page_keeping_the_text(client, ref):
    huge = SimpleUploadedFile("video.jpg", b"\0" * (60 * 1024 * 1024), content_type="image/jpeg")

    response = client.post(URL, {**valid_data(ref), "attachments": [huge]})

    assert response.status_code == 413
    assert "Ukuran seluruh lampiran melebihi batas" in field_errors(response, "attachments")
    assert_input_kept(response, files_lost=True)
    assert not Complaint.objects.exists()


def test_the_size_cap_lets_five_largest_files_through(settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.ATTACHMENT_MAX_COUNT = 5

    assert 50 * 1024 * 1024 < submission_max_bytes() < 60 * 1024 * 1024


def test_text_fields_over_django_s_limit_get_a_friendly_page(client, ref, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post(URL, valid_data(ref, address="x" * 20_000))

    assert response.status_code == 413
    assert "Kiriman Anda terlalu besar" in page(response)
    assert not Complaint.objects.exists()


def test_the_form_needs_its_csrf_token(ref):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(URL, valid_data(ref))

    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_the_form_with_its_csrf_token_is_accepted(ref):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL)
    token = browser.cookies["csrftoken"].value

    response = browser.post(URL, {**valid_data(ref), "csrfmiddlewaretoken": token})

    assert response.status_code == 302


# --- Honeypot ------------------------------------------------------------------------------------


def test_a_filled_honeypot_pretends_success_and_saves_nothing(client, ref):
    response = client.post(URL, {**valid_data(ref), HONEYPOT_FIELD: "http://spam.example"})

    assert response.status_code == 302
    assert response["Location"] == SUBMITTED_URL
    assert not Complaint.objects.exists()
    shown = page(client.get(SUBMITTED_URL))
    assert "Laporan Anda sudah kami terima" in shown
    assert re.search(r'id="tracking-number"[^>]*>KDS-\w{4}-\w{4}<', shown)


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, ref):
    html = page(client.get(URL))

    box = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', html, re.S)
    assert box
    assert f'name="{HONEYPOT_FIELD}"' in box.group(1)
    assert 'tabindex="-1"' in box.group(1)
    assert 'autocomplete="off"' in box.group(1)


# --- Rate limits ---------------------------------------------------------------------------------


def test_submissions_are_limited_per_ip_and_the_refusal_keeps_the_input(client, ref, settings):
    settings.RATELIMIT_SUBMIT_IP_HOURLY = "2/h"
    for n in range(2):
        data = valid_data(ref, reporter_phone="", reporter_email=f"warga{n}@example.test")
        assert client.post(URL, data).status_code == 302

    response = client.post(URL, valid_data(ref, reporter_email="lain@example.test"))

    assert response.status_code == 429
    assert "dari jaringan Anda (batas 2 laporan per jam)" in page(response)
    assert_input_kept(response)
    assert Complaint.objects.count() == 2


def test_the_daily_ip_limit_applies_too(client, ref, settings):
    settings.RATELIMIT_SUBMIT_IP_DAILY = "1/d"
    client.post(URL, valid_data(ref, reporter_phone="", reporter_email="a@example.test"))

    response = client.post(URL, valid_data(ref, reporter_phone="", reporter_email=""))

    assert response.status_code == 429
    assert "batas 1 laporan per hari" in page(response)
    assert Complaint.objects.count() == 1


def test_another_ip_is_not_limited_by_the_first(ref, settings):
    settings.RATELIMIT_SUBMIT_IP_HOURLY = "1/h"
    first = Client(REMOTE_ADDR="10.1.0.1")
    second = Client(REMOTE_ADDR="10.1.0.2")
    first.post(URL, valid_data(ref, reporter_phone="", reporter_email="a@example.test"))

    response = second.post(URL, valid_data(ref, reporter_phone="", reporter_email="b@example.test"))

    assert response.status_code == 302


def test_submissions_are_limited_per_phone_number_across_ips(ref, settings):
    settings.RATELIMIT_SUBMIT_CONTACT_DAILY = "1/d"
    Client(REMOTE_ADDR="10.2.0.1").post(URL, valid_data(ref, reporter_email=""))

    # The same number, written differently, from another network.
    response = Client(REMOTE_ADDR="10.2.0.2").post(
        URL, valid_data(ref, reporter_email="", reporter_phone="+62 812-3456-7890")
    )

    assert response.status_code == 429
    assert "Kontak ini sudah mengirim 1 laporan hari ini" in page(response)
    assert_input_kept(response)
    assert Complaint.objects.count() == 1


def test_submissions_are_limited_per_e_mail_address_whatever_its_case(ref, settings):
    settings.RATELIMIT_SUBMIT_CONTACT_DAILY = "1/d"
    Client(REMOTE_ADDR="10.3.0.1").post(
        URL, valid_data(ref, reporter_phone="", reporter_email="sri@example.test")
    )

    response = Client(REMOTE_ADDR="10.3.0.2").post(
        URL, valid_data(ref, reporter_phone="", reporter_email="SRI@Example.test")
    )

    assert response.status_code == 429
    assert Complaint.objects.count() == 1


def test_refused_forms_do_not_count_against_the_limit(client, ref, settings):
    settings.RATELIMIT_SUBMIT_IP_HOURLY = "1/h"
    settings.RATELIMIT_SUBMIT_CONTACT_DAILY = "1/d"
    for _ in range(3):
        assert client.post(URL, valid_data(ref, reporter_nik="123")).status_code == 200

    assert client.post(URL, valid_data(ref)).status_code == 302


def test_a_submission_refused_by_the_service_still_counts(client, ref, settings):
    settings.RATELIMIT_SUBMIT_IP_HOURLY = "1/h"
    fake = SimpleUploadedFile("foto.jpg", b"bukan foto " * 50, content_type="image/jpeg")
    client.post(URL, {**valid_data(ref), "attachments": [fake]})

    response = client.post(URL, valid_data(ref))

    assert response.status_code == 429
    assert not Complaint.objects.exists()


# --- "Periksa laporan serupa" without JavaScript -------------------------------------------------


def test_checking_for_similar_reports_keeps_the_form_without_errors_or_saving(client, ref):
    response = client.post(URL, {**valid_data(ref, consent=None), "action": "similar"})

    html = page(response)
    assert response.status_code == 200
    assert_input_kept(response)
    assert 'class="errorlist"' not in html
    assert "Tidak ada laporan serupa" in html
    assert not Complaint.objects.exists()


# --- htmx helpers --------------------------------------------------------------------------------


def test_desa_options_of_one_kecamatan(client, ref):
    DesaFactory(code="3319052002", name="Hadiwarno", kecamatan=ref.kecamatan)

    response = client.get(
        reverse("complaints:desa_options"),
        {"kecamatan": ref.kecamatan.pk, "desa": ref.desa.pk},
        HTTP_HX_REQUEST="true",
    )

    html = page(response)
    assert response.status_code == 200
    assert "Desa Jepang" in html
    assert "Desa Hadiwarno" in html
    assert "Purwosari" not in html
    assert f'<option value="{ref.desa.pk}" data-kecamatan="{ref.kecamatan.pk}" selected>' in html
    assert html.index("Hadiwarno") < html.index("Jepang")
    assert "<optgroup" not in html


def test_desa_options_without_a_kecamatan_list_all_grouped(client, ref):
    html = page(client.get(reverse("complaints:desa_options")))

    assert '<optgroup label="Kecamatan Kota Kudus">' in html
    assert '<optgroup label="Kecamatan Mejobo">' in html
    assert "Kelurahan Purwosari" in html


def test_desa_options_ignore_a_nonsense_kecamatan(client, ref):
    response = client.get(reverse("complaints:desa_options"), {"kecamatan": "x'; drop"})

    assert response.status_code == 200
    assert "<optgroup" in page(response)
