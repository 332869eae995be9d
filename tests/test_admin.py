"""The Django admin: superusers only, every model browsable, append-only records and statuses
not editable, list pages whose query count does not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.models import (
    Attachment,
    Category,
    CitizenProfile,
    Classification,
    Complaint,
    Desa,
    Event,
    Kecamatan,
    Rating,
    Reporter,
    Status,
)
from disposition.models import (
    OPD,
    AdminNomination,
    AnswerTemplate,
    Disposition,
    ExternalInstitution,
    Holiday,
    Response,
    Role,
    SlaClock,
    SlaPolicy,
    StaffRole,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

ADMIN_APPS = ("complaints", "disposition")
READ_ONLY_MODELS = (Event, Response, Reporter, Attachment, Disposition, SlaClock, Kecamatan, Desa)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _complaint(n: int, **fields) -> Complaint:
    return Complaint.objects.create(
        tracking_number=f"KDS-UJI-{n:04d}",
        access_code_hash="0" * 64,
        channel="web",
        text="Jalan di depan balai desa berlubang dan membahayakan pengendara.",
        created_at=timezone.now() - timedelta(hours=n),
        **fields,
    )


@pytest.fixture
def world():
    """One row of every model of complaints and disposition, made directly with the ORM."""
    now = timezone.now()
    officer = User.objects.create_user("petugas")
    kecamatan = Kecamatan.objects.create(code="331905", name="Mejobo")
    desa = Desa.objects.create(code="3319052006", kecamatan=kecamatan, name="Jepang", kind="desa")
    classification = Classification.objects.create(code="pengaduan", name="Pengaduan", lapor_id=1)
    opd = OPD.objects.create(name="Dinas Pekerjaan Umum", short_name="DPUPR", kind="dinas")
    category = Category.objects.create(
        slug="jalan-rusak", name="Jalan Rusak", lapor_category_id=701, default_opd=opd
    )
    institution = ExternalInstitution.objects.create(
        name="Pemerintah Provinsi Jawa Tengah", level="provinsi", lapor_id=101
    )
    complaint = _complaint(
        1, kecamatan=kecamatan, desa=desa, classification=classification, category=category
    )
    reporter = Reporter.objects.create(
        complaint=complaint, name="Siti Aminah", phone="+6281234567890", email="siti@example.test"
    )
    attachment = Attachment.objects.create(
        complaint=complaint,
        file="attachments/ab/" + "ab" * 32,
        original_name="foto-jalan.jpg",
        content_type="image/jpeg",
        size=81234,
        sha256="ab" * 32,
        created_at=now,
    )
    disposition = Disposition.objects.create(
        complaint=complaint, opd=opd, is_lead=True, created_at=now
    )
    response = Response.objects.create(
        complaint=complaint,
        disposition=disposition,
        kind="initial",
        text="Akan kami tinjau minggu ini.",
        visibility="public",
        opd=opd,
        author=officer,
        created_at=now,
    )
    event = Event.objects.create(
        complaint=complaint,
        action="submit",
        to_status="received",
        actor_type="reporter",
        created_at=now,
    )
    staff_role = StaffRole.objects.create(user=officer, role=Role.ADMIN_OPD, opd=opd)
    holiday = Holiday.objects.create(date=date(2026, 1, 1), name="Tahun Baru Masehi")
    policy = SlaPolicy.objects.create(clock="verification", amount=3, unit="working_days")
    clock = SlaClock.objects.create(
        complaint=complaint,
        kind="verification",
        policy=policy,
        amount=3,
        unit="working_days",
        started_at=now,
        due_at=now + timedelta(days=3),
    )
    rating = Rating.objects.create(complaint=complaint, score=4, comment="Cepat.", created_at=now)
    profile = CitizenProfile.objects.create(user=officer, phone="+6281234567899")
    template = AnswerTemplate.objects.create(opd=opd, title="Jalan", text="Akan kami perbaiki.")
    nomination = AdminNomination.objects.create(
        opd=opd, name="Budi", email="budi@example.test", nominated_by=officer
    )
    rows = [
        kecamatan, desa, classification, category, complaint, reporter, attachment, event,
        opd, institution, staff_role, disposition, response, holiday, policy, clock, rating,
        profile, template, nomination,
    ]  # fmt: skip
    return {type(row): row for row in rows}


@pytest.fixture
def admin_client(staff_client):
    """A logged-in superuser who passed the second factor. Without a password: hashing one
    costs a second per test."""
    return staff_client(User.objects.create_superuser("operator", "operator@example.test", None))


@pytest.fixture
def plain_staff_client(client):
    user = User.objects.create_user("staf", is_staff=True)
    client.force_login(user)
    return client, user


# --- who may enter -------------------------------------------------------------------------


def test_every_model_of_complaints_and_disposition_is_registered(world):
    models = {m for label in ADMIN_APPS for m in apps.get_app_config(label).get_models()}
    assert models <= set(admin.site._registry)
    # ...and the fixture has a row of each, so the tests below open every admin page.
    assert models == set(world)


@pytest.mark.parametrize(
    "model",
    [m for label in ADMIN_APPS for m in apps.get_app_config(label).get_models()],
    ids=lambda m: m.__name__,
)
def test_superuser_can_open_the_changelist_and_change_page(admin_client, world, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "change", world[model].pk)).status_code == 200


def test_site_header_names_the_product(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "Kanal Pengaduan Kudus — Administrasi" in response.content.decode()


def test_staff_user_without_permissions_is_denied(plain_staff_client, world):
    client, _ = plain_staff_client
    for url in (reverse("admin:index"), _url(Complaint, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_staff_user_with_model_permissions_is_still_denied(plain_staff_client, world):
    # Superusers only: the admin has no OPD scoping and shows reporters' identities.
    client, user = plain_staff_client
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="complaints"))
    complaint = world[Complaint]

    for url in (_url(Complaint, "changelist"), _url(Complaint, "change", complaint.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_the_login_page(client, world):
    response = client.get(_url(Reporter, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- what may not be changed ---------------------------------------------------------------


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda m: m.__name__)
def test_append_only_and_service_written_records_are_read_only(admin_client, world, model):
    obj = world[model]
    change_url = _url(model, "change", obj.pk)

    assert admin_client.get(_url(model, "add")).status_code == 403
    assert admin_client.post(change_url, {}).status_code == 403
    assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
    # Read-only pages render no form fields and no save button.
    page = admin_client.get(change_url).content.decode()
    assert 'name="_save"' not in page


def test_complaints_are_neither_added_nor_deleted_in_the_admin(admin_client, world):
    complaint = world[Complaint]
    assert admin_client.get(_url(Complaint, "add")).status_code == 403
    response = admin_client.post(_url(Complaint, "delete", complaint.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_complaint_original_text_status_and_flags_are_not_form_fields(admin_client, world):
    response = admin_client.get(_url(Complaint, "change", world[Complaint].pk))
    fields = set(response.context["adminform"].form.fields)
    for name in (
        "tracking_number", "channel", "title", "text", "status", "is_secret", "is_anonymous",
        "access_code_hash", "lapor_id", "duplicate_of", "escalated_to",
    ):  # fmt: skip
        assert name not in fields
    assert {"public_title", "public_text", "category"} <= fields


def _change_form_data(response) -> dict:
    """The POST the browser would send for an unchanged change form, inlines included."""
    data = {}
    for field in response.context["adminform"].form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def test_saving_a_complaint_in_the_admin_never_changes_its_status_or_text(admin_client, world):
    complaint = world[Complaint]
    url = _url(Complaint, "change", complaint.pk)
    data = _change_form_data(admin_client.get(url))
    data |= {
        "public_title": "Jalan berlubang di Jepang",
        "status": Status.CLOSED,
        "text": "Diubah oleh admin",
        "tracking_number": "KDS-LAIN",
        "is_secret": "on",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    complaint.refresh_from_db()
    assert complaint.public_title == "Jalan berlubang di Jepang"
    assert complaint.status == Status.RECEIVED
    assert complaint.text.startswith("Jalan di depan balai desa")
    assert complaint.tracking_number == "KDS-UJI-0001"
    assert complaint.is_secret is False
    assert Reporter.objects.get(complaint=complaint).name == "Siti Aminah"
    assert Attachment.objects.filter(complaint=complaint).count() == 1


def test_superuser_sees_the_reporter_and_attachments_on_the_complaint(admin_client, world):
    page = admin_client.get(_url(Complaint, "change", world[Complaint].pk)).content.decode()
    assert "Siti Aminah" in page
    assert "+6281234567890" in page
    assert "foto-jalan.jpg" in page


def test_complaint_page_links_to_its_event_history(admin_client, world):
    complaint = world[Complaint]
    other = _complaint(2)
    Event.objects.create(complaint=other, action="submit", actor_type="reporter",
                         created_at=other.created_at)  # fmt: skip
    page = admin_client.get(_url(Complaint, "change", complaint.pk)).content.decode()
    link = f"{_url(Event, 'changelist')}?complaint__id__exact={complaint.pk}"
    assert link in page

    response = admin_client.get(link)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world[Event]]


@pytest.mark.parametrize(
    ("model", "field", "term", "expected"),
    [
        (Complaint, "category", "jalan", "Jalan Rusak"),
        (Complaint, "desa", "jep", "Desa Jepang"),
        (Category, "default_opd", "dpu", "DPUPR"),
        (StaffRole, "user", "petug", "petugas"),
    ],
)
def test_autocomplete_fields_search(admin_client, world, model, field, term, expected):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [expected]


def test_a_holiday_edited_in_the_admin_becomes_manual(admin_client, world):
    holiday = world[Holiday]
    assert holiday.source == Holiday.Source.SEED

    response = admin_client.post(
        _url(Holiday, "change", holiday.pk),
        {"date": "2026-01-01", "name": "Tahun Baru Masehi", "is_active": ""},
    )

    assert response.status_code == 302
    holiday.refresh_from_db()
    assert (holiday.is_active, holiday.source) == (False, Holiday.Source.MANUAL)


def test_opd_list_shows_which_opds_lack_staff(admin_client, world):
    staffed = world[OPD]
    StaffRole.objects.create(
        user=User.objects.create_user("pp"), role=Role.PEJABAT_PENGHUBUNG, opd=staffed
    )
    empty = OPD.objects.create(name="Dinas Perhubungan", short_name="Dishub", kind="dinas")

    response = admin_client.get(_url(OPD, "changelist"), {"staffing": "incomplete"})

    shown = list(response.context["cl"].result_list)
    assert shown == [empty]
    complete = admin_client.get(_url(OPD, "changelist"), {"staffing": "complete"})
    row = complete.context["cl"].result_list[0]
    assert (row, row.has_pejabat_penghubung, row.active_admin_count) == (staffed, True, 1)


# --- list pages do not query per row --------------------------------------------------------


def _add_complaints(world, start: int, count: int):
    officer = world[StaffRole].user
    for n in range(start, start + count):
        complaint = _complaint(
            n,
            kecamatan=world[Kecamatan],
            desa=world[Desa],
            classification=world[Classification],
            category=world[Category],
        )
        Reporter.objects.create(complaint=complaint, name=f"Pelapor {n}")
        for action in ("submit", "verify"):
            Event.objects.create(
                complaint=complaint,
                action=action,
                actor_type="user",
                actor=officer,
                actor_opd=world[OPD],
                created_at=complaint.created_at,
            )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Session, user, the filters' choices (classification, category, kecamatan), count, rows, and
# the date hierarchy's range and drill-down: nothing per row.
@pytest.mark.parametrize(
    # One query more than Django's own: the session's second-factor device.
    ("model", "max_queries"),
    [(Complaint, 10), (Event, 7)],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, world, model, max_queries, django_assert_max_num_queries
):
    url = _url(model, "changelist")
    _add_complaints(world, 2, 3)
    few = _queries(admin_client, url)
    _add_complaints(world, 5, 30)
    assert model.objects.count() > 30

    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == model.objects.count()
    assert _queries(admin_client, url) == few
