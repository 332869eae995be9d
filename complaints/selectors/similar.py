"""Public reports like the one being written, shown on the form before submitting, so a
citizen can follow an existing report instead of filing the same matter again.

Only what the public list may show is read (``public_reports``: verified, non-rahasia, with
a public version) and presented as the public list presents it (``present_report``: every
text through ``mask_personal_data``). The draft is compared with the *public* title and text,
never with what other reporters wrote.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from complaints.selectors.public import present_report
from complaints.selectors.scope import public_reports

# The beginning of a draft says what it is about; a long draft compared whole dilutes the
# trigram similarity (shared trigrams over all trigrams) below any useful threshold.
DRAFT_MAX_CHARS = 1000
# Below this a draft says too little to compare (and every report would look alike).
DRAFT_MIN_CHARS = 15
# The SQLite demo scores this many of the newest candidates in Python.
FALLBACK_CANDIDATES = 200
# Words that say nothing about the matter, for the SQLite fallback's word overlap.
# fmt: off
_STOPWORDS = frozenset({
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "sudah", "belum",
    "ada", "tidak", "mohon", "saya", "kami", "warga", "sejak", "juga", "karena", "oleh", "atau",
    "agar", "bisa", "akan", "telah", "sangat", "lebih", "tetapi", "tapi", "dalam", "mau",
    "ingin", "lapor", "melapor", "laporan", "segera", "terima", "kasih", "bapak", "ibu",
})
# fmt: on
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def similar_reports(
    *,
    text: str,
    category_id: int | None = None,
    desa_id: int | None = None,
    limit: int = 5,
    now: datetime | None = None,
) -> list[dict]:
    """Up to ``limit`` recent public reports in the same category or desa whose public text
    is similar to ``text``, most similar first.

    "Recent" is ``settings.SIMILAR_REPORTS_DAYS``; "similar" is PostgreSQL trigram similarity
    of the public title and text at or above ``settings.SIMILAR_REPORTS_THRESHOLD`` (the
    SQLite demo: a word-overlap score on the same scale). A chosen top-level category also
    matches its sub-categories. With neither category nor desa there is nothing to narrow
    by, and no hint is given.

    Returns ``present_report`` dicts (masked title, text and excerpt, labels) with the score.
    """
    draft = " ".join((text or "").split())[:DRAFT_MAX_CHARS]
    if len(draft) < DRAFT_MIN_CHARS or (category_id is None and desa_id is None):
        return []
    place = Q()
    if category_id is not None:
        place |= Q(category_id=category_id) | Q(category__parent_id=category_id)
    if desa_id is not None:
        place |= Q(desa_id=desa_id)
    since = (now or timezone.now()) - timedelta(days=settings.SIMILAR_REPORTS_DAYS)
    candidates = public_reports().filter(place, created_at__gte=since)
    threshold = settings.SIMILAR_REPORTS_THRESHOLD
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import TrigramSimilarity

        rows = list(
            candidates.annotate(
                similarity=TrigramSimilarity(
                    Concat("public_title", Value(" "), "public_text", output_field=TextField()),
                    draft,
                )
            )
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "-created_at")[:limit]
        )
    else:
        rows = _scored_in_python(
            list(candidates.order_by("-created_at")[:FALLBACK_CANDIDATES]), draft, threshold
        )[:limit]
    return [_public_hint(row) for row in rows]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS}


def word_overlap(draft: str, other: str) -> float:
    """Dice coefficient of the two texts' meaningful words (0–1), the SQLite stand-in for
    trigram similarity."""
    a, b = _words(draft), _words(other)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _scored_in_python(rows: list[dict], draft: str, threshold: float) -> list[dict]:
    for row in rows:
        row["similarity"] = word_overlap(draft, f"{row['public_title']} {row['public_text']}")
    kept = [row for row in rows if row["similarity"] >= threshold]
    # Python's sort is stable: equal scores keep the newest first.
    return sorted(kept, key=lambda row: row["similarity"], reverse=True)


def _public_hint(row: dict) -> dict:
    # The public list's presentation (masked title, text and excerpt; labels), so a hint
    # shows exactly what the report's public page shows.
    return {**present_report(row), "similarity": row["similarity"]}
