"""Reference data: classifications, wilayah, OPDs, categories, external institutions, SLA
defaults and holidays, loaded from the files in ``complaints/data/`` (and from settings).

``reference_data_load`` is idempotent and safe to run on a live system (every deploy may run
it). Each kind is matched on a stable key and the file *owns* only some fields:

============================  ==================  ===========================  ===============
kind                          key                 file-owned (kept in sync)    set on create
============================  ==================  ===========================  ===============
classification                code                name, lapor_id               sort_order,
                                                                               is_active
kecamatan                     Kemendagri code     name                         —
desa/kelurahan                Kemendagri code     name, kind, kecamatan        —
OPD                           name                —                            short_name,
                                                                               kind, parent,
                                                                               is_active
category                      slug                name, parent,                default_opd,
                                                  lapor_category_id            sort_order,
                                                                               is_active
external institution          lapor_id            name, level                  is_active
SLA policy                    clock + priority,   —                            amount, unit
                              no classification/
                              category/channel
============================  ==================  ===========================  ===============

The rule behind the split: what mirrors an outside authority (Kemendagri's wilayah, LAPOR!'s
master data) follows the file; what is a local decision (routing a category to an OPD, an
OPD's short name or place in the organisation — DOMAIN.md §2: OPDs are data the regency
edits — switching a row off, an SLA amount) belongs to the admin once the row exists. Rows that
are in the database but not in a file are never deleted or deactivated: complaints point at
them. Renaming an OPD in the admin and reloading therefore brings the seed name back as a new
row; change the file as well when the regency reorganises.

Every file is validated completely before anything is written, and the writes run in one
transaction, so a bad file changes nothing and fails with its file name, line and row.
"""

from __future__ import annotations

import csv
import importlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.utils import timezone

from complaints.models import Category, Classification, Desa, Kecamatan, Priority
from disposition.models import OPD, ClockKind, ClockUnit, ExternalInstitution, SlaPolicy

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"

CLASSIFICATIONS_FILE = "classifications.csv"
KECAMATAN_FILE = "kecamatan.csv"
WILAYAH_FILE = "kudus_wilayah.csv"
OPD_FILE = "opd.csv"
CATEGORIES_FILE = "categories.csv"
INSTITUTIONS_FILE = "external_institutions.csv"

# Kinds in load order (OPDs before the categories that point at them); the keys of the result
# are "<kind>.created" and "<kind>.updated".
KINDS = (
    "classification",
    "kecamatan",
    "desa",
    "opd",
    "category",
    "external_institution",
    "sla_policy",
)

SLA_POLICY_NOTE = "Bawaan (SLA_DEFAULT_POLICIES)"


class ReferenceDataError(Exception):
    """A reference data file (or SLA_DEFAULT_POLICIES) is not as expected."""


# --- reading and validating ----------------------------------------------------------------


class _Row(dict):
    """One CSV row, remembering where it came from for error messages."""

    def __init__(self, values: dict, *, path: Path, line: int):
        super().__init__(values)
        self.path = path
        self.line = line

    def error(self, message: str) -> ReferenceDataError:
        raw = ",".join(str(v) for v in self.values())
        return ReferenceDataError(f"{self.path.name}, line {self.line}: {message} (row: {raw})")

    def integer(self, column: str, *, minimum: int = 1) -> int:
        value = self[column]
        if not re.fullmatch(r"\d+", value) or int(value) < minimum:
            raise self.error(f"{column} must be a whole number ≥ {minimum}, not {value!r}")
        return int(value)

    def text(self, column: str, model: type[models.Model], field: str) -> str:
        value = self[column]
        if not value:
            raise self.error(f"{column} is empty")
        max_length = model._meta.get_field(field).max_length
        if max_length and len(value) > max_length:
            raise self.error(f"{column} is longer than {max_length} characters")
        return value


def _read(path: Path, columns: tuple[str, ...]) -> list[_Row]:
    if not path.is_file():
        raise ReferenceDataError(f"{path}: file not found")
    # utf-8-sig: a file saved by a spreadsheet starts with a byte-order mark.
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = tuple(reader.fieldnames or ())
            if header != columns:
                raise ReferenceDataError(
                    f"{path.name}, line 1: expected the columns {','.join(columns)}, "
                    f"found {','.join(header) or 'none'}"
                )
            rows = []
            for values in reader:
                row = _Row(
                    {k: (v or "").strip() for k, v in values.items() if k is not None},
                    path=path,
                    line=reader.line_num,
                )
                if None in values or None in values.values():
                    raise row.error(f"expected {len(columns)} fields")
                rows.append(row)
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path.name}: not UTF-8 ({exc})") from None
    except csv.Error as exc:
        raise ReferenceDataError(f"{path.name}: not a readable CSV file ({exc})") from None
    if not rows:
        raise ReferenceDataError(f"{path.name}: no rows")
    return rows


def _unique(rows: list[_Row], column: str, value: Callable[[_Row], object] | None = None):
    seen = set()
    for row in rows:
        key = value(row) if value else row[column]
        if key in seen:
            raise row.error(f"duplicate {column} {key!r}")
        seen.add(key)


def _choice(row: _Row, column: str, choices: type[models.TextChoices]) -> str:
    if row[column] not in choices.values:
        raise row.error(f"{column} must be one of {', '.join(choices.values)}, not {row[column]!r}")
    return row[column]


def _parse_classifications(data_dir: Path) -> list[dict]:
    rows = _read(data_dir / CLASSIFICATIONS_FILE, ("code", "name", "lapor_id"))
    parsed = []
    for i, row in enumerate(rows):
        try:
            validate_slug(row["code"])
        except ValidationError:
            raise row.error(f"code {row['code']!r} is not a slug") from None
        parsed.append(
            {
                "code": row["code"],
                "name": row.text("name", Classification, "name"),
                "lapor_id": row.integer("lapor_id"),
                "sort_order": i,
            }
        )
    _unique(rows, "code")
    _unique(rows, "lapor_id")
    return parsed


def _parse_wilayah(data_dir: Path) -> tuple[list[dict], list[dict]]:
    """Kecamatan and desa/kelurahan, cross-checked against each other and REGION_CODE."""
    region = settings.REGION_CODE
    kec_rows = _read(data_dir / KECAMATAN_FILE, ("kode", "nama", "jumlah_desa", "jumlah_kelurahan"))
    kecamatan = {}
    for row in kec_rows:
        if not re.fullmatch(rf"{region}\d\d", row["kode"]):
            raise row.error(f"kode must be 6 digits starting with {region}")
        if row["kode"] in kecamatan:
            raise row.error(f"duplicate kode {row['kode']}")
        kecamatan[row["kode"]] = {
            "row": row,
            "name": row.text("nama", Kecamatan, "name"),
            "expected": {
                Desa.Kind.DESA: row.integer("jumlah_desa", minimum=0),
                Desa.Kind.KELURAHAN: row.integer("jumlah_kelurahan", minimum=0),
            },
        }
    _unique(kec_rows, "nama")

    desa_rows = _read(
        data_dir / WILAYAH_FILE, ("kode", "kode_kecamatan", "kecamatan", "nama", "jenis")
    )
    found = Counter()
    desa = []
    for row in desa_rows:
        code, kec_code = row["kode"], row["kode_kecamatan"]
        if not re.fullmatch(rf"{region}\d{{6}}", code):
            raise row.error(f"kode must be 10 digits starting with {region}")
        if kec_code not in kecamatan:
            raise row.error(f"kode_kecamatan {kec_code!r} is not in {KECAMATAN_FILE}")
        if not code.startswith(kec_code):
            raise row.error(f"kode {code} does not belong to kecamatan {kec_code}")
        if row["kecamatan"] != kecamatan[kec_code]["name"]:
            raise row.error(
                f"kecamatan {row['kecamatan']!r} does not match {KECAMATAN_FILE} "
                f"({kecamatan[kec_code]['name']!r})"
            )
        kind = _choice(row, "jenis", Desa.Kind)
        # Kemendagri: the 7th digit is 1 for a kelurahan, 2 for a desa.
        if code[6] != ("1" if kind == Desa.Kind.KELURAHAN else "2"):
            raise row.error(f"kode {code} does not match jenis {kind} (7th digit)")
        found[kec_code, kind] += 1
        desa.append(
            {
                "code": code,
                "name": row.text("nama", Desa, "name"),
                "kind": kind,
                "kecamatan_code": kec_code,
            }
        )
    _unique(desa_rows, "kode")
    _unique(desa_rows, "nama", lambda r: (r["kode_kecamatan"], r["nama"]))
    # A truncated or mixed-up file shows as a wrong count per kecamatan.
    for kec_code, kec in kecamatan.items():
        for kind, expected in kec["expected"].items():
            if found[kec_code, kind] != expected:
                raise kec["row"].error(
                    f"{KECAMATAN_FILE} expects {expected} {kind} in {kec['name']}, "
                    f"{WILAYAH_FILE} has {found[kec_code, kind]}"
                )
    kec_parsed = [{"code": code, "name": kec["name"]} for code, kec in kecamatan.items()]
    return kec_parsed, desa


def _parse_opds(data_dir: Path) -> list[dict]:
    rows = _read(data_dir / OPD_FILE, ("name", "short_name", "kind", "parent"))
    parsed, names = [], set()
    for row in rows:
        if row["parent"] and row["parent"] not in names:
            raise row.error(f"parent {row['parent']!r} must be listed above its sub-units")
        parsed.append(
            {
                "name": row.text("name", OPD, "name"),
                "short_name": row.text("short_name", OPD, "short_name"),
                "kind": _choice(row, "kind", OPD.Kind),
                "parent": row["parent"],
            }
        )
        names.add(row["name"])
    _unique(rows, "name")
    # Categories name their default OPD by name or short name: both must be unambiguous.
    _unique(rows, "short_name")
    for row in rows:
        if row["short_name"] != row["name"] and row["short_name"] in names:
            raise row.error(f"short_name {row['short_name']!r} is another OPD's name")
    return parsed


def _parse_categories(data_dir: Path, opds: list[dict]) -> list[dict]:
    rows = _read(
        data_dir / CATEGORIES_FILE, ("slug", "name", "parent", "lapor_category_id", "default_opd")
    )
    opd_names = {o["name"]: o["name"] for o in opds} | {o["short_name"]: o["name"] for o in opds}
    parsed, slugs = [], set()
    for i, row in enumerate(rows):
        try:
            validate_slug(row["slug"])
        except ValidationError:
            raise row.error(f"slug {row['slug']!r} is not a slug") from None
        if len(row["slug"]) > Category._meta.get_field("slug").max_length:
            raise row.error("slug is too long")
        if row["parent"] and row["parent"] not in slugs:
            raise row.error(f"parent {row['parent']!r} must be listed above its children")
        if row["default_opd"] and row["default_opd"] not in opd_names:
            raise row.error(f"default_opd {row['default_opd']!r} is not an OPD of {OPD_FILE}")
        parsed.append(
            {
                "slug": row["slug"],
                "name": row.text("name", Category, "name"),
                "parent": row["parent"],
                "lapor_category_id": row.integer("lapor_category_id"),
                "default_opd": opd_names.get(row["default_opd"], ""),
                "sort_order": i,
            }
        )
        slugs.add(row["slug"])
    _unique(rows, "slug")
    _unique(rows, "lapor_category_id")
    _unique(rows, "name", lambda r: (r["parent"], r["name"]))
    return parsed


def _parse_institutions(data_dir: Path) -> list[dict]:
    rows = _read(data_dir / INSTITUTIONS_FILE, ("lapor_id", "name", "level"))
    parsed = [
        {
            "lapor_id": row.integer("lapor_id"),
            "name": row.text("name", ExternalInstitution, "name"),
            "level": _choice(row, "level", ExternalInstitution.Level),
        }
        for row in rows
    ]
    _unique(rows, "lapor_id")
    return parsed


def _parse_sla_policies() -> list[dict]:
    parsed, scopes = [], set()
    for i, entry in enumerate(settings.SLA_DEFAULT_POLICIES):
        where = f"settings.SLA_DEFAULT_POLICIES[{i}] {entry!r}"
        try:
            clock, priority, amount, unit = entry
        except (TypeError, ValueError):
            raise ReferenceDataError(f"{where}: expected (clock, priority, amount, unit)") from None
        if clock not in ClockKind.values:
            raise ReferenceDataError(f"{where}: unknown clock {clock!r}")
        if priority and priority not in Priority.values:
            raise ReferenceDataError(f"{where}: unknown priority {priority!r}")
        if unit not in ClockUnit.values:
            raise ReferenceDataError(f"{where}: unknown unit {unit!r}")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ReferenceDataError(f"{where}: amount must be a positive whole number")
        if (clock, priority) in scopes:
            raise ReferenceDataError(f"{where}: duplicate clock and priority")
        scopes.add((clock, priority))
        parsed.append({"clock": clock, "priority": priority, "amount": amount, "unit": unit})
    return parsed


# --- writing -------------------------------------------------------------------------------


def _sync(
    model, key: str, rows: Iterable[dict], owned: tuple[str, ...], *, ids: dict | None = None
) -> tuple[dict, int, int]:
    """Create missing rows (all fields), update only ``owned`` fields of existing ones.

    Returns {key value: pk}, created, updated. FK fields are given by attname (``parent_id``).
    ``rows`` may be a generator that reads ``ids`` (filled as it goes) to point at rows
    earlier in the same file, such as a category's parent.
    """
    ids = {} if ids is None else ids
    existing = model.objects.in_bulk(field_name=key)
    created, updated = 0, 0
    for values in rows:
        obj = existing.get(values[key])
        if obj is None:
            obj = model.objects.create(**values)
            created += 1
        else:
            changed = [f for f in owned if getattr(obj, f) != values[f]]
            if changed:
                for f in changed:
                    setattr(obj, f, values[f])
                obj.save(update_fields=changed)
                updated += 1
        ids[values[key]] = obj.pk
    return ids, created, updated


def _write(parsed: dict) -> dict[str, int]:
    counts = {}

    def record(kind, created, updated):
        counts[f"{kind}.created"] = created
        counts[f"{kind}.updated"] = updated

    _, *c = _sync(Classification, "code", parsed["classification"], ("name", "lapor_id"))
    record("classification", *c)

    kec_ids, *c = _sync(Kecamatan, "code", parsed["kecamatan"], ("name",))
    record("kecamatan", *c)
    desa = [
        {
            "code": d["code"],
            "name": d["name"],
            "kind": d["kind"],
            "kecamatan_id": kec_ids[d["kecamatan_code"]],
        }
        for d in parsed["desa"]
    ]
    _, *c = _sync(Desa, "code", desa, ("name", "kind", "kecamatan_id"))
    record("desa", *c)

    # OPDs are seed only (see the module docstring). Rows are generated in file order, so a
    # parent's id is in ``ids`` before its sub-units (and a category's before its children).
    opd_ids = {}
    opds = (
        {
            "name": o["name"],
            "short_name": o["short_name"],
            "kind": o["kind"],
            "parent_id": opd_ids[o["parent"]] if o["parent"] else None,
        }
        for o in parsed["opd"]
    )
    _, *c = _sync(OPD, "name", opds, (), ids=opd_ids)
    record("opd", *c)

    cat_ids = {}
    categories = (
        {
            "slug": cat["slug"],
            "name": cat["name"],
            "parent_id": cat_ids[cat["parent"]] if cat["parent"] else None,
            "lapor_category_id": cat["lapor_category_id"],
            "default_opd_id": opd_ids[cat["default_opd"]] if cat["default_opd"] else None,
            "sort_order": cat["sort_order"],
        }
        for cat in parsed["category"]
    )
    _, *c = _sync(
        Category, "slug", categories, ("name", "parent_id", "lapor_category_id"), ids=cat_ids
    )
    record("category", *c)

    _, *c = _sync(
        ExternalInstitution, "lapor_id", parsed["external_institution"], ("name", "level")
    )
    record("external_institution", *c)

    created = 0
    for p in parsed["sla_policy"]:
        # Any row of the default scope, active or not, is the admin's: never overwritten, and
        # a deactivated default is not brought back.
        scope = SlaPolicy.objects.filter(
            clock=p["clock"],
            priority=p["priority"],
            classification__isnull=True,
            category__isnull=True,
            channel="",
        )
        if not scope.exists():
            SlaPolicy.objects.create(**p, note=SLA_POLICY_NOTE)
            created += 1
    record("sla_policy", created, 0)
    return counts


def _seed_holidays() -> dict[str, int]:
    # Imported here: the calendar module belongs to the SLA layer and may be absent in an
    # older checkout; reference data must load without it.
    try:
        calendar = importlib.import_module("disposition.calendar")
    except ModuleNotFoundError as exc:
        if exc.name != "disposition.calendar":
            raise
        calendar = None
    seed = getattr(calendar, "holidays_seed", None)
    if seed is None:
        logger.warning("reference data: disposition.calendar.holidays_seed missing, skipped")
        return {"holiday.skipped": 1}
    year = timezone.localdate().year
    created = seed(years=[year, year + 1])
    return {"holiday.created": int(created or 0)}


def reference_data_load(*, data_dir: Path | None = None, holidays: bool = True) -> dict[str, int]:
    """Load every kind of reference data; return "<kind>.created"/"<kind>.updated" counts.

    ``data_dir`` defaults to ``complaints/data/``. ``holidays`` also seeds this year's and next
    year's holidays through ``disposition.calendar.holidays_seed`` ("holiday.created", or
    "holiday.skipped" when that function does not exist). Raises ReferenceDataError, naming
    the file, line and row, before writing anything if a file is invalid.
    """
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    kecamatan, desa = _parse_wilayah(data_dir)
    opds = _parse_opds(data_dir)
    parsed = {
        "classification": _parse_classifications(data_dir),
        "kecamatan": kecamatan,
        "desa": desa,
        "opd": opds,
        "category": _parse_categories(data_dir, opds),
        "external_institution": _parse_institutions(data_dir),
        "sla_policy": _parse_sla_policies(),
    }
    with transaction.atomic():
        counts = _write(parsed)
    if holidays:
        counts |= _seed_holidays()
    return counts
