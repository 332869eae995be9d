"""Bring a report into any state through the real services, as users would.

``World`` holds the personas and reference data a scenario needs; ``reach(world, status)``
returns a report in that status, built only with service calls.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import services as cs
from complaints.actors import LAPOR, SYSTEM, Actor, actor_for_user, reporter_actor
from complaints.models import Channel, Complaint, Status
from disposition import services as ds
from disposition.models import Disposition, DispositionStatus, ResponseKind
from tests.factories import (
    CategoryFactory,
    ClassificationFactory,
    DesaFactory,
    ExternalInstitutionFactory,
)

REPORT_TEXT = "Jalan di depan balai desa berlubang besar dan membahayakan pengendara motor."


@dataclass
class World:
    admin_kabupaten: object
    admin_opd: object
    other_opd_admin: object
    pejabat_penghubung: object
    opd: object
    other_opd: object
    now: datetime | None = None

    def __post_init__(self):
        self.classification = ClassificationFactory()
        self.category = CategoryFactory(default_opd=self.opd)
        self.desa = DesaFactory()
        self.institution = ExternalInstitutionFactory()

    @property
    def ak(self) -> Actor:
        return actor_for_user(self.admin_kabupaten)

    @property
    def ao(self) -> Actor:
        return actor_for_user(self.admin_opd)

    @property
    def other_ao(self) -> Actor:
        return actor_for_user(self.other_opd_admin)

    @property
    def pp(self) -> Actor:
        return actor_for_user(self.pejabat_penghubung)


def jpeg_bytes(*, with_gps: bool = False) -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    if with_gps:
        exif[0x8825] = {1: "S", 2: (6.0, 48.0, 0.0), 3: "E", 4: (110.0, 52.0, 0.0)}
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def photo(name="foto.jpg", *, with_gps=False) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(with_gps=with_gps), content_type="image/jpeg")


def submit(world: World, *, actor: Actor | None = None, **fields) -> tuple[Complaint, str]:
    values = {
        "channel": Channel.WEB,
        "text": REPORT_TEXT,
        "title": "Jalan berlubang",
        "kecamatan": world.desa.kecamatan,
        "desa": world.desa,
        "address": "Jl. Raya Mejobo No. 5",
        "lat": -6.812345,
        "lng": 110.871234,
        "reporter_name": "Siti Aminah",
        "reporter_phone": "081234567890",
        "reporter_email": "siti@example.test",
        "reporter_nik": "3319054101900001",
        "now": world.now,
    }
    values.update(fields)
    return cs.complaint_submit(actor=actor or reporter_actor(), **values)


def verify(world: World, complaint: Complaint, **fields) -> Complaint:
    values = {
        "classification": world.classification,
        "category": world.category,
        "public_title": "Jalan berlubang di Desa Jepang",
        "public_text": "Jalan di depan balai desa berlubang besar.",
        "is_secret": complaint.is_secret,
        "is_anonymous": complaint.is_anonymous,
        "now": world.now,
    }
    values.update(fields)
    return cs.complaint_verify(complaint=complaint, actor=world.ak, **values)


def lead_disposition(complaint: Complaint) -> Disposition:
    return complaint.dispositions.exclude(status=DispositionStatus.RETURNED).get(is_lead=True)


def respond(world, disposition, kind, actor=None, text=None):
    return ds.response_add(
        disposition=disposition,
        actor=actor or world.ao,
        kind=kind,
        text=text or f"Tanggapan {kind}: sudah kami tinjau ke lokasi.",
        now=world.now,
    )


def reach(world: World, status: str, **submit_fields) -> Complaint:
    """A report in ``status``, built through the services."""
    complaint, _code = submit(world, **submit_fields)
    if status == Status.RECEIVED:
        return _fresh(complaint)
    if status == Status.WAITING_REPORTER:
        cs.complaint_request_info(
            complaint=complaint, actor=world.ak, question="Mohon kirim foto lokasi.", now=world.now
        )
        return _fresh(complaint)
    if status == Status.ARCHIVED:
        cs.complaint_archive(complaint=complaint, actor=world.ak, reason="spam", now=world.now)
        return _fresh(complaint)
    if status == Status.DUPLICATE:
        original = reach(world, Status.VERIFIED)
        cs.complaint_mark_duplicate(
            complaint=complaint, actor=world.ak, original=original, now=world.now
        )
        return _fresh(complaint)
    verify(world, complaint)
    if status == Status.VERIFIED:
        return _fresh(complaint)
    if status == Status.ESCALATED:
        cs.complaint_escalate(
            complaint=complaint,
            actor=world.ak,
            institution=world.institution,
            reason="Kewenangan provinsi.",
            now=world.now,
        )
        return _fresh(complaint)
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=world.now
    )
    if status == Status.DISPOSITIONED:
        return _fresh(complaint)
    disposition = lead_disposition(complaint)
    if status == Status.RETURNED:
        ds.disposition_return(
            disposition=disposition,
            actor=world.ao,
            reason="Bukan tupoksi Dinas Kesehatan.",
            now=world.now,
        )
        return _fresh(complaint)
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=world.now)
    respond(world, disposition, ResponseKind.INITIAL)
    if status == Status.RESPONDED:
        return _fresh(complaint)
    respond(world, disposition, ResponseKind.FINAL)
    if status == Status.FINISHED:
        return _fresh(complaint)
    if status == Status.REOPENED:
        cs.complaint_object(
            complaint=complaint,
            actor=reporter_actor(complaint_id=complaint.pk),
            reason="Jalan belum diperbaiki.",
            now=world.now,
        )
        return _fresh(complaint)
    if status == Status.CLOSED:
        cs.complaint_close(complaint=complaint, actor=SYSTEM, now=world.now)
        return _fresh(complaint)
    raise ValueError(f"No recipe for {status}")


def reach_from_lapor(world: World, lapor_id: str = "1916449") -> Complaint:
    return cs.complaint_receive_from_lapor(
        lapor_id=lapor_id,
        title="Lampu jalan mati",
        text="Lampu penerangan jalan di Jl. Sunan Muria mati sejak seminggu.",
        dispositioned_at=world.now,
        classification=world.classification,
        category=world.category,
        reporter_name="Budi",
        reporter_phone="+6281234567891",
        now=world.now,
    )


def _fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


__all__ = ["LAPOR", "SYSTEM", "World", "reach", "reach_from_lapor", "submit", "verify"]
