"""Realistic bulk data for load tests and demos: ``generate_complaints``.

Reports in every status, over several years, written with ``bulk_create`` a batch at a time.
Nothing here invents a rule: each step mirrors one service (``complaints.services``,
``disposition.services``, ``disposition.clocks``) on objects in memory — the same transition
rows (``find_transition`` checks every move, so a generator bug fails loudly instead of
writing a history the product could not have written), the same multi-OPD rule
(``derive_status``), the same status timestamps, events (action, from, to, actor role, data),
clocks (policy amounts, due times from one preloaded ``WorkingCalendar``) and response
visibility. What differs is only *how* it is written: a few INSERTs per batch instead of a
few queries per step, so 100 000 reports take minutes, not hours.

Determinism: the same ``seed`` and ``now`` on the same reference data (and the same holiday
table) give the same content, tracking numbers and access codes included — they come from a
seeded generator, not from ``secrets``. A tracking number or LAPOR! id that already exists in
the database is drawn again (from a separate stream, so the rest of the content does not
shift); generated access codes are therefore guessable from the seed, which is one reason the
command refuses to run with DEBUG off.

Choices made for the data to be *checkable*:

* a report is archived, merged or left waiting for the reporter only before verification, so
  a public version exists exactly for the public statuses (the product itself also allows
  those moves after verification, when the public version stays in place);
* historical events that notified the reporter are stored as already processed
  (``notify_state`` done), so the notification sweep does not mail thousands of fake
  reporters; e-mail addresses are on the reserved example.* domains anyway.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import (
    ActorType,
    ArchiveReason,
    Category,
    Channel,
    Classification,
    Complaint,
    Desa,
    Event,
    OutboxState,
    Priority,
    Reporter,
    Status,
)
from complaints.services import (
    NOTIFY_REPORTER_ACTIONS,
    TRACKING_ALPHABET,
    access_code_hash,
    round_public_location,
)
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    HANDLING,
    Action,
    derive_status,
    find_transition,
)
from disposition import clocks as clock_rules
from disposition.calendar import WIB, require_aware, working_calendar
from disposition.models import (
    OPD,
    ClockKind,
    Disposition,
    DispositionStatus,
    ExternalInstitution,
    Response,
    ResponseKind,
    Role,
    SlaClock,
    SlaPolicy,
    StaffRole,
    Visibility,
)

S = Status
D = DispositionStatus
HOUR = 3600.0
DAY = 86400.0
OPEN_CLOCK_STATES = (SlaClock.State.RUNNING, SlaClock.State.PAUSED)

# The status timestamp complaint_transition sets, and the two that keep their first value.
STAMPS = {
    S.VERIFIED: "verified_at",
    S.DISPOSITIONED: "dispositioned_at",
    S.RESPONDED: "responded_at",
    S.FINISHED: "finished_at",
    S.REOPENED: "reopened_at",
    S.CLOSED: "closed_at",
    S.ARCHIVED: "archived_at",
    S.ESCALATED: "escalated_at",
}
FIRST_ONLY_STAMPS = frozenset({"responded_at", "dispositioned_at"})
DISPOSITION_STAMPS = {
    D.ACCEPTED: "accepted_at",
    D.RETURNED: "returned_at",
    D.RESPONDED: "responded_at",
    D.FINISHED: "finished_at",
}


class GeneratorError(Exception):
    """The generator cannot run (missing reference data, a bad argument); says what to do."""


# --- the texts --------------------------------------------------------------------------------
# Built in, so generating needs no download. {desa}: "Desa Jepang" / "Kelurahan Purwosari";
# {kecamatan}: "Mejobo"; {jalan}, {lokasi}, {durasi}: from the lists below.

STREETS = (
    "Jl. Sunan Muria", "Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. AKBP Agil Kusumadya",
    "Jl. Lingkar Timur", "Jl. Raya Kudus–Colo", "Jl. Raya Kudus–Pati", "Jl. Kyai Telingsing",
    "Jl. HOS Cokroaminoto", "Jl. Pemuda", "Jl. Mejobo Raya", "Jl. Raya Jekulo",
    "Jl. dr. Lukmonohadi", "Jl. Getas Pejaten", "Jl. Conge Ngembalrejo", "Jl. Raya Gebog",
    "Jl. Sunan Kudus", "Jl. Undaan–Kudus", "Jl. Bae–Dersalam", "Jl. Kudus–Jepara",
)  # fmt: skip
LANDMARKS = (
    "depan balai desa", "dekat SD negeri", "samping masjid", "pertigaan dekat pasar",
    "gang RT 03 RW 02", "dekat pos kamling", "depan kantor kelurahan", "belakang lapangan",
    "dekat jembatan", "sekitar makam umum", "depan minimarket", "dekat mushola",
    "depan pabrik rokok", "dekat pangkalan ojek", "sebelah puskesmas pembantu",
)  # fmt: skip
DURATIONS = (
    "sejak tiga hari lalu", "sudah lebih dari seminggu", "sejak dua minggu terakhir",
    "sudah hampir sebulan", "sejak musim hujan mulai", "sudah berbulan-bulan",
    "sejak awal bulan ini",
)  # fmt: skip
GREETINGS = (
    "", "", "Selamat pagi Bapak/Ibu. ", "Assalamualaikum. ", "Mohon izin melapor. ",
    "Saya warga {desa} ingin melaporkan. ", "Yth. Pemerintah Kabupaten Kudus, ",
)  # fmt: skip
CLOSINGS = (
    "", " Mohon segera ditindaklanjuti. Terima kasih.", " Terima kasih atas perhatiannya.",
    " Mohon perhatian dinas terkait.", " Semoga cepat ada penanganan.",
)  # fmt: skip

# category slug → (topic for the neutral public title, reporter titles, bodies)
TEMPLATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "jalan-rusak": (
        "Jalan berlubang",
        ("Jalan berlubang di {desa}", "Jalan rusak parah", "Mohon perbaikan {jalan}"),
        (
            "Ruas {jalan} {lokasi} berlubang cukup dalam {durasi}. Sudah beberapa pengendara "
            "motor terjatuh, apalagi saat malam dan hujan karena lubang tertutup genangan.",
            "Aspal jalan {lokasi} {desa} mengelupas dan berlubang {durasi}. Kendaraan harus "
            "berkelok menghindari lubang sehingga rawan kecelakaan.",
        ),
    ),
    "jembatan": (
        "Jembatan rusak",
        ("Jembatan rusak di {desa}", "Pagar jembatan patah"),
        (
            "Pagar pengaman jembatan {lokasi} {desa} patah {durasi} dan lantai jembatan mulai "
            "retak. Anak-anak sekolah setiap hari melewati jembatan ini.",
        ),
    ),
    "drainase-banjir": (
        "Saluran air tersumbat",
        ("Selokan mampet", "Drainase tersumbat di {desa}", "Air meluap ke jalan"),
        (
            "Saluran drainase {lokasi} {desa} tersumbat sampah dan lumpur. Setiap hujan deras "
            "air meluap ke jalan dan masuk ke rumah warga {durasi}.",
            "Gorong-gorong di {jalan} tertutup sedimen sehingga air tidak mengalir. Genangan "
            "setinggi mata kaki bertahan berhari-hari {durasi}.",
        ),
    ),
    "penerangan-jalan-umum": (
        "Lampu PJU mati",
        ("Lampu PJU mati", "Lampu jalan padam di {jalan}", "PJU tidak menyala"),
        (
            "Lampu penerangan jalan umum di {jalan} {lokasi} mati {durasi}. Jalan gelap pada "
            "malam hari dan warga khawatir terjadi kecelakaan atau tindak kejahatan.",
            "Ada empat titik lampu PJU di {desa} yang tidak menyala {durasi}. Mohon diganti "
            "karena jalan ini ramai dilalui pekerja pabrik yang pulang malam.",
        ),
    ),
    "irigasi": (
        "Saluran irigasi rusak",
        ("Tanggul irigasi jebol", "Irigasi sawah {desa}"),
        (
            "Tanggul saluran irigasi di persawahan {desa} jebol sehingga air tidak sampai ke "
            "sawah. Petani terancam gagal tanam {durasi}.",
        ),
    ),
    "rambu-lalu-lintas": (
        "Lampu lalu lintas mati",
        ("Traffic light mati", "Lampu merah simpang {jalan} mati"),
        (
            "Lampu lalu lintas di simpang {jalan} mati {durasi}. Pada jam berangkat sekolah "
            "terjadi kemacetan dan beberapa kali hampir terjadi tabrakan.",
            "Rambu peringatan tikungan {lokasi} {desa} roboh dan hilang {durasi}, padahal "
            "tikungan ini tajam dan sering terjadi kecelakaan.",
        ),
    ),
    "parkir": (
        "Parkir liar",
        ("Parkir liar di {jalan}", "Tarif parkir tidak wajar"),
        (
            "Banyak kendaraan parkir di badan {jalan} {lokasi} sehingga jalan menyempit dan "
            "macet. Juru parkir menarik tarif melebihi ketentuan dan tanpa karcis.",
        ),
    ),
    "angkutan-umum": (
        "Layanan angkutan umum",
        ("Angkutan umum jarang", "Trayek angkot {kecamatan}"),
        (
            "Angkutan umum trayek ke {kecamatan} sangat jarang lewat {durasi} sehingga pelajar "
            "dan pedagang pasar kesulitan berangkat pagi.",
        ),
    ),
    "puskesmas": (
        "Pelayanan puskesmas",
        ("Antrean puskesmas lama", "Pelayanan Puskesmas {kecamatan}"),
        (
            "Antrean di Puskesmas {kecamatan} sangat lama, saya datang pukul 07.00 dan baru "
            "dilayani menjelang siang. Petugas pendaftaran kurang ramah kepada pasien lansia.",
            "Obat yang diresepkan dokter di Puskesmas {kecamatan} sering kosong {durasi} "
            "sehingga pasien harus membeli sendiri di apotek.",
        ),
    ),
    "rumah-sakit": (
        "Pelayanan rumah sakit",
        ("Pelayanan IGD RSUD", "Kamar rawat inap penuh"),
        (
            "Keluarga kami menunggu kamar rawat inap lebih dari sehari di IGD tanpa kejelasan. "
            "Mohon perbaikan informasi ketersediaan kamar bagi pasien BPJS.",
        ),
    ),
    "jaminan-kesehatan": (
        "Kepesertaan jaminan kesehatan",
        ("BPJS PBI tidak aktif", "Kartu KIS nonaktif"),
        (
            "Kartu BPJS PBI keluarga kami tiba-tiba tidak aktif {durasi} padahal kami termasuk "
            "warga kurang mampu di {desa}. Mohon bantuan pengaktifan kembali.",
        ),
    ),
    "penyakit-menular": (
        "Kasus demam berdarah",
        ("Banyak warga kena DBD", "Mohon fogging di {desa}"),
        (
            "Di lingkungan {lokasi} {desa} sudah ada tiga warga terkena demam berdarah "
            "{durasi}. Mohon dilakukan fogging dan pemeriksaan jentik.",
        ),
    ),
    "penerimaan-murid-baru": (
        "Penerimaan murid baru",
        ("Zonasi SPMB", "Anak tidak diterima di sekolah terdekat"),
        (
            "Anak kami tidak diterima di sekolah terdekat dari rumah di {desa} padahal jaraknya "
            "kurang dari satu kilometer. Mohon penjelasan mekanisme penerimaan murid baru.",
        ),
    ),
    "sarana-sekolah": (
        "Sarana sekolah rusak",
        ("Atap kelas bocor", "Ruang kelas rusak di {desa}"),
        (
            "Atap salah satu ruang kelas SD di {desa} bocor dan plafon hampir roboh {durasi}. "
            "Siswa terpaksa belajar bergantian di ruang guru.",
        ),
    ),
    "pungutan-sekolah": (
        "Pungutan di sekolah",
        ("Sumbangan wajib sekolah", "Pungutan seragam"),
        (
            "Sekolah anak kami di Kecamatan {kecamatan} meminta sumbangan wajib untuk seragam "
            "dan kegiatan dengan nominal yang memberatkan orang tua.",
        ),
    ),
    "bantuan-sosial": (
        "Bantuan sosial tidak tepat sasaran",
        ("Bansos salah sasaran", "Lansia belum dapat bantuan"),
        (
            "Beberapa tetangga yang mampu menerima bantuan sosial, sedangkan warga lansia yang "
            "benar-benar membutuhkan di {desa} belum terdata {durasi}.",
        ),
    ),
    "ktp-el": (
        "KTP-el belum tercetak",
        ("KTP-el belum jadi", "Blangko KTP habis"),
        (
            "Saya sudah rekam KTP-el {durasi} tetapi sampai sekarang belum dicetak dengan "
            "alasan blangko habis. Mohon kepastian kapan bisa diambil.",
            "Pencetakan ulang KTP-el yang rusak di kecamatan {kecamatan} selalu ditolak karena "
            "jaringan gangguan {durasi}.",
        ),
    ),
    "kartu-keluarga": (
        "Perubahan kartu keluarga",
        ("KK belum selesai", "Perubahan data KK"),
        (
            "Pengajuan perubahan data kartu keluarga melalui {desa} belum selesai {durasi}. "
            "Kami membutuhkan KK untuk mendaftarkan sekolah anak.",
        ),
    ),
    "akta-kelahiran": (
        "Akta kelahiran belum terbit",
        ("Akta kelahiran anak", "Pengurusan akta lama"),
        (
            "Pengurusan akta kelahiran anak kami belum selesai {durasi}, padahal berkas sudah "
            "lengkap diserahkan lewat {desa}.",
        ),
    ),
    "sampah": (
        "Sampah menumpuk",
        ("Sampah menumpuk di TPS", "Sampah tidak diangkut", "Bau sampah di {desa}"),
        (
            "Sampah di TPS {lokasi} {desa} tidak diangkut {durasi} sehingga menumpuk sampai ke "
            "badan jalan dan berbau busuk.",
            "Banyak warga membuang sampah di pinggir {jalan} sehingga menjadi tempat "
            "pembuangan liar. Mohon dipasang larangan dan disediakan bak sampah.",
        ),
    ),
    "pencemaran": (
        "Pencemaran sungai",
        ("Sungai tercemar limbah", "Air sungai hitam"),
        (
            "Air sungai di {desa} berwarna hitam dan berbau, diduga dari limbah usaha rumahan "
            "{durasi}. Ikan banyak yang mati.",
        ),
    ),
    "pohon-taman": (
        "Pohon rawan tumbang",
        ("Pohon hampir tumbang", "Mohon pemangkasan pohon"),
        (
            "Pohon besar di {jalan} {lokasi} condong ke jalan dan dahannya rapuh. Mohon "
            "dipangkas sebelum tumbang saat angin kencang.",
        ),
    ),
    "pedagang-kaki-lima": (
        "PKL di trotoar",
        ("PKL memakan trotoar", "Pedagang di trotoar {jalan}"),
        (
            "Pedagang kaki lima berjualan di trotoar {jalan} sehingga pejalan kaki harus turun "
            "ke jalan raya.",
        ),
    ),
    "gangguan-ketertiban": (
        "Gangguan ketertiban malam hari",
        ("Balap liar", "Knalpot brong tiap malam"),
        (
            "Setiap malam ada balap liar dan suara knalpot brong di {jalan} sampai dini hari, "
            "sangat mengganggu istirahat warga {desa}.",
        ),
    ),
    "pupuk-bersubsidi": (
        "Pupuk bersubsidi langka",
        ("Pupuk subsidi langka", "Harga pupuk di atas HET"),
        (
            "Petani di {desa} kesulitan mendapatkan pupuk bersubsidi di kios resmi {durasi}, "
            "sedangkan di pengecer lain harganya di atas HET.",
        ),
    ),
    "pasar-tradisional": (
        "Kondisi pasar tradisional",
        ("Atap pasar bocor", "Pasar becek"),
        (
            "Atap los di pasar tradisional Kecamatan {kecamatan} bocor dan lantai becek "
            "sehingga pedagang dan pembeli tidak nyaman.",
        ),
    ),
    "perizinan": (
        "Perizinan berusaha",
        ("Izin usaha belum terbit", "PBG lama"),
        (
            "Pengajuan izin usaha saya sudah diverifikasi tetapi persetujuan bangunan gedung "
            "belum terbit {durasi}. Mohon kejelasan prosesnya.",
        ),
    ),
    "pungutan-liar": (
        "Dugaan pungutan liar",
        ("Pungli pengurusan surat", "Oknum minta uang"),
        (
            "Ada oknum yang meminta uang tambahan untuk mempercepat pengurusan surat di kantor "
            "{desa}. Mohon ditindak.",
        ),
    ),
    "kinerja-asn": (
        "Disiplin pegawai",
        ("Petugas tidak di tempat", "Pelayanan kantor kosong"),
        (
            "Pada jam kerja kantor pelayanan di Kecamatan {kecamatan} sering kosong, petugas "
            "tidak ada di tempat {durasi}.",
        ),
    ),
    "banjir-longsor": (
        "Banjir di permukiman",
        ("Banjir lagi di {desa}", "Tanggul sungai jebol"),
        (
            "Banjir kembali merendam permukiman warga {desa} setinggi 30–50 cm {durasi}. "
            "Warga membutuhkan bantuan dan penanganan tanggul sungai.",
        ),
    ),
    "air-bersih-sanitasi": (
        "Air bersih",
        ("Air PDAM mati", "Air keruh"),
        (
            "Air PDAM di {desa} sering mati dan keruh {durasi}. Warga terpaksa membeli air "
            "galon untuk kebutuhan sehari-hari.",
        ),
    ),
    "dana-desa": (
        "Penggunaan dana desa",
        ("Transparansi dana desa", "Proyek desa mangkrak"),
        (
            "Kami meminta keterbukaan informasi penggunaan dana desa {desa} untuk pembangunan "
            "jalan lingkungan yang belum selesai {durasi}.",
        ),
    ),
    "layanan-digital": (
        "Gangguan aplikasi layanan",
        ("Situs layanan tidak bisa dibuka", "Aplikasi error"),
        (
            "Situs layanan pemerintah kabupaten tidak dapat diakses {durasi}, muncul pesan "
            "galat saat mengunggah dokumen persyaratan.",
        ),
    ),
    "hak-pekerja": (
        "Hak pekerja",
        ("Upah di bawah UMK", "Tidak didaftarkan BPJS"),
        (
            "Perusahaan tempat saya bekerja di Kecamatan {kecamatan} membayar upah di bawah UMK "
            "Kudus dan tidak mendaftarkan pekerja ke BPJS Ketenagakerjaan.",
        ),
    ),
    "objek-wisata": (
        "Fasilitas objek wisata",
        ("Fasilitas wisata kurang terawat",),
        (
            "Toilet dan jalan menuju objek wisata di Kecamatan {kecamatan} kurang terawat "
            "sehingga pengunjung kecewa, terutama saat akhir pekan.",
        ),
    ),
    "rumah-tidak-layak-huni": (
        "Rumah tidak layak huni",
        ("Rumah lansia hampir roboh", "Usulan bantuan RTLH"),
        (
            "Ada rumah warga lansia {lokasi} {desa} yang dindingnya retak dan atapnya hampir "
            "roboh. Mohon dimasukkan program bantuan rumah tidak layak huni.",
        ),
    ),
}
GENERIC_BODIES = (
    "Saya ingin menyampaikan keluhan terkait {kategori} di {desa}. Kondisi ini terjadi "
    "{durasi} dan belum ada tindak lanjut dari pihak terkait.",
    "Mohon perhatian mengenai {kategori} {lokasi} {desa}. Warga sudah menyampaikan ke "
    "perangkat desa {durasi} tetapi belum ada penanganan.",
)
# Relative volume of a category (others weigh 1): roads, lights and rubbish dominate.
CATEGORY_WEIGHTS = {
    "jalan-rusak": 14, "penerangan-jalan-umum": 9, "sampah": 8, "drainase-banjir": 7,
    "ktp-el": 5, "bantuan-sosial": 5, "puskesmas": 4, "jaminan-kesehatan": 4, "parkir": 3,
    "kartu-keluarga": 3, "banjir-longsor": 3, "penerimaan-murid-baru": 3, "air-bersih-sanitasi": 3,
    "rambu-lalu-lintas": 3, "gangguan-ketertiban": 2, "pedagang-kaki-lima": 2, "pencemaran": 2,
    "pungutan-liar": 2, "pupuk-bersubsidi": 2, "sarana-sekolah": 2, "pohon-taman": 2,
}  # fmt: skip

QUESTIONS = (
    "Mohon lengkapi lokasi persis (nama jalan, RT/RW) dan foto kondisi terkini.",
    "Mohon sebutkan waktu kejadian dan nama layanan yang dimaksud.",
    "Mohon kirim nomor registrasi atau bukti pengajuan yang dimaksud.",
)
ANSWERS = (
    "Lokasinya {lokasi}, RT 02 RW 01. Foto sudah saya kirim lewat lampiran.",
    "Kejadiannya hampir setiap hari, terakhir kemarin sore.",
    "Nomor registrasinya sudah saya sertakan, mohon dicek kembali.",
)
RETURN_REASONS = (
    "Bukan tupoksi {opd}; mohon didisposisikan ke OPD yang berwenang.",
    "Lokasi dan permasalahan di luar kewenangan {opd}.",
    "Materi laporan menjadi kewenangan OPD lain sesuai Perbup tentang SOTK.",
)
DISPOSITION_NOTES = ("", "", "Mohon segera ditindaklanjuti.", "Koordinasikan dengan kecamatan.")
INITIAL_TEXTS = (
    "Terima kasih atas laporan Saudara. Laporan telah kami terima dan sedang dikoordinasikan "
    "dengan bidang terkait di {opd}. Tim akan melakukan pengecekan ke lokasi.",
    "Laporan Saudara sudah kami terima. {opd} akan menjadwalkan peninjauan lapangan dalam "
    "waktu dekat.",
)
PROGRESS_TEXTS = (
    "Tim {opd} telah melakukan peninjauan lapangan pada {tanggal}. Penanganan dijadwalkan "
    "dalam pekan ini.",
    "Usulan penanganan sudah kami masukkan dalam rencana kerja {opd}; material sedang disiapkan.",
)
FINAL_TEXTS = (
    "Penanganan telah selesai dilaksanakan oleh {opd} pada {tanggal}. Terima kasih atas "
    "partisipasi Saudara.",
    "Permasalahan telah ditindaklanjuti dan dinyatakan selesai oleh {opd} pada {tanggal}. "
    "Bila masih ada kendala, silakan sampaikan sanggahan.",
)
NOTE_TEXTS = (
    "Koordinasi internal: minta data pendukung ke bidang teknis sebelum jawaban akhir.",
    "Sudah dikonfirmasi ke UPT; menunggu jadwal tim lapangan.",
)
OBJECTIONS = (
    "Perbaikan belum sesuai, masalah masih ada di lokasi yang sama.",
    "Belum ada petugas yang datang ke lokasi, mohon dicek kembali.",
)
ARCHIVE_NOTES = {
    ArchiveReason.NOT_COMPLAINT: "Berisi ucapan terima kasih, bukan pengaduan.",
    ArchiveReason.OUT_OF_SCOPE: "Sengketa antarwarga, di luar lingkup layanan publik.",
    ArchiveReason.SPAM: "",
    ArchiveReason.OTHER: "Laporan uji coba dari pelapor.",
}
ESCALATION_REASONS = (
    "Ruas jalan berstatus jalan provinsi; penanganan menjadi kewenangan Pemerintah Provinsi "
    "Jawa Tengah.",
    "Permasalahan di luar kewenangan Pemerintah Kabupaten Kudus (bukan wewenang).",
)

FIRST_NAMES_MALE = (
    "Muhammad", "Ahmad", "Agus", "Budi", "Slamet", "Eko", "Joko", "Bambang", "Arif", "Rizki",
    "Dwi", "Heru", "Sutrisno", "Nur", "Abdul", "Fajar", "Teguh", "Wahyu", "Imam", "Hadi",
)  # fmt: skip
FIRST_NAMES_FEMALE = (
    "Siti", "Sri", "Dewi", "Nur", "Rina", "Umi", "Endang", "Lestari", "Ani", "Fitri",
    "Wulan", "Yuliana", "Ratna", "Indah", "Maya", "Eni", "Suci", "Ayu", "Nining", "Puji",
)  # fmt: skip
LAST_NAMES = (
    "Santoso", "Setiawan", "Wahyuni", "Hidayah", "Prasetyo", "Aminah", "Kurniawan",
    "Rahmawati", "Susanto", "Fauzi", "Lestari", "Riyadi", "Kulsum", "Hartono", "Saputra",
    "Maulana", "Rohmah", "Nugroho", "Wibowo", "Purnomo", "Mustofa", "Khoiriyah", "",
)  # fmt: skip
# Kemendagri codes of the regencies around Kudus, for reporters registered elsewhere.
NEIGHBOUR_REGENCIES = ("3318", "3320", "3321", "3374", "3317", "3322")
# (mobile prefix after +62, digits that follow)
PHONE_PREFIXES = (
    ("811", 8), ("812", 8), ("813", 8), ("821", 8), ("822", 8), ("852", 8), ("853", 8),
    ("856", 8), ("857", 8), ("858", 8), ("877", 8), ("878", 8), ("895", 8), ("896", 8),
    ("838", 8), ("881", 9),
)  # fmt: skip
# Rough centre of each kecamatan (Kemendagri code → lat, lng) for report locations.
KECAMATAN_CENTRES = {
    "331901": (-6.815, 110.800), "331902": (-6.806, 110.842), "331903": (-6.833, 110.835),
    "331904": (-6.895, 110.820), "331905": (-6.816, 110.882), "331906": (-6.792, 110.930),
    "331907": (-6.778, 110.862), "331908": (-6.741, 110.841), "331909": (-6.712, 110.880),
}  # fmt: skip
KUDUS_CENTRE = (-6.805, 110.850)
# Hour-of-day weights (WIB) of citizen reports: mornings and evenings after work.
HOUR_WEIGHTS = (
    1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 5, 7, 8, 8, 7, 6, 6, 6, 5, 5, 4, 4, 5, 5, 4, 3, 2,
)  # fmt: skip

# Channel mix; "import" (the old system's reports) only among reports older than a year.
CHANNEL_WEIGHTS_RECENT = {
    Channel.WEB: 30, Channel.ANDROID: 25, Channel.LAPOR: 16, Channel.WHATSAPP: 17,
    Channel.OFFLINE: 8, Channel.OPEN311: 4,
}  # fmt: skip
CHANNEL_WEIGHTS_OLD = {**CHANNEL_WEIGHTS_RECENT, Channel.IMPORT: 14}
PRE_VERIFICATION = frozenset({S.RECEIVED, S.WAITING_REPORTER, S.ARCHIVED, S.DUPLICATE})

# Status mix by age of the report (upper bound in days → weights): what a regency's table
# looks like — recent reports spread over the whole life cycle, old ones mostly closed.
STATUS_MIX = (
    (3, {S.RECEIVED: 28, S.WAITING_REPORTER: 5, S.VERIFIED: 12, S.DISPOSITIONED: 20,
         S.RETURNED: 3, S.RESPONDED: 12, S.FINISHED: 2, S.ARCHIVED: 9, S.DUPLICATE: 5,
         S.ESCALATED: 1}),
    (14, {S.RECEIVED: 5, S.WAITING_REPORTER: 6, S.VERIFIED: 5, S.DISPOSITIONED: 14,
          S.RETURNED: 4, S.RESPONDED: 24, S.FINISHED: 14, S.REOPENED: 2, S.CLOSED: 5,
          S.ARCHIVED: 10, S.DUPLICATE: 5, S.ESCALATED: 3}),
    (60, {S.RECEIVED: 1, S.WAITING_REPORTER: 2, S.VERIFIED: 1, S.DISPOSITIONED: 4,
          S.RETURNED: 2, S.RESPONDED: 13, S.FINISHED: 7, S.REOPENED: 2, S.CLOSED: 46,
          S.ARCHIVED: 13, S.DUPLICATE: 5, S.ESCALATED: 3}),
    (365, {S.RECEIVED: 0.2, S.WAITING_REPORTER: 0.3, S.VERIFIED: 0.2, S.DISPOSITIONED: 1,
           S.RETURNED: 0.5, S.RESPONDED: 3, S.FINISHED: 1, S.REOPENED: 0.5, S.CLOSED: 66,
           S.ARCHIVED: 17, S.DUPLICATE: 6, S.ESCALATED: 3}),
    (math.inf, {S.RECEIVED: 0.1, S.WAITING_REPORTER: 0.1, S.VERIFIED: 0.1,
                S.DISPOSITIONED: 0.3, S.RETURNED: 0.2, S.RESPONDED: 1, S.FINISHED: 0.5,
                S.REOPENED: 0.2, S.CLOSED: 72, S.ARCHIVED: 17, S.DUPLICATE: 6,
                S.ESCALATED: 2}),
)  # fmt: skip
# Typical length of each path (days), to squeeze the steps of a young report into its age.
PATH_DAYS = {
    S.RECEIVED: 0.2, S.WAITING_REPORTER: 0.5, S.VERIFIED: 1, S.ARCHIVED: 2, S.DUPLICATE: 1,
    S.ESCALATED: 5, S.DISPOSITIONED: 1.5, S.RETURNED: 3, S.RESPONDED: 4, S.FINISHED: 16,
    S.REOPENED: 22, S.CLOSED: 30,
}  # fmt: skip


def compose_texts(
    rng: random.Random, *, category, desa_label: str | None, kecamatan: str | None
) -> dict[str, str]:
    """A reporter's title and text for ``category`` at a place, and its public version.

    ``desa_label`` is "Desa Jepang" / "Kelurahan Purwosari" (None: no village given). Returns
    title, text, public_title (neutral: topic and place), public_text (the facts, without
    greeting or closing) and address.
    """
    place = desa_label or "Kabupaten Kudus"
    values = {
        "desa": place,
        "kecamatan": kecamatan or rng.choice(("Kota Kudus", "Jati", "Bae", "Mejobo")),
        "jalan": rng.choice(STREETS),
        "lokasi": rng.choice(LANDMARKS),
        "durasi": rng.choice(DURATIONS),
        "kategori": category.name.lower(),
    }
    template = TEMPLATES.get(category.slug)
    if template is not None:
        topic, titles, bodies = template
        title = rng.choice(titles).format(**values)
    else:
        topic, bodies = category.name, GENERIC_BODIES
        title = category.name
    body = rng.choice(bodies).format(**values)
    greeting = rng.choice(GREETINGS).format(**values)
    closing = rng.choice(CLOSINGS)
    return {
        "title": title,
        "text": f"{greeting}{body}{closing}",
        "public_title": f"{topic} di {place}" if desa_label else topic,
        "public_text": body,
        "address": f"{values['jalan']}, {values['lokasi']}, {place}",
    }


# --- actors and lazy references ---------------------------------------------------------------


@dataclass(frozen=True)
class _Actor:
    """The event columns of an actor (complaints.services._actor_columns, precomputed)."""

    role: Role
    actor_type: str
    user_id: int | None = None
    opd_id: int | None = None


SYSTEM = _Actor(Role.SYSTEM, ActorType.SYSTEM)
LAPOR = _Actor(Role.LAPOR, ActorType.LAPOR)
REPORTER = _Actor(Role.REPORTER, ActorType.REPORTER)


class _Ref:
    """A value of an object that is only known once its batch is inserted (a pk)."""

    __slots__ = ("obj", "attr")

    def __init__(self, obj, attr: str = "pk"):
        self.obj, self.attr = obj, attr

    def value(self):
        return None if self.obj is None else getattr(self.obj, self.attr)


def _resolve(data: dict) -> dict:
    # Event data is at most two levels deep: {"clocks": [{"clock": _Ref, ...}], "response": _Ref}.
    for key, value in data.items():
        if isinstance(value, _Ref):
            data[key] = value.value()
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    for k, v in item.items():
                        if isinstance(v, _Ref):
                            item[k] = v.value()
    return data


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


# --- reference data, loaded once --------------------------------------------------------------


class _Reference:
    """Everything the generator reads from the database, read once per run."""

    def __init__(self):
        self.opds = list(OPD.objects.filter(is_active=True).order_by("pk"))
        categories = list(Category.objects.order_by("pk"))
        self.classifications = list(
            Classification.objects.filter(is_active=True).order_by("sort_order", "pk")
        )
        self.institutions = list(ExternalInstitution.objects.filter(is_active=True).order_by("pk"))
        active = [c for c in categories if c.is_active]
        missing = [
            name
            for name, rows in (
                ("OPDs", self.opds),
                ("categories", active),
                ("classifications", self.classifications),
                ("external institutions", self.institutions),
            )
            if not rows
        ]
        if missing:
            raise GeneratorError(
                f"No active {', '.join(missing)} in the database: run "
                "`manage.py load_reference_data` first."
            )
        self.opd_by_id = {o.pk: o for o in self.opds}
        self.category_parent = {c.pk: c.parent_id for c in categories}
        parents = {c.parent_id for c in active if c.parent_id}
        # Reports are filed under the most specific category that exists.
        self.categories = [c for c in active if c.pk not in parents]
        self.category_cum = list(
            accumulate(CATEGORY_WEIGHTS.get(c.slug, 1.0) for c in self.categories)
        )
        self.desa = list(Desa.objects.select_related("kecamatan").order_by("pk"))
        self.desa_cum = list(
            accumulate(2.0 if d.kind == Desa.Kind.KELURAHAN else 1.0 for d in self.desa)
        )
        self.desa_labels = {d.pk: f"{d.get_kind_display()} {d.name}" for d in self.desa}
        self.kecamatan_opd = {}
        for opd in self.opds:
            if opd.kind == OPD.Kind.KECAMATAN:
                self.kecamatan_opd[opd.name.removeprefix("Kecamatan ").strip().lower()] = opd

        self.ak_users: list[int] = []
        self.ao_users: dict[int, list[int]] = {}
        self.pp_user: dict[int, int] = {}
        for role, opd_id, user_id in (
            StaffRole.objects.filter(is_active=True, user__is_active=True)
            .order_by("pk")
            .values_list("role", "opd_id", "user_id")
        ):
            if role == Role.ADMIN_KABUPATEN:
                self.ak_users.append(user_id)
            elif role == Role.ADMIN_OPD:
                self.ao_users.setdefault(opd_id, []).append(user_id)
            elif role == Role.PEJABAT_PENGHUBUNG:
                self.pp_user[opd_id] = user_id

        self.calendar = working_calendar()
        scopes = list(
            SlaPolicy.objects.filter(is_active=True).values_list(
                "classification_id", "category_id", "channel"
            )
        )
        self.policy_uses_classification = any(s[0] for s in scopes)
        self.policy_categories = frozenset(s[1] for s in scopes if s[1])
        self.policy_uses_channel = any(s[2] for s in scopes)
        self._policies: dict[tuple, tuple[int, str, int | None]] = {}

    def policy(self, complaint: Complaint, kind: str) -> tuple[int, str, int | None]:
        """(amount, unit, policy id) of clock ``kind`` for the report as it is now.

        Asks ``clocks.policy_for`` itself — the one place the choice is made — but once per
        distinct answer-determining key, not once per clock: the key keeps only the fields
        some active policy actually scopes on (plus the priority, which also picks the
        settings default).
        """
        chain = ()
        if self.policy_categories:
            chain = tuple(
                c for c in self._chain(complaint.category_id) if c in self.policy_categories
            )
        key = (
            kind,
            complaint.priority,
            complaint.classification_id if self.policy_uses_classification else None,
            chain,
            complaint.channel if self.policy_uses_channel else "",
        )
        found = self._policies.get(key)
        if found is None:
            probe = SimpleNamespace(
                classification_id=complaint.classification_id,
                # With no category-scoped policy the category cannot matter; leaving it out
                # saves policy_for its walk up the category tree.
                category_id=complaint.category_id if self.policy_categories else None,
                priority=complaint.priority,
                channel=complaint.channel,
            )
            policy = clock_rules.policy_for(complaint=probe, kind=kind)
            if policy is None:
                raise ImproperlyConfigured(
                    f"No SLA policy for clock {kind!r}: add one to SlaPolicy or "
                    "SLA_DEFAULT_POLICIES."
                )
            found = (policy.amount, policy.unit, policy.pk)
            self._policies[key] = found
        return found

    def _chain(self, category_id):
        chain = []
        while category_id is not None and category_id not in chain and len(chain) < 10:
            chain.append(category_id)
            category_id = self.category_parent.get(category_id)
        return chain


# --- one report's story -----------------------------------------------------------------------


class _Story:
    """One report, moved through the services' steps in memory, with the rows they write."""

    def __init__(
        self, gen: _Generator, complaint: Complaint, target: str, *, true_category, texts: dict
    ):
        self.gen = gen
        self.rng = gen.rng
        self.ref = gen.ref
        self.calendar = gen.ref.calendar
        self.now = gen.now
        self.c = complaint
        self.target = target
        self.true_category = true_category
        self.texts = texts
        self.reporter: Reporter | None = None
        self.dispositions: list[Disposition] = []
        self.clocks: list[SlaClock] = []
        self.responses: list[Response] = []
        self.events: list[Event] = []
        self.t = complaint.created_at
        age = (self.now - complaint.created_at).total_seconds()
        self.scale = min(1.0, 0.8 * age / (PATH_DAYS[target] * DAY)) if age > 0 else 0.0

    # --- time ---------------------------------------------------------------------------

    def wait(self, median_seconds: float, *, sigma: float = 0.9, staff: bool = True) -> None:
        """Let a typical delay pass, squeezed into what is left before ``now``.

        Never reaches ``now``: each step takes at most half the time left. Staff act in
        office hours when that still fits.
        """
        natural = self.rng.lognormvariate(math.log(median_seconds), sigma) * self.scale
        room = (self.now - self.t).total_seconds()
        t = self.t + timedelta(seconds=min(natural, room * 0.5))
        if staff:
            snapped = self.gen.office_hours(t)
            if snapped <= self.t + timedelta(seconds=room * 0.6):
                t = snapped
        self.t = t

    def wait_within(self, deadline: datetime, low: float = 0.05, high: float = 0.8) -> None:
        """Act at a random point before ``deadline`` (and before now)."""
        end = min(deadline, self.now)
        if end > self.t:
            self.t += (end - self.t) * self.rng.uniform(low, high)

    # --- actors -------------------------------------------------------------------------

    def ak(self) -> _Actor:
        users = self.ref.ak_users
        return _Actor(
            Role.ADMIN_KABUPATEN, ActorType.USER, self.rng.choice(users) if users else None
        )

    def opd_actor(self, opd_id: int) -> _Actor:
        """Who answers for an OPD: an Admin OPD, else its Pejabat Penghubung (who may act only
        while the OPD has no Admin OPD — check_scope), else an admin without an account here."""
        admins = self.ref.ao_users.get(opd_id)
        if admins:
            return _Actor(Role.ADMIN_OPD, ActorType.USER, self.rng.choice(admins), opd_id)
        if opd_id in self.ref.pp_user:
            return _Actor(Role.PEJABAT_PENGHUBUNG, ActorType.USER, self.ref.pp_user[opd_id], opd_id)
        return _Actor(Role.ADMIN_OPD, ActorType.USER, None, opd_id)

    # --- rows (services.event_write, complaint_transition) -----------------------------

    def event(
        self,
        action,
        actor: _Actor,
        *,
        from_status="",
        to_status="",
        disposition=None,
        reason="",
        data=None,
        notify=False,
    ) -> None:
        self.events.append(
            Event(
                complaint=self.c,
                disposition=disposition,
                action=action,
                from_status=from_status or "",
                to_status=to_status or "",
                actor_type=actor.actor_type,
                actor_id=actor.user_id,
                actor_role=actor.role.value,
                actor_opd_id=actor.opd_id,
                reason=reason,
                data=data or {},
                created_at=self.t,
                # Already processed: a generated history must not mail its reporters.
                notify_state=OutboxState.DONE if notify else OutboxState.NONE,
            )
        )

    def transition(self, action, actor: _Actor, *, target=None, reason="", data=None) -> None:
        row = find_transition(
            COMPLAINT_TRANSITIONS, action=action, source=self.c.status, role=actor.role
        )
        new = row.target if row.target is not None else target
        old = self.c.status
        self.c.status = new
        stamp = STAMPS.get(new)
        if stamp and not (stamp in FIRST_ONLY_STAMPS and getattr(self.c, stamp)):
            setattr(self.c, stamp, self.t)
        self.event(
            action,
            actor,
            from_status=old,
            to_status=new,
            reason=reason,
            data=data,
            notify=action in NOTIFY_REPORTER_ACTIONS and new != old,
        )

    # --- clocks (disposition.clocks, same arithmetic) ------------------------------------

    def _open_clock(self, kind, disposition):
        for clock in self.clocks:
            if (
                clock.kind == kind
                and clock.state in OPEN_CLOCK_STATES
                and (clock._disposition is disposition)
            ):
                return clock
        return None

    @staticmethod
    def _describe(clock, op, **extra) -> dict:
        return {
            "kind": clock.kind,
            "op": op,
            "clock": _Ref(clock),
            "disposition": _Ref(clock._disposition),
            **extra,
        }

    def clock_start(self, kind, *, disposition=None, started_at=None) -> dict:
        started_at = started_at or self.t
        existing = self._open_clock(kind, disposition)
        if existing is not None:
            return self._describe(
                existing, "already_open", state=existing.state, due_at=_iso(existing.due_at)
            )
        amount, unit, policy_id = self.ref.policy(self.c, kind)
        clock = SlaClock(
            complaint=self.c,
            disposition=disposition,
            kind=kind,
            policy_id=policy_id,
            amount=amount,
            unit=unit,
            state=SlaClock.State.RUNNING,
            started_at=started_at,
            due_at=self.calendar.add(started_at, amount, unit),
        )
        clock._disposition = disposition
        self.clocks.append(clock)
        return self._describe(
            clock,
            "start",
            amount=amount,
            unit=unit,
            policy=policy_id,
            started_at=_iso(started_at),
            due_at=_iso(clock.due_at),
        )

    def clocks_pause(self) -> list[dict]:
        done = []
        for clock in self.clocks:
            if clock.state != SlaClock.State.RUNNING or clock.kind == ClockKind.REPORTER_INFO:
                continue
            remaining = clock_rules.remaining_at(
                self.calendar, clock.due_at, clock.unit, now=self.t
            )
            due_before = clock.due_at
            clock.state = SlaClock.State.PAUSED
            clock.paused_at = self.t
            clock.remaining_seconds = remaining
            clock.due_at = None
            done.append(
                self._describe(
                    clock,
                    "pause",
                    paused_at=_iso(self.t),
                    due_at_before=_iso(due_before),
                    remaining_seconds=remaining,
                )
            )
        return done

    def clocks_resume(self) -> list[dict]:
        done = []
        for clock in self.clocks:
            if clock.state != SlaClock.State.PAUSED:
                continue
            remaining = clock.remaining_seconds
            clock.due_at = clock_rules.due_after_resume(
                self.calendar, remaining, clock.unit, now=self.t
            )
            clock.state = SlaClock.State.RUNNING
            clock.paused_at = None
            clock.remaining_seconds = None
            done.append(
                self._describe(
                    clock,
                    "resume",
                    resumed_at=_iso(self.t),
                    remaining_seconds=remaining,
                    due_at=_iso(clock.due_at),
                )
            )
        return done

    def clock_stop(self, kind, *, disposition=None) -> dict | None:
        clock = self._open_clock(kind, disposition)
        if clock is None:
            return None
        if clock.state == SlaClock.State.PAUSED:
            clock.met = clock.remaining_seconds >= 0
        else:
            clock.met = self.t <= clock.due_at
        clock.state = SlaClock.State.STOPPED
        clock.stopped_at = self.t
        return self._describe(
            clock, "stop", stopped_at=_iso(self.t), due_at=_iso(clock.due_at), met=clock.met
        )

    def clocks_cancel(self, *, disposition=None) -> list[dict]:
        done = []
        for clock in self.clocks:
            if clock.state not in OPEN_CLOCK_STATES:
                continue
            if disposition is not None and clock._disposition is not disposition:
                continue
            was = clock.state
            clock.state = SlaClock.State.CANCELLED
            clock.stopped_at = self.t
            done.append(
                self._describe(clock, "cancel", cancelled_at=_iso(self.t), state_before=was)
            )
        return done

    # --- complaints.services -------------------------------------------------------------

    def submit(self) -> None:
        channel = self.c.channel
        if channel in (Channel.WHATSAPP, Channel.OFFLINE):
            actor = self.ak()  # staff enter walk-in, phone and WhatsApp reports
            self.c.submitted_by_id = actor.user_id
        elif channel == Channel.IMPORT:
            actor = SYSTEM
        else:
            actor = REPORTER
        clock = self.clock_start(ClockKind.VERIFICATION)
        self.c.status = None
        self.transition(
            Action.SUBMIT, actor, data={"channel": channel, "attachments": 0, "clocks": [clock]}
        )

    def receive_from_lapor(self) -> None:
        # Admin Nasional verifies on lapor.go.id and forwards; the sync pulls minutes later.
        self.wait(DAY * 0.6, staff=True)
        dispositioned_at = self.t
        self.t = min(self.t + timedelta(minutes=self.rng.uniform(1, 20)), self.now)
        self.c.verified_at = dispositioned_at
        clock = self.clock_start(ClockKind.VERIFICATION, started_at=dispositioned_at)
        self.c.status = None
        self.transition(
            Action.RECEIVE_FROM_LAPOR,
            LAPOR,
            data={"lapor_id": _Ref(self.c, "lapor_id"), "clocks": [clock]},
        )

    def request_info(self, actor: _Actor) -> None:
        previous = self.c.status
        paused = self.clocks_pause()
        started = self.clock_start(ClockKind.REPORTER_INFO)
        self.c.status_before_wait = previous
        self.transition(
            Action.REQUEST_INFO,
            actor,
            reason=self.rng.choice(QUESTIONS),
            data={"clocks": [*paused, started]},
        )

    def provide_info(self) -> None:
        self.wait_within(self._open_clock(ClockKind.REPORTER_INFO, None).due_at)
        target = self.c.status_before_wait or S.RECEIVED
        stopped = self.clock_stop(ClockKind.REPORTER_INFO)
        resumed = self.clocks_resume()
        text = self.rng.choice(ANSWERS).format(lokasi=self.rng.choice(LANDMARKS))
        self.transition(
            Action.PROVIDE_INFO,
            REPORTER,
            target=target,
            data={"text": text, "attachments": 0, "clocks": [c for c in [stopped, *resumed] if c]},
        )
        self.c.status_before_wait = ""

    def info_round(self, actor: _Actor) -> None:
        self.wait(HOUR * 6, staff=True)
        self.request_info(actor)
        self.provide_info()

    def archive(self, actor: _Actor, reason: str, note: str = "") -> None:
        cancelled = self.clocks_cancel()
        self.c.archive_reason = reason
        self.transition(
            Action.ARCHIVE, actor, reason=note, data={"archive_reason": reason, "clocks": cancelled}
        )

    def archive_unanswered(self) -> bool:
        """The beat task archives a report whose reporter did not answer in time."""
        due = self._open_clock(ClockKind.REPORTER_INFO, None).due_at
        when = due + timedelta(minutes=self.rng.uniform(5, 240))
        if when > self.now:
            return False
        self.t = when
        self.archive(SYSTEM, ArchiveReason.INCOMPLETE)
        return True

    def mark_duplicate(self) -> bool:
        original = self.c._original
        if original is None:
            return False
        self.wait(DAY * 0.7)
        cancelled = self.clocks_cancel()
        self.c.duplicate_of = original
        self.c._is_duplicate = True
        self.transition(
            Action.MARK_DUPLICATE,
            self.ak(),
            data={"original": _Ref(original, "tracking_number"), "clocks": cancelled},
        )
        return True

    def verify(self) -> None:
        c, rng = self.c, self.rng
        actor = self.ak()
        is_secret = c.is_secret or rng.random() < 0.02
        is_anonymous = c.is_anonymous or rng.random() < 0.01
        flags = {}
        if c.is_secret != is_secret:
            flags["is_secret"] = [c.is_secret, is_secret]
            c.is_secret = is_secret
        if c.is_anonymous != is_anonymous:
            flags["is_anonymous"] = [c.is_anonymous, is_anonymous]
            c.is_anonymous = is_anonymous
        if flags:
            self.event(Action.FLAGS_CHANGED, actor, reason="verifikasi", data=flags)
        classification = self.gen.pick_classification()
        c.classification_id = classification.pk
        c.category_id = self.true_category.pk
        if c.priority == Priority.NORMAL:
            roll = rng.random()
            c.priority = (
                Priority.URGENT
                if roll < 0.04
                else Priority.HIGH
                if roll < 0.12
                else Priority.NORMAL
            )
        c.public_title = self.texts["public_title"][:200]
        c.public_text = self.texts["public_text"]
        c.public_lat = round_public_location(c.lat)
        c.public_lng = round_public_location(c.lng)
        self.transition(
            Action.VERIFY,
            actor,
            data={
                "classification": classification.code,
                "category": self.true_category.slug,
                "priority": c.priority,
                "public_attachments": [],
                "flags": flags,
            },
        )

    def escalate(self) -> None:
        institution = self.gen.pick_institution()
        cancelled = self.clocks_cancel()
        self.c.escalated_to_id = institution.pk
        self.transition(
            Action.ESCALATE,
            self.ak(),
            reason=self.rng.choice(ESCALATION_REASONS),
            data={
                "institution": institution.lapor_id,
                "institution_name": institution.name,
                "clocks": cancelled,
            },
        )

    def object(self) -> None:
        window = self._open_clock(ClockKind.OBJECTION, None)
        self.wait_within(window.due_at, 0.1, 0.9)
        stopped = self.clock_stop(ClockKind.OBJECTION)
        changed = []
        for d in self.dispositions:
            if d.status != D.FINISHED:
                continue
            find_transition(
                DISPOSITION_TRANSITIONS,
                action=Action.REOPEN_DISPOSITION,
                source=d.status,
                role=REPORTER.role,
            )
            d.status = D.RESPONDED
            d.finished_at = None
            started = self.clock_start(ClockKind.RESOLUTION, disposition=d)
            self.event(
                Action.REOPEN_DISPOSITION,
                REPORTER,
                disposition=d,
                from_status=D.FINISHED,
                to_status=D.RESPONDED,
                data={"clocks": [started]},
            )
            changed.append(d.opd_id)
        self.transition(
            Action.OBJECT,
            REPORTER,
            reason=self.rng.choice(OBJECTIONS),
            data={"reopened_dispositions": changed, "clocks": [stopped]},
        )

    def close(self, actor: _Actor) -> None:
        # As complaint_close: the objection window ends without an objection (cancelled, not
        # a deadline met or missed).
        self.transition(Action.CLOSE, actor, data={"clocks": self.clocks_cancel()})

    def close_after_window(self) -> bool:
        """The system closes a finished report once its objection window has passed."""
        window = self._open_clock(ClockKind.OBJECTION, None)
        when = window.due_at + timedelta(minutes=self.rng.uniform(5, 240))
        if when > self.now:
            return False
        self.t = when
        self.close(SYSTEM)
        return True

    # --- disposition.services ------------------------------------------------------------

    def disposition_create(self, opds: list[OPD], lead: OPD | None) -> list[Disposition]:
        c = self.c
        actor = self.ak()
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.DISPOSITION, source=c.status, role=actor.role
        )
        clock_changes = []
        if c.status in (S.VERIFIED, S.RETURNED):
            stopped = self.clock_stop(ClockKind.VERIFICATION)
            if stopped:
                clock_changes.append(stopped)
        note = self.rng.choice(DISPOSITION_NOTES)
        created = []
        for opd in opds:
            d = Disposition(
                complaint=c,
                opd_id=opd.pk,
                is_lead=opd == lead,
                status=D.WAITING,
                created_by_id=actor.user_id,
                note=note,
                created_at=self.t,
            )
            self.dispositions.append(d)
            created.append(d)
            started = [
                self.clock_start(ClockKind.INITIAL_RESPONSE, disposition=d),
                self.clock_start(ClockKind.RESOLUTION, disposition=d),
            ]
            self.event(
                Action.DISPOSITION,
                actor,
                disposition=d,
                to_status=D.WAITING,
                reason=note,
                data={
                    "opd": opd.pk,
                    "opd_name": opd.short_name,
                    "is_lead": opd == lead,
                    "opd_has_admin": opd.pk in self.ref.ao_users,
                    "clocks": started,
                },
            )
        target = derive_status(
            c.status if c.status in HANDLING else S.DISPOSITIONED, self.dispositions
        )
        self.transition(
            Action.DISPOSITION,
            actor,
            target=target,
            data={
                "opds": [o.pk for o in opds],
                "lead": lead.pk if lead else None,
                "clocks": clock_changes,
            },
        )
        return created

    def _apply_derived_status(self, actor: _Actor) -> None:
        target = derive_status(self.c.status, self.dispositions)
        if target == self.c.status:
            return
        data = {}
        if target == S.FINISHED:
            data["clocks"] = [self.clock_start(ClockKind.OBJECTION)]
        self.transition(Action.DISPOSITIONS_CHANGED, actor, target=target, data=data)

    def _move(self, d: Disposition, action, actor: _Actor, *, reason="", data=None) -> None:
        row = find_transition(
            DISPOSITION_TRANSITIONS, action=action, source=d.status, role=actor.role
        )
        assert self.c.status in (*HANDLING, S.RETURNED), (self.c.status, action)
        old = d.status
        d.status = row.target
        setattr(d, DISPOSITION_STAMPS[row.target], self.t)
        data = dict(data or {})
        if actor.role == Role.PEJABAT_PENGHUBUNG:
            data["in_place_of_admin_opd"] = True
        self.event(
            action,
            actor,
            disposition=d,
            from_status=old,
            to_status=row.target,
            reason=reason,
            data=data,
        )
        self._apply_derived_status(actor)

    def accept(self, d: Disposition) -> None:
        self.wait(DAY * 0.5)
        self._move(d, Action.ACCEPT, self.opd_actor(d.opd_id))

    def assign(self, d: Disposition) -> None:
        admins = self.ref.ao_users.get(d.opd_id)
        if not admins:
            return
        actor = self.opd_actor(d.opd_id)
        assignee = self.rng.choice(admins)
        previous = d.assigned_to_id
        d.assigned_to_id = assignee
        self.event(
            Action.ASSIGN, actor, disposition=d, data={"from_user": previous, "to_user": assignee}
        )

    def return_(self, d: Disposition) -> None:
        self.wait(DAY * 0.8)
        actor = self.opd_actor(d.opd_id)
        reason = self.rng.choice(RETURN_REASONS).format(opd=self.ref.opd_by_id[d.opd_id].short_name)
        d.return_reason = reason
        cancelled = self.clocks_cancel(disposition=d)
        self._move(d, Action.RETURN, actor, reason=reason, data={"clocks": cancelled})

    def respond(self, d: Disposition, kind: str, *, median=DAY) -> None:
        """disposition.services.response_add."""
        self.wait(median)
        actor = self.opd_actor(d.opd_id)
        opd = self.ref.opd_by_id[d.opd_id]
        if kind == ResponseKind.NOTE:
            visibility = Visibility.INTERNAL
        elif self.c.is_secret or self.rng.random() < 0.04:
            visibility = Visibility.REPORTER
        else:
            visibility = Visibility.PUBLIC
        texts = {
            ResponseKind.INITIAL: INITIAL_TEXTS,
            ResponseKind.PROGRESS: PROGRESS_TEXTS,
            ResponseKind.FINAL: FINAL_TEXTS,
            ResponseKind.NOTE: NOTE_TEXTS,
        }[kind]
        text = self.rng.choice(texts).format(
            opd=opd.name, tanggal=self.t.astimezone(WIB).strftime("%d-%m-%Y")
        )
        clock_changes = []
        if kind == ResponseKind.INITIAL:
            clock_changes.append(self.clock_stop(ClockKind.INITIAL_RESPONSE, disposition=d))
            action = Action.RESPOND_INITIAL
        elif kind == ResponseKind.FINAL:
            clock_changes.append(self.clock_stop(ClockKind.RESOLUTION, disposition=d))
            action = Action.RESPOND_FINAL
        else:
            action = Action.FOLLOW_UP if kind == ResponseKind.PROGRESS else Action.NOTE
            assert d.status != D.RETURNED
            assert kind != ResponseKind.PROGRESS or d.status == D.RESPONDED
        response = Response(
            complaint=self.c,
            disposition=d,
            kind=kind,
            text=text,
            visibility=visibility,
            author_id=actor.user_id,
            opd_id=d.opd_id,
            created_at=self.t,
        )
        self.responses.append(response)
        data = {
            "response": _Ref(response),
            "kind": kind,
            "visibility": visibility,
            "clocks": [c for c in clock_changes if c],
        }
        if action in (Action.RESPOND_INITIAL, Action.RESPOND_FINAL):
            self._move(d, action, actor, data=data)
        else:
            if actor.role == Role.PEJABAT_PENGHUBUNG:
                data["in_place_of_admin_opd"] = True
            self.event(
                action, actor, disposition=d, data=data, notify=visibility != Visibility.INTERNAL
            )

    # --- the plot -------------------------------------------------------------------------

    def live(self) -> list[Disposition]:
        return [d for d in self.dispositions if d.status != D.RETURNED]

    def play(self) -> None:
        """Walk the report to its target status (or as far towards it as ``now`` allows)."""
        rng, target = self.rng, self.target
        if self.c.channel == Channel.LAPOR:
            self.receive_from_lapor()
        else:
            self.submit()
            if target == S.RECEIVED:
                if rng.random() < 0.1:
                    self.info_round(self.ak())
                return
            if target == S.WAITING_REPORTER:
                self.wait(HOUR * 6)
                self.request_info(self.ak())
                return
            if target == S.ARCHIVED:
                if rng.random() < 0.35:
                    self.wait(HOUR * 6)
                    self.request_info(self.ak())
                    self.archive_unanswered()
                else:
                    self.wait(DAY * 0.8)
                    reason = rng.choice(list(ARCHIVE_NOTES))
                    self.archive(self.ak(), reason, ARCHIVE_NOTES[reason])
                return
            if target == S.DUPLICATE:
                if not self.mark_duplicate():
                    self.wait(DAY * 0.8)
                    self.archive(
                        self.ak(),
                        ArchiveReason.NOT_COMPLAINT,
                        ARCHIVE_NOTES[ArchiveReason.NOT_COMPLAINT],
                    )
                return
            if rng.random() < 0.07:
                self.info_round(self.ak())
            self.wait(DAY * 0.8)
            self.verify()
        if target == S.VERIFIED:
            return
        if rng.random() < 0.03:
            self.info_round(self.ak())
        if target == S.ESCALATED or (target == S.CLOSED and rng.random() < 0.05):
            self._escalation_path()
            return
        self._handling_path()

    def _escalation_path(self) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            self.wait(HOUR * 5)
            lead = self.gen.lead_opd(self.true_category, self.c)
            self.disposition_create([lead], lead)
        self.wait(DAY * 2)
        self.escalate()
        if self.target == S.CLOSED:
            # Closed by Admin Kabupaten once the province reports back. (Not through
            # complaint_apply_lapor_status(target=finished): the table's first LAPOR_STATUS
            # row, OPEN → archived, also matches an escalated report and wins.)
            self.wait(DAY * 20)
            self.close(self.ak())

    def _handling_path(self) -> None:
        rng, target = self.rng, self.target
        right = self.gen.lead_opd(self.true_category, self.c)
        misrouted = target == S.RETURNED or rng.random() < 0.06
        lead = self.gen.other_opd(exclude={right.pk}) if misrouted else right
        opds = [lead]
        if rng.random() < 0.15:
            opds.append(self.gen.other_opd(exclude={right.pk, lead.pk}, near=self.c))
        self.wait(HOUR * 5)
        first = self.disposition_create(opds, lead)
        if misrouted:
            # Return instead of accepting: once accepted, an OPD answers (DOMAIN.md §3.4).
            self.return_(first[0])
            if target == S.RETURNED:
                return
            self.wait(HOUR * 6)
            self.disposition_create([right], right)
        if len(opds) > 1 and rng.random() < 0.25:
            self.return_(first[1])  # the supporting OPD says: not ours
        if target == S.DISPOSITIONED:
            for d in self.live():
                if rng.random() < 0.5:
                    self.accept(d)
                    if rng.random() < 0.3:
                        self.assign(d)
            return

        live = self.live()
        lead_d = next(d for d in live if d.is_lead)
        for d in live:
            self.accept(d)
            if rng.random() < 0.2:
                self.assign(d)
        if target == S.RESPONDED:
            self.respond(lead_d, ResponseKind.INITIAL, median=DAY * 1.2)
            for d in live:
                if d is not lead_d and rng.random() < 0.5:
                    self.respond(d, ResponseKind.INITIAL, median=DAY * 1.2)
            if rng.random() < 0.4:
                self.respond(lead_d, ResponseKind.PROGRESS, median=DAY * 4)
            if rng.random() < 0.1:
                self.respond(lead_d, ResponseKind.NOTE, median=DAY)
            if rng.random() < 0.04:
                self.info_round(self.opd_actor(lead_d.opd_id))
            return

        for d in live:
            self._answer_fully(d)
        if target == S.FINISHED:
            return
        if target == S.REOPENED:
            self.object()
            if rng.random() < 0.5:
                self.respond(lead_d, ResponseKind.PROGRESS, median=DAY * 3)
            return
        # CLOSED: now and then the reporter objected first and the OPDs answered again.
        if rng.random() < 0.05:
            self.object()
            for d in self.live():
                self.respond(d, ResponseKind.FINAL, median=DAY * 7)
        if rng.random() < 0.1:
            self.wait(DAY * 2)
            self.close(self.ak())
        else:
            self.close_after_window()

    def _answer_fully(self, d: Disposition) -> None:
        rng = self.rng
        self.respond(d, ResponseKind.INITIAL, median=DAY * 1.2)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            self.respond(d, ResponseKind.PROGRESS, median=DAY * 4)
        if rng.random() < 0.15:
            self.respond(d, ResponseKind.NOTE, median=DAY)
        self.respond(d, ResponseKind.FINAL, median=DAY * 8)


# --- the run ---------------------------------------------------------------------------------


class _Generator:
    def __init__(self, ref: _Reference, *, seed: int, years: int, now: datetime):
        self.ref = ref
        # Seeded generators, not secrets: deterministic fake data (see the module docstring).
        self.rng = random.Random(seed)  # noqa: S311
        self.numbers_rng = random.Random(f"{seed}:numbers")  # noqa: S311
        self.now = now
        self.start = now - timedelta(days=365.25 * years)
        self.originals: deque[Complaint] = deque(maxlen=400)
        self.tracking_numbers: set[str] = set()
        self.lapor_ids: set[str] = set()
        self.prefix = settings.TRACKING_PREFIX
        self.classification_cum = list(
            accumulate(
                {"pengaduan": 75, "aspirasi": 15, "permintaan-informasi": 10}.get(c.code, 5)
                for c in ref.classifications
            )
        )

    # --- time --------------------------------------------------------------------------

    def creation_times(self, count: int) -> list[datetime]:
        """``count`` receipt times over the period, volume growing towards now, sorted."""
        span = (self.now - self.start).total_seconds()
        growth = 1.0  # the last day sees twice the reports of the first
        times = []
        for _ in range(count):
            u = self.rng.random()
            x = (math.sqrt(1 + 2 * growth * u * (1 + growth / 2)) - 1) / growth
            moment = self.start + timedelta(seconds=x * span)
            local = moment.astimezone(WIB)
            hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            placed = datetime.combine(local.date(), time(hour), tzinfo=WIB) + timedelta(
                seconds=self.rng.uniform(0, 3600)
            )
            times.append(placed if self.start <= placed <= self.now else moment)
        times.sort()
        return [t.astimezone(UTC) for t in times]

    def office_hours(self, t: datetime) -> datetime:
        """``t`` if it falls in office hours (07:30-16:00 WIB on a working day), else a moment
        early in the next office morning."""
        local = t.astimezone(WIB)
        day = local.date()
        minutes = local.hour * 60 + local.minute
        if self.ref.calendar.is_working_day(day) and 450 <= minutes < 960:
            return t
        if not (self.ref.calendar.is_working_day(day) and minutes < 450):
            day += timedelta(days=1)
            for _ in range(30):
                if self.ref.calendar.is_working_day(day):
                    break
                day += timedelta(days=1)
        start = datetime.combine(day, time(7, 30), tzinfo=WIB)
        return (start + timedelta(minutes=self.rng.uniform(0, 150))).astimezone(UTC)

    # --- picks -------------------------------------------------------------------------

    def pick_classification(self) -> Classification:
        return self.rng.choices(self.ref.classifications, cum_weights=self.classification_cum)[0]

    def pick_institution(self) -> ExternalInstitution:
        institutions = self.ref.institutions
        # Most of what the regency cannot resolve goes to the province.
        provinces = [i for i in institutions if i.level == ExternalInstitution.Level.PROVINSI]
        if provinces and self.rng.random() < 0.6:
            return self.rng.choice(provinces)
        return self.rng.choice(institutions)

    def lead_opd(self, category, complaint) -> OPD:
        opd = self.ref.opd_by_id.get(category.default_opd_id)
        if opd is not None:
            return opd
        return self.other_opd(exclude=set(), near=complaint)

    def other_opd(self, *, exclude: set[int], near: Complaint | None = None) -> OPD:
        if near is not None and near.kecamatan_id and self.rng.random() < 0.5:
            opd = self.ref.kecamatan_opd.get(near._kecamatan_name.lower())
            if opd is not None and opd.pk not in exclude:
                return opd
        while True:
            opd = self.rng.choice(self.ref.opds)
            if opd.pk not in exclude:
                return opd

    def tracking_number(self) -> str:
        while True:
            chars = "".join(self.numbers_rng.choices(TRACKING_ALPHABET, k=8))
            number = f"{self.prefix}-{chars[:4]}-{chars[4:]}"
            if number not in self.tracking_numbers:
                self.tracking_numbers.add(number)
                return number

    def lapor_id(self) -> str:
        while True:
            value = str(self.numbers_rng.randrange(1_000_000, 9_999_999))
            if value not in self.lapor_ids:
                self.lapor_ids.add(value)
                return value

    # --- one report ----------------------------------------------------------------------

    def target_status(self, age_days: float) -> str:
        for bound, mix in STATUS_MIX:
            if age_days < bound:
                return self.rng.choices(list(mix), weights=list(mix.values()))[0]
        raise AssertionError("unreachable")

    def targets(self, times: list[datetime]) -> list[str]:
        """The status each report is walked to, by its age.

        A small run (a test, a demo) would miss the rare early statuses, which only recent
        reports have: when a status is missing, one of the most recent reports that share a
        status with others takes it instead, as a backlog item. At scale nothing changes.
        """
        targets = [self.target_status((self.now - t).total_seconds() / DAY) for t in times]
        if len(times) < 2 * len(STATUS_MIX[0][1]):
            return targets
        recent = list(range(len(times) - max(len(times) // 10, 24), len(times)))
        counts = Counter(targets)
        for status in S.values:
            if counts[status]:
                continue
            candidates = [i for i in recent if i >= 0 and counts[targets[i]] > 1]
            if not candidates:
                break
            i = self.rng.choice(candidates)
            counts[targets[i]] -= 1
            targets[i] = status
            counts[status] += 1
        return targets

    def story(self, created_at: datetime, target: str) -> _Story:
        rng, ref = self.rng, self.ref
        age_days = (self.now - created_at).total_seconds() / DAY
        weights = CHANNEL_WEIGHTS_OLD if age_days > 365 else CHANNEL_WEIGHTS_RECENT
        channels = [
            ch for ch in weights if not (ch == Channel.LAPOR and target in PRE_VERIFICATION)
        ]
        channel = rng.choices(channels, weights=[weights[ch] for ch in channels])[0]

        # A duplicate repeats a recent report that is not itself a duplicate.
        original = rng.choice(self.originals) if target == S.DUPLICATE and self.originals else None
        if original is not None:
            category = original._true_category
            desa = original._desa
        else:
            category = ref.categories[
                bisect_right(ref.category_cum, rng.random() * ref.category_cum[-1])
            ]
            desa = (
                ref.desa[bisect_right(ref.desa_cum, rng.random() * ref.desa_cum[-1])]
                if ref.desa and rng.random() < 0.92
                else None
            )
        texts = self.texts(category, desa)
        lat = lng = None
        if desa is not None and rng.random() < 0.7:
            centre = KECAMATAN_CENTRES.get(desa.kecamatan.code, KUDUS_CENTRE)
            lat = Decimal(f"{centre[0] + rng.uniform(-0.018, 0.018):.6f}")
            lng = Decimal(f"{centre[1] + rng.uniform(-0.018, 0.018):.6f}")
        is_secret = rng.random() < 0.04
        is_anonymous = rng.random() < 0.08
        complaint = Complaint(
            tracking_number=self.tracking_number(),
            channel=channel,
            lapor_id=self.lapor_id() if channel == Channel.LAPOR else None,
            category_id=category.pk if (channel == Channel.LAPOR or rng.random() < 0.5) else None,
            title=texts["title"][:200] if rng.random() < 0.75 else "",
            text=texts["text"],
            kecamatan_id=desa.kecamatan_id if desa else None,
            desa_id=desa.pk if desa else None,
            address=texts["address"][:255] if desa and rng.random() < 0.7 else "",
            lat=lat,
            lng=lng,
            incident_date=(
                (created_at.astimezone(WIB) - timedelta(days=rng.randint(0, 14))).date()
                if rng.random() < 0.4
                else None
            ),
            is_secret=is_secret,
            is_anonymous=is_anonymous,
            priority=(
                Priority.URGENT
                if channel == Channel.WHATSAPP and rng.random() < 0.1
                else Priority.NORMAL
            ),
            status=S.RECEIVED,
            created_at=created_at,
        )
        complaint._access_code = "".join(self.numbers_rng.choices(TRACKING_ALPHABET, k=10))
        complaint._true_category = category
        complaint._desa = desa
        complaint._original = original
        complaint._kecamatan_name = desa.kecamatan.name if desa else ""
        complaint._is_duplicate = False
        if channel == Channel.LAPOR:
            # LAPOR! brings its own classification and category, and a public version.
            complaint.classification_id = self.pick_classification().pk
            complaint.public_title = complaint.title or texts["public_title"][:200]
            complaint.title = complaint.public_title
            complaint.public_text = complaint.text
            complaint.public_lat = round_public_location(lat)
            complaint.public_lng = round_public_location(lng)

        story = _Story(self, complaint, target, true_category=category, texts=texts)
        story.reporter = self.reporter(complaint, desa)
        story.play()
        if not complaint._is_duplicate:
            self.originals.append(complaint)
        return story

    def texts(self, category, desa) -> dict:
        kecamatan = desa.kecamatan.name if desa else None
        label = self.ref.desa_labels[desa.pk] if desa else None
        return compose_texts(self.rng, category=category, desa_label=label, kecamatan=kecamatan)

    def reporter(self, complaint: Complaint, desa) -> Reporter:
        rng = self.rng
        female = rng.random() < 0.48
        first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
        last = rng.choice(LAST_NAMES)
        name = f"{first} {last}".strip()
        channel = complaint.channel
        nik = ""
        if channel in (Channel.WEB, Channel.ANDROID, Channel.OFFLINE) and rng.random() < 0.45:
            if rng.random() < 0.8:
                kecamatan = desa.kecamatan.code[-2:] if desa and rng.random() < 0.7 else None
                region = f"3319{kecamatan or rng.randint(1, 9):0>2}"
            else:
                region = f"{rng.choice(NEIGHBOUR_REGENCIES)}{rng.randint(1, 12):02d}"
            born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 56))
            day = born.day + (40 if female else 0)
            nik = (
                f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 2999):04d}"
            )
        phone = ""
        if channel in (Channel.WHATSAPP, Channel.OFFLINE) or rng.random() < 0.8:
            prefix, digits = rng.choice(PHONE_PREFIXES)
            phone = f"+62{prefix}{rng.randrange(10 ** (digits - 1), 10**digits)}"
        email = ""
        if channel in (Channel.WEB, Channel.ANDROID, Channel.LAPOR, Channel.OPEN311) and (
            rng.random() < 0.5
        ):
            handle = ".".join(p for p in (first, last) if p).lower()
            email = f"{handle}{rng.randint(1, 999)}@example.{rng.choice(('com', 'net', 'org'))}"
        if channel == Channel.LAPOR and complaint.is_anonymous:
            # complaint_receive_from_lapor: LAPOR! sends no identity for an anonymous report.
            name, phone, email = "", "", ""
        return Reporter(complaint=complaint, name=name, nik=nik, phone=phone, email=email)

    # --- writing ---------------------------------------------------------------------------

    def flush(self, stories: list[_Story], counts: Counter) -> None:
        complaints = [s.c for s in stories]
        with transaction.atomic():
            self._redraw_taken(complaints)
            for c in complaints:
                c.access_code_hash = access_code_hash(c.tracking_number, c._access_code)
            # Originals first: a duplicate's original may be in this very batch.
            Complaint.objects.bulk_create([c for c in complaints if not c._is_duplicate])
            Complaint.objects.bulk_create([c for c in complaints if c._is_duplicate])
            reporters = [s.reporter for s in stories]
            dispositions = [d for s in stories for d in s.dispositions]
            Reporter.objects.bulk_create(reporters)
            Disposition.objects.bulk_create(dispositions)
            clocks = [k for s in stories for k in s.clocks]
            responses = [r for s in stories for r in s.responses]
            SlaClock.objects.bulk_create(clocks)
            Response.objects.bulk_create(responses)
            events = [e for s in stories for e in s.events]
            for event in events:
                _resolve(event.data)
            Event.objects.bulk_create(events)
        counts["complaints"] += len(complaints)
        counts["reporters"] += len(reporters)
        counts["dispositions"] += len(dispositions)
        counts["responses"] += len(responses)
        counts["clocks"] += len(clocks)
        counts["events"] += len(events)
        for c in complaints:
            counts[f"status.{c.status}"] += 1

    def _redraw_taken(self, complaints: list[Complaint]) -> None:
        """Draw again any tracking number or LAPOR! id already in the database (one query
        per kind and batch, or a few on SQLite's parameter limit)."""
        for attr, draw in (("tracking_number", self.tracking_number), ("lapor_id", self.lapor_id)):
            while True:
                values = [getattr(c, attr) for c in complaints if getattr(c, attr)]
                taken = set()
                field = Complaint._meta.get_field(attr)
                size = connection.ops.bulk_batch_size([field], values) or len(values) or 1
                for i in range(0, len(values), size):
                    taken.update(
                        Complaint.objects.filter(
                            **{f"{attr}__in": values[i : i + size]}
                        ).values_list(attr, flat=True)
                    )
                if not taken:
                    break
                for c in complaints:
                    if getattr(c, attr) in taken:
                        setattr(c, attr, draw())


def generate_complaints(
    *,
    count: int,
    seed: int,
    years: int = 3,
    batch_size: int = 5000,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Create ``count`` realistic reports over the ``years`` before ``now``; returns counts.

    Needs the reference data (``manage.py load_reference_data``): raises GeneratorError
    without OPDs, categories, classifications or external institutions. Staff accounts are
    optional: events name real Admin Kabupaten / Admin OPD / Pejabat Penghubung users when
    they exist, and only the role otherwise.

    Each batch of ``batch_size`` reports is one transaction of a constant number of queries
    (two lookups for taken numbers, then one INSERT per table). The result has one key per
    table ("complaints", "reporters", "dispositions", "responses", "clocks", "events") and
    "status.<status>" per status.
    """
    if count < 0:
        raise GeneratorError("count must not be negative.")
    if batch_size < 1:
        raise GeneratorError("batch_size must be at least 1.")
    if years < 1:
        raise GeneratorError("years must be at least 1.")
    now = now or timezone.now()
    require_aware(now, "now")
    ref = _Reference()
    gen = _Generator(ref, seed=seed, years=years, now=now)
    counts: Counter = Counter()
    times = gen.creation_times(count)
    targets = gen.targets(times)
    for start in range(0, count, batch_size):
        stories = [
            gen.story(created_at, target)
            for created_at, target in zip(
                times[start : start + batch_size], targets[start : start + batch_size], strict=True
            )
        ]
        gen.flush(stories, counts)
        if progress is not None:
            progress(min(start + batch_size, count), count)
    return dict(counts)
