"""Onboarding (issue 4 point 5): the OPD overview, appointing a Pejabat Penghubung, creating
Admin OPD accounts, nominations and their decision, the invitation link, deactivation."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.actors import actor_for_user
from complaints.models import Event, Status
from disposition import services as ds
from disposition import staff
from disposition.models import OPD, AdminNomination, Role, StaffRole
from tests.builders import lead_disposition, reach
from tests.conftest import NOW
from tests.factories import OPDFactory, StaffRoleFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "Kudus-Sehat-2026!"

ANONYMOUS, CITIZEN, AK, AO, OTHER_AO, PP, OTHER_PP = (
    "anonymous",
    "citizen",
    "admin_kabupaten",
    "admin_opd",
    "other_opd_admin",
    "pejabat_penghubung",
    "other_pejabat_penghubung",
)
PERSONAS = [ANONYMOUS, CITIZEN, AK, AO, OTHER_AO, PP, OTHER_PP]


@pytest.fixture
def client_for(request, staff_client):
    """client_for(persona) → a Client acting as that persona (see tests/conftest.py)."""

    def make(persona: str) -> Client:
        if persona == ANONYMOUS:
            return Client()
        user = request.getfixturevalue(persona)
        if persona == CITIZEN:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            return client
        return staff_client(user)

    return make


@pytest.fixture
def people(admin_kabupaten, admin_opd, other_opd_admin, pejabat_penghubung, citizen):
    """Every persona exists (and so do both OPDs)."""


def ak_actor(user):
    return actor_for_user(user)


def nominate(pp_user, **fields):
    values = {
        "name": "Rina Wulandari",
        "email": "rina@dinkes.kuduskab.go.id",
        "phone": "0812 3456 7890",
        "position": "Pranata Komputer",
        "now": NOW,
    }
    values.update(fields)
    return staff.nomination_create(actor=actor_for_user(pp_user), **values)


def invitation_link(mail) -> str:
    match = re.search(r"https?://\S+/kelola/undangan/\S+/", mail.body)
    assert match, mail.body
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --- permissions --------------------------------------------------------------------------


def _expect_ak_only(persona, response):
    if persona == ANONYMOUS:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("kelola:login"))
    elif persona == AK:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "page", ["onboarding", "onboarding_opd", "onboarding_appoint_pp", "onboarding_admin_create"]
)
def test_only_admin_kabupaten_sees_the_onboarding_pages(persona, page, people, opd, client_for):
    args = [] if page == "onboarding" else [opd.pk]

    response = client_for(persona).get(reverse(f"kelola:{page}", args=args))

    _expect_ak_only(persona, response)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_admin_kabupaten_sees_the_decision_pages(
    persona, people, admin_opd, pejabat_penghubung, client_for
):
    nomination = nominate(pejabat_penghubung)
    for url in (
        reverse("kelola:nomination_reject", args=[nomination.pk]),
        reverse("kelola:account_deactivate", args=[admin_opd.pk]),
    ):
        _expect_ak_only(persona, client_for(persona).get(url))


@pytest.mark.parametrize("persona", [ANONYMOUS, CITIZEN, AO, OTHER_AO, PP, OTHER_PP])
def test_nobody_but_admin_kabupaten_can_decide_or_deactivate(
    persona, people, opd, admin_opd, pejabat_penghubung, client_for, mailoutbox
):
    nomination = nominate(pejabat_penghubung)
    client = client_for(persona)
    users_before = User.objects.count()

    responses = [
        client.post(reverse("kelola:nomination_approve", args=[nomination.pk])),
        client.post(reverse("kelola:nomination_reject", args=[nomination.pk]), {"note": "Tidak"}),
        client.post(
            reverse("kelola:account_deactivate", args=[admin_opd.pk]), {"reason": "Pindah"}
        ),
        client.post(reverse("kelola:account_invite", args=[admin_opd.pk])),
        client.post(
            reverse("kelola:onboarding_appoint_pp", args=[opd.pk]),
            {"account": "baru", "name": "Orang Lain", "email": "lain@example.test"},
        ),
        client.post(
            reverse("kelola:onboarding_admin_create", args=[opd.pk]),
            {"name": "Orang Lain", "email": "lain@example.test"},
        ),
    ]

    for response in responses:
        assert response.status_code == (302 if persona == ANONYMOUS else 404)
    nomination.refresh_from_db()
    admin_opd.refresh_from_db()
    assert nomination.status == AdminNomination.Status.PENDING
    assert admin_opd.is_active
    assert admin_opd.staff_role.is_active
    assert StaffRole.objects.get(opd=opd, role=Role.PEJABAT_PENGHUBUNG).user == pejabat_penghubung
    assert User.objects.count() == users_before
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(ANONYMOUS, 302), (CITIZEN, 404), (AO, 404), (OTHER_AO, 404), (PP, 200), (OTHER_PP, 200)],
)
def test_nominations_page_is_for_the_pejabat_penghubung(persona, expected, people, client_for):
    response = client_for(persona).get(reverse("kelola:nominations"))

    assert response.status_code == expected


def test_admin_kabupaten_is_sent_from_nominations_to_onboarding(people, client_for):
    response = client_for(AK).get(reverse("kelola:nominations"))

    assert response.status_code == 302
    assert response["Location"] == reverse("kelola:onboarding") + "#usulan"


def test_a_pejabat_penghubung_sees_only_their_own_opds_nominations(
    people, pejabat_penghubung, other_pejabat_penghubung, client_for
):
    nominate(pejabat_penghubung, name="Calon Dinkes", email="calon@dinkes.test")
    nominate(other_pejabat_penghubung, name="Calon PUPR", email="calon@pupr.test")

    own = client_for(PP).get(reverse("kelola:nominations")).content.decode()
    other = client_for(OTHER_PP).get(reverse("kelola:nominations")).content.decode()

    assert "Calon Dinkes" in own
    assert "Calon PUPR" not in own
    assert "Calon PUPR" in other
    assert "Calon Dinkes" not in other


def test_a_pejabat_penghubung_cannot_nominate_for_another_opd(
    people, other_opd, client_for, other_pejabat_penghubung
):
    # The form has no OPD field: the OPD is the actor's own, whatever is posted.
    client_for(PP).post(
        reverse("kelola:nominations"),
        {"name": "Susup", "email": "susup@example.test", "opd": other_opd.pk},
    )

    nomination = AdminNomination.objects.get()
    assert nomination.opd.short_name == "Dinkes"
    assert not AdminNomination.objects.filter(opd=other_opd).exists()


def test_services_refuse_other_roles(people, admin_opd, pejabat_penghubung, opd):
    nomination = nominate(pejabat_penghubung)

    with pytest.raises(PermissionDenied):
        staff.nomination_approve(actor=actor_for_user(pejabat_penghubung), nomination=nomination)
    with pytest.raises(PermissionDenied):
        staff.admin_opd_create(
            actor=actor_for_user(admin_opd), opd=opd, name="X", email="x@example.test"
        )
    with pytest.raises(PermissionDenied):
        nominate(admin_opd, email="y@example.test")
    with pytest.raises(PermissionDenied):
        staff.staff_deactivate(actor=actor_for_user(pejabat_penghubung), user=admin_opd, reason="x")


# --- the overview -------------------------------------------------------------------------


def _opd(name, short):
    return OPDFactory(name=name, short_name=short)


def test_opds_missing_people_come_first_with_counts(admin_kabupaten, client_for):
    complete = _opd("Dinas Arsip dan Perpustakaan", "Arpus")
    StaffRoleFactory(role=Role.PEJABAT_PENGHUBUNG, opd=complete)
    StaffRoleFactory(role=Role.ADMIN_OPD, opd=complete)
    no_admin = _opd("Dinas Perhubungan", "Dishub")
    StaffRoleFactory(role=Role.PEJABAT_PENGHUBUNG, opd=no_admin)
    no_pp = _opd("Badan Kepegawaian", "BKPSDM")
    StaffRoleFactory(role=Role.ADMIN_OPD, opd=no_pp)
    nobody = _opd("Kecamatan Undaan", "Kec. Undaan")
    inactive_admin = StaffRoleFactory(role=Role.ADMIN_OPD, opd=nobody, is_active=False)
    OPDFactory(name="OPD Lama", short_name="Lama", is_active=False)

    response = client_for(AK).get(reverse("kelola:onboarding"))

    rows = response.context["rows"]
    assert [row.opd.short_name for row in rows] == ["Kec. Undaan", "BKPSDM", "Dishub", "Arpus"]
    assert response.context["counts"] == {
        "opds": 4,
        "without_pp": 2,
        "without_admin": 2,
        "complete": 1,
        "pending": 0,
        "uninvited": 0,
    }
    page = response.content.decode()
    assert inactive_admin.user.username not in page  # a revoked role does not count
    assert "OPD Lama" not in page


def test_the_overview_shows_names_emails_and_last_login(admin_kabupaten, opd, client_for):
    pp = StaffRoleFactory(
        role=Role.PEJABAT_PENGHUBUNG,
        opd=opd,
        user__first_name="Sekretaris Dinkes",
        user__email="sekdin@dinkes.test",
    ).user
    User.objects.filter(pk=pp.pk).update(last_login=NOW)

    page = client_for(AK).get(reverse("kelola:onboarding")).content.decode()

    assert "Sekretaris Dinkes" in page
    assert "sekdin@dinkes.test" in page
    assert "Terakhir masuk 1 Des 2026, 09:00" in page


def test_the_overview_filters_incomplete_opds(
    admin_kabupaten, admin_opd, pejabat_penghubung, other_opd, client_for
):
    response = client_for(AK).get(reverse("kelola:onboarding"), {"tampil": "belum-lengkap"})

    assert [row.opd.short_name for row in response.context["rows"]] == ["DPUPR"]


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("kelola:onboarding")).status_code == 200
    return len(queries)


def test_the_overview_costs_the_same_queries_with_more_opds(admin_kabupaten, client_for):
    client = client_for(AK)
    first = _opd("Dinas A", "A")
    StaffRoleFactory(role=Role.ADMIN_OPD, opd=first)
    few = _overview_queries(client)

    for number in range(8):
        more = _opd(f"Dinas Tambahan {number}", f"T{number}")
        StaffRoleFactory(role=Role.PEJABAT_PENGHUBUNG, opd=more)
        StaffRoleFactory(role=Role.ADMIN_OPD, opd=more)
        pp = more.staff_roles.get(role=Role.PEJABAT_PENGHUBUNG).user
        nominate(pp, email=f"calon{number}@example.test")
    many = _overview_queries(client)

    assert many == few
    assert many <= 10


# --- Pejabat Penghubung -------------------------------------------------------------------


def test_appointing_a_new_pejabat_penghubung_replaces_and_keeps_the_old_one(
    admin_kabupaten,
    opd,
    pejabat_penghubung,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    old_role = pejabat_penghubung.staff_role
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(AK).post(
            reverse("kelola:onboarding_appoint_pp", args=[opd.pk]),
            {"account": "baru", "name": "Dr. Hadi Santoso", "email": "Hadi.Santoso@Dinkes.test"},
            follow=True,
        )

    new = User.objects.get(email="hadi.santoso@dinkes.test")
    assert new.username == "hadi.santoso"
    assert not new.has_usable_password()
    assert new.staff_role.role == Role.PEJABAT_PENGHUBUNG
    assert new.staff_role.opd == opd
    old_role.refresh_from_db()
    pejabat_penghubung.refresh_from_db()
    assert not old_role.is_active  # kept, deactivated
    assert pejabat_penghubung.is_active  # the person's account stays
    assert actor_for_user(pejabat_penghubung) is None  # but without back-office rights
    assert "kini Pejabat Penghubung Dinkes" in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["hadi.santoso@dinkes.test"]
    assert "hadi.santoso" in mail.body
    assert LogEntry.objects.filter(object_id=str(new.pk), user=admin_kabupaten).exists()
    assert LogEntry.objects.filter(
        object_id=str(pejabat_penghubung.pk), change_message__contains="digantikan"
    ).exists()
    # The history page lists the former one.
    page = client_for(AK).get(reverse("kelola:onboarding_opd", args=[opd.pk])).content.decode()
    assert "Akun dan peran nonaktif" in page
    assert pejabat_penghubung.username in page


def test_an_admin_opd_of_the_same_opd_can_be_promoted(admin_kabupaten, opd, admin_opd, client_for):
    response = client_for(AK).post(
        reverse("kelola:onboarding_appoint_pp", args=[opd.pk]),
        {"account": "ada", "existing_username": "ADMIN.dinkes"},
    )

    assert response.status_code == 302
    admin_opd.staff_role.refresh_from_db()
    assert admin_opd.staff_role.role == Role.PEJABAT_PENGHUBUNG


def test_an_active_admin_of_another_opd_is_refused_and_the_form_kept(
    admin_kabupaten, opd, pejabat_penghubung, other_opd_admin, client_for
):
    response = client_for(AK).post(
        reverse("kelola:onboarding_appoint_pp", args=[opd.pk]),
        {"account": "ada", "existing_username": other_opd_admin.username},
    )

    assert response.status_code == 200
    assert "masih aktif sebagai Admin OPD DPUPR" in response.content.decode()
    assert f'value="{other_opd_admin.username}"' in response.content.decode()
    pejabat_penghubung.staff_role.refresh_from_db()
    assert pejabat_penghubung.staff_role.is_active
    assert other_opd_admin.staff_role.role == Role.ADMIN_OPD


def test_a_new_account_needs_a_free_email(admin_kabupaten, opd, admin_opd, client_for):
    response = client_for(AK).post(
        reverse("kelola:onboarding_admin_create", args=[opd.pk]),
        {"name": "Kembar", "email": admin_opd.email.upper()},
    )

    assert response.status_code == 200
    assert "sudah dipakai akun petugas aktif admin.dinkes" in response.content.decode()
    assert not User.objects.filter(first_name="Kembar").exists()


def test_usernames_from_email_never_collide(admin_kabupaten, opd):
    UserFactory(username="rina")
    actor = ak_actor(admin_kabupaten)

    first = staff.admin_opd_create(
        actor=actor, opd=opd, name="Rina A", email="rina@a.test", now=NOW
    )
    second = staff.admin_opd_create(
        actor=actor, opd=opd, name="Rina B", email="rina@b.test", now=NOW
    )

    assert (first.username, second.username) == ("rina2", "rina3")


def test_admin_kabupaten_creates_an_admin_opd_directly(
    admin_kabupaten, opd, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(AK).post(
            reverse("kelola:onboarding_admin_create", args=[opd.pk]),
            {"name": "Bayu Prakoso", "email": "bayu@dinkes.test", "username": "bayu.dinkes"},
        )

    assert response.status_code == 302
    user = User.objects.get(username="bayu.dinkes")
    assert user.staff_role.role == Role.ADMIN_OPD
    assert user.staff_role.opd == opd
    assert not user.has_usable_password()
    assert [m.to for m in mailoutbox] == [["bayu@dinkes.test"]]


# --- nominate → approve → invitation → password → login ------------------------------------


def test_the_whole_nomination_journey(
    admin_kabupaten,
    pejabat_penghubung,
    opd,
    client_for,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    pp_client = client_for(PP)
    response = pp_client.post(
        reverse("kelola:nominations"),
        {
            "name": "Rina Wulandari",
            "email": "Rina@Dinkes.kuduskab.go.id",
            "phone": "0812-3456-7890",
            "position": "Pranata Komputer",
        },
        follow=True,
    )
    assert "Usulan Rina Wulandari sebagai Admin OPD Dinkes terkirim" in response.content.decode()
    nomination = AdminNomination.objects.get()
    assert (nomination.email, nomination.phone) == ("rina@dinkes.kuduskab.go.id", "+6281234567890")
    assert nomination.status == AdminNomination.Status.PENDING

    ak_client = client_for(AK)
    overview = ak_client.get(reverse("kelola:onboarding")).content.decode()
    assert "Rina Wulandari" in overview
    assert "Setujui dan undang" in overview
    with django_capture_on_commit_callbacks(execute=True):
        response = ak_client.post(
            reverse("kelola:nomination_approve", args=[nomination.pk]),
            {"next": reverse("kelola:onboarding")},
            follow=True,
        )
    assert "Usulan disetujui: Rina Wulandari kini Admin OPD Dinkes" in response.content.decode()
    nomination.refresh_from_db()
    user = nomination.user
    assert nomination.status == AdminNomination.Status.APPROVED
    assert nomination.decided_by == admin_kabupaten
    assert user.username == "rina"
    assert not user.has_usable_password()
    assert user.staff_role.role == Role.ADMIN_OPD
    assert user.staff_role.opd == opd
    assert "Disetujui" in pp_client.get(reverse("kelola:nominations")).content.decode()

    (mail,) = mailoutbox
    assert mail.to == ["rina@dinkes.kuduskab.go.id"]
    assert "Admin OPD Dinas Kesehatan" in mail.body
    link = path_of(invitation_link(mail))

    visitor = Client()
    step = visitor.get(link)
    assert step.status_code == 302  # the token moves to the session, out of the address bar
    form_page = visitor.get(step["Location"])
    assert form_page.context["validlink"]
    done = visitor.post(
        step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("kelola:invitation_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert LogEntry.objects.filter(
        object_id=str(user.pk), change_message__contains="tautan undangan"
    ).exists()

    # The link works once.
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "Tautan tidak berlaku" in again.content.decode()

    # And the new Admin OPD logs in at the back-office.
    login = Client().post(reverse("kelola:login"), {"username": "rina", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert login.wsgi_request.user == user


def test_a_weak_password_is_refused_on_the_invitation_page(
    admin_kabupaten, opd, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = staff.admin_opd_create(
            actor=ak_actor(admin_kabupaten), opd=opd, name="Rina", email="rina@x.test", now=NOW
        )
    visitor = Client()
    step = visitor.get(path_of(invitation_link(mailoutbox[0])))

    response = visitor.post(step["Location"], {"new_password1": "12345", "new_password2": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_invitation_dies_with_its_account(
    admin_kabupaten, opd, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = staff.admin_opd_create(
            actor=ak_actor(admin_kabupaten), opd=opd, name="Rina", email="rina@x.test", now=NOW
        )
    staff.staff_deactivate(actor=ak_actor(admin_kabupaten), user=user, reason="Batal diangkat")

    response = Client().get(path_of(invitation_link(mailoutbox[0])))

    assert not response.context["validlink"]


def test_the_invitation_can_be_sent_again_until_a_password_is_set(
    admin_kabupaten, opd, admin_opd, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    user = staff.admin_opd_create(
        actor=ak_actor(admin_kabupaten), opd=opd, name="Rina", email="rina@x.test", now=NOW
    )
    client = client_for(AK)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("kelola:account_invite", args=[user.pk]))
    assert [m.to for m in mailoutbox] == [["rina@x.test"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kelola:account_invite", args=[admin_opd.pk]), follow=True)

    assert "sudah memiliki kata sandi" in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_nomination_is_refused_twice_and_for_active_staff(
    people, pejabat_penghubung, admin_opd, client_for
):
    nominate(pejabat_penghubung)
    client = client_for(PP)

    twice = client.post(
        reverse("kelola:nominations"), {"name": "Rina", "email": "rina@dinkes.kuduskab.go.id"}
    )
    staff_email = client.post(
        reverse("kelola:nominations"), {"name": "Admin", "email": admin_opd.email}
    )
    bad_phone = client.post(
        reverse("kelola:nominations"), {"name": "Budi", "email": "budi@x.test", "phone": "12"}
    )

    assert "sudah diusulkan dan menunggu keputusan" in twice.content.decode()
    assert "sudah dipakai akun petugas aktif" in staff_email.content.decode()
    assert "Nomor telepon tidak valid" in bad_phone.content.decode()
    assert 'value="budi@x.test"' in bad_phone.content.decode()  # nothing typed is lost
    assert AdminNomination.objects.count() == 1


def test_rejecting_needs_a_note_and_the_pejabat_penghubung_reads_it(
    admin_kabupaten, pejabat_penghubung, client_for, mailoutbox
):
    nomination = nominate(pejabat_penghubung)
    client = client_for(AK)
    url = reverse("kelola:nomination_reject", args=[nomination.pk])

    empty = client.post(url, {"note": "  "})
    assert empty.status_code == 200
    assert empty.context["form"].errors
    nomination.refresh_from_db()
    assert nomination.status == AdminNomination.Status.PENDING

    done = client.post(url, {"note": "Mohon usulkan staf PNS, bukan tenaga kontrak."})
    assert done.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == AdminNomination.Status.REJECTED
    assert nomination.decided_by == admin_kabupaten
    assert not User.objects.filter(email=nomination.email).exists()
    assert mailoutbox == []
    page = client_for(PP).get(reverse("kelola:nominations")).content.decode()
    assert "Ditolak" in page
    assert "Mohon usulkan staf PNS" in page


def test_a_decided_nomination_is_not_decided_again(admin_kabupaten, pejabat_penghubung):
    nomination = nominate(pejabat_penghubung)
    actor = ak_actor(admin_kabupaten)
    staff.nomination_reject(actor=actor, nomination=nomination, note="Tidak sesuai", now=NOW)

    with pytest.raises(ValidationError, match="sudah diputuskan"):
        staff.nomination_approve(actor=actor, nomination=nomination, now=NOW)
    assert not User.objects.filter(email=nomination.email).exists()


# --- deactivation -------------------------------------------------------------------------


def test_deactivating_ends_logins_and_keeps_history(world, admin_kabupaten, admin_opd, client_for):
    complaint = reach(world, Status.DISPOSITIONED)
    ds.disposition_accept(disposition=lead_disposition(complaint), actor=world.ao, now=NOW)
    open_session = client_for(AO)
    url = reverse("kelola:account_deactivate", args=[admin_opd.pk])

    refused = client_for(AK).post(url, {"reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    response = client_for(AK).post(url, {"reason": "Pindah tugas ke Bappeda"}, follow=True)

    page = response.content.decode()
    assert "dinonaktifkan" in page
    assert "kini tidak memiliki Admin OPD aktif" in page
    admin_opd.refresh_from_db()
    assert not admin_opd.is_active
    assert not admin_opd.staff_role.is_active
    assert Event.objects.filter(actor=admin_opd, action="accept").exists()  # history stays
    # Open sessions end, and the login is refused.
    assert open_session.get(reverse("kelola:home")).status_code == 302
    login = Client().post(
        reverse("kelola:login"), {"username": admin_opd.username, "password": "kata-sandi-uji-2026"}
    )
    assert not login.wsgi_request.user.is_authenticated


def test_admin_kabupaten_accounts_are_not_deactivated_here(admin_kabupaten, client_for):
    other_ak = StaffRoleFactory(role=Role.ADMIN_KABUPATEN, opd=None).user

    response = client_for(AK).post(
        reverse("kelola:account_deactivate", args=[other_ak.pk]), {"reason": "Coba"}
    )

    assert response.status_code == 404
    other_ak.refresh_from_db()
    assert other_ak.is_active


def test_inactive_opds_are_not_managed_here(admin_kabupaten, client_for):
    gone = OPDFactory(is_active=False)

    response = client_for(AK).get(reverse("kelola:onboarding_opd", args=[gone.pk]))

    assert response.status_code == 404
    assert OPD.objects.filter(pk=gone.pk).exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_nominations_and_opd_pages_cost_the_same_queries_with_more_rows(
    admin_kabupaten, pejabat_penghubung, opd, client_for
):
    pp_client, ak_client = client_for(PP), client_for(AK)
    nominations_url = reverse("kelola:nominations")
    opd_url = reverse("kelola:onboarding_opd", args=[opd.pk])
    nominate(pejabat_penghubung, email="satu@example.test")
    few = (_queries(pp_client, nominations_url), _queries(ak_client, opd_url))

    actor = ak_actor(admin_kabupaten)
    for number in range(6):
        nomination = nominate(pejabat_penghubung, email=f"calon{number}@example.test")
        if number % 2:
            staff.nomination_approve(actor=actor, nomination=nomination, now=NOW)
        else:
            staff.nomination_reject(actor=actor, nomination=nomination, note="Tidak", now=NOW)
    former = StaffRoleFactory(role=Role.ADMIN_OPD, opd=opd).user
    staff.staff_deactivate(actor=actor, user=former, reason="Pensiun")
    many = (_queries(pp_client, nominations_url), _queries(ak_client, opd_url))

    assert many == few
