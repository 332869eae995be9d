"""Reads, scoped to who is asking. Every list, export, API and dashboard reads through here.

- Admin Kabupaten (and the system): every report.
- Pejabat Penghubung and Admin OPD: reports with a disposition to their OPD (a returned
  disposition keeps its history visible to the OPD that returned it).
- A reporter: their own reports.
- The public: only the public version of verified, non-rahasia reports, never identity.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

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


def complaints_search(queryset: QuerySet[Complaint], query: str) -> QuerySet[Complaint]:
    """Narrow ``queryset`` to reports whose tracking number, title or text match ``query``.

    PostgreSQL: full-text search (websearch syntax: words, "a phrase", -excluded) on the
    expression indexed by migration 0004. SQLite (the demo): a case-insensitive substring
    match, slower but equivalent for single words.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    # Exact, upper-cased: both columns are unique-indexed, so the OR below stays indexable.
    by_number = Q(tracking_number=query.upper()) | Q(lapor_id=query)
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(text_search=SearchVector("title", "text", config="simple")).filter(
            by_number | Q(text_search=SearchQuery(query, config="simple", search_type="websearch"))
        )
    words = Q()
    for word in query.split():
        words &= Q(title__icontains=word) | Q(text__icontains=word)
    return queryset.filter(by_number | words)
