"""Admin Kabupaten's actions on one report (/kelola/laporan/<nomor>/…): each works for Admin
Kabupaten, is refused to everyone else with nothing changed, keeps the input on a refusal,
and is offered only where the transition table allows it. Also the LAPOR! link service and
the OPD suggestions behind the disposition form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services as cs
from complaints.models import Complaint, Event, Reporter, Status
from complaints.workflow import Action, TransitionError
from disposition import services as ds
from disposition.models import DispositionStatus, Role
from disposition.suggestions import suggested_opds
from tests.builders import REPORT_TEXT, lead_disposition, reach
from tests.conftest import NOW
from tests.factories import OPDFactory, StaffRoleFactory

REPORTER = ("Siti Aminah", "+6281234567890", "siti@example.test", "3319054101900001")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, complaint):
    return reverse(f"kelola:{name}", args=[complaint.tracking_number])


def detail(complaint):
    return url("report_detail", complaint)


def fresh(complaint):
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def ak(staff_client, admin_kabupaten):
    return staff_client(admin_kabupaten)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def verify_data(world, complaint, **overrides):
    data = {
        "verify-classification": world.classification.pk,
        "verify-category": world.category.pk,
        "verify-priority": "high",
        "verify-public_title": "Jalan berlubang di Desa Jepang",
        "verify-public_text": "Jalan di depan balai desa berlubang besar.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- which panels are offered -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (
            Status.RECEIVED,
            ["verify", "request_info", "archive", "duplicate", "link_lapor", "anonymise"],
        ),
        (
            Status.VERIFIED,
            [
                "disposition",
                "request_info",
                "archive",
                "duplicate",
                "escalate",
                "link_lapor",
                "flags",
                "anonymise",
            ],
        ),
        (
            Status.DISPOSITIONED,
            ["disposition", "request_info", "escalate", "link_lapor", "flags", "anonymise"],
        ),
        (
            Status.RETURNED,
            [
                "disposition",
                "request_info",
                "archive",
                "duplicate",
                "escalate",
                "link_lapor",
                "flags",
                "anonymise",
            ],
        ),
        (Status.WAITING_REPORTER, ["archive", "duplicate", "link_lapor", "anonymise"]),
        (Status.ARCHIVED, ["link_lapor", "anonymise"]),
    ],
)
def test_admin_kabupaten_is_offered_what_the_table_allows(world, ak, status, offered):
    complaint = reach(world, status)
    response = ak.get(detail(complaint))
    assert response.context["panels"] == offered


def test_a_received_report_puts_verification_first_and_a_verified_one_disposition(world, ak):
    received = ak.get(detail(reach(world, Status.RECEIVED)))
    assert received.context["primary_panel"] == "verify"
    verified = ak.get(detail(reach(world, Status.VERIFIED)))
    assert verified.context["primary_panel"] == "disposition"
    handled = ak.get(detail(reach(world, Status.DISPOSITIONED)))
    assert handled.context["primary_panel"] == ""


# --- who may act: everyone but Admin Kabupaten is refused, nothing changes --------------------

ACTIONS = [
    ("report_verify", Status.RECEIVED),
    ("report_request_info", Status.RECEIVED),
    ("report_archive", Status.RECEIVED),
    ("report_mark_duplicate", Status.RECEIVED),
    ("report_disposition", Status.VERIFIED),
    ("report_escalate", Status.DISPOSITIONED),
    ("report_link_lapor", Status.DISPOSITIONED),
    ("report_set_flags", Status.DISPOSITIONED),
    ("report_anonymise", Status.DISPOSITIONED),
]


def _any_valid_post(world, name, complaint):
    """A post that Admin Kabupaten's panel would accept for ``name``."""
    original = reach(world, Status.VERIFIED)
    return {
        "report_verify": verify_data(world, complaint),
        "report_request_info": {"info-question": "Mohon kirim foto lokasi."},
        "report_archive": {"archive-reason": "spam"},
        "report_mark_duplicate": {
            "duplicate-original": original.tracking_number,
            "duplicate-confirm": "on",
        },
        "report_disposition": {"disposition-lead": world.opd.pk},
        "report_escalate": {
            "escalate-institution": world.institution.pk,
            "escalate-reason": "Kewenangan provinsi.",
        },
        "report_link_lapor": {"lapor-lapor_id": "1916449"},
        "report_set_flags": {"flags-is_secret": "on", "flags-reason": "Permintaan pelapor."},
        "report_anonymise": {"anonymise-reason": "Permintaan pelapor.", "anonymise-confirm": "on"},
    }[name]


def _snapshot(complaint):
    complaint = fresh(complaint)
    reporter = Reporter.objects.get(complaint=complaint)
    return (
        complaint.status,
        complaint.is_secret,
        complaint.lapor_id,
        reporter.name,
        complaint.events.count(),
        complaint.dispositions.count(),
    )


@pytest.mark.parametrize(("name", "status"), ACTIONS)
@pytest.mark.parametrize(
    "persona",
    [
        "admin_opd",
        "pejabat_penghubung",
        "other_opd_admin",
        "other_pejabat_penghubung",
        "citizen",
    ],
)
def test_only_admin_kabupaten_may_act(request, world, staff_client, name, status, persona):
    complaint = reach(world, status)
    data = _any_valid_post(world, name, complaint)
    before = _snapshot(complaint)
    response = staff_client(request.getfixturevalue(persona)).post(url(name, complaint), data)
    assert response.status_code == 404
    assert _snapshot(complaint) == before


@pytest.mark.parametrize(("name", "status"), ACTIONS)
def test_an_anonymous_visitor_is_sent_to_the_login(world, client, name, status):
    complaint = reach(world, status)
    data = _any_valid_post(world, name, complaint)
    before = _snapshot(complaint)
    response = client.post(url(name, complaint), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("kelola:login"))
    assert _snapshot(complaint) == before


@pytest.mark.parametrize(("name", "status"), ACTIONS)
def test_every_action_works_for_admin_kabupaten(world, ak, name, status):
    complaint = reach(world, status)
    data = _any_valid_post(world, name, complaint)
    before = _snapshot(complaint)
    response = ak.post(url(name, complaint), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == detail(complaint)
    assert _snapshot(complaint) != before
    page = ak.get(response.url)
    assert any(m for m in messages_of(page))


def test_an_action_only_takes_a_post(world, ak):
    complaint = reach(world, Status.RECEIVED)
    assert ak.get(url("report_verify", complaint)).status_code == 405


# --- verify -----------------------------------------------------------------------------------


def test_the_verify_form_starts_from_the_original_with_personal_data_masked(world, ak):
    text = (
        "Jalan rusak di depan rumah. Hubungi saya di 0812-3456-7890 atau +62 812 9999 0000, "
        "e-mail siti@example.test, NIK 3319054101900001."
    )
    complaint = reach(world, Status.RECEIVED, text=text, title="Keluhan Bu Siti 081234567890")
    form = ak.get(detail(complaint)).context["forms"]["verify"]
    public_text = form["public_text"].value()
    assert "0812-3456-7890" not in public_text
    assert "+62 812 9999 0000" not in public_text
    assert "siti@example.test" not in public_text
    assert "3319054101900001" not in public_text
    assert public_text.count("[disamarkan]") == 4
    assert public_text.startswith("Jalan rusak di depan rumah.")
    assert "081234567890" not in form["public_title"].value()


def test_verify_writes_the_public_version_and_the_chosen_attachments(world, ak):
    from tests.builders import photo

    complaint = reach(world, Status.RECEIVED, attachments=[photo("a.jpg"), photo("b.jpg")])
    first, second = complaint.attachments.order_by("id")
    response = ak.post(
        url("report_verify", complaint),
        verify_data(world, complaint, **{"verify-public_attachments": [second.pk]}),
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.VERIFIED
    assert complaint.public_title == "Jalan berlubang di Desa Jepang"
    assert complaint.priority == "high"
    assert list(complaint.attachments.filter(is_public=True)) == [second]
    page = ak.get(detail(complaint))
    assert any("diverifikasi" in m for m in messages_of(page))
    assert page.context["primary_panel"] == "disposition"


def test_a_refused_verification_keeps_what_was_typed(world, ak):
    complaint = reach(world, Status.RECEIVED)
    typed = "Versi publik yang sudah saya tulis dengan hati-hati, jangan hilang."
    response = ak.post(
        url("report_verify", complaint),
        verify_data(
            world,
            complaint,
            **{"verify-public_title": "  ", "verify-public_text": typed, "verify-is_secret": "on"},
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert typed in html
    assert "Judul publik wajib diisi." in html
    assert response.context["forms"]["verify"]["is_secret"].value() is True
    assert response.context["open_panel"] == "verify"
    assert fresh(complaint).status == Status.RECEIVED


def test_verifying_a_report_already_verified_is_refused_with_the_tables_reason(world, ak):
    complaint = reach(world, Status.VERIFIED)
    events = complaint.events.count()
    response = ak.post(url("report_verify", complaint), verify_data(world, complaint))
    assert response.status_code == 409
    assert "Tindakan ini tidak dapat dilakukan pada status “Terverifikasi”." in messages_of(
        response
    )
    assert fresh(complaint).events.count() == events


# --- request information, archive --------------------------------------------------------------


def test_requesting_information_pauses_the_report(world, ak):
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(url("report_request_info", complaint), {"info-question": "Di RT berapa?"})
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.WAITING_REPORTER
    assert complaint.events.filter(action=Action.REQUEST_INFO, reason="Di RT berapa?").exists()


def test_an_empty_question_is_refused(world, ak):
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(url("report_request_info", complaint), {"info-question": ""})
    assert response.status_code == 400
    assert "Pertanyaan untuk pelapor wajib diisi." in response.content.decode()
    assert fresh(complaint).status == Status.RECEIVED


def test_archiving_with_other_needs_a_note_and_keeps_the_choice(world, ak):
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(url("report_archive", complaint), {"archive-reason": "other"})
    assert response.status_code == 400
    assert "Jelaskan alasan pengarsipan." in response.content.decode()
    assert response.context["forms"]["archive"]["reason"].value() == "other"
    assert fresh(complaint).status == Status.RECEIVED

    response = ak.post(
        url("report_archive", complaint),
        {"archive-reason": "other", "archive-note": "Laporan ganda via telepon."},
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.ARCHIVED
    assert complaint.archive_reason == "other"


def test_the_archive_list_has_no_lapor_only_reasons(world, ak):
    form = ak.get(detail(reach(world, Status.RECEIVED))).context["forms"]["archive"]
    values = [value for value, _label in form.fields["reason"].choices]
    assert "spam" in values
    assert "lapor_archived" not in values
    assert "lapor_rejected" not in values


# --- duplicate ---------------------------------------------------------------------------------


def test_searching_for_the_original_lists_candidates(world, ak):
    original = reach(world, Status.VERIFIED, text="Lampu jalan di Jl. Sunan Muria mati semua.")
    complaint = reach(world, Status.RECEIVED)
    response = ak.get(detail(complaint), {"dup-q": original.tracking_number})
    assert [c.pk for c in response.context["duplicate_candidates"]] == [original.pk]
    assert response.context["open_panel"] == "duplicate"

    by_words = ak.get(detail(complaint), {"dup-q": "Sunan Muria"})
    assert original in by_words.context["duplicate_candidates"]
    assert complaint not in by_words.context["duplicate_candidates"]


def test_marking_a_duplicate_needs_the_confirmation(world, ak):
    original = reach(world, Status.VERIFIED)
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(
        url("report_mark_duplicate", complaint),
        {"duplicate-original": original.tracking_number},
    )
    assert response.status_code == 400
    assert "Centang konfirmasi untuk menggabungkan." in response.content.decode()
    assert original.tracking_number in response.content.decode()  # the choice is kept
    assert fresh(complaint).status == Status.RECEIVED

    response = ak.post(
        url("report_mark_duplicate", complaint),
        {"duplicate-original": original.tracking_number.lower(), "duplicate-confirm": "on"},
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.DUPLICATE
    assert complaint.duplicate_of == original


def test_a_report_cannot_be_its_own_duplicate(world, ak):
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(
        url("report_mark_duplicate", complaint),
        {"duplicate-original": complaint.tracking_number, "duplicate-confirm": "on"},
    )
    assert response.status_code == 400
    assert fresh(complaint).status == Status.RECEIVED


def test_an_unknown_original_is_refused(world, ak):
    complaint = reach(world, Status.RECEIVED)
    response = ak.post(
        url("report_mark_duplicate", complaint),
        {"duplicate-original": "KDS-0000-0000", "duplicate-confirm": "on"},
    )
    assert response.status_code == 400
    assert "Laporan dengan nomor itu tidak ditemukan." in response.content.decode()


# --- disposition ------------------------------------------------------------------------------


def test_disposition_to_a_lead_and_a_supporting_opd(world, ak):
    complaint = reach(world, Status.VERIFIED)
    response = ak.post(
        url("report_disposition", complaint),
        {
            "disposition-lead": world.opd.pk,
            "disposition-supporting": [world.other_opd.pk],
            "disposition-note": "Koordinasikan dengan kecamatan.",
        },
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.DISPOSITIONED
    live = {d.opd_id: d.is_lead for d in complaint.dispositions.all()}
    assert live == {world.opd.pk: True, world.other_opd.pk: False}
    page = ak.get(detail(complaint))
    assert "Laporan didisposisikan ke Dinkes (utama), DPUPR." in messages_of(page)


def test_disposition_needs_a_lead_and_keeps_the_note(world, ak):
    complaint = reach(world, Status.VERIFIED)
    response = ak.post(
        url("report_disposition", complaint),
        {"disposition-supporting": [world.other_opd.pk], "disposition-note": "Catatan saya."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilih OPD utama." in html
    assert "Catatan saya." in html
    assert fresh(complaint).dispositions.count() == 0


def test_adding_an_opd_already_on_the_report_is_refused_and_keeps_the_input(world, ak):
    complaint = reach(world, Status.DISPOSITIONED)
    response = ak.post(
        url("report_disposition", complaint),
        {"disposition-supporting": [world.opd.pk], "disposition-note": "Tambahan, mohon cek."},
    )
    assert response.status_code == 409
    assert "Laporan ini sudah didisposisikan ke Dinkes." in messages_of(response)
    assert "Tambahan, mohon cek." in response.content.decode()
    assert fresh(complaint).dispositions.count() == 1


def test_a_report_being_handled_takes_supporting_opds_only(world, ak):
    complaint = reach(world, Status.DISPOSITIONED)
    form = ak.get(detail(complaint)).context["forms"]["disposition"]
    assert "lead" not in form.fields
    response = ak.post(
        url("report_disposition", complaint), {"disposition-supporting": [world.other_opd.pk]}
    )
    assert response.status_code == 302
    assert fresh(complaint).dispositions.filter(opd=world.other_opd, is_lead=False).exists()


def test_a_returned_report_is_re_dispositioned_with_the_return_reasons_shown(world, ak):
    complaint = reach(world, Status.RETURNED)
    page = ak.get(detail(complaint))
    assert page.context["primary_panel"] == "disposition"
    assert [r.disposition.return_reason for r in page.context["returned_dispositions"]] == [
        "Bukan tupoksi Dinas Kesehatan."
    ]
    assert "Disposisi ulang" in page.content.decode()
    response = ak.post(
        url("report_disposition", complaint), {"disposition-lead": world.other_opd.pk}
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.DISPOSITIONED
    assert lead_disposition(complaint).opd == world.other_opd


def test_an_opd_without_an_active_admin_is_flagged_before_and_after(world, ak):
    lonely = OPDFactory(name="Dinas Arsip dan Perpustakaan", short_name="Disarpus")
    complaint = reach(world, Status.VERIFIED)
    page = ak.get(detail(complaint))
    labels = dict(page.context["forms"]["disposition"].fields["lead"].choices)
    assert "belum ada Admin OPD aktif" in labels[str(lonely.pk)]
    assert "belum ada Admin OPD aktif" not in labels[str(world.opd.pk)]

    response = ak.post(url("report_disposition", complaint), {"disposition-lead": lonely.pk})
    assert response.status_code == 302
    shown = messages_of(ak.get(detail(complaint)))
    assert any("Disarpus belum memiliki Admin OPD aktif" in m for m in shown)


# --- suggestions ------------------------------------------------------------------------------


def _past_reports_led_by(world, opd, count):
    for _ in range(count):
        past = reach(world, Status.VERIFIED)
        ds.disposition_create(complaint=past, actor=world.ak, opds=[opd], lead=opd, now=NOW)


def test_the_suggestions_are_the_default_opd_and_the_most_chosen_lead(world):
    _past_reports_led_by(world, world.other_opd, 2)
    _past_reports_led_by(world, world.opd, 1)
    later = NOW.replace(hour=10)
    complaint, _code = cs.complaint_submit(
        actor=world.ak, channel="web", text=REPORT_TEXT, category=world.category, now=later
    )
    suggestions = suggested_opds(complaint)
    assert [s.opd for s in suggestions] == [world.opd, world.other_opd]
    assert "OPD bawaan kategori ini" in suggestions[0].reasons
    assert "(2 laporan)" in suggestions[1].reasons[0]


def test_a_returned_lead_does_not_count_as_chosen(world):
    for _ in range(2):
        returned = reach(world, Status.RETURNED)  # led by Dinkes, returned
        assert returned.status == Status.RETURNED
    later = NOW.replace(hour=10)
    complaint, _code = cs.complaint_submit(
        actor=world.ak, channel="web", text=REPORT_TEXT, category=world.category, now=later
    )
    suggestions = suggested_opds(complaint)
    assert [s.opd for s in suggestions] == [world.opd]
    assert suggestions[0].reasons == ["OPD bawaan kategori ini"]


def test_the_default_opd_and_most_chosen_merge_into_one_suggestion(world):
    _past_reports_led_by(world, world.opd, 3)
    later = NOW.replace(hour=10)
    complaint, _code = cs.complaint_submit(
        actor=world.ak, channel="web", text=REPORT_TEXT, category=world.category, now=later
    )
    (only,) = suggested_opds(complaint)
    assert only.opd == world.opd
    assert len(only.reasons) == 2
    assert only.has_active_admin


def test_a_suggested_opd_without_admin_is_flagged_and_the_form_starts_from_it(world, ak):
    lonely = OPDFactory(name="Dinas Perhubungan", short_name="Dishub")
    world.category.default_opd = lonely
    world.category.save()
    complaint = reach(world, Status.VERIFIED)
    page = ak.get(detail(complaint))
    (suggestion,) = page.context["suggestions"]
    assert suggestion.opd == lonely
    assert not suggestion.has_active_admin
    assert page.context["forms"]["disposition"]["lead"].value() == str(lonely.pk)
    assert "belum ada Admin OPD aktif" in page.content.decode()


# --- escalate, flags --------------------------------------------------------------------------


def test_escalation_lists_active_institutions_by_level(world, ak):
    from disposition.models import ExternalInstitution

    ExternalInstitution.objects.create(
        name="Kementerian PUPR", level=ExternalInstitution.Level.PUSAT, lapor_id=201
    )
    ExternalInstitution.objects.create(
        name="Instansi Lama", level=ExternalInstitution.Level.PUSAT, lapor_id=202, is_active=False
    )
    form = ak.get(detail(reach(world, Status.VERIFIED))).context["forms"]["escalate"]
    groups = dict(form.fields["institution"].choices[1:])
    assert [name for _pk, name in groups["Provinsi"]] == ["Pemerintah Provinsi Jawa Tengah"]
    assert [name for _pk, name in groups["Pusat"]] == ["Kementerian PUPR"]


def test_escalation_needs_a_reason(world, ak):
    complaint = reach(world, Status.VERIFIED)
    response = ak.post(
        url("report_escalate", complaint), {"escalate-institution": world.institution.pk}
    )
    assert response.status_code == 400
    assert fresh(complaint).status == Status.VERIFIED
    response = ak.post(
        url("report_escalate", complaint),
        {"escalate-institution": world.institution.pk, "escalate-reason": "Jalan provinsi."},
    )
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == Status.ESCALATED
    assert complaint.escalated_to == world.institution


def test_changing_the_flags_needs_a_reason_and_is_recorded(world, ak):
    complaint = reach(world, Status.DISPOSITIONED)
    response = ak.post(url("report_set_flags", complaint), {"flags-is_anonymous": "on"})
    assert response.status_code == 400
    assert "Alasan perubahan wajib diisi." in response.content.decode()
    assert response.context["forms"]["flags"]["is_anonymous"].value() is True
    assert not fresh(complaint).is_anonymous

    response = ak.post(
        url("report_set_flags", complaint),
        {"flags-is_anonymous": "on", "flags-reason": "Pelapor takut diintimidasi."},
    )
    assert response.status_code == 302
    assert fresh(complaint).is_anonymous
    event = complaint.events.get(action=Action.FLAGS_CHANGED)
    assert event.reason == "Pelapor takut diintimidasi."
    assert event.data == {"is_anonymous": [False, True]}


def test_the_flags_panel_waits_for_verification(world, ak):
    assert "flags" not in ak.get(detail(reach(world, Status.RECEIVED))).context["panels"]


# --- link to LAPOR! -----------------------------------------------------------------------------


def test_linking_to_lapor_records_the_id_and_an_event(world):
    complaint = reach(world, Status.VERIFIED)
    cs.complaint_link_lapor(complaint=complaint, actor=world.ak, lapor_id=" #1916449 ", now=NOW)
    complaint = fresh(complaint)
    assert complaint.lapor_id == "1916449"
    event = complaint.events.get(action=Action.LINK_LAPOR)
    assert event.data == {"lapor_id": "1916449"}
    assert event.actor == world.admin_kabupaten
    assert complaint.status == Status.VERIFIED


def test_a_lapor_id_already_linked_to_another_report_is_refused(world):
    first = reach(world, Status.VERIFIED)
    second = reach(world, Status.VERIFIED)
    cs.complaint_link_lapor(complaint=first, actor=world.ak, lapor_id="1916449", now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        cs.complaint_link_lapor(complaint=second, actor=world.ak, lapor_id="1916449", now=NOW)
    assert excinfo.value.message_dict["lapor_id"] == [
        f"Nomor LAPOR! 1916449 sudah terhubung dengan laporan {first.tracking_number}."
    ]
    assert fresh(second).lapor_id is None
    assert not second.events.filter(action=Action.LINK_LAPOR).exists()


def test_a_report_from_lapor_keeps_its_id(world):
    from tests.builders import reach_from_lapor

    complaint = reach_from_lapor(world, lapor_id="555")
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_link_lapor(complaint=complaint, actor=world.ak, lapor_id="556", now=NOW)
    assert excinfo.value.code == "already_linked"
    assert fresh(complaint).lapor_id == "555"


@pytest.mark.parametrize("bad", ["", "   ", "abc123", "19164-49", "١٢٣", "1" * 33])
def test_a_lapor_id_is_digits_only(world, bad):
    complaint = reach(world, Status.VERIFIED)
    with pytest.raises(ValidationError) as excinfo:
        cs.complaint_link_lapor(complaint=complaint, actor=world.ak, lapor_id=bad, now=NOW)
    assert "lapor_id" in excinfo.value.message_dict
    assert fresh(complaint).lapor_id is None


@pytest.mark.parametrize("actor", ["ao", "pp", "other_ao"])
def test_only_admin_kabupaten_links_to_lapor(world, actor):
    complaint = reach(world, Status.DISPOSITIONED)
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_link_lapor(
            complaint=complaint, actor=getattr(world, actor), lapor_id="1916449", now=NOW
        )
    assert excinfo.value.code == "forbidden_role"
    assert fresh(complaint).lapor_id is None


def test_the_link_form_shows_a_taken_id_next_to_the_field(world, ak):
    taken = reach(world, Status.VERIFIED)
    cs.complaint_link_lapor(complaint=taken, actor=world.ak, lapor_id="777", now=NOW)
    complaint = reach(world, Status.VERIFIED)
    response = ak.post(url("report_link_lapor", complaint), {"lapor-lapor_id": "777"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"sudah terhubung dengan laporan {taken.tracking_number}" in html
    assert 'value="777"' in html
    assert "link_lapor" in ak.get(detail(complaint)).context["panels"]
    assert "link_lapor" not in ak.get(detail(taken)).context["panels"]


# --- anonymise ------------------------------------------------------------------------------------


def test_anonymising_needs_confirmation(world, ak):
    complaint = reach(world, Status.DISPOSITIONED)
    response = ak.post(url("report_anonymise", complaint), {"anonymise-reason": "Permintaan."})
    assert response.status_code == 400
    assert "Centang konfirmasi untuk menganonimkan." in response.content.decode()
    assert Reporter.objects.get(complaint=complaint).name == "Siti Aminah"


def test_after_anonymising_no_page_shows_the_identity(
    world, ak, staff_client, admin_opd, pejabat_penghubung
):
    complaint = reach(world, Status.DISPOSITIONED)
    before = ak.get(detail(complaint)).content.decode()
    assert "Siti Aminah" in before
    response = ak.post(
        url("report_anonymise", complaint),
        {"anonymise-reason": "Permintaan pelapor lewat e-mail.", "anonymise-confirm": "on"},
    )
    assert response.status_code == 302
    for client in (ak, staff_client(admin_opd), staff_client(pejabat_penghubung)):
        html = client.get(detail(complaint)).content.decode()
        for value in REPORTER:
            assert value not in html
    page = ak.get(detail(complaint))
    assert "dihapus (anonimisasi)" in page.content.decode()
    assert "anonymise" not in page.context["panels"]
    assert fresh(complaint).is_anonymous
    assert Event.objects.filter(complaint=complaint, action=Action.ANONYMISE).exists()


# --- an OPD without admin: its Pejabat Penghubung reads it like any OPD role ------------------


def test_a_pejabat_penghubung_acting_in_place_sees_the_page_without_ak_panels(world, staff_client):
    lonely = OPDFactory(name="Dinas Sosial", short_name="Dinsos")
    pp = StaffRoleFactory(user__username="pp.dinsos", role=Role.PEJABAT_PENGHUBUNG, opd=lonely)
    complaint = reach(world, Status.VERIFIED)
    ds.disposition_create(complaint=complaint, actor=world.ak, opds=[lonely], lead=lonely, now=NOW)
    response = staff_client(pp.user).get(detail(complaint))
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert [r.disposition.status for r in response.context["dispositions"]] == [
        DispositionStatus.WAITING
    ]
