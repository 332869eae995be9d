"""OPDs, external institutions, staff roles, dispositions, responses and SLA clocks.

An OPD is data, not an enum: the regency reorganises, and the list changes with it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from complaints.models import Channel, Priority


class OPD(models.Model):
    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        BAGIAN = "bagian", _("Bagian")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        SATPOL_PP = "satpol_pp", _("Satuan Polisi Pamong Praja")
        KANTOR = "kantor", _("Kantor")
        KECAMATAN = "kecamatan", _("Kecamatan")
        RSUD = "rsud", _("RSUD")
        LAINNYA = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_units",
        verbose_name=_("induk"),
    )
    lapor_institution_id = models.PositiveIntegerField(
        _("ID instansi LAPOR!"), null=True, blank=True
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")

    def __str__(self):
        return self.short_name or self.name


class ExternalInstitution(models.Model):
    """A province or central institution a report can be escalated to through LAPOR!."""

    class Level(models.TextChoices):
        PUSAT = "pusat", _("Pusat")
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    name = models.CharField(_("nama"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    lapor_id = models.PositiveIntegerField(_("ID LAPOR!"), unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("instansi eksternal")
        verbose_name_plural = _("instansi eksternal")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """Who an actor is, for the transition table. Staff roles are stored in StaffRole."""

    ADMIN_KABUPATEN = "admin_kabupaten", _("Admin Kabupaten")
    PEJABAT_PENGHUBUNG = "pejabat_penghubung", _("Pejabat Penghubung")
    ADMIN_OPD = "admin_opd", _("Admin OPD")
    REPORTER = "reporter", _("Pelapor")
    SYSTEM = "system", _("Sistem")
    LAPOR = "lapor", _("SP4N-LAPOR!")


STAFF_ROLES = (Role.ADMIN_KABUPATEN, Role.PEJABAT_PENGHUBUNG, Role.ADMIN_OPD)


class StaffRole(models.Model):
    """A user's one staff role. Citizens have none. Revoking keeps the row (history)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_role"
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=[(r.value, r.label) for r in STAFF_ROLES]
    )
    opd = models.ForeignKey(
        OPD, on_delete=models.PROTECT, null=True, blank=True, related_name="staff_roles"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peran petugas")
        verbose_name_plural = _("peran petugas")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="admin_kabupaten") & Q(opd__isnull=True))
                | (Q(role__in=["pejabat_penghubung", "admin_opd"]) & Q(opd__isnull=False)),
                name="staffrole_opd_matches_role",
            ),
            # The Sekretaris Dinas: one per OPD at a time.
            models.UniqueConstraint(
                fields=["opd"],
                condition=Q(role="pejabat_penghubung", is_active=True),
                name="staffrole_one_pejabat_penghubung_per_opd",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} {self.opd or ''}".strip()


class DispositionStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu diterima")
    ACCEPTED = "accepted", _("Diterima OPD")
    RETURNED = "returned", _("Dikembalikan")
    RESPONDED = "responded", _("Ditanggapi")
    FINISHED = "finished", _("Selesai")


class Disposition(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="dispositions"
    )
    opd = models.ForeignKey(
        OPD, on_delete=models.PROTECT, related_name="dispositions", verbose_name=_("OPD")
    )
    is_lead = models.BooleanField(_("OPD utama"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DispositionStatus.choices,
        default=DispositionStatus.WAITING,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditugaskan kepada"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("didisposisikan oleh"),
    )
    note = models.TextField(_("catatan disposisi"), blank=True)
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    created_at = models.DateTimeField(_("didisposisikan"))
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "created_at", "id"]
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")
        indexes = [models.Index(fields=["opd", "status", "-created_at"], name="disp_opd_status")]
        constraints = [
            # A returned disposition is history; the same OPD may be chosen again later.
            models.UniqueConstraint(
                fields=["complaint", "opd"],
                condition=~Q(status="returned"),
                name="disposition_one_live_per_opd",
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(is_lead=True) & ~Q(status="returned"),
                name="disposition_one_live_lead",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="disposition_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} → {self.opd}"


class ResponseKind(models.TextChoices):
    INITIAL = "initial", _("Tanggapan awal")
    PROGRESS = "progress", _("Tindak lanjut")
    FINAL = "final", _("Tindak lanjut akhir")
    NOTE = "note", _("Catatan internal")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")
    REPORTER = "reporter", _("Pelapor saja")
    INTERNAL = "internal", _("Internal")


class Response(models.Model):
    """What an OPD (or Admin Kabupaten) wrote. Never edited: a correction is a new response."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="responses"
    )
    disposition = models.ForeignKey(
        Disposition, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("isi"))
    visibility = models.CharField(_("visibilitas"), max_length=10, choices=Visibility.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opd = models.ForeignKey(
        OPD,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD"),
    )
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tanggapan")
        verbose_name_plural = _("tanggapan")
        constraints = [
            # An internal note is never shown to the reporter; every other kind is.
            models.CheckConstraint(
                condition=(Q(kind="note") & Q(visibility="internal"))
                | (~Q(kind="note") & ~Q(visibility="internal")),
                name="response_note_iff_internal",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.complaint_id}"


# --- SLA ----------------------------------------------------------------------------------


class Holiday(models.Model):
    """A non-working date. Seeded from the holidays package, editable by Admin Kabupaten.

    A seeded date an admin removed stays as a row with is_active False, so reseeding does not
    bring it back.
    """

    class Source(models.TextChoices):
        SEED = "seed", _("Paket holidays")
        MANUAL = "manual", _("Diubah admin")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=150)
    is_cuti_bersama = models.BooleanField(_("cuti bersama"), default=False)
    is_active = models.BooleanField(_("libur"), default=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SEED)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class ClockKind(models.TextChoices):
    VERIFICATION = "verification", _("Verifikasi dan disposisi")
    INITIAL_RESPONSE = "initial_response", _("Tanggapan awal")
    RESOLUTION = "resolution", _("Penyelesaian")
    REPORTER_INFO = "reporter_info", _("Kelengkapan dari pelapor")
    OBJECTION = "objection", _("Masa sanggah")


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")
    HOURS = "hours", _("jam")


class SlaPolicy(models.Model):
    """How long a clock runs. The most specific active policy that matches a report wins."""

    clock = models.CharField(_("jam layanan"), max_length=20, choices=ClockKind.choices)
    classification = models.ForeignKey(
        "complaints.Classification", on_delete=models.CASCADE, null=True, blank=True
    )
    category = models.ForeignKey(
        "complaints.Category", on_delete=models.CASCADE, null=True, blank=True
    )
    # Blank matches every priority / channel.
    priority = models.CharField(_("prioritas"), max_length=10, blank=True, choices=Priority.choices)
    channel = models.CharField(_("kanal"), max_length=16, blank=True, choices=Channel.choices)
    amount = models.PositiveIntegerField(_("jumlah"))
    unit = models.CharField(_("satuan"), max_length=16, choices=ClockUnit.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.CharField(_("dasar aturan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kebijakan SLA")
        verbose_name_plural = _("kebijakan SLA")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="slapolicy_amount_positive"),
            # One active policy per scope, so the choice is never ambiguous (NULL counts as a
            # value here, hence the Coalesce).
            models.UniqueConstraint(
                "clock",
                Coalesce("classification", 0),
                Coalesce("category", 0),
                "priority",
                "channel",
                condition=Q(is_active=True),
                name="slapolicy_one_active_per_scope",
            ),
        ]

    def __str__(self):
        return f"{self.get_clock_display()}: {self.amount} {self.get_unit_display()}"


class SlaClock(models.Model):
    """One deadline of one report (or one disposition), with its pauses.

    While running, due_at is set. While paused, due_at is null and remaining_seconds holds what
    was left, measured in the clock's own time (working seconds for working-day clocks).
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        PAUSED = "paused", _("Dijeda")
        STOPPED = "stopped", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="clocks"
    )
    disposition = models.ForeignKey(
        Disposition, on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=ClockKind.choices)
    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("kebijakan")
    )
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=16, choices=ClockUnit.choices)
    state = models.CharField(
        _("keadaan"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("mulai"))
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Set when stopped: whether the deadline was met. Kept so reports need no recomputation.
    met = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        indexes = [
            models.Index(fields=["due_at"], name="clock_running_due", condition=Q(state="running")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind"],
                condition=Q(state__in=["running", "paused"], disposition__isnull=True),
                name="clock_one_open_per_complaint_kind",
            ),
            models.UniqueConstraint(
                fields=["disposition", "kind"],
                condition=Q(state__in=["running", "paused"], disposition__isnull=False),
                name="clock_one_open_per_disposition_kind",
            ),
            models.CheckConstraint(
                condition=(Q(state="running") & Q(due_at__isnull=False))
                | (Q(state="paused") & Q(remaining_seconds__isnull=False))
                | Q(state__in=["stopped", "cancelled"]),
                name="clock_state_fields",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.complaint_id}"


class AnswerTemplate(models.Model):
    """A reusable answer an OPD's admins start a response from (issue 4)."""

    opd = models.ForeignKey(OPD, on_delete=models.CASCADE, related_name="answer_templates")
    title = models.CharField(_("judul"), max_length=120)
    text = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("templat jawaban")
        verbose_name_plural = _("templat jawaban")
        constraints = [
            models.UniqueConstraint(fields=["opd", "title"], name="answertemplate_unique_title")
        ]

    def __str__(self):
        return self.title


class AdminNomination(models.Model):
    """A Pejabat Penghubung proposes a person as Admin OPD; Admin Kabupaten decides.

    Approving invites the person by e-mail (a one-time link to set a password).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    opd = models.ForeignKey(OPD, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telepon (E.164)"), max_length=20, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("diusulkan"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun yang dibuat"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usulan Admin OPD")
        verbose_name_plural = _("usulan Admin OPD")
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "email"],
                condition=Q(status="pending"),
                name="nomination_one_pending_per_person",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.opd})"
