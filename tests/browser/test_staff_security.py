"""The staff login in a real browser: the lock-out after repeated failures, setting up TOTP
from the secret shown on the page, logging in with a code, then with a backup code.

The test computes codes from the secret the page shows, as an authenticator app would.
"""

from __future__ import annotations

import re
import time
import uuid
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, scrolls_sideways
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = "/kelola/2fa/atur/"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.RATELIMIT_CACHE_PREFIX = f"rl-browser-{uuid.uuid4().hex}:"


def log_in(page, username, password=PASSWORD, *, next_url=""):
    page.goto("/kelola/masuk/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def code_from(secret_text: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed from the page (``steps_ahead``:
    a phone clock a little ahead, which the server tolerates by one 30-second step)."""
    key = b32decode(secret_text.replace(" ", ""))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(
    new_page, admin_opd, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    page = new_page()
    page.goto("/kelola/masuk/")
    expect(page.get_by_role("heading", name="Masuk petugas")).to_be_visible()
    assert axe_violations(page) == []
    assert not scrolls_sideways(page)
    screenshot(page, "kelola-login")

    for attempt in range(2):
        log_in(page, "admin.dinkes", f"salah-sandi-{attempt}-99")
        expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
        # What was typed stays; the password never comes back.
        expect(page.get_by_label("Nama pengguna")).to_have_value("admin.dinkes")
        expect(page.get_by_label("Kata sandi", exact=True)).to_have_value("")

    log_in(page, "admin.dinkes", "salah-sandi-3-99")
    expect(page.get_by_role("heading", name="Akun dikunci sementara")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Coba lagi dalam 30 menit")
    assert axe_violations(page) == []
    screenshot(page, "kelola-locked")

    # Even the right password is refused while the lock lasts.
    log_in(page, "admin.dinkes", PASSWORD)
    expect(page.get_by_role("heading", name="Akun dikunci sementara")).to_be_visible()


def test_totp_set_up_then_login_with_a_code_then_with_a_backup_code(new_page, admin_kabupaten):
    page = new_page()
    log_in(page, "admin.kabupaten")

    # A role that requires the second factor sets it up before anything else.
    expect(page).to_have_url(re.compile(r"/kelola/2fa/atur/$"))
    expect(page.get_by_role("heading", name="Atur verifikasi dua langkah")).to_be_visible()
    expect(page.locator(".auth-qr svg")).to_be_visible()
    assert axe_violations(page) == []
    assert not scrolls_sideways(page)
    screenshot(page, "kelola-2fa-setup")
    secret = page.locator("[data-secret]").inner_text()

    page.get_by_label("Kode 6 angka dari aplikasi").fill("000000")
    page.get_by_role("button", name="Konfirmasi").click()
    expect(page.get_by_role("alert")).to_contain_text("Kode tidak cocok")
    assert page.locator("[data-secret]").inner_text() == secret

    page.get_by_label("Kode 6 angka dari aplikasi").fill(code_from(secret))
    page.get_by_role("button", name="Konfirmasi").click()

    expect(page.get_by_role("heading", name="Simpan kode cadangan Anda")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Verifikasi dua langkah aktif")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    assert axe_violations(page) == []
    screenshot(page, "kelola-backup-codes")
    # Shown once: back on the page, no codes.
    page.goto(SETUP)
    expect(page.get_by_role("heading", name="Keamanan akun")).to_be_visible()
    expect(page.locator(".backup-codes")).to_have_count(0)
    page.get_by_role("button", name="Keluar").click()
    expect(page.locator(".messages")).to_contain_text("Anda sudah keluar")

    # Next login: password, then a code from the app.
    log_in(page, "admin.kabupaten", next_url=SETUP)
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "kelola-2fa-verify")
    # The set-up code cannot be replayed: the app's next code (one step ahead) is accepted.
    page.get_by_label("Kode verifikasi").fill(code_from(secret, steps_ahead=1))
    page.get_by_role("button", name="Verifikasi dan masuk").click()
    expect(page).to_have_url(re.compile(r"/kelola/2fa/atur/$"))
    expect(page.locator(".messages")).to_contain_text("Selamat datang")
    expect(page.locator("main")).to_contain_text("Tersisa 10 kode cadangan")

    # Phone lost: a backup code, on a fresh browser.
    other = new_page()
    log_in(other, "admin.kabupaten", next_url=SETUP)
    other.get_by_text("Ponsel tidak ada atau hilang?").click()
    other.get_by_label("Kode verifikasi").fill(codes[0])
    other.get_by_role("button", name="Verifikasi dan masuk").click()
    expect(other.locator(".messages")).to_contain_text("Anda masuk dengan kode cadangan")
    expect(other.locator("main")).to_contain_text("Tersisa 9 kode cadangan")

    # The same backup code does not work twice.
    third = new_page()
    log_in(third, "admin.kabupaten", next_url=SETUP)
    third.get_by_label("Kode verifikasi").fill(codes[0])
    third.get_by_role("button", name="Verifikasi dan masuk").click()
    expect(third.get_by_role("alert")).to_contain_text("Kode salah atau sudah pernah dipakai")
