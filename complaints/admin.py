"""Django admin for the Diskominfo system operator (DOMAIN.md §2: *Superuser*).

The admin is for superusers only (``admin.site.has_permission`` below), not merely staff with
model permissions: it has no scoping by OPD and shows reporters' identities, which only Admin
Kabupaten may see (DOMAIN.md §5). Staff roles work in the back-office, whose selectors scope
every list by role and OPD.

What never changes here:

* statuses: every status change goes through the workflow services (``complaints.services``,
  ``disposition.services``), which check the move, write the event and run the side effects;
* the reporter's original report (tracking number, channel, title, text), events, responses and
  attachments: they are append-only evidence;
* the rahasia/anonim flags: their changes are audited events (``complaint_set_flags``);
* reporters' identities: erasure is ``reporter_anonymise``.

Every save the admin does allow is recorded by Django's admin log (who, when, which fields).
Reference data comes from ``manage.py load_reference_data``; see ``complaints/reference.py``
for which fields a reload resets.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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
from complaints.workflow import Action
from disposition.models import Disposition, DispositionStatus

admin.site.site_header = "Kanal Pengaduan Kudus — Administrasi"
admin.site.site_title = "Kanal Pengaduan Kudus — Administrasi"
admin.site.index_title = _("Administrasi sistem")


def _superuser_only(request) -> bool:
    # A superuser sees every identity: the second factor is required here as in /kelola/.
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    return user.is_active and user.is_staff and user.is_superuser and verified


def _staff_login(request, extra_context=None):
    # One login for all staff, with its lock-out and second factor; it returns to the admin.
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), "kelola:login")


admin.site.has_permission = _superuser_only
admin.site.login = _staff_login


class ReadOnlyMixin:
    """View only: for append-only records and for rows only services may write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _model_fields(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name != "id"]


RELOAD_NOTE = _(
    "Dimuat dari complaints/data/ oleh manage.py load_reference_data. Kolom %(fields)s "
    "mengikuti berkas itu dan kembali ke isi berkas setiap kali dimuat ulang; kolom lain "
    "milik admin."
)


# --- reference data ------------------------------------------------------------------------


@admin.register(Classification)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "lapor_id", "sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    fieldsets = (
        (
            None,
            {
                "fields": ("code", "name", "lapor_id", "sort_order", "is_active"),
                "description": RELOAD_NOTE % {"fields": "nama, ID LAPOR!"},
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # The code is the key the loader and the LAPOR! mapping match on.
        return ("code",) if obj else ()


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "parent",
        "slug",
        "lapor_category_id",
        "default_opd",
        "sort_order",
        "is_active",
    )
    list_select_related = ("parent", "default_opd")
    list_filter = ("is_active", ("parent", admin.EmptyFieldListFilter), "default_opd")
    search_fields = ("name", "slug")
    autocomplete_fields = ("parent", "default_opd")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "name",
                    "parent",
                    "lapor_category_id",
                    "default_opd",
                    "sort_order",
                    "is_active",
                ),
                "description": RELOAD_NOTE % {"fields": "nama, induk, ID kategori LAPOR!"},
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()


class WilayahAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Kemendagri's list: changed in complaints/data/ and loaded, never edited by hand."""


@admin.register(Kecamatan)
class KecamatanAdmin(WilayahAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "=code")


@admin.register(Desa)
class DesaAdmin(WilayahAdmin):
    list_display = ("name", "kind", "kecamatan", "code")
    list_select_related = ("kecamatan",)
    list_filter = ("kind", "kecamatan")
    search_fields = ("name", "=code")


# --- complaints ----------------------------------------------------------------------------


class ReporterInline(ReadOnlyMixin, admin.StackedInline):
    model = Reporter
    fields = ("name", "nik", "phone", "email", "user", "anonymised_at")
    readonly_fields = fields


class AttachmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Attachment
    fk_name = "complaint"
    fields = ("original_name", "content_type", "size", "is_public", "response", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("response")


class DispositionInline(ReadOnlyMixin, admin.TabularInline):
    model = Disposition
    fields = ("opd", "is_lead", "status", "assigned_to", "created_at", "finished_at")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("opd", "assigned_to")


# Fields a superuser may correct on a report. Everything else on the change page is shown
# read-only: the reporter's original, the status and its timestamps (workflow services), the
# flags (audited events) and the links set by the workflow and the LAPOR! sync.
COMPLAINT_EDITABLE = (
    "classification",
    "category",
    "priority",
    "public_title",
    "public_text",
    "public_lat",
    "public_lng",
    "kecamatan",
    "desa",
    "address",
    "lat",
    "lng",
)


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = (
        "tracking_number",
        "created_at",
        "channel",
        "status",
        "priority",
        "classification",
        "category",
        "kecamatan",
        "is_secret",
        "is_anonymous",
        "lapor_id",
    )
    list_select_related = ("classification", "category", "kecamatan")
    list_filter = (
        "status",
        "channel",
        "priority",
        "classification",
        "category",
        "kecamatan",
        "is_secret",
        "is_anonymous",
    )
    # Exact matches only: a substring search over millions of report texts is a full scan.
    search_fields = ("=tracking_number", "=lapor_id")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    # Counting the whole table on every page does not scale; the filtered count is enough.
    show_full_result_count = False
    autocomplete_fields = ("category", "desa")
    inlines = (ReporterInline, AttachmentInline, DispositionInline)
    readonly_fields = (
        *(f for f in _model_fields(Complaint) if f not in COMPLAINT_EDITABLE),
        "event_history",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "tracking_number",
                    "channel",
                    "status",
                    "created_at",
                    "lapor_id",
                    "event_history",
                )
            },
        ),
        (
            _("Laporan asli dari pelapor (tidak dapat diubah)"),
            {"fields": ("title", "text", "incident_date")},
        ),
        (
            _("Verifikasi"),
            {
                "fields": (
                    "classification",
                    "category",
                    "priority",
                    "is_secret",
                    "is_anonymous",
                    "public_title",
                    "public_text",
                )
            },
        ),
        (
            _("Lokasi"),
            {"fields": ("kecamatan", "desa", "address", "lat", "lng", "public_lat", "public_lng")},
        ),
        (
            _("Alur kerja"),
            {
                "classes": ("collapse",),
                "fields": (
                    "status_before_wait",
                    "archive_reason",
                    "duplicate_of",
                    "escalated_to",
                    "submitted_by",
                    "verified_at",
                    "dispositioned_at",
                    "responded_at",
                    "finished_at",
                    "reopened_at",
                    "closed_at",
                    "archived_at",
                    "escalated_at",
                    "updated_at",
                ),
            },
        ),
    )

    def has_add_permission(self, request):
        # A report enters through complaint_submit / complaint_receive_from_lapor, which issue
        # the tracking number and access code, write the first event and start the clocks.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the report's event history with it.
        return False

    @admin.display(description=_("peristiwa"))
    def event_history(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:complaints_event_changelist")
        return format_html(
            '<a href="{}?complaint__id__exact={}">{}</a>', url, obj.pk, _("Lihat riwayat peristiwa")
        )


@admin.register(Reporter)
class ReporterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("complaint", "name", "phone", "email", "user", "anonymised_at")
    list_select_related = ("complaint", "user")
    list_filter = (("anonymised_at", admin.EmptyFieldListFilter),)
    # Exact matches: finding a person's reports for an erasure request, not browsing.
    search_fields = ("=complaint__tracking_number", "=nik", "=phone", "=email")
    show_full_result_count = False


@admin.register(Rating)
class RatingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("complaint", "score", "created_at")
    list_select_related = ("complaint",)
    list_filter = ("score",)
    search_fields = ("=complaint__tracking_number",)
    show_full_result_count = False


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "phone", "email_verified_at", "created_at")
    list_select_related = ("user",)
    list_filter = (("email_verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("=user__username", "=user__email", "=phone")
    readonly_fields = ("user", "created_at")
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("original_name", "complaint", "content_type", "size", "is_public", "created_at")
    list_select_related = ("complaint",)
    list_filter = ("is_public", "content_type")
    search_fields = ("=complaint__tracking_number", "=sha256")
    exclude = ("file",)
    show_full_result_count = False


class ActionListFilter(admin.SimpleListFilter):
    title = _("tindakan")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        # From the workflow's names, not SELECT DISTINCT over the whole event log.
        names = sorted(v for k, v in vars(Action).items() if k.isupper())
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


class ToStatusListFilter(admin.SimpleListFilter):
    title = _("ke status")
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        choices = dict(DispositionStatus.choices) | dict(Status.choices)
        return sorted(choices.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(to_status=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "complaint",
        "action",
        "from_status",
        "to_status",
        "actor_type",
        "actor",
        "actor_role",
        "actor_opd",
        "notify_state",
    )
    list_select_related = ("complaint", "actor", "actor_opd")
    list_filter = (ActionListFilter, ToStatusListFilter, "actor_type", "notify_state")
    search_fields = ("=complaint__tracking_number",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False
