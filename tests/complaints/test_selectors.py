"""Who sees what: scoping by role and OPD, identity hiding, and the public version."""

import pytest

from complaints import services as cs
from complaints.actors import actor_for_user, reporter_actor
from complaints.models import Status
from complaints.selectors import (
    PUBLIC_FIELDS,
    complaints_for,
    dispositions_for,
    public_reports,
    reporter_identity_for,
)
from disposition import services as ds
from tests.builders import reach, submit
from tests.conftest import NOW


@pytest.fixture
def reports(world):
    """One report per OPD, one unverified, one rahasia, one anonim (Dinkes)."""
    dinkes = reach(world, Status.DISPOSITIONED)
    pupr = reach(world, Status.VERIFIED)
    ds.disposition_create(
        complaint=pupr, actor=world.ak, opds=[world.other_opd], lead=world.other_opd, now=NOW
    )
    unverified, _ = submit(world)
    secret = reach(world, Status.DISPOSITIONED, is_secret=True)
    anonymous = reach(world, Status.DISPOSITIONED, is_anonymous=True)
    return {
        "dinkes": dinkes,
        "pupr": pupr,
        "unverified": unverified,
        "secret": secret,
        "anonymous": anonymous,
    }


def test_admin_kabupaten_sees_every_report(world, reports):
    assert set(complaints_for(world.ak)) == set(reports.values())


def test_an_opd_admin_sees_only_reports_dispositioned_to_the_opd(world, reports):
    assert set(complaints_for(world.ao)) == {
        reports["dinkes"],
        reports["secret"],
        reports["anonymous"],
    }
    assert set(complaints_for(world.other_ao)) == {reports["pupr"]}


def test_an_opd_admin_sees_only_the_opds_dispositions(world, reports):
    assert {d.opd for d in dispositions_for(world.other_ao)} == {world.other_opd}


def test_pejabat_penghubung_sees_the_opds_reports(world, reports):
    assert set(complaints_for(world.pp)) == {
        reports["dinkes"],
        reports["secret"],
        reports["anonymous"],
    }


def test_a_returned_disposition_stays_visible_to_the_opd_that_returned_it(world):
    complaint = reach(world, Status.RETURNED)
    assert list(complaints_for(world.ao)) == [complaint]


def test_a_citizen_sees_only_their_own_reports(world, citizen):
    mine, _ = submit(world, reporter_user=citizen)
    submit(world)
    assert list(complaints_for(reporter_actor(user=citizen))) == [mine]


def test_an_access_code_opens_one_report(world, reports):
    actor = reporter_actor(complaint_id=reports["pupr"].pk)
    assert list(complaints_for(actor)) == [reports["pupr"]]


def test_nobody_else_sees_anything(db):
    assert list(complaints_for(None)) == []


def test_the_opd_does_not_see_an_anonim_reporter(world, reports):
    assert reporter_identity_for(world.ao, reports["anonymous"]) is None
    assert reporter_identity_for(world.pp, reports["anonymous"]) is None
    assert reporter_identity_for(world.ak, reports["anonymous"]).name == "Siti Aminah"


def test_the_opd_sees_a_named_reporter_of_its_own_reports_only(world, reports):
    assert reporter_identity_for(world.ao, reports["dinkes"]).name == "Siti Aminah"
    assert reporter_identity_for(world.other_ao, reports["dinkes"]) is None


def test_the_public_sees_no_identity(world, reports):
    assert reporter_identity_for(None, reports["dinkes"]) is None


def test_the_public_sees_only_public_versions_of_verified_non_secret_reports(world, reports):
    rows = list(public_reports())
    numbers = {row["tracking_number"] for row in rows}
    assert numbers == {reports[k].tracking_number for k in ("dinkes", "pupr", "anonymous")}
    for row in rows:
        assert set(row) == set(PUBLIC_FIELDS)
        assert row["public_text"] == "Jalan di depan balai desa berlubang besar."
        assert "Siti" not in str(row)


def test_a_report_made_secret_after_publication_disappears_from_public(world, reports):
    cs.complaint_set_flags(
        complaint=reports["pupr"],
        actor=world.ak,
        is_secret=True,
        is_anonymous=False,
        reason="Menyangkut anak di bawah umur.",
        now=NOW,
    )
    assert reports["pupr"].tracking_number not in {r["tracking_number"] for r in public_reports()}


def test_an_archived_report_is_not_public(world):
    complaint = reach(world, Status.ARCHIVED)
    assert not public_reports().filter(pk=complaint.pk).exists()


def test_a_citizen_gets_no_staff_scope(citizen, world, reports):
    assert actor_for_user(citizen) is None
