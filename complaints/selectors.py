"""Reads, scoped to who is asking. Every list, export, API and dashboard reads through here.

- Admin Kabupaten (and the system): every report.
- Pejabat Penghubung and Admin OPD: reports with a disposition to their OPD (a returned
  disposition keeps its history visible to the OPD that returned it).
- A reporter: their own reports.
- The public: only the public version of verified, non-rahasia reports, never identity.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from complaints.actors import Actor
from complaints.models import PUBLIC_STATUSES, Complaint, Reporter
from disposition.models import Disposition, Role

# The only columns a public page, feed or export may read.
PUBLIC_FIELDS = (
    "id",
    "tracking_number",
    "public_title",
    "public_text",
    "public_lat",
    "public_lng",
    "status",
    "category__name",
    "kecamatan__name",
    "desa__name",
    "channel",
    "created_at",
    "verified_at",
    "finished_at",
)


def complaints_for(actor: Actor | None) -> QuerySet[Complaint]:
    """The reports ``actor`` may see (none for None: a visitor sees public versions only)."""
    if actor is None:
        return Complaint.objects.none()
    if actor.role in (Role.ADMIN_KABUPATEN, Role.SYSTEM, Role.LAPOR):
        return Complaint.objects.all()
    if actor.is_opd_role:
        return Complaint.objects.filter(
            Exists(Disposition.objects.filter(complaint=OuterRef("pk"), opd_id=actor.opd_id))
        )
    if actor.role == Role.REPORTER:
        if actor.complaint_id is not None:
            return Complaint.objects.filter(pk=actor.complaint_id)
        if actor.user_id is not None:
            return Complaint.objects.filter(reporter__user_id=actor.user_id)
    return Complaint.objects.none()


def dispositions_for(actor: Actor | None) -> QuerySet[Disposition]:
    """The dispositions ``actor`` may see: an OPD role only its own OPD's."""
    if actor is None:
        return Disposition.objects.none()
    if actor.role in (Role.ADMIN_KABUPATEN, Role.SYSTEM, Role.LAPOR):
        return Disposition.objects.all()
    if actor.is_opd_role:
        return Disposition.objects.filter(opd_id=actor.opd_id)
    return Disposition.objects.none()


def reporter_identity_for(actor: Actor | None, complaint: Complaint) -> Reporter | None:
    """The reporter's identity if ``actor`` may see it, else None.

    Admin Kabupaten always; an OPD role unless the report is anonim; the reporter themself.
    The public never.
    """
    if actor is None:
        return None
    if actor.is_opd_role and complaint.is_anonymous:
        return None
    if actor.role == Role.REPORTER or actor.is_opd_role:
        if not complaints_for(actor).filter(pk=complaint.pk).exists():
            return None
    elif actor.role not in (Role.ADMIN_KABUPATEN, Role.SYSTEM):
        return None
    return Reporter.objects.filter(complaint=complaint).first()


def public_reports() -> QuerySet:
    """Public versions of verified, non-rahasia reports, as dicts of PUBLIC_FIELDS only.

    Dicts, not model instances: a template cannot reach the original text or the reporter
    through a lazy attribute.
    """
    return (
        Complaint.objects.filter(status__in=PUBLIC_STATUSES, is_secret=False)
        .exclude(public_text="")
        .values(*PUBLIC_FIELDS)
    )
