"""Django admin of OPDs, staff roles, dispositions, responses and SLA data (superusers only;
see complaints/admin.py for the rules every admin page here follows).

Dispositions, responses and SLA clocks are view-only: they are written by the workflow
services, which keep the report's status, events and clocks consistent. What a superuser does
edit here is configuration: OPDs, external institutions, staff roles, holidays and SLA policies.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from complaints.admin import RELOAD_NOTE, ReadOnlyMixin
from complaints.models import Channel, Priority
from disposition.calendar import invalidate_working_calendar
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

# --- OPDs and people -----------------------------------------------------------------------


class StaffingListFilter(admin.SimpleListFilter):
    """DOMAIN.md §2: which OPDs still lack a Pejabat Penghubung or an active Admin OPD."""

    title = _("kelengkapan petugas")
    parameter_name = "staffing"

    def lookups(self, request, model_admin):
        return [
            ("complete", _("Lengkap")),
            ("incomplete", _("Belum lengkap")),
        ]

    def queryset(self, request, queryset):
        complete = Q(has_pejabat_penghubung=True, active_admin_count__gt=0)
        if self.value() == "complete":
            return queryset.filter(complete)
        if self.value() == "incomplete":
            return queryset.exclude(complete)
        return queryset


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "short_name",
        "kind",
        "parent",
        "lapor_institution_id",
        "has_pejabat_penghubung",
        "active_admin_count",
        "is_active",
    )
    list_select_related = ("parent",)
    list_filter = ("kind", "is_active", StaffingListFilter)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "lapor_institution_id",
                    "is_active",
                ),
                "description": _(
                    "Daftar awal dimuat oleh manage.py load_reference_data dan dicocokkan pada "
                    "nama; setelah itu semua kolom milik admin. Mengganti nama OPD berarti "
                    "juga mengganti complaints/data/opd.csv, agar nama lama tidak dibuat lagi."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        # Subqueries rather than a joined Count: no GROUP BY, so the model's ordering (and
        # with it stable pagination, also of the autocomplete) still applies.
        active = StaffRole.objects.filter(opd=OuterRef("pk"), is_active=True, user__is_active=True)
        admins = (
            active.filter(role=Role.ADMIN_OPD)
            .order_by()
            .values("opd")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_pejabat_penghubung=Exists(active.filter(role=Role.PEJABAT_PENGHUBUNG)),
                active_admin_count=Coalesce(Subquery(admins), 0),
            )
        )

    @admin.display(
        description=_("Pejabat Penghubung"), boolean=True, ordering="has_pejabat_penghubung"
    )
    def has_pejabat_penghubung(self, obj):
        return obj.has_pejabat_penghubung

    @admin.display(description=_("Admin OPD aktif"), ordering="active_admin_count")
    def active_admin_count(self, obj):
        return obj.active_admin_count


@admin.register(ExternalInstitution)
class ExternalInstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "lapor_id", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "=lapor_id")
    fieldsets = (
        (
            None,
            {
                "fields": ("name", "level", "lapor_id", "is_active"),
                "description": RELOAD_NOTE % {"fields": "nama, tingkat"},
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # LAPOR!'s id is the key the loader and the escalation call use.
        return ("lapor_id",) if obj else ()


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "opd", "is_active", "created_at")
    list_select_related = ("user", "opd")
    list_filter = ("role", "is_active", "opd")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "opd__name",
        "opd__short_name",
    )
    autocomplete_fields = ("user", "opd")

    def has_delete_permission(self, request, obj=None):
        # Revoking keeps the row as history: untick "aktif" instead.
        return False


# --- dispositions and responses (written by the workflow services) -------------------------


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "opd", "is_active", "created_at")
    list_select_related = ("opd",)
    list_filter = ("is_active", "opd")
    search_fields = ("title", "text")
    readonly_fields = ("created_by", "created_at")


@admin.register(AdminNomination)
class AdminNominationAdmin(admin.ModelAdmin):
    """Read-only: nominations are decided in the back-office, where approving invites."""

    list_display = ("name", "opd", "email", "status", "created_at", "decided_at")
    list_select_related = ("opd",)
    list_filter = ("status", "opd")
    search_fields = ("name", "email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Disposition)
class DispositionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("complaint", "opd", "is_lead", "status", "assigned_to", "created_at")
    list_select_related = ("complaint", "opd", "assigned_to")
    list_filter = ("status", "is_lead", "opd")
    search_fields = ("=complaint__tracking_number",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "complaint", "kind", "visibility", "opd", "author")
    list_select_related = ("complaint", "opd", "author")
    list_filter = ("kind", "visibility", "opd")
    search_fields = ("=complaint__tracking_number",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False


# --- SLA -----------------------------------------------------------------------------------


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_cuti_bersama", "is_active", "source")
    list_filter = ("is_active", "is_cuti_bersama", "source")
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    readonly_fields = ("source",)
    fieldsets = (
        (
            None,
            {
                "fields": ("date", "name", "is_cuti_bersama", "is_active", "source"),
                "description": _(
                    "Tanggal yang diubah di sini menjadi milik admin: pemuatan ulang dari paket "
                    "holidays tidak menimpanya. Untuk membatalkan libur, hapus centang "
                    "“libur”, jangan hapus barisnya."
                ),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # A deleted seeded date would come back with the next monthly seed; deactivating it
        # (a manual row) is what makes the change stick.
        return False

    def save_model(self, request, obj, form, change):
        # holidays_seed leaves manual rows alone, so an admin's decision (a decree moving a
        # cuti bersama) survives reseeding.
        obj.source = Holiday.Source.MANUAL
        super().save_model(request, obj, form, change)
        invalidate_working_calendar()


class SlaPolicyForm(forms.ModelForm):
    # Free-text columns in the model (blank means "any"); offered as choices here.
    priority = forms.ChoiceField(
        label=_("prioritas"),
        choices=[("", _("semua prioritas")), *Priority.choices],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("kanal"), choices=[("", _("semua kanal")), *Channel.choices], required=False
    )

    class Meta:
        model = SlaPolicy
        fields = (
            "clock",
            "classification",
            "category",
            "priority",
            "channel",
            "amount",
            "unit",
            "is_active",
            "note",
        )


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyForm
    list_display = (
        "clock",
        "classification",
        "category",
        "priority",
        "channel",
        "amount",
        "unit",
        "is_active",
        "note",
    )
    list_select_related = ("classification", "category")
    list_filter = ("clock", "unit", "is_active", "classification")
    search_fields = ("note", "category__name")
    autocomplete_fields = ("category",)
    fieldsets = (
        (
            None,
            {
                "fields": SlaPolicyForm.Meta.fields,
                "description": _(
                    "Kebijakan paling spesifik yang aktif berlaku. Kebijakan bawaan dibuat dari "
                    "SLA_DEFAULT_POLICIES bila belum ada dan tidak pernah ditimpa; untuk "
                    "mematikannya hapus centang “aktif”."
                ),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # A deleted default would be created again by load_reference_data; an inactive one is
        # not. Clocks keep their amount, so deactivating changes no running deadline.
        return False


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("complaint", "disposition_opd", "kind", "state", "due_at", "met", "started_at")
    list_select_related = ("complaint", "disposition__opd")
    list_filter = ("kind", "state", "met")
    search_fields = ("=complaint__tracking_number",)
    ordering = ("-started_at", "-id")
    show_full_result_count = False

    @admin.display(description=_("OPD"), ordering="disposition__opd__short_name")
    def disposition_opd(self, obj):
        return obj.disposition.opd if obj.disposition_id else "-"
