"""Similar reports shown before submitting: only public versions of recent, verified,
non-rahasia reports in the same category or desa, never anyone's identity.

Reports are built through the services (submit, then verify with a public text chosen here).
The site's clock is set a day after the scenario's NOW, so "recent" does not depend on the day
the suite runs.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from complaints import services as cs
from complaints.models import Status
from complaints.selectors import similar_reports
from complaints.selectors.similar import word_overlap
from tests.builders import reach, submit, verify
from tests.conftest import NOW
from tests.factories import CategoryFactory, DesaFactory

DRAFT = (
    "Jalan di depan balai desa Jepang berlubang besar dan membahayakan pengendara motor, "
    "mohon segera diperbaiki."
)
REPORTER = {
    "reporter_name": "Siti Aminah",
    "reporter_phone": "081234567890",
    "reporter_email": "siti@example.test",
}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.SIMILAR_REPORTS_THRESHOLD = 0.3
    settings.SIMILAR_REPORTS_DAYS = 180


@pytest.fixture
def site_clock():
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        yield


def public_report(world, *, title, text, is_secret=False, is_anonymous=False, **submit_fields):
    complaint, _code = submit(
        world, is_secret=is_secret, is_anonymous=is_anonymous, **submit_fields
    )
    return verify(
        world,
        complaint,
        public_title=title,
        public_text=text,
        is_secret=is_secret,
        is_anonymous=is_anonymous,
    )


@pytest.fixture
def seeded(world):
    """Three similar public reports (one anonim, whose public text carries a phone number), one
    similar rahasia report and one public report about something else."""
    similar = [
        public_report(
            world,
            title="Jalan berlubang di Desa Jepang",
            text="Jalan berlubang besar di depan balai desa Jepang membahayakan pengendara.",
        ),
        public_report(
            world,
            title="Jalan rusak depan balai desa Jepang",
            text="Jalan depan balai desa Jepang rusak dan berlubang besar, berbahaya bagi "
            "pengendara motor.",
        ),
        public_report(
            world,
            title="Jalan berlubang depan balai desa Jepang",
            text="Jalan di depan balai desa Jepang berlubang besar dan membahayakan pengendara "
            "motor; hubungi 081234567890.",
            is_anonymous=True,
            reporter_name="Joko Anonim Santoso",
            reporter_email="joko.rahasia@example.test",
            reporter_phone="081298765432",
        ),
    ]
    secret = public_report(
        world,
        title="Jalan berlubang besar (RAHASIA-XYZ)",
        text="Jalan di depan balai desa Jepang berlubang besar dan membahayakan pengendara "
        "motor. RAHASIA-XYZ",
        is_secret=True,
    )
    other = public_report(
        world,
        title="Antrean KTP-el",
        text="Pelayanan KTP-el di kantor kecamatan lambat dan antre panjang sejak pagi.",
    )
    return {"similar": similar, "secret": secret, "other": other}


def numbers(rows) -> set[str]:
    return {row["tracking_number"] for row in rows}


# --- The selector --------------------------------------------------------------------------------


def test_the_three_similar_reports_are_found_never_the_rahasia_one(world, seeded, site_clock):
    rows = similar_reports(text=DRAFT, category_id=world.category.pk)

    assert numbers(rows) == {c.tracking_number for c in seeded["similar"]}
    assert seeded["secret"].tracking_number not in numbers(rows)
    assert seeded["other"].tracking_number not in numbers(rows)


def test_hints_are_ordered_by_similarity_and_carry_public_fields_only(world, seeded, site_clock):
    rows = similar_reports(text=DRAFT, category_id=world.category.pk)

    scores = [row["similarity"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    for row in rows:
        assert "text" in row
        assert "excerpt" in row
        assert "title" in row
        assert not {"reporter", "reporter__name", "address", "lat", "lng"} & set(row)
    anonim = next(r for r in rows if r["tracking_number"] == seeded["similar"][2].tracking_number)
    assert "081234567890" not in anonim["text"]
    assert "[disamarkan]" in anonim["excerpt"]


def test_the_limit_is_respected(world, seeded, site_clock):
    assert len(similar_reports(text=DRAFT, category_id=world.category.pk, limit=2)) == 2


def test_the_same_desa_is_enough_without_a_category(world, seeded, site_clock):
    rows = similar_reports(text=DRAFT, desa_id=world.desa.pk)

    assert numbers(rows) == {c.tracking_number for c in seeded["similar"]}


def test_another_category_and_another_desa_find_nothing(world, seeded, site_clock):
    elsewhere = DesaFactory(code="3319052099", name="Desa Lain", kecamatan=world.desa.kecamatan)

    assert similar_reports(text=DRAFT, category_id=CategoryFactory().pk) == []
    assert similar_reports(text=DRAFT, desa_id=elsewhere.pk) == []


def test_a_top_level_category_also_finds_its_sub_categories(world, seeded, site_clock):
    parent = CategoryFactory(slug="pekerjaan-umum", name="Pekerjaan Umum")
    world.category.parent = parent
    world.category.save()

    assert len(similar_reports(text=DRAFT, category_id=parent.pk)) == 3


def test_without_category_or_desa_there_is_no_hint(world, seeded, site_clock):
    assert similar_reports(text=DRAFT) == []


def test_a_short_draft_gets_no_hint(world, seeded, site_clock):
    assert similar_reports(text="Jalan rusak", category_id=world.category.pk) == []


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.WAITING_REPORTER, Status.ARCHIVED])
def test_unverified_or_archived_reports_are_never_hints(world, status, site_clock):
    complaint = reach(world, status, text=DRAFT)

    rows = similar_reports(text=DRAFT, desa_id=world.desa.pk)

    assert complaint.tracking_number not in numbers(rows)


def test_a_report_merged_as_duplicate_is_not_a_hint_but_its_original_is(world, site_clock):
    duplicate = reach(world, Status.DUPLICATE)

    rows = similar_reports(text=DRAFT, desa_id=world.desa.pk)

    assert duplicate.tracking_number not in numbers(rows)
    assert numbers(rows) == {duplicate.duplicate_of.tracking_number}


def test_a_report_made_rahasia_after_verification_disappears(world, seeded, site_clock):
    first = seeded["similar"][0]
    cs.complaint_set_flags(
        complaint=first,
        actor=world.ak,
        is_secret=True,
        is_anonymous=False,
        reason="Menyangkut keselamatan pelapor.",
        now=NOW,
    )

    rows = similar_reports(text=DRAFT, category_id=world.category.pk)

    assert first.tracking_number not in numbers(rows)
    assert len(rows) == 2


def test_old_reports_are_not_hints(world, seeded, settings):
    settings.SIMILAR_REPORTS_DAYS = 30
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert similar_reports(text=DRAFT, category_id=world.category.pk) == []
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        assert len(similar_reports(text=DRAFT, category_id=world.category.pk)) == 3


def test_the_threshold_is_a_setting(world, seeded, settings, site_clock):
    settings.SIMILAR_REPORTS_THRESHOLD = 0.99

    assert similar_reports(text=DRAFT, category_id=world.category.pk) == []


def test_the_sqlite_fallback_scores_word_overlap_and_keeps_the_rules(
    world, seeded, settings, site_clock
):
    settings.IS_POSTGRES = False

    rows = similar_reports(text=DRAFT, category_id=world.category.pk)

    assert seeded["secret"].tracking_number not in numbers(rows)
    assert seeded["other"].tracking_number not in numbers(rows)
    assert numbers(rows) <= {c.tracking_number for c in seeded["similar"]}
    assert rows, "the fallback finds the closest ones too"


def test_word_overlap_ignores_filler_words():
    assert word_overlap("saya mohon dan yang", "mohon yang dan saya") == 0.0
    assert word_overlap("jalan berlubang besar", "jalan berlubang besar") == 1.0
    assert word_overlap("", "jalan") == 0.0


# --- On the form ---------------------------------------------------------------------------------


def test_the_htmx_partial_shows_the_three_never_the_rahasia_one(client, world, seeded, site_clock):
    response = client.post(
        reverse("complaints:similar_reports"),
        {"text": DRAFT, "category": world.category.pk, "desa": ""},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    for complaint in seeded["similar"]:
        assert complaint.tracking_number in html
        assert reverse("complaints:public_detail", args=[complaint.tracking_number]) in html
    assert seeded["secret"].tracking_number not in html
    assert "RAHASIA-XYZ" not in html
    assert seeded["other"].tracking_number not in html
    assert "Antrean KTP-el" not in html
    assert "Ikuti laporan ini" in html
    assert "Ada 3 laporan serupa" in html


def test_the_anonim_hint_shows_no_identity_and_no_phone_number(client, world, seeded, site_clock):
    html = client.get(
        reverse("complaints:similar_reports"),
        {"text": DRAFT, "desa": world.desa.pk},
    ).content.decode()

    assert seeded["similar"][2].tracking_number in html
    for secret in ("Joko Anonim Santoso", "joko.rahasia@example.test", "081298765432"):
        assert secret not in html
    for secret in ("Siti Aminah", "siti@example.test", "081234567890", "+6281234567890"):
        assert secret not in html
    assert "Jl. Raya Mejobo" not in html  # the reporter's exact address


def test_the_partial_explains_what_is_missing(client, db):
    html = client.post(reverse("complaints:similar_reports"), {"text": ""}).content.decode()

    assert "Laporan serupa akan tampil di sini" in html


def test_the_partial_says_when_nothing_is_similar(client, world, seeded, site_clock):
    html = client.post(
        reverse("complaints:similar_reports"),
        {"text": "Pohon tumbang menutup saluran irigasi sawah.", "desa": world.desa.pk},
    ).content.decode()

    assert "Tidak ada laporan serupa" in html


def test_the_form_shows_the_hints_without_javascript(client, world, seeded, site_clock):
    response = client.post(
        reverse("complaints:report_create"),
        {
            "action": "similar",
            "text": DRAFT,
            "category": str(world.category.pk),
            "classification": str(world.classification.pk),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    for complaint in seeded["similar"]:
        assert complaint.tracking_number in html
    assert seeded["secret"].tracking_number not in html
    assert "RAHASIA-XYZ" not in html
    assert DRAFT in html
    assert 'class="errorlist"' not in html


def test_the_similar_partial_is_a_read_that_needs_no_login_but_a_csrf_token(world, seeded):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(reverse("complaints:similar_reports"), {"text": DRAFT}).status_code == 403
    assert browser.get(reverse("complaints:similar_reports"), {"text": DRAFT}).status_code == 200
