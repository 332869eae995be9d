"""The public pages: home, the list of public reports, one report's public page, the privacy
notice. What the public may see is the public version of verified, non-rahasia reports, masked,
never an identity, a staff name or an internal text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services as cs
from complaints.actors import reporter_actor
from complaints.models import PUBLIC_STATUSES, Status
from complaints.selectors.public import (
    PAGE_SIZE,
    PUBLIC_STATUS_ORDER,
    Cursor,
    public_report_page,
    public_search_terms,
)
from disposition import services as ds
from disposition.models import ClockKind, ClockUnit, ResponseKind, SlaPolicy, Visibility
from tests.builders import lead_disposition, photo, respond, submit, verify
from tests.conftest import NOW
from tests.factories import CategoryFactory, DesaFactory, KecamatanFactory

WIB = ZoneInfo("Asia/Jakarta")
LIST = reverse("complaints:public_list")

# Words only the reporter's original text contains: they must never reach a public page.
ORIGINAL_TEXT = (
    "Laporan asli pelapor dengan kata kuncirahasiaasli yang tidak boleh tampil di publik."
)
IDENTITY = (
    "Siti Aminah",
    "081234567890",
    "+6281234567890",
    "3319054101900001",
    "siti@example.test",
    "Jl. Raya Mejobo No. 5",
)


def detail_url(complaint) -> str:
    return reverse("complaints:public_detail", args=[complaint.tracking_number])


def publish(
    world,
    *,
    public_title="Lampu jalan mati di Desa Jepang",
    public_text="Lampu penerangan jalan umum di depan balai desa mati sejak seminggu.",
    text=ORIGINAL_TEXT,
    category=None,
    dispositioned=False,
    **submit_fields,
):
    """A verified public report with the given public version, built through the services."""
    complaint, _code = submit(world, text=text, **submit_fields)
    verify(world, complaint, public_title=public_title, public_text=public_text,
           category=category or world.category)  # fmt: skip
    if dispositioned:
        ds.disposition_create(
            complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=world.now
        )
    complaint.refresh_from_db()
    return complaint


def content(response) -> str:
    return response.content.decode()


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_the_public_version_and_never_the_original_or_the_identity(client, world):
    publish(world, public_title="Judul publik yang tampil", public_text="Isi publik yang tampil.")
    page = content(client.get(LIST))
    assert "Judul publik yang tampil" in page
    assert "Isi publik yang tampil." in page
    assert "kuncirahasiaasli" not in page
    for value in IDENTITY:
        assert value not in page


def test_the_list_never_shows_rahasia_unverified_archived_or_duplicate_reports(client, world):
    shown = publish(world, public_title="Laporan yang boleh tampil")
    secret = publish(world, public_title="Judul laporan rahasia", is_secret=True)
    unverified, _ = submit(world, title="Judul belum diverifikasi")
    archived, _ = submit(world, title="Judul diarsipkan")
    cs.complaint_archive(complaint=archived, actor=world.ak, reason="spam", now=world.now)
    duplicate = publish(world, public_title="Judul duplikat")
    cs.complaint_mark_duplicate(complaint=duplicate, actor=world.ak, original=shown, now=NOW)

    page = content(client.get(LIST))
    assert shown.tracking_number in page
    for hidden in (secret, unverified, archived, duplicate):
        assert hidden.tracking_number not in page
    for title in ("Judul laporan rahasia", "Judul duplikat"):
        assert title not in page


def test_a_report_made_rahasia_after_publication_leaves_the_list(client, world):
    complaint = publish(world, public_title="Sempat tampil")
    cs.complaint_set_flags(
        complaint=complaint, actor=world.ak, is_secret=True, is_anonymous=False, reason="uji"
    )
    assert "Sempat tampil" not in content(client.get(LIST))


def test_an_anonim_report_is_listed_without_any_identity(client, world):
    complaint = publish(world, public_title="Laporan anonim tampil", is_anonymous=True)
    for page in (content(client.get(LIST)), content(client.get(detail_url(complaint)))):
        assert complaint.tracking_number in page
        for value in IDENTITY:
            assert value not in page


@time_machine.travel(NOW, tick=False)
def test_no_public_page_contains_the_rahasia_report_or_the_phone_in_an_anonim_one(client, world):
    """The issue's privacy test, for the pages of this module: list, search, detail,
    statistics and home."""
    secret = publish(
        world,
        public_title="Pungutan liar di kantor desa",
        public_text="Oknum pungutan liar, hubungi saya 081377778888.",
        text="Oknum meminta uang. Hubungi saya 081377778888.",
        category=CategoryFactory(slug="rahasia-saja", name="Kategori Hanya Rahasia"),
        is_secret=True,
        dispositioned=True,
    )
    anonymous = publish(
        world,
        public_title="Sampah menumpuk di pasar",
        public_text="Sampah menumpuk, pelapor bisa dihubungi di 0813-7777-9999.",
        text="Sampah menumpuk. Telepon saya 0813-7777-9999.",
        is_anonymous=True,
        dispositioned=True,
    )
    pages = {
        "list": client.get(LIST),
        "search": client.get(LIST, {"q": "pungutan sampah"}),
        "search_secret": client.get(LIST, {"q": "pungutan"}),
        "detail": client.get(detail_url(anonymous)),
        "secret_detail": client.get(detail_url(secret)),
        "statistics": client.get(reverse("complaints:statistics")),
        "home": client.get(reverse("complaints:home")),
    }
    assert pages["secret_detail"].status_code == 404
    assert anonymous.tracking_number in content(pages["list"])
    assert anonymous.tracking_number in content(pages["detail"])
    for name, response in pages.items():
        page = content(response)
        for value in (
            *IDENTITY,
            "081377778888",
            "0813-7777-9999",
            "7777",
            secret.tracking_number,
            "Pungutan liar di kantor desa",
        ):
            assert value not in page, (name, value)
    # The category names the rahasia report alone uses: never in a count (the list's filter
    # offers every category of the reference data, which says nothing about any report).
    for name in ("statistics", "home", "detail"):
        assert "Kategori Hanya Rahasia" not in content(pages[name])


def test_masking_hides_a_phone_number_an_admin_left_in_the_public_version(client, world):
    complaint = publish(
        world,
        public_title="Hubungi 0812-3456-7890 segera",
        public_text="Warga minta dihubungi di 081298765432 atau warga@contoh.id.",
    )
    page = content(client.get(LIST))
    assert complaint.tracking_number in page
    assert "[disamarkan]" in page
    for value in ("0812-3456-7890", "081298765432", "warga@contoh.id"):
        assert value not in page


def test_the_excerpt_is_cut_after_masking_so_no_half_number_escapes(client, world):
    # The excerpt keeps 219 characters: cut first, "Hubungi 0812987…" would be too short for
    # the mask to recognise as a phone number.
    padding = "Jalan rusak parah. " * 10 + "Mohon dicek ya"
    publish(world, public_text=f"{padding}Hubungi 081298765432 untuk keterangan.")
    page = content(client.get(LIST))
    assert "Hubungi [disama" in page
    assert "0812987" not in page


@pytest.fixture
def categories(world):
    top = CategoryFactory(slug="pekerjaan-umum", name="Pekerjaan Umum")
    child = CategoryFactory(slug="jalan-rusak", name="Jalan Rusak", parent=top)
    other = CategoryFactory(slug="kesehatan", name="Kesehatan")
    return {"top": top, "child": child, "other": other}


def test_filtering_by_a_top_level_category_includes_its_children(client, world, categories):
    in_child = publish(world, public_title="Di kategori anak", category=categories["child"])
    in_top = publish(world, public_title="Di kategori induk", category=categories["top"])
    elsewhere = publish(world, public_title="Di kategori lain", category=categories["other"])

    page = content(client.get(LIST, {"kategori": "pekerjaan-umum"}))
    assert in_child.tracking_number in page
    assert in_top.tracking_number in page
    assert elsewhere.tracking_number not in page

    page = content(client.get(LIST, {"kategori": "jalan-rusak"}))
    assert in_child.tracking_number in page
    assert in_top.tracking_number not in page


def test_filtering_by_kecamatan(client, world):
    other_kecamatan = KecamatanFactory(code="331902", name="Kota Kudus")
    other_desa = DesaFactory(code="3319021001", name="Purwosari", kecamatan=other_kecamatan)
    in_mejobo = publish(world)
    in_kota = publish(world, kecamatan=other_kecamatan, desa=other_desa)

    page = content(client.get(LIST, {"kecamatan": "331902"}))
    assert in_kota.tracking_number in page
    assert in_mejobo.tracking_number not in page


def test_filtering_by_status(client, world):
    verified = publish(world)
    dispositioned = publish(world, dispositioned=True)
    page = content(client.get(LIST, {"status": Status.DISPOSITIONED}))
    assert dispositioned.tracking_number in page
    assert verified.tracking_number not in page


def test_the_status_filter_offers_public_statuses_only(client, world):
    assert set(PUBLIC_STATUS_ORDER) == set(PUBLIC_STATUSES)
    page = content(client.get(LIST))
    assert 'value="archived"' not in page
    assert 'value="received"' not in page
    response = client.get(LIST, {"status": Status.ARCHIVED})
    assert "Pilihan tidak dikenal" in content(response)


def test_the_period_filter_uses_whole_days_in_wib(client, world):
    world.now = datetime(2026, 11, 30, 23, 30, tzinfo=WIB)  # 16.30 UTC on the 30th
    late_evening = publish(world)
    world.now = datetime(2026, 12, 1, 0, 10, tzinfo=WIB)  # 17.10 UTC on the 30th
    just_after_midnight = publish(world)

    page = content(client.get(LIST, {"sampai": "2026-11-30"}))
    assert late_evening.tracking_number in page
    assert just_after_midnight.tracking_number not in page

    page = content(client.get(LIST, {"dari": "2026-12-01", "sampai": "2026-12-01"}))
    assert just_after_midnight.tracking_number in page
    assert late_evening.tracking_number not in page


def test_a_bad_date_is_explained_next_to_the_field_and_the_typed_values_are_kept(client, world):
    complaint = publish(world)
    response = client.get(LIST, {"dari": "31-02-2026", "q": "lampu"})
    page = content(response)
    assert response.status_code == 200
    assert "Tanggal tidak valid" in page
    assert 'value="31-02-2026"' in page
    assert 'value="lampu"' in page
    # The valid filters still apply.
    assert complaint.tracking_number in page


def test_an_end_date_before_the_start_date_is_refused_with_a_reason(client, world):
    page = content(client.get(LIST, {"dari": "2026-12-10", "sampai": "2026-12-01"}))
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page


# --- search ---------------------------------------------------------------------------------


def test_search_finds_words_of_the_public_version(client, world):
    found = publish(world, public_text="Saluran air tersumbat sampah plastik di gang masjid.")
    other = publish(world, public_text="Lampu jalan mati di depan sekolah.")
    page = content(client.get(LIST, {"q": "tersumbat"}))
    assert found.tracking_number in page
    assert other.tracking_number not in page


def test_search_never_matches_the_original_text(client, world):
    complaint = publish(world)
    page = content(client.get(LIST, {"q": "kuncirahasiaasli"}))
    assert complaint.tracking_number not in page
    assert "Tidak ada laporan yang cocok." in page


def test_search_ignores_numbers_and_e_mail_addresses_and_says_so(client, world):
    """Searching a phone number must not reveal which report contains it, masked or not."""
    publish(world, public_text="Hubungi 081298765432 atau warga@contoh.id soal banjir.")
    unrelated = publish(world, public_text="Lampu jalan mati di depan sekolah.")
    page = content(client.get(LIST, {"q": "081298765432"}))
    assert "tidak dapat dicari" in page
    # The number was dropped from the search: every report is listed, none singled out.
    assert unrelated.tracking_number in page
    assert public_search_terms("banjir warga@contoh.id 0812-3456") == ("banjir", True)
    assert public_search_terms("banjir  jalan") == ("banjir jalan", False)


def test_search_by_tracking_number_finds_that_report(client, world):
    wanted = publish(world)
    other = publish(world)
    page = content(client.get(LIST, {"q": wanted.tracking_number.lower()}))
    assert wanted.tracking_number in page
    assert other.tracking_number not in page


def test_search_by_the_tracking_number_of_a_rahasia_report_finds_nothing(client, world):
    secret = publish(world, is_secret=True)
    response = client.get(LIST, {"q": secret.tracking_number})
    assert response.context["page"].rows == []
    assert "Tidak ada laporan yang cocok." in content(response)


# --- pagination -----------------------------------------------------------------------------


def test_keyset_pages_cover_every_report_once_in_both_directions(world):
    # Same created_at for all: the id breaks the tie.
    numbers = [publish(world).tracking_number for _ in range(5)][::-1]
    first = public_report_page(page_size=2)
    assert [r["tracking_number"] for r in first.rows] == numbers[:2]
    assert first.newer is None
    assert first.older
    second = public_report_page(page_size=2, after=first.older)
    third = public_report_page(page_size=2, after=second.older)
    assert [r["tracking_number"] for r in second.rows] == numbers[2:4]
    assert [r["tracking_number"] for r in third.rows] == numbers[4:]
    assert third.older is None
    assert third.newer
    back = public_report_page(page_size=2, before=third.newer)
    assert [r["tracking_number"] for r in back.rows] == numbers[2:4]
    back_again = public_report_page(page_size=2, before=back.newer)
    assert [r["tracking_number"] for r in back_again.rows] == numbers[:2]
    assert back_again.newer is None


def test_a_malformed_cursor_shows_the_first_page(client, world):
    complaint = publish(world)
    for cursor in ("abc", "1-2-3", "-5-1", "1.5-2", ""):
        assert Cursor.decode(cursor) is None
        response = client.get(LIST, {"setelah": cursor})
        assert response.status_code == 200
        assert complaint.tracking_number in content(response)


def test_the_list_pages_by_twenty_with_links_that_keep_the_filters(client, world):
    for _ in range(PAGE_SIZE + 1):
        publish(world)
    response = client.get(LIST, {"status": Status.VERIFIED})
    page = content(response)
    assert page.count('class="report-item pub-report"') == PAGE_SIZE
    assert f"{PAGE_SIZE + 1} laporan" in page
    older = response.context["page"].older
    assert f"status=verified&amp;setelah={older}" in page
    page_two = content(client.get(LIST, {"status": Status.VERIFIED, "setelah": older}))
    assert page_two.count('class="report-item pub-report"') == 1
    assert "Lebih baru" in page_two
    assert "Lebih lama" not in page_two


def test_the_count_is_capped_instead_of_counting_the_whole_table(world, monkeypatch):
    monkeypatch.setattr("complaints.selectors.public.COUNT_LIMIT", 2)
    for _ in range(3):
        publish(world)
    page = public_report_page()
    assert page.count == 2
    assert page.count_is_capped


# --- htmx ----------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results_and_caches_keep_them_apart(client, world):
    complaint = publish(world)
    response = client.get(LIST, {"q": "lampu"}, headers={"HX-Request": "true"})
    page = content(response)
    assert complaint.tracking_number in page
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="public-results"')
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, world):
    response = client.get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in content(response)


def test_the_list_works_without_javascript(client, world):
    page = content(client.get(LIST))
    assert '<form method="get" action="/laporan/"' in page
    assert 'hx-push-url="true"' in page


def test_the_public_pages_only_answer_get_and_head(client, world):
    for url in (LIST, reverse("complaints:statistics"), reverse("complaints:home")):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


# --- query counts ---------------------------------------------------------------------------


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"q": "lampu", "kategori": "pekerjaan-umum"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_the_same_few_queries_for_3_and_30_reports(
    client, world, categories, django_assert_max_num_queries
):
    for _ in range(3):
        publish(world, category=categories["child"])
    with django_assert_max_num_queries(4):
        client.get(LIST, {"q": "lampu", "kategori": "pekerjaan-umum"})
    with_three = _list_queries(client)
    for _ in range(27):
        publish(world, category=categories["child"])
    with django_assert_max_num_queries(4):
        client.get(LIST, {"q": "lampu", "kategori": "pekerjaan-umum"})
    assert _list_queries(client) == with_three


# --- the detail page ------------------------------------------------------------------------


def test_the_detail_page_shows_the_public_version(client, world):
    complaint = publish(
        world,
        public_title="Judul publik rinci",
        public_text="Isi publik rinci.",
        dispositioned=True,
    )
    response = client.get(detail_url(complaint))
    page = content(response)
    assert response.status_code == 200
    assert "Judul publik rinci" in page
    assert "Isi publik rinci." in page
    assert world.opd.name in page
    assert "kuncirahasiaasli" not in page
    for value in IDENTITY:
        assert value not in page


def test_the_detail_page_accepts_a_lower_case_number(client, world):
    complaint = publish(world)
    url = reverse("complaints:public_detail", args=[complaint.tracking_number.lower()])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("case", ["rahasia", "unverified", "archived", "waiting", "unknown"])
def test_the_detail_page_is_404_for_what_the_public_may_not_see(client, world, case):
    if case == "rahasia":
        complaint = publish(world, is_secret=True)
    elif case == "unverified":
        complaint, _ = submit(world)
    elif case == "archived":
        complaint, _ = submit(world)
        cs.complaint_archive(complaint=complaint, actor=world.ak, reason="spam", now=NOW)
    elif case == "waiting":
        complaint, _ = submit(world)
        cs.complaint_request_info(complaint=complaint, actor=world.ak, question="Foto?", now=NOW)
    else:
        complaint = type("Unknown", (), {"tracking_number": "KDS-0000-0000"})
    assert client.get(detail_url(complaint)).status_code == 404


def test_a_duplicate_that_was_public_points_to_its_original(client, world):
    original = publish(world)
    duplicate = publish(world)
    cs.complaint_mark_duplicate(complaint=duplicate, actor=world.ak, original=original, now=NOW)
    response = client.get(detail_url(duplicate))
    assert response.status_code == 302
    assert response["Location"] == detail_url(original)


@pytest.mark.parametrize("case", ["never_verified", "rahasia", "original_rahasia"])
def test_a_duplicate_that_was_never_public_is_404(client, world, case):
    original = publish(world, is_secret=(case == "original_rahasia"))
    if case == "never_verified":
        duplicate, _ = submit(world)
    else:
        duplicate = publish(world, is_secret=(case == "rahasia"))
    cs.complaint_mark_duplicate(complaint=duplicate, actor=world.ak, original=original, now=NOW)
    assert client.get(detail_url(duplicate)).status_code == 404


def test_the_public_timeline_shows_status_changes_in_wib_and_nothing_internal(client, world):
    complaint, _ = submit(world, text=ORIGINAL_TEXT)
    cs.complaint_request_info(
        complaint=complaint, actor=world.ak, question="Pertanyaan internal admin", now=NOW
    )
    cs.complaint_provide_info(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        text="Jawaban pelapor dengan 081298765432",
        now=NOW,
    )
    verify(world, complaint)
    ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd],
        lead=world.opd,
        note="Catatan disposisi internal",
        now=NOW,
    )
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    respond(world, disposition, ResponseKind.INITIAL, text="Tanggapan awal untuk publik.")
    respond(world, disposition, ResponseKind.NOTE, text="Catatan internal OPD saja.")
    ds.response_add(
        disposition=disposition,
        actor=world.ao,
        kind=ResponseKind.PROGRESS,
        text="Tindak lanjut khusus pelapor saja.",
        visibility=Visibility.REPORTER,
        now=NOW,
    )
    page = content(client.get(detail_url(complaint)))

    for label in ("Diterima", "Menunggu informasi pelapor", "Terverifikasi", "Ditanggapi"):
        assert label in page
    assert "1 Desember 2026, 09.00 WIB" in page
    assert "Tanggapan awal untuk publik." in page
    for secret in (
        "Pertanyaan internal admin",
        "Jawaban pelapor",
        "Catatan disposisi internal",
        "Catatan internal OPD saja.",
        "Tindak lanjut khusus pelapor saja.",
        world.admin_kabupaten.username,
        world.admin_opd.username,
    ):
        assert secret not in page


def test_a_return_reason_never_reaches_the_public_page(client, world):
    complaint = publish(world, dispositioned=True)
    ds.disposition_return(
        disposition=lead_disposition(complaint),
        actor=world.ao,
        reason="Alasan pengembalian internal",
        now=NOW,
    )
    page = content(client.get(detail_url(complaint)))
    assert "Dikembalikan ke Admin Kabupaten" in page
    assert "Alasan pengembalian internal" not in page
    assert world.opd.name not in page  # a returned disposition is no longer "handled by"


def test_responses_and_texts_on_the_detail_page_are_masked(client, world):
    complaint = publish(
        world, public_text="Pelapor bisa ditelepon di (0291) 431234.", dispositioned=True
    )
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    respond(
        world,
        disposition,
        ResponseKind.INITIAL,
        text="Silakan hubungi petugas kami di +62 812-3456-7890 atau petugas@dinkes.test.",
    )
    page = content(client.get(detail_url(complaint)))
    assert page.count("[disamarkan]") >= 3
    for value in ("431234", "812-3456-7890", "petugas@dinkes.test"):
        assert value not in page


def test_public_attachments_are_listed_by_kind_without_the_file_name(client, world):
    complaint, _ = submit(
        world, text=ORIGINAL_TEXT, attachments=[photo("KTP-Siti-Aminah.jpg"), photo("lain.jpg")]
    )
    first = complaint.attachments.order_by("id").first()
    verify(world, complaint, public_attachment_ids=[first.pk])
    page = content(client.get(detail_url(complaint)))
    assert "Foto 1" in page
    assert "Foto 2" not in page
    assert "KTP-Siti-Aminah" not in page
    assert "lain.jpg" not in page
    assert "/media/" not in page


def test_the_rounded_location_is_shown_and_the_exact_one_is_not(client, world):
    complaint = publish(world, lat=-6.812345, lng=110.871234)
    page = content(client.get(detail_url(complaint)))
    assert "-6.812, 110.871" in page
    assert "6.812345" not in page
    assert "110.871234" not in page


def test_the_detail_page_makes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    complaint = publish(world, dispositioned=True)
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    for kind in (ResponseKind.INITIAL, ResponseKind.PROGRESS, ResponseKind.PROGRESS):
        respond(world, disposition, kind)
    with django_assert_max_num_queries(5):
        assert client.get(detail_url(complaint)).status_code == 200


# --- home and privacy -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_home_page_explains_the_channel_and_shows_latest_public_reports(client, world):
    shown = publish(
        world, public_title="Laporan terbaru publik", public_text="Hubungi 081298765432."
    )
    secret = publish(world, public_title="Laporan terbaru rahasia", is_secret=True)
    response = client.get(reverse("complaints:home"))
    page = content(response)
    assert response.status_code == 200
    assert "Laporan terbaru publik" in page
    assert shown.tracking_number in page
    assert "081298765432" not in page
    assert "Laporan terbaru rahasia" not in page
    assert secret.tracking_number not in page
    for text in ("Rahasia", "Anonim", "SP4N-LAPOR!", "Aplikasi “Kudus”", "Lacak laporan"):
        assert text in page
    figures = response.context["figures"]
    assert (figures.year, figures.received, figures.finished) == (2026, 2, 0)


def test_the_home_page_reads_deadlines_from_the_sla_policies(client, db):
    page = content(client.get(reverse("complaints:home")))
    assert "3 hari kerja" in page  # settings default for verification
    SlaPolicy.objects.create(
        clock=ClockKind.VERIFICATION, amount=4, unit=ClockUnit.WORKING_DAYS, note="uji"
    )
    SlaPolicy.objects.create(
        clock=ClockKind.RESOLUTION, amount=45, unit=ClockUnit.CALENDAR_DAYS, note="uji"
    )
    page = content(client.get(reverse("complaints:home")))
    assert "<strong>4 hari kerja</strong>" in page
    assert "<strong>45 hari kalender</strong>" in page
    assert "<strong>1 hari kerja</strong>" in page  # urgent initial response, from settings


def test_the_home_page_makes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(3):
        publish(world)
    with django_assert_max_num_queries(4):
        client.get(reverse("complaints:home"))


def test_the_privacy_notice_explains_rahasia_anonim_and_the_rights(client, db):
    response = client.get(reverse("complaints:privacy"))
    page = content(response)
    assert response.status_code == 200
    for text in (
        "Undang-Undang Nomor 27 Tahun 2022",
        "NIK boleh dikosongkan",
        "GPS",
        "Rahasia",
        "Anonim",
        "hanya Admin Kabupaten",
        "tidak pernah dikirim ke SP4N-LAPOR!",
        "menganonimkan",
        "hubungi Dinas Komunikasi dan Informatika Kabupaten Kudus",
    ):
        assert text.lower() in page.lower()
