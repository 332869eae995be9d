"""Reports, their reporters, attachments, reference data and the event log.

A report's original text is never edited: what the public sees is the *public version* written
at verification. The reporter's identity lives in its own table so that it can be hidden by
role and erased by anonymising without touching the report or its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    ANDROID = "android", _("Aplikasi Android Kudus")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    WHATSAPP = "whatsapp", _("WhatsApp")
    OFFLINE = "offline", _("Langsung / telepon")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Impor sistem lama")


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    WAITING_REPORTER = "waiting_reporter", _("Menunggu informasi pelapor")
    VERIFIED = "verified", _("Terverifikasi")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    RETURNED = "returned", _("Dikembalikan ke Admin Kabupaten")
    RESPONDED = "responded", _("Ditanggapi")
    FINISHED = "finished", _("Selesai")
    REOPENED = "reopened", _("Dibuka kembali")
    CLOSED = "closed", _("Ditutup")
    ARCHIVED = "archived", _("Diarsipkan")
    DUPLICATE = "duplicate", _("Duplikat")
    ESCALATED = "escalated", _("Dieskalasi")


# Statuses in which nothing more is expected from the regency.
TERMINAL_STATUSES = frozenset({Status.CLOSED, Status.ARCHIVED, Status.DUPLICATE})
# Statuses a public page may show: verified and beyond, never an unverified or archived one.
PUBLIC_STATUSES = frozenset(
    {
        Status.VERIFIED,
        Status.DISPOSITIONED,
        Status.RETURNED,
        Status.RESPONDED,
        Status.FINISHED,
        Status.REOPENED,
        Status.CLOSED,
        Status.ESCALATED,
    }
)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Mendesak")


class ArchiveReason(models.TextChoices):
    NOT_COMPLAINT = "not_complaint", _("Bukan pengaduan")
    OUT_OF_SCOPE = "out_of_scope", _("Di luar lingkup")
    INCOMPLETE = "incomplete", _("Tidak lengkap setelah batas waktu")
    SPAM = "spam", _("Spam")
    LAPOR_ARCHIVED = "lapor_archived", _("Diarsipkan di SP4N-LAPOR!")
    LAPOR_REJECTED = "lapor_rejected", _("Ditolak di SP4N-LAPOR!")
    OTHER = "other", _("Lainnya")


class Classification(models.Model):
    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=100)
    lapor_id = models.PositiveIntegerField(_("ID LAPOR!"), null=True, blank=True, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("klasifikasi")
        verbose_name_plural = _("klasifikasi")

    def __str__(self):
        return self.name


class Category(models.Model):
    slug = models.SlugField(_("kode"), unique=True, max_length=80)
    name = models.CharField(_("nama"), max_length=150)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lapor_category_id = models.PositiveIntegerField(_("ID kategori LAPOR!"), null=True, blank=True)
    default_opd = models.ForeignKey(
        "disposition.OPD",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_categories",
        verbose_name=_("OPD bawaan"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            )
        ]

    def __str__(self):
        return self.name


class Kecamatan(models.Model):
    code = models.CharField(_("kode Kemendagri"), max_length=6, unique=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Desa(models.Model):
    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode Kemendagri"), max_length=10, unique=True)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa_set")
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kecamatan__name", "name"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self):
        # "Desa Jepang"; a translation may put the kind after the name ("Jepang Village").
        return pgettext("desa or kelurahan, then its name", "%(kind)s %(name)s") % {
            "kind": self.get_kind_display(),
            "name": self.name,
        }


class Complaint(models.Model):
    tracking_number = models.CharField(_("nomor pelacakan"), max_length=20, unique=True)
    # sha256 of the access code: the code is shown to the reporter once and never stored.
    access_code_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("kanal"), max_length=16, choices=Channel.choices)
    classification = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("klasifikasi"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kategori")
    )
    # What the reporter wrote, as written. Never edited.
    title = models.CharField(_("judul dari pelapor"), max_length=200, blank=True)
    text = models.TextField(_("isi laporan"))
    # The public version, set at verification: the only text any public page or feed shows.
    public_title = models.CharField(_("judul publik"), max_length=200, blank=True)
    public_text = models.TextField(_("isi publik"), blank=True)
    public_lat = models.DecimalField(
        _("lintang publik"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    public_lng = models.DecimalField(
        _("bujur publik"), max_digits=7, decimal_places=3, null=True, blank=True
    )

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kecamatan")
    )
    desa = models.ForeignKey(
        Desa, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("desa/kelurahan")
    )
    address = models.CharField(_("alamat / lokasi"), max_length=255, blank=True)
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)

    is_secret = models.BooleanField(_("rahasia"), default=False)
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # Where a report returns to when the reporter supplies the information asked for.
    status_before_wait = models.CharField(
        _("status sebelum menunggu pelapor"), max_length=20, choices=Status.choices, blank=True
    )
    archive_reason = models.CharField(
        _("alasan arsip"), max_length=20, choices=ArchiveReason.choices, blank=True
    )

    lapor_id = models.CharField(_("ID LAPOR!"), max_length=32, null=True, blank=True, unique=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )
    escalated_to = models.ForeignKey(
        "disposition.ExternalInstitution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("dieskalasi ke"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimasukkan oleh"),
        help_text=_("Petugas yang memasukkan laporan atas nama pelapor."),
    )

    created_at = models.DateTimeField(_("diterima"), db_index=True)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    dispositioned_at = models.DateTimeField(_("didisposisikan"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("dibuka kembali"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    archived_at = models.DateTimeField(_("diarsipkan"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="complaint_status_created"),
            models.Index(fields=["category", "-created_at"], name="complaint_category_created"),
            models.Index(fields=["kecamatan", "-created_at"], name="complaint_kec_created"),
            models.Index(fields=["channel", "-created_at"], name="complaint_channel_created"),
            # The public list and home page: newest public reports first, keyset-paged.
            models.Index(
                fields=["-created_at", "-id"],
                name="complaint_public_recent",
                condition=Q(is_secret=False, status__in=sorted(PUBLIC_STATUSES))
                & ~Q(public_text=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="complaint_not_duplicate_of_self"
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | ~Q(status="duplicate"),
                name="complaint_duplicate_has_original",
            ),
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and not self.is_secret and bool(self.public_text)


class Reporter(models.Model):
    """Who filed a report. Hidden from OPD roles when anonim; erased by anonymising."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="reporter")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("akun warga"),
    )
    name = models.CharField(_("nama"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    phone = models.CharField(_("telepon (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")

    def __str__(self):
        return self.name or str(_("(tanpa nama)"))


def attachment_path(instance, filename):
    # The stored name is the checksum: no reporter-chosen text reaches the file system.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    response = models.ForeignKey(
        "disposition.Response",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("berkas"), upload_to=attachment_path)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("checksum SHA-256"), max_length=64)
    is_public = models.BooleanField(_("tampil publik"), default=False)
    created_at = models.DateTimeField(_("diunggah"))

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self):
        return self.original_name


class ActorType(models.TextChoices):
    USER = "user", _("Pengguna")
    REPORTER = "reporter", _("Pelapor")
    SYSTEM = "system", _("Sistem")
    LAPOR = "lapor", _("SP4N-LAPOR!")


class OutboxState(models.TextChoices):
    """Where an event stands with one of its consumers (notifications, the LAPOR! sync)."""

    NONE = "", _("Tidak perlu")
    PENDING = "pending", _("Menunggu")
    DONE = "done", _("Selesai")


class Event(models.Model):
    """Append-only history of a report, and the outbox its consumers read.

    Written in the same transaction as the change it records, so a change and its
    notifications (and later its LAPOR! delivery) can never disagree. The content columns are
    never updated; only the consumers' state columns move.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    disposition = models.ForeignKey(
        "disposition.Disposition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari status"), max_length=20, blank=True)
    to_status = models.CharField(_("ke status"), max_length=20, blank=True)
    actor_type = models.CharField(_("jenis pelaku"), max_length=10, choices=ActorType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_role = models.CharField(_("peran pelaku"), max_length=30, blank=True)
    actor_opd = models.ForeignKey(
        "disposition.OPD",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD pelaku"),
    )
    reason = models.TextField(_("alasan / isi"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"))
    notify_state = models.CharField(
        _("status notifikasi"),
        max_length=10,
        choices=OutboxState.choices,
        default=OutboxState.NONE,
        blank=True,
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("peristiwa")
        verbose_name_plural = _("riwayat peristiwa")
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="event_complaint_time"),
            models.Index(
                fields=["id"], name="event_notify_pending", condition=Q(notify_state="pending")
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.action} {self.from_status}→{self.to_status}"


class Rating(models.Model):
    """The reporter's verdict on a finished report: 1–5 and a comment, given once."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("nilai"))
    comment = models.TextField(_("komentar"), blank=True)
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.score}"


class CitizenProfile(models.Model):
    """A citizen's account details beyond Django's user: the phone they may log in with.

    A citizen account never holds a staff role (StaffRole is for staff only).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile"
    )
    phone = models.CharField(
        _("telepon (E.164)"), max_length=20, null=True, blank=True, unique=True
    )
    email_verified_at = models.DateTimeField(_("e-mail terverifikasi"), null=True, blank=True)
    created_at = models.DateTimeField(_("terdaftar"), auto_now_add=True)

    class Meta:
        verbose_name = _("akun warga")
        verbose_name_plural = _("akun warga")

    def __str__(self):
        return str(self.user)
