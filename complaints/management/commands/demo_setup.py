"""``manage.py demo_setup``: demo accounts, one per role, and a small history made by the
real services. Idempotent, so ``make run`` runs it every time.

Accounts (password ``demo-kudus-2026``) are created only with DEBUG on, or with ``--force``.
Reports are created only while the database holds fewer than ``MIN_COMPLAINTS``; each is
walked through ``complaints.services`` / ``disposition.services`` by the demo personas, with
the services' ``now`` set in the past, so the demo's history is exactly what the product
writes and its SLA clocks show on time, at risk and overdue today.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from complaints import services as cs
from complaints.actors import SYSTEM, actor_for_user, reporter_actor
from complaints.generator import (
    FINAL_TEXTS,
    INITIAL_TEXTS,
    KECAMATAN_CENTRES,
    NOTE_TEXTS,
    PROGRESS_TEXTS,
    compose_texts,
)
from complaints.models import (
    ArchiveReason,
    Category,
    Channel,
    CitizenProfile,
    Classification,
    Complaint,
    Desa,
    Priority,
    Reporter,
)
from complaints.services import TRACKING_ALPHABET, access_code_hash, access_code_matches
from disposition import services as ds
from disposition.calendar import DAY_SECONDS, WIB, working_calendar
from disposition.models import (
    OPD,
    ClockUnit,
    DispositionStatus,
    ExternalInstitution,
    ResponseKind,
    Role,
    StaffRole,
)

WARGA_PHONE = "+6281229990001"
DEMO_PASSWORD = "demo-kudus-2026"  # noqa: S105 - printed for testers; DEBUG-only accounts
# Below this many reports the database is taken to be a fresh demo and gets its history.
MIN_COMPLAINTS = 30
DINKES = "Dinas Kesehatan"
DPUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
DISHUB = "Dinas Perhubungan"


@dataclass(frozen=True)
class Account:
    username: str
    first_name: str
    last_name: str
    role: Role | None = None
    opd: str | None = None
    superuser: bool = False


ACCOUNTS = (
    Account("operator", "Operator", "Diskominfo", superuser=True),
    Account("admin.kabupaten", "Admin", "Kabupaten", Role.ADMIN_KABUPATEN),
    Account("pp.dinkes", "Sekretaris", "Dinas Kesehatan", Role.PEJABAT_PENGHUBUNG, DINKES),
    Account("admin.dinkes", "Admin", "Dinas Kesehatan", Role.ADMIN_OPD, DINKES),
    Account("admin.pupr", "Admin", "DPUPR", Role.ADMIN_OPD, DPUPR),
    Account("warga", "Siti", "Aminah"),
)
OPD_KEYS = {"dinkes": DINKES, "pupr": DPUPR, "dishub": DISHUB}
REPORTERS = (
    ("Ahmad Fauzi", "081325550101"),
    ("Sri Wahyuni", "085640110202"),
    ("Budi Santoso", "082137770303"),
    ("Nur Hidayah", "089612340404"),
    ("Eko Prasetyo", "081390050505"),
    ("Umi Kulsum", "085712120606"),
    ("Slamet Riyadi", "081228880707"),
    ("Dewi Lestari", "087733330808"),
)


@dataclass(frozen=True)
class Scenario:
    """One demo report: what it is about and the steps it went through.

    Each step is ``(working days ago, action, *arguments)``, oldest first. OPDs are named by
    the keys of OPD_KEYS; ``duplicate`` names the key of an earlier scenario.
    """

    key: str
    category: str
    desa: str  # Kemendagri code
    steps: tuple
    channel: str = Channel.WEB
    secret: bool = False
    anonymous: bool = False
    urgent: bool = False
    warga: bool = False


S = Scenario
SCENARIOS = (
    # received: verification clock on time, at risk, overdue
    S("r1", "jalan-rusak", "3319052002", ((0.1, "submit"),)),
    S("r2", "sampah", "3319021001", ((2.6, "submit"),), channel=Channel.ANDROID),
    S("r3", "penerangan-jalan-umum", "3319022025", ((4.5, "submit"),), channel=Channel.WHATSAPP),
    S("r4", "puskesmas", "3319082006", ((1.0, "submit"),), channel=Channel.OFFLINE),
    # waiting for the reporter (clocks paused; the reporter's own clock runs)
    S("w1", "drainase-banjir", "3319032008", ((3, "submit"), (2.5, "ask"))),
    S("w2", "ktp-el", "3319072002", ((10, "submit"), (9.5, "ask")), channel=Channel.ANDROID),
    S("w3", "jembatan", "3319092018", ((6, "submit"), (5.8, "verify"), (5.5, "ask"))),
    # verified, waiting for disposition
    S("v1", "jalan-rusak", "3319062010", ((0.5, "submit"), (0.3, "verify"))),
    S("v2", "jaminan-kesehatan", "3319072002", ((3.2, "lapor"),), channel=Channel.LAPOR),
    S("v3", "penyakit-menular", "3319042012", ((2.4, "submit"), (2.2, "verify"))),
    # dispositioned: initial-response clock on time, at risk, overdue; an OPD without admin
    S(
        "d1",
        "puskesmas",
        "3319082006",
        ((1.5, "submit"), (1.3, "verify"), (1.0, "dispose", ("dinkes",), "dinkes")),
    ),
    S(
        "d2",
        "jaminan-kesehatan",
        "3319052002",
        ((5, "submit"), (4.8, "verify"), (4.5, "dispose", ("dinkes",), "dinkes")),
    ),
    S(
        "d3",
        "jalan-rusak",
        "3319012002",
        ((9, "submit"), (8.8, "verify"), (8, "dispose", ("pupr",), "pupr")),
        channel=Channel.WHATSAPP,
    ),
    S(
        "d4",
        "drainase-banjir",
        "3319021001",
        (
            (3, "submit"),
            (2.8, "verify"),
            (2.5, "dispose", ("pupr",), "pupr"),
            (2, "accept", "pupr"),
        ),
    ),
    S(
        "d5",
        "penerangan-jalan-umum",
        "3319021008",
        ((4, "submit"), (3.8, "verify"), (3.5, "dispose", ("dishub",), "dishub")),
        channel=Channel.ANDROID,
    ),
    S(
        "d6",
        "drainase-banjir",
        "3319052002",
        (
            (2, "submit"),
            (1.8, "verify"),
            (1.5, "dispose", ("pupr", "dinkes"), "pupr"),
            (1.2, "accept", "dinkes"),
        ),
    ),
    # returned to Admin Kabupaten
    S(
        "t1",
        "jalan-rusak",
        "3319032008",
        (
            (4, "submit"),
            (3.8, "verify"),
            (3.5, "dispose", ("dinkes",), "dinkes"),
            (3, "return", "dinkes"),
        ),
    ),
    S(
        "t2",
        "drainase-banjir",
        "3319062010",
        (
            (5, "submit"),
            (4.8, "verify"),
            (4.5, "dispose", ("dinkes", "pupr"), "dinkes"),
            (4, "accept", "pupr"),
            (3.5, "return", "dinkes"),
        ),
    ),
    S(
        "t3",
        "sampah",
        "3319022025",
        (
            (2, "submit"),
            (1.9, "verify"),
            (1.5, "dispose", ("pupr",), "pupr"),
            (1, "return", "pupr"),
        ),
    ),
    # responded
    S(
        "p1",
        "puskesmas",
        "3319062010",
        (
            (6, "submit"),
            (5.9, "verify"),
            (5.5, "dispose", ("dinkes",), "dinkes"),
            (5, "accept", "dinkes"),
            (4.5, "initial", "dinkes"),
            (2, "progress", "dinkes"),
        ),
    ),
    S(
        "p2",
        "jalan-rusak",
        "3319092018",
        (
            (12, "submit"),
            (11.8, "verify"),
            (11.5, "dispose", ("pupr",), "pupr"),
            (11, "accept", "pupr"),
            (9, "initial", "pupr"),
            (5, "progress", "pupr"),
            (4.9, "note", "pupr"),
        ),
    ),
    S(
        "p3",
        "drainase-banjir",
        "3319042012",
        (
            (8, "submit"),
            (7.8, "verify"),
            (7.5, "dispose", ("pupr", "dinkes"), "pupr"),
            (7, "accept", "pupr"),
            (6, "initial", "pupr"),
        ),
    ),
    S(
        "p4",
        "jembatan",
        "3319042012",
        (
            (3, "submit"),
            (2.9, "verify"),
            (2.8, "dispose", ("pupr",), "pupr"),
            (2.5, "accept", "pupr"),
            (1.5, "initial", "pupr"),
        ),
        channel=Channel.WHATSAPP,
        urgent=True,
    ),
    S(
        "p5",
        "penyakit-menular",
        "3319012002",
        (
            (4, "submit"),
            (3.9, "verify"),
            (3.6, "dispose", ("dinkes",), "dinkes"),
            (3.4, "accept", "dinkes"),
            (3, "initial", "dinkes"),
            (1, "ask", "dinkes"),
            (0.5, "answer"),
        ),
    ),
    # finished: the objection window is open
    S(
        "f1",
        "jalan-rusak",
        "3319022025",
        (
            (14, "submit"),
            (13.8, "verify"),
            (13.5, "dispose", ("pupr",), "pupr"),
            (13, "accept", "pupr"),
            (12, "initial", "pupr"),
            (8, "progress", "pupr"),
            (3, "final", "pupr"),
        ),
    ),
    S(
        "f2",
        "drainase-banjir",
        "3319032008",
        (
            (20, "submit"),
            (19.8, "verify"),
            (19.5, "dispose", ("pupr", "dinkes"), "pupr"),
            (19, "accept", "pupr"),
            (18.5, "accept", "dinkes"),
            (18, "initial", "pupr"),
            (17, "initial", "dinkes"),
            (12, "final", "dinkes"),
            (5, "final", "pupr"),
        ),
    ),
    # reopened by the reporter's objection
    S(
        "o1",
        "drainase-banjir",
        "3319021008",
        (
            (25, "submit"),
            (24.8, "verify"),
            (24.5, "dispose", ("pupr",), "pupr"),
            (24, "accept", "pupr"),
            (23, "initial", "pupr"),
            (10, "final", "pupr"),
            (8, "object"),
            (6, "progress", "pupr"),
        ),
    ),
    S(
        "o2",
        "puskesmas",
        "3319052002",
        (
            (18, "submit"),
            (17.8, "verify"),
            (17.5, "dispose", ("dinkes",), "dinkes"),
            (17, "accept", "dinkes"),
            (16, "initial", "dinkes"),
            (6, "final", "dinkes"),
            (2, "object"),
        ),
    ),
    # closed: by the system after the objection window, by Admin Kabupaten, after a reopening
    S(
        "c1",
        "jalan-rusak",
        "3319082006",
        (
            (40, "submit"),
            (39.8, "verify"),
            (39.5, "dispose", ("pupr",), "pupr"),
            (39, "accept", "pupr"),
            (38, "initial", "pupr"),
            (30, "progress", "pupr"),
            (25, "final", "pupr"),
            (14.9, "close", "system"),
        ),
    ),
    S(
        "c2",
        "jaminan-kesehatan",
        "3319092018",
        (
            (35, "submit"),
            (34.8, "verify"),
            (34.5, "dispose", ("dinkes",), "dinkes"),
            (34, "accept", "dinkes"),
            (33.5, "initial", "dinkes"),
            (30, "final", "dinkes"),
            (19.9, "close", "system"),
        ),
    ),
    S(
        "c3",
        "jalan-rusak",
        "3319072002",
        (
            (45, "submit"),
            (44.8, "verify"),
            (44.5, "dispose", ("dinkes",), "dinkes"),
            (44, "return", "dinkes"),
            (43.8, "dispose", ("pupr",), "pupr"),
            (43, "accept", "pupr"),
            (42, "initial", "pupr"),
            (35, "final", "pupr"),
            (24.9, "close", "system"),
        ),
    ),
    S(
        "c4",
        "puskesmas",
        "3319021001",
        (
            (60, "submit"),
            (59.8, "verify"),
            (59.5, "dispose", ("dinkes",), "dinkes"),
            (59, "accept", "dinkes"),
            (58, "initial", "dinkes"),
            (50, "final", "dinkes"),
            (45, "object"),
            (40, "final", "dinkes"),
            (29.9, "close", "system"),
        ),
    ),
    S(
        "c5",
        "jembatan",
        "3319062010",
        (
            (30, "submit"),
            (29.8, "verify"),
            (29.5, "dispose", ("pupr",), "pupr"),
            (29, "accept", "pupr"),
            (28, "initial", "pupr"),
            (22, "final", "pupr"),
            (20, "close", "admin"),
        ),
    ),
    # archived: spam, not a complaint, the reporter never answered
    S("a1", "topik-lainnya", "3319021008", ((2, "submit"), (1.5, "archive", ArchiveReason.SPAM))),
    S(
        "a2",
        "pelayanan-publik",
        "3319012002",
        ((6, "submit"), (5.5, "archive", ArchiveReason.NOT_COMPLAINT)),
    ),
    S(
        "a3",
        "pungutan-liar",
        "3319082006",
        ((16, "submit"), (15.5, "ask"), (5.4, "expire")),
        secret=True,
    ),
    # duplicates of earlier demo reports
    S("u1", "jalan-rusak", "3319022025", ((2, "submit"), (1.5, "duplicate", "f1"))),
    S(
        "u2",
        "jalan-rusak",
        "3319012002",
        ((7, "submit"), (6.5, "duplicate", "d3")),
        channel=Channel.ANDROID,
        anonymous=True,
    ),
    # escalated to the province
    S("e1", "jalan-rusak", "3319042012", ((10, "submit"), (9.8, "verify"), (9, "escalate"))),
    S(
        "e2",
        "drainase-banjir",
        "3319092018",
        ((7, "submit"), (6.8, "verify"), (6.5, "dispose", ("pupr",), "pupr"), (6, "escalate")),
    ),
)
# The citizen persona's own reports ("my reports"); the first two are shown for tracking.
WARGA_SCENARIOS = (
    S("warga-responded", "jalan-rusak", "3319052002",
      ((7, "submit"), (6.8, "verify"), (6.5, "dispose", ("pupr",), "pupr"),
       (6, "accept", "pupr"), (5, "initial", "pupr"), (1, "progress", "pupr")), warga=True),
    S("warga-finished", "puskesmas", "3319052002",
      ((15, "submit"), (14.8, "verify"), (14.5, "dispose", ("dinkes",), "dinkes"),
       (14, "accept", "dinkes"), (13, "initial", "dinkes"), (2, "final", "dinkes")),
      warga=True),
    S("warga-received", "sampah", "3319052002", ((0.2, "submit"),), warga=True,
      channel=Channel.ANDROID),
    S("warga-closed", "drainase-banjir", "3319052002",
      ((50, "submit"), (49.8, "verify"), (49.5, "dispose", ("pupr",), "pupr"),
       (49, "accept", "pupr"), (48, "initial", "pupr"), (40, "final", "pupr"),
       (29.9, "close", "system")), warga=True),
)  # fmt: skip
SHOWCASE = 2


def demo_access_code(tracking_number: str) -> str:
    """A stable access code for a demo report, derived from SECRET_KEY.

    The product shows a reporter's code once and stores only its hash; a demo printed at every
    ``make run`` needs the same code each time, without storing it anywhere.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"demo-access-code:{tracking_number}".encode(), hashlib.sha256
    ).digest()
    return "".join(TRACKING_ALPHABET[b % len(TRACKING_ALPHABET)] for b in digest[:10])


class _Demo:
    """Plays scenarios through the services, as the demo personas."""

    def __init__(self, users: dict, now):
        self.now = now
        self.calendar = working_calendar()
        self.users = users
        self.ak = actor_for_user(users["admin.kabupaten"])
        self.opds = {key: OPD.objects.get(name=name) for key, name in OPD_KEYS.items()}
        self.opd_actors = {
            "dinkes": actor_for_user(users["admin.dinkes"]),
            "pupr": actor_for_user(users["admin.pupr"]),
        }
        self.classification = (
            Classification.objects.filter(code="pengaduan").first()
            or Classification.objects.filter(is_active=True).first()
        )
        self.categories = {c.slug: c for c in Category.objects.filter(is_active=True)}
        self.desa = {d.code: d for d in Desa.objects.select_related("kecamatan")}
        self.institution = (
            ExternalInstitution.objects.filter(is_active=True, level="provinsi").first()
            or ExternalInstitution.objects.filter(is_active=True).first()
        )
        self.made: dict[str, Complaint] = {}
        self.rng = random.Random("demo-kudus")  # noqa: S311 - varied texts, not secrets

    def at(self, working_days_ago: float):
        return self.calendar.add_seconds(
            self.now, -round(working_days_ago * DAY_SECONDS), ClockUnit.WORKING_DAYS
        )

    def play(self, scenario: Scenario, index: int) -> Complaint:
        category = self.categories.get(scenario.category) or next(iter(self.categories.values()))
        desa = self.desa.get(scenario.desa)
        texts = compose_texts(
            self.rng,
            category=category,
            desa_label=f"{desa.get_kind_display()} {desa.name}" if desa else None,
            kecamatan=desa.kecamatan.name if desa else None,
        )
        lat = lng = None
        if desa is not None:
            centre = KECAMATAN_CENTRES.get(desa.kecamatan.code)
            if centre:
                lat = Decimal(f"{centre[0] + self.rng.uniform(-0.01, 0.01):.6f}")
                lng = Decimal(f"{centre[1] + self.rng.uniform(-0.01, 0.01):.6f}")
        complaint = None
        context = {"category": category, "desa": desa, "texts": texts, "lat": lat, "lng": lng}
        for ago, action, *args in scenario.steps:
            now = self.at(ago)
            if complaint is not None:
                complaint.refresh_from_db()
            step = getattr(self, f"_{action}")
            result = step(scenario, complaint, now, *args, index=index, **context)
            complaint = result if complaint is None else complaint
        complaint.refresh_from_db()
        self.made[scenario.key] = complaint
        return complaint

    # --- steps (each one service call) ----------------------------------------------------

    def _submit(self, scenario, complaint, now, *, index, category, desa, texts, lat, lng):
        if scenario.warga:
            warga = self.users["warga"]
            actor = reporter_actor(user=warga)
            name, phone, email, user = warga.get_full_name(), WARGA_PHONE, warga.email, warga
        else:
            staff_entry = scenario.channel in (Channel.WHATSAPP, Channel.OFFLINE)
            actor = self.ak if staff_entry else reporter_actor()
            name, phone = REPORTERS[index % len(REPORTERS)]
            email, user = "", None
        created, _code = cs.complaint_submit(
            actor=actor,
            channel=scenario.channel,
            text=texts["text"],
            title=texts["title"],
            category=category if index % 2 else None,
            kecamatan=desa.kecamatan if desa else None,
            desa=desa,
            address=texts["address"],
            lat=lat,
            lng=lng,
            is_secret=scenario.secret,
            is_anonymous=scenario.anonymous,
            reporter_name=name,
            reporter_phone=phone,
            reporter_email=email,
            reporter_user=user,
            now=now,
        )
        return created

    def _lapor(self, scenario, complaint, now, *, index, category, desa, texts, lat, lng):
        name, phone = REPORTERS[index % len(REPORTERS)]
        return cs.complaint_receive_from_lapor(
            lapor_id=f"DEMO-{index:04d}",
            title=texts["public_title"],
            text=texts["public_text"],
            dispositioned_at=now,
            classification=self.classification,
            category=category,
            reporter_name=name,
            reporter_phone=phone,
            lat=lat,
            lng=lng,
            created_at=self.calendar.add_seconds(now, -DAY_SECONDS // 2, ClockUnit.WORKING_DAYS),
            now=now,
        )

    def _verify(self, scenario, complaint, now, *, texts, category, **_):
        cs.complaint_verify(
            complaint=complaint,
            actor=self.ak,
            classification=self.classification,
            category=category,
            public_title=texts["public_title"],
            public_text=texts["public_text"],
            is_secret=complaint.is_secret,
            is_anonymous=complaint.is_anonymous,
            priority=Priority.URGENT if scenario.urgent else Priority.NORMAL,
            now=now,
        )

    def _ask(self, scenario, complaint, now, by=None, **_):
        cs.complaint_request_info(
            complaint=complaint,
            actor=self.opd_actors[by] if by else self.ak,
            question="Mohon lengkapi lokasi persis (RT/RW) dan kirim foto kondisi terkini.",
            now=now,
        )

    def _answer(self, scenario, complaint, now, **_):
        cs.complaint_provide_info(
            complaint=complaint,
            actor=reporter_actor(complaint_id=complaint.pk),
            text="Lokasinya di RT 02 RW 01, dekat mushola. Kondisinya masih sama.",
            now=now,
        )

    def _expire(self, scenario, complaint, now, **_):
        cs.complaint_archive(
            complaint=complaint, actor=SYSTEM, reason=ArchiveReason.INCOMPLETE, now=now
        )

    def _archive(self, scenario, complaint, now, reason, **_):
        cs.complaint_archive(
            complaint=complaint,
            actor=self.ak,
            reason=reason,
            note="Bukan permasalahan layanan publik." if reason != ArchiveReason.SPAM else "",
            now=now,
        )

    def _duplicate(self, scenario, complaint, now, original, **_):
        cs.complaint_mark_duplicate(
            complaint=complaint, actor=self.ak, original=self.made[original], now=now
        )

    def _escalate(self, scenario, complaint, now, **_):
        cs.complaint_escalate(
            complaint=complaint,
            actor=self.ak,
            institution=self.institution,
            reason="Ruas jalan berstatus jalan provinsi: kewenangan Pemerintah Provinsi Jawa "
            "Tengah.",
            now=now,
        )

    def _dispose(self, scenario, complaint, now, opds, lead, **_):
        ds.disposition_create(
            complaint=complaint,
            actor=self.ak,
            opds=[self.opds[key] for key in opds],
            lead=self.opds[lead],
            note="Mohon segera ditindaklanjuti.",
            now=now,
        )

    def _disposition(self, complaint, key):
        return complaint.dispositions.exclude(status=DispositionStatus.RETURNED).get(
            opd=self.opds[key]
        )

    def _accept(self, scenario, complaint, now, key, **_):
        ds.disposition_accept(
            disposition=self._disposition(complaint, key), actor=self.opd_actors[key], now=now
        )

    def _return(self, scenario, complaint, now, key, **_):
        ds.disposition_return(
            disposition=self._disposition(complaint, key),
            actor=self.opd_actors[key],
            reason=f"Bukan tupoksi {self.opds[key].short_name}; mohon didisposisikan ke OPD "
            "yang berwenang.",
            now=now,
        )

    def _respond(self, complaint, now, key, kind, texts):
        opd = self.opds[key]
        ds.response_add(
            disposition=self._disposition(complaint, key),
            actor=self.opd_actors[key],
            kind=kind,
            text=self.rng.choice(texts).format(
                opd=opd.name, tanggal=now.astimezone(WIB).strftime("%d-%m-%Y")
            ),
            now=now,
        )

    def _initial(self, scenario, complaint, now, key, **_):
        self._respond(complaint, now, key, ResponseKind.INITIAL, INITIAL_TEXTS)

    def _progress(self, scenario, complaint, now, key, **_):
        self._respond(complaint, now, key, ResponseKind.PROGRESS, PROGRESS_TEXTS)

    def _note(self, scenario, complaint, now, key, **_):
        self._respond(complaint, now, key, ResponseKind.NOTE, NOTE_TEXTS)

    def _final(self, scenario, complaint, now, key, **_):
        self._respond(complaint, now, key, ResponseKind.FINAL, FINAL_TEXTS)

    def _object(self, scenario, complaint, now, **_):
        cs.complaint_object(
            complaint=complaint,
            actor=reporter_actor(complaint_id=complaint.pk),
            reason="Perbaikan belum tuntas, masalah masih terjadi di lokasi yang sama.",
            now=now,
        )

    def _close(self, scenario, complaint, now, by, **_):
        cs.complaint_close(
            complaint=complaint, actor=SYSTEM if by == "system" else self.ak, now=now
        )


class Command(BaseCommand):
    help = (
        "Create the demo accounts (one per role, password demo-kudus-2026) and, on a nearly "
        "empty database, about 40 demo reports in every status made through the services. "
        "Idempotent. Refuses with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create demo accounts even with DEBUG off."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create demo accounts with a published password. "
                "Use --force only on a server meant for demonstrations."
            )
        missing = [
            name for name in (DINKES, DPUPR, DISHUB) if not OPD.objects.filter(name=name).exists()
        ]
        if missing or not Classification.objects.exists() or not Category.objects.exists():
            raise CommandError(
                "Reference data missing (OPDs, classifications, categories): run "
                "`manage.py load_reference_data` first."
            )
        with transaction.atomic():
            users, rows = self._accounts()
            made = []
            demo = _Demo(users, timezone.now())
            if Complaint.objects.count() < MIN_COMPLAINTS:
                made += [demo.play(s, i) for i, s in enumerate(SCENARIOS)]
            if not Reporter.objects.filter(user=users["warga"]).exists():
                offset = len(SCENARIOS)
                made += [demo.play(s, offset + i) for i, s in enumerate(WARGA_SCENARIOS)]
            showcase = self._showcase(users["warga"])

        self._print_accounts(rows)
        if made:
            self.stdout.write(f"Created {len(made)} demo reports through the services.")
        else:
            self.stdout.write("Demo reports already present; none created.")
        if showcase:
            self.stdout.write("\nTry tracking a report (tracking number, access code):")
            for complaint, code in showcase:
                self.stdout.write(
                    f"  {complaint.tracking_number}  {code}  ({complaint.get_status_display()})"
                )

    def _accounts(self):
        User = get_user_model()
        users, rows = {}, []
        for account in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account.username,
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "email": f"{account.username}@example.test",
                    "is_staff": account.superuser,
                    "is_superuser": account.superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            note = "created" if created else "exists"
            if account.role is not None:
                note = self._ensure_role(user, account, note)
            elif not account.superuser:
                # A citizen logs in on the site with e-mail or phone: that needs the profile.
                CitizenProfile.objects.get_or_create(
                    user=user,
                    defaults={"phone": WARGA_PHONE, "email_verified_at": timezone.now()},
                )
            users[account.username] = user
            if account.superuser:
                role_label = "Superuser (Django admin)"
            elif account.role:
                role_label = str(account.role.label)
            else:
                role_label = f"Warga (pelapor): masuk dengan {user.email} atau 0{WARGA_PHONE[3:]}"
            rows.append((account.username, role_label, account.opd or "-", note))
        return users, rows

    def _ensure_role(self, user, account, note):
        opd = OPD.objects.get(name=account.opd) if account.opd else None
        wanted = {"role": account.role.value, "opd": opd, "is_active": True}
        role = StaffRole.objects.filter(user=user).first()
        if role is not None and all(getattr(role, k) == v for k, v in wanted.items()):
            return note
        if (
            account.role == Role.PEJABAT_PENGHUBUNG
            and StaffRole.objects.filter(opd=opd, role=Role.PEJABAT_PENGHUBUNG, is_active=True)
            .exclude(user=user)
            .exists()
        ):
            # One Pejabat Penghubung per OPD: someone real already holds the post.
            return f"{note}; role skipped: {opd.short_name} already has a Pejabat Penghubung"
        StaffRole.objects.update_or_create(user=user, defaults=wanted)
        return note if note == "created" else f"{note}; role set"

    def _showcase(self, warga):
        """Two of the citizen's reports with access codes that stay the same on every run."""
        shown = []
        for complaint in Complaint.objects.filter(reporter__user=warga).order_by("pk")[:SHOWCASE]:
            code = demo_access_code(complaint.tracking_number)
            if not access_code_matches(complaint, code):
                # A demo-only credential change, not workflow: no status, no event. The
                # product's own code was random and shown to nobody.
                Complaint.objects.filter(pk=complaint.pk).update(
                    access_code_hash=access_code_hash(complaint.tracking_number, code)
                )
            shown.append((complaint, code))
        return shown

    def _print_accounts(self, rows):
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD})")
        widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
        header = ("username", "role", "OPD")
        widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
        line = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
        self.stdout.write(line.format(*header, "account"))
        for row in rows:
            self.stdout.write(line.format(*row))
