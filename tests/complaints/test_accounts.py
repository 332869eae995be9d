"""Citizen accounts (/akun/…): register, verify the e-mail address, log in and out, reset a
forgotten password, "Laporan saya", and linking an earlier report.

Accounts and reports are built through the services. Every test counts rate limits in a
namespace of its own (``RATELIMIT_CACHE_PREFIX``), so counters in the shared Redis never carry
over from another test or an earlier run.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as cs
from complaints.auth import EmailOrPhoneBackend
from complaints.messaging import SMS_MAX_LENGTH, LocmemSmsBackend
from complaints.models import CitizenProfile, Event, Reporter, Status
from disposition.models import Role
from tests.builders import reach, submit
from tests.conftest import NOW
from tests.factories import PASSWORD, StaffRoleFactory

User = get_user_model()
STRONG = "kretek-menara-2026"
REGISTER = reverse("complaints:register")
LOGIN = reverse("complaints:login")
LOGOUT = reverse("complaints:logout")
MY_REPORTS = reverse("complaints:my_reports")
RESET = reverse("complaints:password_reset")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "complaints.messaging.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def register(*, name="Siti Aminah", email="", phone="", password=STRONG):
    return cs.citizen_register(
        name=name, email=email, phone=phone, password=password, consented=True
    )


@pytest.fixture
def siti(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = register(email="siti@example.test", phone="081234567890")
    mail.outbox.clear()
    return user


def page(response) -> str:
    return response.content.decode()


def errors_of(response) -> str:
    match = re.search(r'<div class="form-errors".*?</div>', page(response), re.S)
    return match.group(0) if match else ""


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def link_in(text: str) -> str:
    """The path of the first link to this site in a message."""
    from django.conf import settings

    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", text)
    assert match, text
    return match.group(1)


def form_data(**overrides):
    data = {
        "name": "Siti Aminah",
        "email": "siti@example.test",
        "phone": "0812-3456-7890",
        "password": STRONG,
        "password_confirm": STRONG,
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Registration: the service ---------------------------------------------------------------


def test_registering_with_email_only_creates_a_citizen_with_a_generated_username(db):
    user = register(email="  Siti.Aminah@Example.TEST ")

    assert re.fullmatch(r"w-[a-z0-9]{10}", user.username)
    assert user.email == "siti.aminah@example.test"
    assert user.first_name == "Siti Aminah"
    assert user.check_password(STRONG)
    assert user.citizen_profile.phone is None
    assert user.citizen_profile.email_verified_at is None
    assert not user.is_staff
    assert not user.is_superuser
    assert cs.is_citizen_account(user)


def test_registering_with_phone_only_stores_the_number_in_e164(db):
    user = register(phone="0812-3456-7890")

    assert user.email == ""
    assert user.citizen_profile.phone == "+6281234567890"
    assert "0812" not in user.username
    assert "6281" not in user.username


def test_registering_with_both_keeps_both(db):
    user = register(email="siti@example.test", phone="+62 812 3456 7890")

    assert user.email == "siti@example.test"
    assert user.citizen_profile.phone == "+6281234567890"


def test_an_email_already_registered_in_another_case_is_refused(siti):
    with pytest.raises(ValidationError) as exc:
        register(email="SITI@example.test")

    assert "sudah terdaftar" in exc.value.message_dict["email"][0]
    assert User.objects.filter(email__iexact="siti@example.test").count() == 1


def test_a_staff_email_cannot_be_registered_as_a_citizen(admin_kabupaten):
    with pytest.raises(ValidationError) as exc:
        register(email=admin_kabupaten.email.upper())

    assert "sudah terdaftar" in exc.value.message_dict["email"][0]


def test_a_phone_already_registered_in_another_form_is_refused(siti):
    with pytest.raises(ValidationError) as exc:
        register(email="lain@example.test", phone="6281234567890")

    assert "sudah terdaftar" in exc.value.message_dict["phone"][0]
    assert not User.objects.filter(email="lain@example.test").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "", "phone": ""}, "email", "salah satu wajib"),
        ({"email": "bukan-email"}, "email", "e-mail tidak valid"),
        ({"phone": "0812"}, "phone", "Nomor HP tidak valid"),
        ({"name": "   "}, "name", "Isi nama"),
        ({"password": "pendek1"}, "password", "terlalu pendek"),
        ({"password": "1234567890123"}, "password", "seluruhnya terdiri dari angka"),
        ({"password": "password1234"}, "password", "terlalu umum"),
        (
            {"password": "siti.aminah.kudus", "email": "siti.aminah.kudus@example.test"},
            "password",
            "terlalu mirip",
        ),
        ({"consented": False}, "consent", "menyetujui pemberitahuan privasi"),
    ],
)
def test_each_refusal_names_its_field_in_indonesian_and_writes_nothing(db, fields, field, message):
    values = {
        "name": "Siti Aminah",
        "email": "siti@example.test",
        "phone": "",
        "password": STRONG,
        "consented": True,
    }
    values.update(fields)

    with pytest.raises(ValidationError) as exc:
        cs.citizen_register(**values)

    assert message in " ".join(exc.value.message_dict[field])
    assert not User.objects.exists()
    assert not CitizenProfile.objects.exists()


def test_all_refusals_of_one_registration_are_reported_together(db):
    with pytest.raises(ValidationError) as exc:
        cs.citizen_register(name="", email="x@", phone="12", password="123", consented=False)

    assert set(exc.value.message_dict) == {"name", "email", "phone", "password", "consent"}


def test_registering_sends_the_verification_link_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(email="siti@example.test")
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.test"]
    assert "Verifikasi" in message.subject
    assert "/akun/verifikasi/" in link_in(message.body)


def test_a_phone_only_registration_sends_no_mail(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(phone="081234567890")

    assert mail.outbox == []


# --- Registration: the page -----------------------------------------------------------------


def test_the_register_page_has_labelled_fields_and_the_privacy_link(client, db):
    response = client.get(REGISTER)

    html = page(response)
    assert response.status_code == 200
    for name in ("name", "email", "phone", "password", "password_confirm", "consent"):
        assert f'for="id_{name}"' in html
    assert 'autocomplete="new-password"' in html
    assert reverse("complaints:privacy") in html
    assert "Minimal 10 karakter" in html


def test_registering_on_the_page_logs_the_citizen_in_and_sends_the_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data())

    assert response.status_code == 302
    assert response["Location"] == MY_REPORTS
    user = User.objects.get(email="siti@example.test")
    assert logged_in_user_id(client) == str(user.pk)
    assert len(mail.outbox) == 1
    assert "siti@example.test" in page(client.get(MY_REPORTS))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "siti@example.test"}, "sudah terdaftar"),
        ({"password": "123", "password_confirm": "123"}, "Kata sandi terlalu pendek"),
        ({"phone": "0812-12"}, "Nomor HP tidak valid"),
        ({"email": "siti@@example"}, "Alamat e-mail tidak valid"),
        ({"consent": None}, "menyetujui pemberitahuan privasi"),
        ({"password_confirm": "kretek-menara-2025"}, "Kedua kata sandi tidak sama"),
    ],
)
def test_a_refused_registration_explains_itself_and_keeps_what_was_typed(
    client, siti, overrides, message
):
    data = form_data(name="Budi Santoso", email="budi@example.test", phone="0856-4011-0202")
    data.update({k: v for k, v in overrides.items() if v is not None})
    if overrides.get("consent", "") is None:
        data.pop("consent")
    users_before = User.objects.count()

    response = client.post(REGISTER, data)

    html = page(response)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert 'value="Budi Santoso"' in html
    assert f'value="{data["email"]}"' in html
    assert f'value="{data["phone"]}"' in html
    # Passwords are never echoed back into the page.
    assert data["password"] not in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == users_before
    assert logged_in_user_id(client) is None


def test_a_mismatched_confirmation_is_shown_with_the_other_refusals(client, siti):
    response = client.post(
        REGISTER,
        form_data(email="siti@example.test", password="123", password_confirm="124"),
    )

    errors = errors_of(response)
    assert "sudah terdaftar" in errors
    assert "Kata sandi terlalu pendek" in errors
    assert "Kedua kata sandi tidak sama" in errors


def test_registrations_are_limited_per_ip_and_the_refusal_keeps_the_input(client, db, settings):
    settings.RATELIMIT_ACCOUNT_IP = "2/h"
    for n in range(2):
        client.post(REGISTER, form_data(email=f"w{n}@example.test", phone="", consent=None))

    response = client.post(REGISTER, form_data(email="ketiga@example.test", phone=""))

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in errors_of(response)
    assert 'value="ketiga@example.test"' in page(response)
    assert not User.objects.filter(email="ketiga@example.test").exists()


def test_a_logged_in_citizen_is_sent_from_register_to_my_reports(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = client.get(REGISTER)

    assert response.status_code == 302
    assert response["Location"] == MY_REPORTS


# --- E-mail verification --------------------------------------------------------------------


def verify_path(user) -> str:
    return reverse("complaints:verify_email", args=[cs.email_verification_token(user)])


def test_the_link_in_the_mail_verifies_the_address(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = register(email="siti@example.test")

    response = client.get(link_in(mail.outbox[0].body))

    assert response.status_code == 200
    assert "E-mail terverifikasi" in page(response)
    user.citizen_profile.refresh_from_db()
    assert user.citizen_profile.email_verified_at is not None


def test_a_used_link_changes_nothing_and_says_so(client, siti):
    path = verify_path(siti)
    client.get(path)
    verified_at = CitizenProfile.objects.get(user=siti).email_verified_at

    response = client.get(path)

    assert response.status_code == 200
    assert "sudah diverifikasi sebelumnya" in page(response)
    assert CitizenProfile.objects.get(user=siti).email_verified_at == verified_at


def test_an_expired_link_is_refused_and_verifies_nothing(client, siti):
    path = verify_path(siti)

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        response = client.get(path)

    assert response.status_code == 400
    assert "kedaluwarsa" in page(response)
    assert CitizenProfile.objects.get(user=siti).email_verified_at is None


def test_a_link_still_works_just_before_it_expires(client, siti):
    path = verify_path(siti)

    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        response = client.get(path)

    assert response.status_code == 200
    assert CitizenProfile.objects.get(user=siti).email_verified_at is not None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "1" + token,
        lambda token: "bukan-token",
    ],
)
def test_a_tampered_link_is_refused(client, siti, tamper):
    token = cs.email_verification_token(siti)

    response = client.get(reverse("complaints:verify_email", args=[tamper(token)]))

    assert response.status_code == 400
    assert "tidak valid" in page(response)
    assert CitizenProfile.objects.get(user=siti).email_verified_at is None


def test_a_link_for_an_address_the_account_no_longer_has_is_refused(client, siti):
    path = verify_path(siti)
    siti.email = "baru@example.test"
    siti.save(update_fields=["email"])

    response = client.get(path)

    assert response.status_code == 400
    assert CitizenProfile.objects.get(user=siti).email_verified_at is None


def test_the_link_carries_no_email_address(siti):
    token = cs.email_verification_token(siti)

    assert "siti" not in token
    assert "example" not in token


def test_an_unverified_citizen_is_offered_a_new_link(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    assert "belum diverifikasi" in page(client.get(MY_REPORTS))

    response = client.post(MY_REPORTS, {"action": "resend_verification"}, follow=True)

    assert "Tautan verifikasi baru sudah kami kirim" in page(response)
    assert len(mail.outbox) == 1
    assert client.get(link_in(mail.outbox[0].body)).status_code == 200
    assert "belum diverifikasi" not in page(client.get(MY_REPORTS))


def test_a_verified_citizen_gets_no_new_link(client, siti):
    cs.citizen_email_verify(token=cs.email_verification_token(siti))
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = client.post(MY_REPORTS, {"action": "resend_verification"}, follow=True)

    assert "sudah terverifikasi" in page(response)
    assert mail.outbox == []


def test_new_links_are_limited(client, siti, settings):
    settings.RATELIMIT_ACCOUNT_IP = "2/h"
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")
    for _ in range(2):
        client.post(MY_REPORTS, {"action": "resend_verification"})

    response = client.post(MY_REPORTS, {"action": "resend_verification"}, follow=True)

    assert "Terlalu banyak percobaan" in page(response)
    assert len(mail.outbox) == 2


# --- Log in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "siti@example.test",
        "  SITI@Example.Test ",
        "081234567890",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
    ],
)
def test_a_citizen_logs_in_by_email_or_phone_in_any_usual_form(client, siti, typed):
    response = client.post(LOGIN, {"login": typed, "password": STRONG})

    assert response.status_code == 302
    assert response["Location"] == MY_REPORTS
    assert logged_in_user_id(client) == str(siti.pk)


def test_logging_in_starts_a_new_session(client, siti):
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key

    client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})

    assert client.session.session_key != before


def test_a_wrong_password_gets_the_generic_message_and_keeps_the_identifier(client, siti):
    response = client.post(LOGIN, {"login": "siti@example.test", "password": "salah-sandi-99"})

    html = page(response)
    assert response.status_code == 400
    assert "atau kata sandi salah" in errors_of(response)
    assert 'value="siti@example.test"' in html
    assert "salah-sandi-99" not in html
    assert logged_in_user_id(client) is None


def test_an_unknown_account_gets_exactly_the_same_answer(siti):
    wrong = Client().post(LOGIN, {"login": "siti@example.test", "password": "salah-sandi-99"})
    unknown = Client().post(LOGIN, {"login": "tidak@example.test", "password": "salah-sandi-99"})

    assert wrong.status_code == unknown.status_code == 400
    assert errors_of(wrong) == errors_of(unknown) != ""


def test_missing_fields_are_explained(client, db):
    response = client.post(LOGIN, {"login": "", "password": ""})

    assert response.status_code == 400
    assert "Isi alamat e-mail atau nomor HP Anda." in page(response)
    assert "Isi kata sandi Anda." in page(response)


def test_failed_logins_are_limited_per_ip_even_with_the_right_password_after(
    client, siti, settings
):
    settings.RATELIMIT_ACCOUNT_IP = "3/h"
    for n in range(3):
        client.post(LOGIN, {"login": f"orang{n}@example.test", "password": "salah-sandi-99"})

    response = client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in errors_of(response)
    assert "menit" in errors_of(response)
    assert 'value="siti@example.test"' in page(response)
    assert logged_in_user_id(client) is None


def test_failed_logins_are_limited_per_account_from_any_address(siti, settings):
    settings.RATELIMIT_ACCOUNT_IP = "3/h"
    for n in range(3):
        # The same account typed three ways from three addresses.
        typed = ["081234567890", "+6281234567890", "62 812 3456 7890"][n]
        Client(REMOTE_ADDR=f"10.9.0.{n + 1}").post(
            LOGIN, {"login": typed, "password": "salah-sandi-99"}
        )

    locked = Client(REMOTE_ADDR="10.9.0.99").post(
        LOGIN, {"login": "0812 3456 7890", "password": STRONG}
    )
    other_account = Client(REMOTE_ADDR="10.9.0.99")

    assert locked.status_code == 429
    register(email="budi@example.test")
    assert (
        other_account.post(LOGIN, {"login": "budi@example.test", "password": STRONG}).status_code
        == 302
    )


def test_successful_logins_do_not_count_towards_the_limit(client, siti, settings):
    settings.RATELIMIT_ACCOUNT_IP = "2/h"
    for _ in range(4):
        client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})
        client.post(LOGOUT)

    response = client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})

    assert response.status_code == 302


def test_login_goes_to_a_safe_next_address(client, siti):
    target = reverse("complaints:track")

    get = client.get(LOGIN, {"next": target})
    response = client.post(
        f"{LOGIN}?next={target}", {"login": "siti@example.test", "password": STRONG}
    )

    assert f'name="next" value="{target}"' in page(get)
    assert response["Location"] == target


@pytest.mark.parametrize(
    "target", ["https://jahat.example/", "//jahat.example/akun/", "javascript:alert(1)"]
)
def test_login_ignores_a_next_address_off_the_site(client, siti, target):
    response = client.post(
        LOGIN, {"login": "siti@example.test", "password": STRONG, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == MY_REPORTS


def test_a_logged_in_citizen_visiting_login_goes_on(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    assert client.get(LOGIN)["Location"] == MY_REPORTS


def test_staff_cannot_log_in_through_the_citizen_login(client, admin_kabupaten):
    """Decision: refused with a pointer to the back-office, never logged in (a staff session
    must not start on the citizen site, where it would carry staff rights)."""
    response = client.post(LOGIN, {"login": "admin.kabupaten", "password": PASSWORD})

    assert response.status_code == 400
    assert "akun petugas" in errors_of(response)
    assert logged_in_user_id(client) is None


def test_staff_by_email_get_the_generic_answer(client, admin_opd):
    response = client.post(LOGIN, {"login": admin_opd.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "atau kata sandi salah" in errors_of(response)
    assert logged_in_user_id(client) is None


def test_a_citizen_account_given_a_staff_role_can_no_longer_log_in_as_citizen(client, siti, opd):
    StaffRoleFactory(user=siti, role=Role.ADMIN_OPD, opd=opd)

    response = client.post(LOGIN, {"login": "081234567890", "password": STRONG})

    assert response.status_code == 400
    assert logged_in_user_id(client) is None


def test_a_citizen_session_ends_when_the_account_gains_a_staff_role(client, siti, opd):
    client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})
    assert client.get(MY_REPORTS).status_code == 200

    StaffRoleFactory(user=siti, role=Role.ADMIN_OPD, opd=opd)

    assert client.get(MY_REPORTS).status_code == 302


def test_a_superuser_is_never_found_by_the_citizen_backend(siti):
    siti.is_superuser = True
    siti.save(update_fields=["is_superuser"])

    assert EmailOrPhoneBackend().authenticate(None, "siti@example.test", STRONG) is None


def test_a_user_without_citizen_profile_gets_the_generic_answer(client, db):
    from tests.factories import UserFactory

    bare = UserFactory(username="tanpa-profil", email="tanpa@example.test")
    response = client.post(LOGIN, {"login": bare.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "atau kata sandi salah" in errors_of(response)
    assert logged_in_user_id(client) is None


def test_an_unverified_account_can_log_in(client, siti):
    assert CitizenProfile.objects.get(user=siti).email_verified_at is None

    response = client.post(LOGIN, {"login": "siti@example.test", "password": STRONG})

    assert response.status_code == 302


# --- Log out --------------------------------------------------------------------------------


def test_logging_out_takes_a_post(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    shown = client.get(LOGOUT)
    assert shown.status_code == 200
    assert 'method="post"' in page(shown)
    assert logged_in_user_id(client) == str(siti.pk)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:home")
    assert logged_in_user_id(client) is None
    assert client.get(MY_REPORTS).status_code == 302


def test_logging_out_needs_the_csrf_token(siti):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = browser.post(LOGOUT)

    assert response.status_code == 403
    assert logged_in_user_id(browser) == str(siti.pk)


# --- Password reset -------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_by_email_end_to_end(client, siti):
    response = client.post(RESET, {"email": "SITI@example.test"})

    assert response["Location"] == reverse("complaints:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.test"]
    assert "kata sandi baru" in message.subject
    link = link_in(message.body)

    opened = client.get(link)
    assert opened.status_code == 302  # Django moves the token out of the address
    form_page = client.get(opened["Location"])
    assert "Buat kata sandi baru" in page(form_page)
    weak = client.post(opened["Location"], {"new_password1": "123", "new_password2": "123"})
    assert "Kata sandi terlalu pendek" in page(weak)
    done = client.post(
        opened["Location"],
        {"new_password1": "menara-kudus-baru-7", "new_password2": "menara-kudus-baru-7"},
    )
    assert done["Location"] == reverse("complaints:password_reset_complete")

    assert (
        Client().post(LOGIN, {"login": "siti@example.test", "password": STRONG}).status_code == 400
    )
    new_login = Client().post(
        LOGIN, {"login": "siti@example.test", "password": "menara-kudus-baru-7"}
    )
    assert new_login.status_code == 302
    # The link works once.
    reused = Client().get(link)
    assert "Tautan tidak berlaku" in page(reused)


@pytest.mark.parametrize("address", ["tidak-ada@example.test", "admin.kabupaten@example.test"])
def test_a_reset_for_an_unknown_or_staff_address_answers_the_same_and_sends_nothing(
    client, siti, admin_kabupaten, address
):
    response = client.post(RESET, {"email": address})

    assert response["Location"] == reverse("complaints:password_reset_done")
    assert mail.outbox == []


def test_a_reset_by_phone_sends_the_link_by_sms(client, siti, sms):
    response = client.post(RESET, {"email": "0812 3456 7890"})

    assert response["Location"] == reverse("complaints:password_reset_done")
    assert mail.outbox == []
    assert len(sms) == 1
    assert sms[0].to == "+6281234567890"
    assert len(sms[0].text) <= SMS_MAX_LENGTH
    opened = client.get(link_in(sms[0].text))
    assert opened.status_code == 302
    assert "Buat kata sandi baru" in page(client.get(opened["Location"]))


def test_a_reset_for_an_unknown_phone_answers_the_same_and_sends_nothing(client, siti, sms):
    response = client.post(RESET, {"email": "0856 4011 0202"})

    assert response["Location"] == reverse("complaints:password_reset_done")
    assert sms == []


def test_a_reset_request_that_is_neither_email_nor_phone_is_explained(client, db):
    response = client.post(RESET, {"email": "siti"})

    assert response.status_code == 200
    assert "Isi alamat e-mail" in errors_of(response)
    assert 'value="siti"' in page(response)


def test_one_address_gets_at_most_three_reset_mails_an_hour(siti):
    for n in range(5):
        Client(REMOTE_ADDR=f"10.8.0.{n + 1}").post(RESET, {"email": "siti@example.test"})

    assert len(mail.outbox) == 3


def test_reset_requests_are_limited_per_ip(client, siti, settings):
    settings.RATELIMIT_ACCOUNT_IP = "2/h"
    for n in range(2):
        client.post(RESET, {"email": f"orang{n}@example.test"})

    response = client.post(RESET, {"email": "siti@example.test"})

    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in errors_of(response)
    assert 'value="siti@example.test"' in page(response)
    assert mail.outbox == []


def test_the_reset_mail_links_to_the_public_site_address_not_the_request_host(siti, settings):
    settings.SITE_URL = "https://pengaduan.kuduskab.go.id"
    settings.ALLOWED_HOSTS = ["*"]

    Client(HTTP_HOST="jahat.example").post(RESET, {"email": "siti@example.test"})

    assert "https://pengaduan.kuduskab.go.id/akun/sandi-baru/" in mail.outbox[0].body
    assert "jahat.example" not in mail.outbox[0].body


# --- Laporan saya ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(MY_REPORTS)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={MY_REPORTS}"


def test_my_reports_lists_only_my_own_reports_newest_first(client, world, siti):
    budi = register(email="budi@example.test")
    older, _ = submit(world, reporter_user=siti, title="Lampu jalan mati", now=NOW)
    newer, _ = submit(
        world,
        reporter_user=siti,
        title="",
        now=NOW + timedelta(days=1),
        text="Saluran air di depan pasar tersumbat sampah sejak seminggu lalu.",
    )
    theirs, _ = submit(world, reporter_user=budi, title="Laporan orang lain", now=NOW)
    anonymous, _ = submit(world, title="Laporan tanpa akun", now=NOW)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    html = page(client.get(MY_REPORTS))

    assert html.index(newer.tracking_number) < html.index(older.tracking_number)
    assert "Lampu jalan mati" in html
    # Without a title, the start of their own text stands in.
    assert "Saluran air di depan pasar tersumbat" in html
    assert reverse("complaints:track_detail", args=[newer.tracking_number]) in html
    assert "Diterima" in html
    assert "1 Des 2026, 09.00 WIB" in html
    for other in (theirs, anonymous):
        assert other.tracking_number not in html
    assert "Laporan orang lain" not in html


def test_a_report_waiting_for_the_reporter_asks_for_information(client, world, siti):
    complaint = reach(world, Status.WAITING_REPORTER, reporter_user=siti)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    html = page(client.get(MY_REPORTS))

    assert complaint.tracking_number in html
    assert "Tambahkan informasi" in html


def test_a_finished_report_invites_a_rating(client, world, siti):
    reach(world, Status.FINISHED, reporter_user=siti)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    assert "Beri penilaian" in page(client.get(MY_REPORTS))


def test_a_citizen_without_reports_is_invited_to_file_one(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    html = page(client.get(MY_REPORTS))

    assert "Belum ada laporan" in html
    assert reverse("complaints:report_create") in html


def test_my_reports_are_paginated(client, world, siti):
    numbers = [
        submit(world, reporter_user=siti, now=NOW + timedelta(minutes=n))[0].tracking_number
        for n in range(12)
    ]
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    first = page(client.get(MY_REPORTS))
    second = page(client.get(MY_REPORTS, {"halaman": 2}))

    assert numbers[-1] in first
    assert numbers[0] not in first
    assert numbers[0] in second
    assert numbers[-1] not in second
    assert "Halaman 2 dari 2" in second


@pytest.mark.parametrize("count", [1, 12])
def test_my_reports_query_count_does_not_grow_with_the_reports(
    client, world, siti, count, django_assert_max_num_queries
):
    for n in range(count):
        submit(world, reporter_user=siti, now=NOW + timedelta(minutes=n))
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    with django_assert_max_num_queries(5):
        response = client.get(MY_REPORTS)

    assert response.status_code == 200


# --- Linking an earlier report --------------------------------------------------------------


def test_a_report_filed_without_an_account_is_linked_by_number_and_code(client, world, siti):
    complaint, code = submit(world)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = client.post(
        MY_REPORTS,
        {
            "action": "claim",
            "tracking_number": complaint.tracking_number.lower(),
            "access_code": code.lower(),
        },
        follow=True,
    )

    assert "kini ada di daftar laporan Anda" in page(response)
    assert complaint.tracking_number in page(response)
    assert Reporter.objects.get(complaint=complaint).user == siti
    event = Event.objects.filter(complaint=complaint, action=cs.ACCOUNT_LINKED).get()
    assert event.actor == siti


def test_a_wrong_code_links_nothing_and_keeps_the_number(client, world, siti):
    complaint, _code = submit(world)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = client.post(
        MY_REPORTS,
        {
            "action": "claim",
            "tracking_number": complaint.tracking_number,
            "access_code": "AAAAAAAAAA",
        },
    )

    assert response.status_code == 400
    assert "tidak cocok" in errors_of(response)
    assert f'value="{complaint.tracking_number}"' in page(response)
    assert Reporter.objects.get(complaint=complaint).user is None


def test_linking_is_limited_per_ip(client, world, siti, settings):
    settings.RATELIMIT_TRACKING_IP = "2/h"
    complaint, code = submit(world)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")
    for _ in range(2):
        client.post(
            MY_REPORTS,
            {
                "action": "claim",
                "tracking_number": complaint.tracking_number,
                "access_code": "AAAAAAAAAA",
            },
        )

    response = client.post(
        MY_REPORTS,
        {"action": "claim", "tracking_number": complaint.tracking_number, "access_code": code},
    )

    assert response.status_code == 429
    assert Reporter.objects.get(complaint=complaint).user is None


def test_a_report_of_another_account_cannot_be_linked(world, siti):
    budi = register(email="budi@example.test")
    complaint, code = submit(world, reporter_user=budi)

    with pytest.raises(ValidationError) as exc:
        cs.citizen_claim_report(
            user=siti, tracking_number=complaint.tracking_number, access_code=code
        )

    assert "akun lain" in str(exc.value)
    assert Reporter.objects.get(complaint=complaint).user == budi


def test_linking_my_own_report_again_is_explained(world, siti):
    complaint, code = submit(world, reporter_user=siti)

    with pytest.raises(ValidationError) as exc:
        cs.citizen_claim_report(
            user=siti, tracking_number=complaint.tracking_number, access_code=code
        )

    assert "sudah ada di daftar" in str(exc.value)


def test_a_report_whose_reporter_was_anonymised_cannot_be_linked(world, siti):
    complaint, code = submit(world)
    cs.reporter_anonymise(complaint=complaint, actor=world.ak, reason="Permintaan pelapor")

    with pytest.raises(ValidationError) as exc:
        cs.citizen_claim_report(
            user=siti, tracking_number=complaint.tracking_number, access_code=code
        )

    assert "telah dihapus" in str(exc.value)
    assert Reporter.objects.get(complaint=complaint).user is None


def test_staff_cannot_link_a_report(world):
    complaint, code = submit(world)

    with pytest.raises(ValidationError):
        cs.citizen_claim_report(
            user=world.admin_kabupaten,
            tracking_number=complaint.tracking_number,
            access_code=code,
        )

    assert Reporter.objects.get(complaint=complaint).user is None


def test_an_unknown_number_and_a_wrong_code_are_refused_alike(world, siti):
    complaint, _code = submit(world)
    messages = []
    for number in (complaint.tracking_number, cs.new_tracking_number()):
        with pytest.raises(ValidationError) as exc:
            cs.citizen_claim_report(user=siti, tracking_number=number, access_code="AAAAAAAAAA")
        messages.append(exc.value.messages)

    assert messages[0] == messages[1]


def test_a_linked_report_shows_on_the_tracking_page_without_a_code(client, world, siti):
    complaint, code = submit(world)
    cs.citizen_claim_report(user=siti, tracking_number=complaint.tracking_number, access_code=code)
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    response = client.get(reverse("complaints:track_detail", args=[complaint.tracking_number]))

    assert response.status_code == 200


def test_the_account_page_shows_the_phone_readably(client, siti):
    client.force_login(siti, backend="complaints.auth.EmailOrPhoneBackend")

    assert "+62 812-3456-7890" in page(client.get(MY_REPORTS))


def test_the_staff_check_reads_roles_even_revoked(siti, opd):
    StaffRoleFactory(user=siti, role=Role.ADMIN_OPD, opd=opd, is_active=False)

    assert cs.has_staff_rights(siti)
    assert not cs.is_citizen_account(siti)
