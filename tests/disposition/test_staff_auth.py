"""The staff login at /kelola/ (issue 4, point 1): password, lock-out, audit log, second
factor (TOTP and backup codes), a superuser's reset, passwords, logout."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from disposition.accounts import (
    backup_codes_replace,
    second_factor_verify,
    staff_account_deactivate,
)
from disposition.models import Role, StaffRole
from disposition.views.auth import ENROL_KEY, PENDING_KEY
from tests.factories import PASSWORD, StaffRoleFactory, UserFactory

LOGIN = reverse("kelola:login")
LOGOUT = reverse("kelola:logout")
SECOND_FACTOR = reverse("kelola:second_factor")
SETUP = reverse("kelola:second_factor_setup")
RESET = reverse("kelola:second_factor_reset")
HOME = reverse("kelola:home")
NEW_PASSWORD = "Menara-Kudus-1685"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def logged_in_id(client):
    return client.session.get(SESSION_KEY)


def page(response) -> str:
    return response.content.decode()


def code_for(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def code_for_key(hex_key: str) -> str:
    return f"{totp(bytes.fromhex(hex_key)):06d}"


def later(seconds: int):
    """Move the clock on: a TOTP code is accepted once per 30-second step, and a wrong code
    makes the device wait (1, 2, 4 … seconds) before it checks the next one."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    # Rate-limit counters live in the shared Redis and outlive a test: a namespace per test.
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def device_for(db):
    def make(user):
        return TOTPDevice.objects.create(user=user, name="Ponsel", confirmed=True)

    return make


@pytest.fixture
def superuser(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


# --- Password step ------------------------------------------------------------------------


def test_login_page_is_for_staff_and_points_citizens_elsewhere(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert 'name="username"' in page(response)
    assert reverse("complaints:login") in page(response)


def test_admin_opd_without_a_device_goes_straight_in(client, admin_opd):
    response = login(client, "admin.dinkes")

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert logged_in_id(client) == str(admin_opd.pk)
    assert client.get(HOME)["Location"] == reverse("kelola:opd_inbox")


def test_staff_session_ends_with_the_browser(client, admin_opd, settings):
    login(client, "admin.dinkes")

    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600


def test_login_goes_to_a_safe_next_address_only(admin_opd):
    target = reverse("kelola:opd_inbox")
    safe = login(Client(), "admin.dinkes", next=target)
    unsafe = login(Client(), "admin.dinkes", next="https://evil.example/kelola/")

    assert safe["Location"] == target
    assert unsafe["Location"] == HOME


@pytest.mark.parametrize("username", ["admin.dinkes", "tidak.ada"])
def test_wrong_password_and_unknown_user_get_the_same_answer(client, admin_opd, username):
    response = login(client, username, "salah-sandi-12345")

    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah" in page(response)
    assert logged_in_id(client) is None


def test_citizen_is_refused_and_pointed_to_the_citizen_login(client, citizen):
    response = login(client, "warga")

    assert response.status_code == 400
    assert "Akun ini adalah akun warga" in page(response)
    assert reverse("complaints:login") in page(response)
    assert logged_in_id(client) is None
    assert AccessFailureLog.objects.filter(username="warga").count() == 1


def test_inactive_staff_gets_the_generic_answer(client, admin_opd):
    admin_opd.is_active = False
    admin_opd.save()

    response = login(client, "admin.dinkes")

    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah" in page(response)
    assert logged_in_id(client) is None


def test_revoked_staff_role_is_refused(client, admin_opd):
    StaffRole.objects.filter(user=admin_opd).update(is_active=False)

    response = login(client, "admin.dinkes")

    assert response.status_code == 400
    assert "tidak (lagi) memiliki peran petugas" in page(response)
    assert logged_in_id(client) is None


def test_signed_in_staff_visiting_the_login_goes_home(staff_client, admin_opd):
    assert staff_client(admin_opd).get(LOGIN)["Location"] == HOME


# --- Lock-out and the audit log -----------------------------------------------------------


def test_lock_out_after_the_failure_limit_with_a_clear_message(client, admin_opd, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert login(client, "admin.dinkes", "salah-sandi-12345").status_code == 400

    locked = login(client, "admin.dinkes", "salah-sandi-12345")
    right_password = login(client, "admin.dinkes")

    assert locked.status_code == right_password.status_code == 429
    text = page(right_password)
    assert "Akun dikunci sementara" in text
    assert "Coba lagi dalam 30 menit" in text
    assert "WIB" in text
    assert reverse("kelola:password_reset") in text
    assert logged_in_id(client) is None


def test_lock_out_is_per_username_and_address(admin_opd, colleague_opd, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attacker = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(2):
        login(attacker, "admin.dinkes", "salah-sandi-12345")

    assert login(attacker, "admin.dinkes").status_code == 429
    assert login(attacker, "admin2.dinkes").status_code == 302
    assert login(Client(REMOTE_ADDR="10.2.2.2"), "admin.dinkes").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, admin_opd, settings):
    settings.AXES_FAILURE_LIMIT = 3
    login(client, "admin.dinkes", "salah-sandi-12345")
    login(client, "admin.dinkes", "salah-sandi-12345")
    login(client, "admin.dinkes")
    client.post(LOGOUT)

    assert login(client, "admin.dinkes", "salah-sandi-12345").status_code == 400


def test_lock_out_at_the_citizen_login_uses_the_citizen_layout(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.RATELIMIT_ACCOUNT_IP = "100/h"
    login_url = reverse("complaints:login")

    response = client.post(login_url, {"login": "+6281229990001", "password": "salah-12345"})

    assert response.status_code == 429
    assert "Akun dikunci sementara" in page(response)
    assert reverse("complaints:password_reset") in page(response)
    assert reverse("kelola:password_reset") not in page(response)


def test_login_failure_and_logout_are_in_the_audit_log(client, admin_opd):
    login(client, "admin.dinkes", "salah-sandi-12345")
    assert "salah-sandi" not in AccessAttempt.objects.get(username="admin.dinkes").post_data
    login(client, "admin.dinkes")

    failure = AccessFailureLog.objects.get(username="admin.dinkes")
    entry = AccessLog.objects.get(username="admin.dinkes")
    assert failure.path_info == LOGIN
    assert entry.logout_time is None

    client.post(LOGOUT)

    entry.refresh_from_db()
    assert entry.logout_time is not None


def test_superuser_reads_the_login_logs_in_the_django_admin(staff_client, superuser, admin_opd):
    login(Client(), "admin.dinkes", "salah-sandi-12345")
    login(Client(), "admin.dinkes")
    admin = staff_client(superuser)

    for name in ("accesslog", "accessfailurelog"):
        response = admin.get(reverse(f"admin:axes_{name}_changelist"))
        assert response.status_code == 200, name
        assert "admin.dinkes" in page(response)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_staff_without_superuser_cannot_read_the_login_logs(staff_client, admin_kabupaten):
    admin_kabupaten.is_staff = True
    admin_kabupaten.save()

    response = staff_client(admin_kabupaten).get(reverse("admin:axes_accesslog_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- Logout -------------------------------------------------------------------------------


def test_logout_asks_on_get_and_logs_out_on_post(staff_client, admin_opd):
    client = staff_client(admin_opd)

    confirm = client.get(LOGOUT)
    assert confirm.status_code == 200
    assert "Ya, keluar" in page(confirm)
    assert logged_in_id(client) == str(admin_opd.pk)

    done = client.post(LOGOUT, follow=True)
    assert logged_in_id(client) is None
    assert "Anda sudah keluar" in page(done)


def test_logout_get_without_a_session_goes_to_the_login(client, db):
    assert client.get(LOGOUT)["Location"] == LOGIN


# --- Second factor: set-up required -------------------------------------------------------


def test_admin_kabupaten_without_a_device_must_set_one_up_first(client, admin_kabupaten):
    response = login(client, "admin.kabupaten")

    assert response["Location"] == SETUP
    assert logged_in_id(client) is None
    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert client.get(reverse("kelola:inbox"))["Location"].startswith(LOGIN)

    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert "<svg" in page(setup)
    assert client.session[ENROL_KEY]["key"]
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page(setup)).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert not TOTPDevice.objects.filter(user=admin_kabupaten).exists()


def test_set_up_with_a_wrong_code_changes_nothing(client, admin_kabupaten):
    login(client, "admin.kabupaten")
    client.get(SETUP)

    response = client.post(SETUP, {"action": "confirm", "code": "000000"})

    assert response.status_code == 400
    assert "Kode tidak cocok" in page(response)
    assert not TOTPDevice.objects.filter(user=admin_kabupaten).exists()
    assert logged_in_id(client) is None


def test_set_up_logs_in_and_shows_ten_backup_codes_once(client, admin_kabupaten):
    login(client, "admin.kabupaten", next=reverse("kelola:inbox"))
    client.get(SETUP)
    key = client.session[ENROL_KEY]["key"]

    response = client.post(SETUP, {"action": "confirm", "code": code_for_key(key)})

    assert response["Location"] == SETUP
    assert logged_in_id(client) == str(admin_kabupaten.pk)
    device = TOTPDevice.objects.get(user=admin_kabupaten)
    assert device.confirmed
    assert device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    codes_page = client.get(SETUP)
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page(codes_page))
    assert len(codes) == 10
    assert reverse("kelola:inbox") in page(codes_page)
    assert StaticToken.objects.filter(device__user=admin_kabupaten).count() == 10
    assert "<code>" not in page(client.get(SETUP))
    assert client.get(HOME)["Location"] == reverse("kelola:inbox")
    assert LogEntry.objects.filter(object_id=str(admin_kabupaten.pk)).exists()


def test_superuser_without_a_device_must_set_one_up(client, superuser):
    assert login(client, "operator")["Location"] == SETUP
    assert logged_in_id(client) is None


def test_a_pending_login_expires(client, admin_kabupaten):
    login(client, "admin.kabupaten")

    with later(16 * 60):
        response = client.get(SETUP, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "Silakan masuk lagi" in page(response)


# --- Second factor: verifying at login ----------------------------------------------------


def test_admin_kabupaten_with_a_device_enters_a_code(client, admin_kabupaten, device_for):
    device = device_for(admin_kabupaten)

    response = login(client, "admin.kabupaten")
    assert response["Location"] == SECOND_FACTOR
    assert logged_in_id(client) is None
    assert client.get(HOME)["Location"].startswith(LOGIN)

    done = client.post(SECOND_FACTOR, {"code": code_for(device)})

    assert done["Location"] == HOME
    assert logged_in_id(client) == str(admin_kabupaten.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_KEY not in client.session
    assert client.get(HOME)["Location"] == reverse("kelola:inbox")
    assert AccessLog.objects.filter(username="admin.kabupaten", path_info=SECOND_FACTOR).exists()


def test_a_wrong_code_is_refused_and_counted(client, admin_kabupaten, device_for):
    device = device_for(admin_kabupaten)
    login(client, "admin.kabupaten")

    response = client.post(SECOND_FACTOR, {"code": "123456"})

    assert response.status_code == 400
    assert "Kode salah atau sudah pernah dipakai" in page(response)
    assert logged_in_id(client) is None
    failure = AccessFailureLog.objects.get(username="admin.kabupaten")
    assert failure.path_info == SECOND_FACTOR
    assert "123456" not in AccessAttempt.objects.get(username="admin.kabupaten").post_data

    with later(3):
        assert client.post(SECOND_FACTOR, {"code": code_for(device)}).status_code == 302
    assert logged_in_id(client) == str(admin_kabupaten.pk)


def test_codes_tried_too_fast_are_throttled_with_a_clear_message(
    client, admin_kabupaten, device_for
):
    device = device_for(admin_kabupaten)
    login(client, "admin.kabupaten")
    client.post(SECOND_FACTOR, {"code": "123456"})

    with time_machine.travel(timezone.now(), tick=False):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_count=4, throttling_failure_timestamp=timezone.now()
        )
        response = client.post(SECOND_FACTOR, {"code": code_for(device)})

    assert response.status_code == 429
    assert "Terlalu banyak kode salah" in page(response)
    assert "tunggu 8 detik" in page(response)
    assert logged_in_id(client) is None


def test_wrong_codes_lead_to_the_lock_out_as_well(client, admin_kabupaten, device_for, settings):
    settings.AXES_FAILURE_LIMIT = 2
    device = device_for(admin_kabupaten)
    login(client, "admin.kabupaten")
    client.post(SECOND_FACTOR, {"code": "123456"})

    with later(3):
        locked = client.post(SECOND_FACTOR, {"code": "654321"})
    with later(10):
        still = client.post(SECOND_FACTOR, {"code": code_for(device)})

    assert locked.status_code == still.status_code == 429
    assert "Akun dikunci sementara" in page(still)
    assert logged_in_id(client) is None


def test_a_backup_code_works_once(client, admin_kabupaten, device_for):
    device_for(admin_kabupaten)
    codes = backup_codes_replace(user=admin_kabupaten)

    login(client, "admin.kabupaten")
    first = client.post(SECOND_FACTOR, {"code": f"{codes[0][:4]}-{codes[0][4:].upper()}"})
    assert first["Location"] == HOME
    assert logged_in_id(client) == str(admin_kabupaten.pk)
    assert "Tersisa 9 kode cadangan" in page(client.get(SETUP))

    client.post(LOGOUT)
    other = Client()
    login(other, "admin.kabupaten")
    again = other.post(SECOND_FACTOR, {"code": codes[0]})

    assert again.status_code == 400
    assert logged_in_id(other) is None
    assert StaticToken.objects.filter(device__user=admin_kabupaten).count() == 9


def test_an_optional_device_once_set_up_cannot_be_skipped(client, admin_opd, device_for):
    device = device_for(admin_opd)

    assert login(client, "admin.dinkes")["Location"] == SECOND_FACTOR
    assert logged_in_id(client) is None
    assert client.get(reverse("kelola:opd_inbox"))["Location"].startswith(LOGIN)

    client.post(SECOND_FACTOR, {"code": code_for(device)})
    assert logged_in_id(client) == str(admin_opd.pk)


def test_second_factor_page_without_a_pending_login_goes_to_the_login(client, db):
    assert client.get(SECOND_FACTOR)["Location"] == LOGIN


def test_an_unverified_session_from_elsewhere_is_asked_for_a_code(admin_kabupaten, device_for):
    device = device_for(admin_kabupaten)
    client = Client()
    client.force_login(admin_kabupaten, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(HOME)["Location"] == SECOND_FACTOR
    assert client.post(SECOND_FACTOR, {"code": code_for(device)})["Location"] == HOME
    assert client.get(HOME)["Location"] == reverse("kelola:inbox")


def test_the_login_page_sends_an_unverified_session_to_the_code(admin_kabupaten, device_for):
    device = device_for(admin_kabupaten)
    client = Client()
    client.force_login(admin_kabupaten, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(LOGIN, {"next": "/admin/"})

    assert response["Location"] == SECOND_FACTOR + "?next=%2Fadmin%2F"
    assert client.post(response["Location"], {"code": code_for(device)})["Location"] == "/admin/"


def test_a_login_replaces_another_users_session(client, citizen, admin_kabupaten, device_for):
    device = device_for(admin_kabupaten)
    client.force_login(citizen, backend="complaints.auth.EmailOrPhoneBackend")

    login(client, "admin.kabupaten")
    assert logged_in_id(client) is None

    client.post(SECOND_FACTOR, {"code": code_for(device)})
    assert logged_in_id(client) == str(admin_kabupaten.pk)


# --- Managing one's own second factor -----------------------------------------------------


def test_admin_opd_sets_up_an_optional_device_after_the_password(staff_client, admin_opd):
    client = staff_client(admin_opd)
    manage = client.get(SETUP)
    assert "Belum aktif" in page(manage)

    wrong = client.post(SETUP, {"action": "start", "password": "salah-sandi-12345"})
    assert wrong.status_code == 400
    assert "Kata sandi salah" in page(wrong)
    assert ENROL_KEY not in client.session

    client.post(SETUP, {"action": "start", "password": PASSWORD})
    key = client.session[ENROL_KEY]["key"]
    client.post(SETUP, {"action": "confirm", "code": code_for_key(key)})

    assert TOTPDevice.objects.filter(user=admin_opd, confirmed=True).count() == 1
    assert len(re.findall(r"<code>", page(client.get(SETUP)))) == 10


def test_replacing_the_app_needs_a_current_code(staff_client, admin_kabupaten):
    client = staff_client(admin_kabupaten)
    old = TOTPDevice.objects.get(user=admin_kabupaten)

    refused = client.post(SETUP, {"action": "start", "code": "000000"})
    assert refused.status_code == 400
    assert ENROL_KEY not in client.session

    with later(3):
        client.post(SETUP, {"action": "start", "code": code_for(old)})
    key = client.session[ENROL_KEY]["key"]
    client.post(SETUP, {"action": "confirm", "code": code_for_key(key)})

    device = TOTPDevice.objects.get(user=admin_kabupaten)
    assert device.pk != old.pk
    assert device.key == key
    assert client.get(HOME)["Location"] == reverse("kelola:inbox")


def test_new_backup_codes_replace_the_old_ones(staff_client, admin_kabupaten):
    client = staff_client(admin_kabupaten)
    old = backup_codes_replace(user=admin_kabupaten)
    device = TOTPDevice.objects.get(user=admin_kabupaten)

    client.post(SETUP, {"action": "codes", "codes-code": code_for(device)})

    new = re.findall(r"<code>([a-z2-7-]+)</code>", page(client.get(SETUP)))
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_setup_page_for_anonymous_goes_to_the_login(client, db):
    assert client.get(SETUP)["Location"].startswith(LOGIN)


# --- A superuser resets a lost device -----------------------------------------------------


def test_superuser_resets_a_lost_device(staff_client, superuser, admin_kabupaten, device_for):
    device_for(admin_kabupaten)
    backup_codes_replace(user=admin_kabupaten)
    lost_phone = staff_client(admin_kabupaten)
    operator = staff_client(superuser)

    listing = operator.get(RESET)
    assert listing.status_code == 200
    assert "admin.kabupaten" in page(listing)
    confirm = operator.get(RESET, {"pengguna": admin_kabupaten.pk})
    assert "Ya, reset perangkat" in page(confirm)

    done = operator.post(RESET, {"pengguna": admin_kabupaten.pk}, follow=True)

    assert "sudah direset" in page(done)
    assert not TOTPDevice.objects.filter(user=admin_kabupaten).exists()
    assert not StaticDevice.objects.filter(user=admin_kabupaten).exists()
    entry = LogEntry.objects.get(object_id=str(admin_kabupaten.pk), user=superuser)
    assert "direset oleh superuser" in entry.change_message
    # The open session lost its verification; the next login sets up again.
    assert lost_phone.get(HOME)["Location"] == SECOND_FACTOR
    assert login(Client(), "admin.kabupaten")["Location"] == SETUP


@pytest.mark.parametrize("persona", ["admin_kabupaten", "admin_opd", "pejabat_penghubung"])
def test_only_superusers_reach_the_reset_page(staff_client, request, persona, device_for):
    user = request.getfixturevalue(persona)
    other = device_for(
        StaffRoleFactory(user__username="korban", role=Role.ADMIN_KABUPATEN, opd=None).user
    )

    client = staff_client(user)
    assert client.get(RESET).status_code == 404
    assert client.post(RESET, {"pengguna": other.user_id}).status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_reset_page_for_anonymous_and_citizens(client, citizen):
    assert client.get(RESET)["Location"].startswith(LOGIN)
    client.force_login(citizen, backend="complaints.auth.EmailOrPhoneBackend")
    assert client.get(RESET).status_code == 404


def test_superuser_cannot_reset_their_own_device(staff_client, superuser):
    client = staff_client(superuser)

    response = client.post(RESET, {"pengguna": superuser.pk}, follow=True)

    assert "superuser lain" in page(response)
    assert TOTPDevice.objects.filter(user=superuser).exists()


# --- Passwords ----------------------------------------------------------------------------


def test_password_reset_mails_staff_only_and_answers_the_same(client, admin_opd, citizen, settings):
    citizen.email = "warga@example.test"
    citizen.save()
    url = reverse("kelola:password_reset")

    answers = [
        client.post(url, {"email": address})
        for address in ("admin.dinkes@example.test", "warga@example.test", "siapa@example.test")
    ]

    assert {a["Location"] for a in answers} == {reverse("kelola:password_reset_done")}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin.dinkes@example.test"]
    assert settings.SITE_URL + "/kelola/sandi-baru/" in mail.outbox[0].body


def test_reset_link_sets_a_strong_password_and_lifts_a_lock_out(client, admin_opd, settings):
    settings.AXES_FAILURE_LIMIT = 1
    login(Client(), "admin.dinkes", "salah-sandi-12345")
    client.post(reverse("kelola:password_reset"), {"email": "admin.dinkes@example.test"})
    link = re.search(r"https?://\S+/kelola/sandi-baru/\S+/", mail.outbox[0].body).group(0)
    path = link.split(settings.SITE_URL, 1)[1]
    form_url = client.get(path)["Location"]

    weak = client.post(form_url, {"new_password1": "kudus123", "new_password2": "kudus123"})
    assert weak.status_code == 200
    assert "terlalu pendek" in str(weak.context["form"].errors)

    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    admin_opd.refresh_from_db()
    assert admin_opd.check_password(NEW_PASSWORD)
    assert login(Client(), "admin.dinkes", NEW_PASSWORD).status_code == 302


def test_password_change_keeps_the_session_and_its_audit_row(client, admin_opd):
    login(client, "admin.dinkes")
    url = reverse("kelola:password_change")

    weak = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "pendek1", "new_password2": "pendek1"},
    )
    assert weak.status_code == 400

    client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    admin_opd.refresh_from_db()
    assert admin_opd.check_password(NEW_PASSWORD)
    assert logged_in_id(client) == str(admin_opd.pk)

    client.post(LOGOUT)
    assert AccessLog.objects.get(username="admin.dinkes").logout_time is not None


def test_password_change_is_for_staff_only(client, citizen):
    url = reverse("kelola:password_change")
    assert client.get(url)["Location"].startswith(LOGIN)
    client.force_login(citizen, backend="complaints.auth.EmailOrPhoneBackend")
    assert client.get(url).status_code == 404


# --- Services -----------------------------------------------------------------------------


def test_verify_refuses_without_an_app(admin_opd):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        second_factor_verify(user=admin_opd, code="123456")

    assert caught.value.code == "no_device"


def test_deactivating_keeps_the_account_and_its_history(admin_kabupaten, admin_opd, device_for):
    device_for(admin_opd)

    staff_account_deactivate(by=admin_kabupaten, user=admin_opd, reason="Pindah tugas")

    admin_opd.refresh_from_db()
    assert not admin_opd.is_active
    assert StaffRole.objects.get(user=admin_opd).is_active is False
    assert not TOTPDevice.objects.filter(user=admin_opd).exists()
    assert "Pindah tugas" in LogEntry.objects.get(object_id=str(admin_opd.pk)).change_message
    assert login(Client(), "admin.dinkes").status_code == 400


def test_staff_client_verifies_where_required(staff_client, admin_kabupaten, admin_opd):
    assert staff_client(admin_kabupaten).get(HOME)["Location"] == reverse("kelola:inbox")
    assert staff_client(admin_opd).get(HOME)["Location"] == reverse("kelola:opd_inbox")
    assert DEVICE_ID_SESSION_KEY not in staff_client(admin_opd).session


# --- The Django admin ---------------------------------------------------------------------


def test_the_django_admin_login_is_the_staff_login(client, superuser):
    # One door for staff: its lock-out and second factor apply to the admin too.
    response = client.post(
        reverse("admin:login"), {"username": "operator", "password": "salah-sandi-12345"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("kelola:login"))
    assert "next=/admin/" in response.url


def test_django_admin_needs_the_second_factor_too(superuser):
    client = Client()
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("admin:index")).status_code == 302
