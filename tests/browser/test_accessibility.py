"""Accessibility and mobile layout of the citizen website's main pages (issue 3, point 9).

One walk through the site per screen width, as a citizen would make it: the public pages,
the complaint form (empty, refused, sent), tracking a report with its codes, and the account
pages up to "my reports". On every page axe-core (WCAG 2 A/AA) must find no serious or
critical violation, and on a phone (360 px) the page must not scroll sideways. Every page is
kept as a screenshot under var/screenshots for people to look at.

Problems are collected over the whole walk and reported together, so one run names every page
that needs work. The only requests leaving the live server may be the map's tiles (a setting):
no page depends on a CDN.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from complaints.actors import reporter_actor
from disposition import services as ds
from disposition.models import ResponseKind
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, screenshot, scrolls_sideways
from tests.builders import lead_disposition, respond, submit, verify
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_CACHE_PREFIX = f"rl-browser-{uuid.uuid4().hex}:"


@pytest.fixture
def site(world, citizen):
    """Reports in several states, made through the services at the real time (so the home
    page, the list and the statistics of this year show them)."""
    world.now = timezone.now()
    answered, code = submit(world, title="Jalan berlubang di depan balai desa")
    verify(world, answered)
    ds.disposition_create(
        complaint=answered, actor=world.ak, opds=[world.opd], lead=world.opd, now=world.now
    )
    disposition = lead_disposition(answered)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=world.now)
    respond(world, disposition, ResponseKind.INITIAL, text="Petugas meninjau lokasi besok pagi.")
    respond(world, disposition, ResponseKind.FINAL, text="Lubang sudah ditambal dengan aspal.")

    anonymous, _code = submit(
        world,
        is_anonymous=True,
        title="Sampah menumpuk di pasar",
        text="Sampah menumpuk di belakang pasar sejak seminggu dan baunya menyengat warga.",
    )
    verify(
        world,
        anonymous,
        public_title="Sampah menumpuk di pasar",
        public_text="Sampah menumpuk di belakang pasar sejak seminggu.",
        is_anonymous=True,
    )
    submit(world, text="Laporan baru yang belum diverifikasi oleh Admin Kabupaten sama sekali.")
    submit(
        world,
        actor=reporter_actor(user=citizen),
        reporter_user=citizen,
        title="Lampu jalan mati",
        text="Lampu penerangan jalan di Jl. Sunan Muria mati sejak seminggu, gelap sekali.",
    )
    return {"answered": answered, "code": code, "citizen": citizen}


class Walk:
    """Checks each page it is shown and collects what is wrong."""

    def __init__(self, page, width: int):
        self.page, self.width = page, width
        self.problems: dict[str, object] = {}

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        screenshot(page, f"{name}-{self.width}")
        violations = axe_violations(page)
        if violations:
            self.problems[f"{name}: axe"] = violations
        if self.width <= PHONE["width"] and scrolls_sideways(page):
            self.problems[f"{name}: scrolls sideways"] = _widest(page)

    def visit(self, path: str, name: str) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.ok, f"{path} answered {response.status}"
        self.check(name)


def _widest(page) -> list[str]:
    """The elements sticking out on the right (to say where the sideways scroll comes from)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))"""
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "360px"])
def test_the_main_pages_pass_axe_and_fit_a_phone_screen(new_page, live_server, site, viewport):
    page = new_page(viewport)
    host = urlparse(live_server.url).netloc
    tile_host = urlparse(django_settings.MAP_TILE_URL).netloc
    outside = set()

    def block(route):
        outside.add(urlparse(route.request.url).netloc)
        route.abort()

    page.context.route(lambda url: urlparse(url).netloc != host, block)
    walk = Walk(page, viewport["width"])
    answered = site["answered"]

    walk.visit("/", "home")
    walk.visit("/laporan/", "public-list")
    walk.visit(f"/laporan/{answered.tracking_number}/", "public-detail")
    walk.visit("/statistik/", "statistics")
    walk.visit("/privasi/", "privacy")

    walk.visit("/lapor/", "report-form")
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#error-summary").wait_for()
    walk.check("report-form-errors")
    page.fill("#id_text", "Saluran air di depan SD 2 tersumbat sampah sehingga jalan banjir.")
    page.check("#id_consent")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim/")
    walk.check("report-submitted")

    walk.visit("/lacak/", "track")
    page.get_by_label("Nomor pelacakan").fill(answered.tracking_number)
    page.get_by_label("Kode akses").fill(site["code"])
    page.get_by_role("button", name="Lihat laporan").click()
    page.wait_for_url(f"**/lacak/{answered.tracking_number}/")
    walk.check("track-detail")

    walk.visit("/akun/daftar/", "register")
    walk.visit("/akun/masuk/", "login")
    page.get_by_label("E-mail atau nomor HP").fill(site["citizen"].email)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/akun/laporan-saya/")
    walk.check("my-reports")
    assert page.get_by_role("link", name="Lampu jalan mati").count() == 1

    assert walk.problems == {}
    assert outside <= {tile_host}, f"requests outside the site: {outside}"


def test_keyboard_users_can_skip_to_the_form_and_always_see_where_they_are(
    new_page, live_server, world
):
    page = new_page(PHONE)
    host = urlparse(live_server.url).netloc
    page.context.route(lambda url: urlparse(url).netloc != host, lambda route: route.abort())
    page.goto("/lapor/")

    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert skip == ["skip-link", "Langsung ke isi"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    unseen, reached_submit = [], False
    for _ in range(60):  # through the whole form, up to its submit button
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const e = document.activeElement, s = getComputedStyle(e);
                const r = e.getBoundingClientRect();
                return {
                    what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''),
                    // On a date field's calendar button Chromium draws its own ring.
                    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                        || (e.type === 'date' && !e.matches(':focus-visible')),
                    onScreen: r.bottom > 0 && r.top < innerHeight && r.width > 0,
                    submit: e.hasAttribute('data-submit'),
                };
            }"""
        )
        if not (focused["ring"] and focused["onScreen"]):
            unseen.append(focused)
        if focused["submit"]:
            reached_submit = True
            break
    assert reached_submit, "the submit button cannot be reached with the Tab key"
    assert unseen == []
