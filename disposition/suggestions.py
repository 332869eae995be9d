"""Which OPD a report should go to: the suggestions on Admin Kabupaten's disposition form.

Two hints, both about the report's category (issue 4):

- the category's default OPD (reference data, ``Category.default_opd``);
- the OPD most often chosen as *lead* for earlier reports of the same category (those filed in
  the ``HISTORY_DAYS`` before this one), counted in one aggregate query. A lead disposition
  that the OPD returned does not count: it records a wrong choice, not a right one. The window
  makes the hint follow the regency's current organisation (an OPD merged away long ago stops
  being suggested) and keeps the query's cost bounded by a year of one category, however large
  the table grows.

Each suggestion says whether the OPD has an active Admin OPD: a disposition to one without is
allowed (its Pejabat Penghubung acts in its place) but Admin Kabupaten must see it coming.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext

from complaints.models import Complaint
from complaints.services import opd_has_active_admin
from disposition.models import OPD, DispositionStatus, Role, StaffRole

# How far back "most often chosen" looks.
HISTORY_DAYS = 365


@dataclass
class OpdSuggestion:
    opd: OPD
    reasons: list[str] = field(default_factory=list)
    has_active_admin: bool = True


def _active_admins():
    # The condition of complaints.services.opd_has_active_admin, as a subquery on OPD.
    return StaffRole.objects.filter(
        opd=OuterRef("pk"), role=Role.ADMIN_OPD, is_active=True, user__is_active=True
    )


def opds_for_disposition() -> QuerySet[OPD]:
    """Active OPDs, each annotated with ``has_active_admin``, in one query."""
    return OPD.objects.filter(is_active=True).annotate(has_active_admin=Exists(_active_admins()))


def most_chosen_lead(complaint: Complaint) -> OPD | None:
    """The active OPD most often made lead for this category's earlier reports, or None.

    One query; the OPD carries the count as ``times``. The conditions sit in one ``filter``
    call, so they apply to the same disposition row and ``Count`` counts only those rows.
    """
    if complaint.category_id is None:
        return None
    live = [s for s in DispositionStatus.values if s != DispositionStatus.RETURNED]
    return (
        OPD.objects.filter(
            is_active=True,
            dispositions__is_lead=True,
            dispositions__status__in=live,
            dispositions__complaint__category_id=complaint.category_id,
            dispositions__complaint__created_at__lt=complaint.created_at,
            dispositions__complaint__created_at__gte=complaint.created_at
            - timedelta(days=HISTORY_DAYS),
        )
        .annotate(times=Count("dispositions"))
        .order_by("-times", "name")
        .first()
    )


def suggested_opds(complaint: Complaint) -> list[OpdSuggestion]:
    """The category's default OPD and the most chosen lead, merged when they are the same."""
    suggestions: dict[int, OpdSuggestion] = {}
    default = complaint.category.default_opd if complaint.category_id else None
    if default is not None and default.is_active:
        suggestions[default.pk] = OpdSuggestion(
            opd=default, reasons=[gettext("OPD bawaan kategori ini")]
        )
    chosen = most_chosen_lead(complaint)
    if chosen is not None:
        reason = gettext(
            "paling sering dipilih sebagai OPD utama untuk kategori ini (%(times)d laporan)"
        ) % {"times": chosen.times}
        suggestions.setdefault(chosen.pk, OpdSuggestion(opd=chosen)).reasons.append(reason)
    for suggestion in suggestions.values():
        suggestion.has_active_admin = opd_has_active_admin(suggestion.opd.pk)
    return list(suggestions.values())
