"""Issue 3's privacy guarantee, across every public surface at once.

A rahasia report and an anonim report, each with a phone number in its text that the admin
failed to remove from the public version: the public list, detail, statistics, search, the
similar-report hints, the home page and another reporter's tracking page never show the
identities, the phone numbers, or anything of the secret report.
"""

import pytest
from django.urls import reverse

from complaints.models import Status
from complaints.views.access import grant_tracking
from tests.builders import reach, verify
from tests.builders import submit as builder_submit

SECRET_TEXT = (
    "Kepala sekolah meminta pungutan liar kepada wali murid di SD Negeri 2 Jepang, "
    "hubungi saya di 0812 9876 5432."
)
ANON_TEXT = (
    "Lampu penerangan jalan di depan SD Negeri 2 Jepang mati total, hubungi 0813-1111-2222 "
    "bila perlu keterangan."
)
SECRET_IDENTITY = {
    "reporter_name": "Warsini Rahayu",
    "reporter_phone": "081298765432",
    "reporter_email": "warsini@example.test",
    "reporter_nik": "3319054101900001",
}
ANON_IDENTITY = {
    "reporter_name": "Budiono Santoso",
    "reporter_phone": "081311112222",
    "reporter_email": "budiono@example.test",
    "reporter_nik": "3319051203850002",
}
FORBIDDEN = [
    "Warsini",
    "Budiono",
    "warsini@example.test",
    "budiono@example.test",
    "3319054101900001",
    "3319051203850002",
    "0812 9876 5432",
    "081298765432",
    "+6281298765432",
    "0813-1111-2222",
    "081311112222",
    "+6281311112222",
    "pungutan liar",
]


@pytest.fixture
def reports(world):
    secret, _ = builder_submit(world, text=SECRET_TEXT, title="", is_secret=True, **SECRET_IDENTITY)
    # The admins copied the original text into the public versions, phone numbers and all.
    verify(
        world,
        secret,
        public_title="Pungutan liar di sekolah",
        public_text=SECRET_TEXT,
        is_secret=True,
    )
    anonymous, _ = builder_submit(
        world, text=ANON_TEXT, title="", is_anonymous=True, **ANON_IDENTITY
    )
    verify(
        world,
        anonymous,
        public_title="Lampu jalan mati di Jepang",
        public_text=ANON_TEXT,
        is_anonymous=True,
    )
    other = reach(world, Status.RESPONDED)
    return {"secret": secret, "anonymous": anonymous, "other": other}


def assert_private(html: str, secret_number: str):
    for forbidden in [*FORBIDDEN, secret_number]:
        assert forbidden not in html, forbidden


def test_public_pages_never_show_identity_phones_or_the_secret_report(client, reports):
    secret_number = reports["secret"].tracking_number
    anon_number = reports["anonymous"].tracking_number
    pages = [
        reverse("complaints:home"),
        reverse("complaints:public_list"),
        reverse("complaints:public_list") + "?q=sekolah",
        reverse("complaints:public_list") + "?q=pungutan",
        reverse("complaints:public_detail", args=[anon_number]),
        reverse("complaints:statistics"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response.content.decode(), secret_number)

    # Searching for the secret report's number finds nothing (the page only echoes the query,
    # in the search box and the language switch's return address).
    html = client.get(reverse("complaints:public_list") + "?q=" + secret_number).content.decode()
    assert reverse("complaints:public_detail", args=[secret_number]) not in html
    assert_private(html.replace(secret_number, ""), secret_number)
    assert "Pungutan liar di sekolah" not in html

    # The anonim report is public, with its phone number masked.
    detail = client.get(reverse("complaints:public_detail", args=[anon_number])).content.decode()
    assert "Lampu penerangan jalan di depan SD Negeri 2 Jepang" in detail
    assert "[disamarkan]" in detail
    # The rahasia report has no public page at all.
    assert client.get(reverse("complaints:public_detail", args=[secret_number])).status_code == 404


def test_similar_report_hints_never_show_the_secret_report_or_identities(client, world, reports):
    response = client.post(
        reverse("complaints:similar_reports"),
        {
            "text": SECRET_TEXT + " " + ANON_TEXT,
            "desa": world.desa.pk,
            "category": world.category.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_private(html, reports["secret"].tracking_number)
    assert reports["anonymous"].tracking_number in html  # the public one is offered


def test_another_reporters_tracking_page_shows_nothing_of_them(client, reports):
    other = reports["other"]
    session = client.session
    grant_tracking(type("R", (), {"session": session})(), other)
    session.save()

    page = client.get(reverse("complaints:track_detail", args=[other.tracking_number]))
    assert page.status_code == 200
    assert_private(page.content.decode(), reports["secret"].tracking_number)
    assert reports["anonymous"].tracking_number not in page.content.decode()

    # Nor can that session open the others' tracking pages.
    for report in (reports["secret"], reports["anonymous"]):
        response = client.get(reverse("complaints:track_detail", args=[report.tracking_number]))
        assert response.status_code == 302
        assert "Warsini" not in response.content.decode()
