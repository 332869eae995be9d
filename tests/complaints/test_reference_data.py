"""The reference data loader: what it creates, that it is idempotent, what a reload keeps, and
that a bad file fails loudly and changes nothing."""

import shutil
import sys
import types
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from complaints.models import Category, Classification, Desa, Kecamatan
from complaints.reference import DATA_DIR, KINDS, ReferenceDataError, reference_data_load
from disposition.models import OPD, ExternalInstitution, Holiday, SlaPolicy

pytestmark = pytest.mark.django_db

KECAMATAN = {
    "331901": "Kaliwungu",
    "331902": "Kota Kudus",
    "331903": "Jati",
    "331904": "Undaan",
    "331905": "Mejobo",
    "331906": "Jekulo",
    "331907": "Bae",
    "331908": "Gebog",
    "331909": "Dawe",
}
REFERENCE_MODELS = (Classification, Kecamatan, Desa, OPD, Category, ExternalInstitution, SlaPolicy)


@pytest.fixture
def loaded():
    return reference_data_load(holidays=False)


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of complaints/data/ a test may break."""
    return shutil.copytree(DATA_DIR, tmp_path / "data")


def _table_sizes():
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# --- what it creates ------------------------------------------------------------------------


def test_loads_the_nine_kecamatan_with_their_kemendagri_codes(loaded):
    assert dict(Kecamatan.objects.values_list("code", "name")) == KECAMATAN
    assert loaded["kecamatan.created"] == 9


def test_loads_132_desa_and_kelurahan_with_every_kelurahan_in_kota_kudus(loaded):
    assert loaded["desa.created"] == 132
    assert Desa.objects.filter(kind=Desa.Kind.DESA).count() == 123
    kelurahan = Desa.objects.filter(kind=Desa.Kind.KELURAHAN)
    assert kelurahan.count() == 9
    assert set(kelurahan.values_list("kecamatan__name", flat=True)) == {"Kota Kudus"}
    for code, kecamatan_code in Desa.objects.values_list("code", "kecamatan__code"):
        assert code.startswith(kecamatan_code)
        assert code.startswith(settings.REGION_CODE)
    jepang = Desa.objects.get(name="Jepang")
    assert jepang.kecamatan.name == "Mejobo"


def test_loads_the_opd_seed_with_the_bagian_of_setda_and_the_kecamatan_offices(loaded):
    setda = OPD.objects.get(name="Sekretariat Daerah")
    bagian = setda.sub_units.all()
    assert {"Bagian Hukum", "Bagian Organisasi", "Bagian Umum", "Bagian Pembangunan"} <= {
        b.name for b in bagian
    }
    assert {b.kind for b in bagian} == {OPD.Kind.BAGIAN}
    offices = OPD.objects.filter(kind=OPD.Kind.KECAMATAN)
    assert {o.name for o in offices} == {f"Kecamatan {name}" for name in KECAMATAN.values()}
    diskominfo = OPD.objects.get(short_name="Diskominfo")
    assert diskominfo.name == "Dinas Komunikasi dan Informatika"
    assert diskominfo.kind == OPD.Kind.DINAS
    assert OPD.objects.get(short_name="RSUD dr. Loekmono Hadi").kind == OPD.Kind.RSUD
    assert OPD.objects.get(short_name="Satpol PP").kind == OPD.Kind.SATPOL_PP
    # Every OPD of DOMAIN.md §6, the Setda's bagian and the 9 kecamatan offices.
    assert loaded["opd.created"] == OPD.objects.count() >= 24 + 5 + 9


def test_loads_a_category_tree_with_lapor_ids_and_default_opds(loaded):
    top = Category.objects.filter(parent=None)
    assert 15 <= top.count() <= 25
    assert all(c.lapor_category_id for c in Category.objects.all())
    lapor_ids = list(Category.objects.values_list("lapor_category_id", flat=True))
    assert len(lapor_ids) == len(set(lapor_ids))

    jalan = Category.objects.select_related("parent", "default_opd").get(slug="jalan-rusak")
    assert jalan.parent.name == "Pekerjaan Umum dan Penataan Ruang"
    assert jalan.default_opd.short_name == "DPUPR"
    ktp = Category.objects.select_related("parent", "default_opd").get(slug="ktp-el")
    assert ktp.parent.slug == "kependudukan"
    assert ktp.default_opd.short_name == "Disdukcapil"
    # The tree is two levels deep: every child's parent is a top-level category.
    assert not Category.objects.filter(parent__parent__isnull=False).exists()


def test_loads_the_three_classifications_with_their_lapor_ids(loaded):
    assert list(Classification.objects.values_list("code", "lapor_id")) == [
        ("pengaduan", 1),
        ("aspirasi", 2),
        ("permintaan-informasi", 3),
    ]


def test_loads_escalation_institutions_but_not_the_regency_itself(loaded):
    province = ExternalInstitution.objects.get(name="Pemerintah Provinsi Jawa Tengah")
    assert province.level == ExternalInstitution.Level.PROVINSI
    assert ExternalInstitution.objects.filter(level=ExternalInstitution.Level.PUSAT).count() >= 5
    assert not ExternalInstitution.objects.filter(name__icontains="Kudus").exists()


def test_creates_one_default_sla_policy_per_setting(loaded):
    assert loaded["sla_policy.created"] == len(settings.SLA_DEFAULT_POLICIES)
    for clock, priority, amount, unit in settings.SLA_DEFAULT_POLICIES:
        policy = SlaPolicy.objects.get(
            clock=clock, priority=priority, classification=None, category=None, channel=""
        )
        assert (policy.amount, policy.unit, policy.is_active) == (amount, unit, True)


# --- idempotency ----------------------------------------------------------------------------


def test_a_second_run_creates_and_updates_nothing(loaded):
    sizes = _table_sizes()
    again = reference_data_load(holidays=False)
    assert again == {f"{kind}.{what}": 0 for kind in KINDS for what in ("created", "updated")}
    assert _table_sizes() == sizes


def test_a_reload_keeps_admin_changes_to_fields_the_file_does_not_own(loaded):
    other_opd = OPD.objects.get(short_name="Dishub")
    Category.objects.filter(slug="jalan-rusak").update(default_opd=other_opd, is_active=False)
    OPD.objects.filter(short_name="Diskominfo").update(
        short_name="Kominfo", is_active=False, lapor_institution_id=9001
    )
    Classification.objects.filter(code="aspirasi").update(is_active=False, sort_order=9)
    ExternalInstitution.objects.filter(lapor_id=101).update(is_active=False)
    SlaPolicy.objects.filter(clock="verification", priority="").update(amount=2, note="SK Bupati")

    counts = reference_data_load(holidays=False)

    assert not any(counts.values())
    jalan = Category.objects.get(slug="jalan-rusak")
    assert (jalan.default_opd, jalan.is_active) == (other_opd, False)
    kominfo = OPD.objects.get(name="Dinas Komunikasi dan Informatika")
    assert (kominfo.short_name, kominfo.is_active, kominfo.lapor_institution_id) == (
        "Kominfo",
        False,
        9001,
    )
    aspirasi = Classification.objects.get(code="aspirasi")
    assert (aspirasi.is_active, aspirasi.sort_order) == (False, 9)
    assert not ExternalInstitution.objects.get(lapor_id=101).is_active
    policy = SlaPolicy.objects.get(clock="verification", priority="")
    assert (policy.amount, policy.note) == (2, "SK Bupati")


def test_a_reload_restores_the_fields_the_file_owns(loaded):
    Kecamatan.objects.filter(code="331905").update(name="Mejobo (salah)")
    Desa.objects.filter(code="3319052001").update(name="Salah", kind=Desa.Kind.KELURAHAN)
    Category.objects.filter(slug="ktp-el").update(name="KTP", lapor_category_id=1, parent=None)
    ExternalInstitution.objects.filter(lapor_id=101).update(name="Pemprov", level="pusat")
    Classification.objects.filter(code="pengaduan").update(name="Keluhan")

    counts = reference_data_load(holidays=False)

    assert counts["kecamatan.updated"] == 1
    assert counts["desa.updated"] == 1
    assert counts["category.updated"] == 1
    assert counts["external_institution.updated"] == 1
    assert counts["classification.updated"] == 1
    assert Kecamatan.objects.get(code="331905").name == "Mejobo"
    desa = Desa.objects.get(code="3319052001")
    assert (desa.name, desa.kind) == ("Gulang", Desa.Kind.DESA)
    ktp = Category.objects.get(slug="ktp-el")
    assert (ktp.name, ktp.lapor_category_id, ktp.parent.slug) == ("KTP-el", 401, "kependudukan")
    province = ExternalInstitution.objects.get(lapor_id=101)
    assert (province.name, province.level) == ("Pemerintah Provinsi Jawa Tengah", "provinsi")
    assert Classification.objects.get(code="pengaduan").name == "Pengaduan"


def test_a_reload_does_not_bring_back_a_deactivated_default_sla_policy(loaded):
    SlaPolicy.objects.filter(clock="objection").update(is_active=False)

    counts = reference_data_load(holidays=False)

    assert counts["sla_policy.created"] == 0
    assert list(
        SlaPolicy.objects.filter(clock="objection").values_list("is_active", flat=True)
    ) == [False]


def test_a_reload_keeps_rows_an_admin_added(loaded):
    extra = Category.objects.create(slug="banjir-rob", name="Banjir Rob", lapor_category_id=9999)
    OPD.objects.create(name="Kantor Uji", short_name="KU", kind=OPD.Kind.KANTOR)

    reference_data_load(holidays=False)

    assert Category.objects.filter(pk=extra.pk).exists()
    assert OPD.objects.filter(name="Kantor Uji").exists()


def test_a_reload_creates_rows_added_to_the_files(loaded, data_dir):
    with (data_dir / "external_institutions.csv").open("a", encoding="utf-8") as f:
        f.write("401,Ombudsman Republik Indonesia,pusat\n")

    counts = reference_data_load(data_dir=data_dir, holidays=False)

    assert counts["external_institution.created"] == 1
    assert ExternalInstitution.objects.get(lapor_id=401).name == "Ombudsman Republik Indonesia"


# --- bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        pytest.param(
            "kudus_wilayah.csv",
            "3319012001,331901",
            "3320012001,331901",
            r"kudus_wilayah\.csv, line 2: kode must be 10 digits starting with 3319.*3320012001",
            id="desa-outside-kudus",
        ),
        pytest.param(
            "kudus_wilayah.csv",
            "3319012002,331901,Kaliwungu,Prambatan Kidul,desa",
            "3319012002,331901,Kaliwungu,Prambatan Kidul,kelurahan",
            r"line 3: kode 3319012002 does not match jenis kelurahan",
            id="kelurahan-with-desa-code",
        ),
        pytest.param(
            "kudus_wilayah.csv",
            "3319092018,331909,Dawe,Colo,desa\n",
            "",
            r"kecamatan\.csv, line 10: kecamatan\.csv expects 18 desa in Dawe, "
            r"kudus_wilayah\.csv has 17",
            id="missing-desa",
        ),
        pytest.param(
            "kudus_wilayah.csv",
            "3319012001,331901,Kaliwungu",
            "3319012001,331901,Kota Kudus",
            r"line 2: kecamatan 'Kota Kudus' does not match kecamatan\.csv",
            id="desa-in-wrong-kecamatan",
        ),
        pytest.param(
            "kecamatan.csv",
            "331909,Dawe",
            "341909,Dawe",
            r"kecamatan\.csv, line 10: kode must be 6 digits starting with 3319",
            id="kecamatan-outside-kudus",
        ),
        pytest.param(
            "categories.csv",
            "jalan-rusak,Jalan Rusak,pekerjaan-umum,701,DPUPR",
            "jalan-rusak,Jalan Rusak,pekerjaan-umum,701,Dinas Jalan",
            r"categories\.csv, line 3: default_opd 'Dinas Jalan' is not an OPD of opd\.csv",
            id="unknown-default-opd",
        ),
        pytest.param(
            "categories.csv",
            "jalan-rusak,Jalan Rusak,pekerjaan-umum,",
            "jalan-rusak,Jalan Rusak,jalan,",
            r"line 3: parent 'jalan' must be listed above its children",
            id="unknown-parent-category",
        ),
        pytest.param(
            "categories.csv",
            "jembatan,Jembatan,pekerjaan-umum,702",
            "jembatan,Jembatan,pekerjaan-umum,701",
            r"line 4: duplicate lapor_category_id .701.",
            id="duplicate-lapor-category-id",
        ),
        pytest.param(
            "external_institutions.csv",
            "202,Kementerian Kesehatan,pusat",
            "202,Kementerian Kesehatan,nasional",
            r"external_institutions\.csv, line 4: level must be one of",
            id="unknown-institution-level",
        ),
        pytest.param(
            "opd.csv",
            "Dinas Kesehatan,Dinkes,dinas,",
            "Dinas Kesehatan,Dinkes,dinas,Dinas Induk",
            r"opd\.csv, line \d+: parent 'Dinas Induk' must be listed above its sub-units",
            id="unknown-opd-parent",
        ),
        pytest.param(
            "classifications.csv",
            "code,name,lapor_id",
            "kode,nama,lapor_id",
            r"classifications\.csv, line 1: expected the columns code,name,lapor_id",
            id="wrong-header",
        ),
        pytest.param(
            "classifications.csv",
            "aspirasi,Aspirasi,2",
            "aspirasi,Aspirasi,dua",
            r"line 3: lapor_id must be a whole number",
            id="not-a-number",
        ),
        pytest.param(
            "classifications.csv",
            "aspirasi,Aspirasi,2",
            "aspirasi,Aspirasi",
            r"line 3: expected 3 fields",
            id="short-row",
        ),
    ],
)
def test_a_bad_file_fails_with_its_line_and_changes_nothing(data_dir, filename, old, new, message):
    _edit(data_dir / filename, old, new)

    with pytest.raises(ReferenceDataError, match=message):
        reference_data_load(data_dir=data_dir, holidays=False)

    assert not any(_table_sizes().values())


def test_a_bad_file_leaves_loaded_data_untouched(loaded, data_dir):
    _edit(data_dir / "kecamatan.csv", "331905,Mejobo", "331905,Mejobo Baru")
    _edit(data_dir / "categories.csv", "ktp-el,KTP-el,kependudukan,401", "ktp-el,KTP-el,x,401")
    sizes = _table_sizes()

    with pytest.raises(ReferenceDataError):
        reference_data_load(data_dir=data_dir, holidays=False)

    assert _table_sizes() == sizes
    assert Kecamatan.objects.get(code="331905").name == "Mejobo"


def test_a_missing_file_is_named(data_dir):
    (data_dir / "opd.csv").unlink()

    with pytest.raises(ReferenceDataError, match=r"opd\.csv: file not found"):
        reference_data_load(data_dir=data_dir, holidays=False)


def test_a_bad_sla_setting_fails_loudly(settings):
    settings.SLA_DEFAULT_POLICIES = [("verification", "", 0, "working_days")]

    with pytest.raises(ReferenceDataError, match=r"SLA_DEFAULT_POLICIES\[0\].*positive"):
        reference_data_load(holidays=False)

    assert not SlaPolicy.objects.exists()


# --- holidays -------------------------------------------------------------------------------


@time_machine.travel("2026-03-02 09:00 +0700", tick=False)
def test_seeds_this_and_next_years_holidays_through_the_calendar():
    counts = reference_data_load()

    assert counts["holiday.created"] > 0
    assert Holiday.objects.filter(date__year=2026).exists()
    assert Holiday.objects.filter(date__year=2027).exists()
    assert not Holiday.objects.filter(date__year__in=[2025, 2028]).exists()
    assert reference_data_load()["holiday.created"] == 0


@time_machine.travel("2026-12-31 23:30 +0700", tick=False)
def test_holiday_years_follow_the_date_in_jakarta(monkeypatch):
    calls = []
    fake = types.ModuleType("disposition.calendar")
    fake.holidays_seed = lambda *, years: calls.append(years) or 4
    monkeypatch.setitem(sys.modules, "disposition.calendar", fake)

    counts = reference_data_load()

    # 23:30 WIB on 31 December is still 2026 in Kudus (16:30 UTC).
    assert calls == [[2026, 2027]]
    assert counts["holiday.created"] == 4


def test_holidays_are_skipped_with_a_note_when_the_calendar_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "disposition.calendar", None)

    counts = reference_data_load()

    assert counts["holiday.skipped"] == 1
    assert "holiday.created" not in counts
    assert Kecamatan.objects.count() == 9


# --- the command ----------------------------------------------------------------------------


def _run(*args):
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return {
        line.split()[0]: line.split()[1:]
        for line in out.getvalue().splitlines()
        if line.split() and line.split()[0] in (*KINDS, "holiday")
    }


def test_command_prints_created_and_updated_counts_per_kind():
    first = _run("--no-holidays")
    assert first["desa"] == ["132", "0"]
    assert first["kecamatan"] == ["9", "0"]
    assert first["classification"] == ["3", "0"]
    assert set(first) == set(KINDS)

    second = _run("--no-holidays")
    assert all(values == ["0", "0"] for values in second.values())


def test_command_reports_a_bad_file_as_a_command_error(data_dir):
    _edit(data_dir / "kecamatan.csv", "331901,Kaliwungu", "331901,")

    with pytest.raises(CommandError, match=r"kecamatan\.csv, line 2: nama is empty"):
        call_command("load_reference_data", "--data-dir", str(data_dir), "--no-holidays")


def test_command_notes_skipped_holidays(monkeypatch):
    monkeypatch.setitem(sys.modules, "disposition.calendar", None)
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert "holiday: skipped" in out.getvalue()
