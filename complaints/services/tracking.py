"""What a reporter does on their own report besides the life-cycle moves: prove access with the
tracking number and access code, get a new code, rate the outcome.

Access codes are never stored (only their hash, on the report) and never written to an event.
A code that must reach the reporter by e-mail or SMS (the first one, at submission, and a
re-sent one) is kept in the cache, keyed by the id of the event whose notification carries it,
until that notification is sent (``reports.access_code_stash``): the notification sweep runs
after the commit, in another process, where the code is no longer in memory.

Guessing codes is made useless twice over: the tracking form is limited per IP address (the
view, django-ratelimit), and here per tracking number: ``TRACKING_FAILURES_PER_NUMBER`` wrong
codes within a day lock code look-ups of that number until the day is over (counted for any
number typed, existing or not, so the lock reveals nothing). A new code sent to the reporter's
own contact lifts the lock, so a stranger who knows a public tracking number cannot lock its
reporter out for long; a reporter with an account needs no code at all.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from complaints.actors import Actor, reporter_actor
from complaints.models import Complaint, Rating, Reporter, Status
from complaints.services.reports import (
    TRACKING_ALPHABET,
    access_code_hash,
    access_code_matches,
    access_code_stash,
    aware_now,
    check_scope,
    complaint_lock,
    event_write,
    new_access_code,
    normalise_phone,
)
from complaints.workflow import Action, TransitionError
from disposition.models import Role

__all__ = [
    "RATING_COMMENT_MAX_LENGTH",
    "TRACKING_FAILURES_PER_NUMBER",
    "RESENDS_PER_NUMBER",
    "TRACKING_MISMATCH_MESSAGE",
    "TRACKING_LOCKED_MESSAGE",
    "tracking_number_normalise",
    "access_code_normalise",
    "contact_normalise",
    "tracking_number_locked",
    "tracking_access_check",
    "access_code_resend",
    "rating_submit",
]


RATING_COMMENT_MAX_LENGTH = 2000
# Wrong access codes per tracking number before code look-ups of that number are locked, and
# for how long the count runs (from the first failure).
TRACKING_FAILURES_PER_NUMBER = getattr(settings, "TRACKING_FAILURES_PER_NUMBER", 10)
TRACKING_FAILURE_WINDOW_SECONDS = 24 * 3600
# New codes sent per tracking number per day: each one is a message to the reporter's phone or
# mailbox, so a stranger must not be able to flood them.
RESENDS_PER_NUMBER = getattr(settings, "ACCESS_CODE_RESENDS_PER_NUMBER", 3)
RESEND_WINDOW_SECONDS = 24 * 3600

TRACKING_MISMATCH_MESSAGE = gettext_lazy(
    "Nomor pelacakan atau kode akses tidak cocok. Periksa kembali keduanya (huruf besar atau "
    "kecil tidak berpengaruh)."
)
TRACKING_LOCKED_MESSAGE = gettext_lazy(
    "Terlalu banyak kode akses yang salah untuk nomor pelacakan ini. Demi keamanan, pelacakan "
    "nomor ini dengan kode akses dikunci selama 24 jam. Jika Anda pelapornya, minta kode akses "
    "baru: kode baru langsung membuka kunci ini."
)

# Crockford's reading of what people type: O is zero, I and L are one.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def _compact(raw: str) -> str:
    return _SEPARATORS.sub("", (raw or "").strip().upper())


def tracking_number_normalise(raw: str) -> str:
    """The tracking number as stored, from what a person typed.

    Case, spaces, dashes and dots do not matter, and O/I/L read as 0/1/1 in the random part:
    ``kds 4f7k 9m2q`` and ``KDS4F7K9M2Q`` are ``KDS-4F7K-9M2Q``. Anything that does not look
    like one of our numbers comes back compacted and upper-cased (it will match nothing).
    """
    compact = _compact(raw)
    prefix = _compact(settings.TRACKING_PREFIX)
    if compact.startswith(prefix):
        body = compact[len(prefix) :].translate(_CONFUSABLE)
        if len(body) == 8 and all(ch in TRACKING_ALPHABET for ch in body):
            return f"{settings.TRACKING_PREFIX}-{body[:4]}-{body[4:]}"
    return compact[:40]


def access_code_normalise(raw: str) -> str:
    """The access code without separators, upper-cased, with O/I/L read as 0/1/1."""
    return _compact(raw).translate(_CONFUSABLE)[:40]


def contact_normalise(raw: str) -> tuple[str, str]:
    """("email", address) or ("phone", E.164) from what a person typed, or ValidationError."""
    raw = (raw or "").strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(gettext("Alamat e-mail tidak valid."), code="email") from None
        return "email", raw.lower()
    try:
        phone = normalise_phone(raw)
    except ValidationError:
        phone = ""
    if not phone:
        raise ValidationError(
            gettext(
                "Masukkan nomor telepon (mis. 0812…) atau alamat e-mail yang Anda cantumkan saat "
                "melapor."
            ),
            code="contact",
        )
    return "phone", phone


# --- Counters in the cache ------------------------------------------------------------------


def _key(kind: str, number: str) -> str:
    # Hashed: what a visitor typed never becomes part of a cache key as it is.
    digest = hashlib.sha256(number.encode()).hexdigest()[:32]
    return f"tracking:{kind}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _increment(key: str, window: int) -> int:
    # add() starts a fixed window at the first event; incr() is atomic on Redis.
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def tracking_number_locked(tracking_number: str) -> bool:
    """Whether code look-ups of this (normalised) number are locked after too many failures."""
    return _count(_key("failures", tracking_number)) >= TRACKING_FAILURES_PER_NUMBER


def tracking_access_check(*, tracking_number: str, access_code: str) -> Complaint:
    """The report if ``access_code`` opens ``tracking_number``; else ValidationError.

    One message for a wrong code and for a number that does not exist (code ``mismatch``),
    so the answer never tells whether a number exists; code ``locked`` once the number has
    had too many wrong codes today (see the module docstring). Every failure counts.
    """
    number = tracking_number_normalise(tracking_number)
    if tracking_number_locked(number):
        raise ValidationError(TRACKING_LOCKED_MESSAGE, code="locked")
    complaint = (
        Complaint.objects.filter(tracking_number=number)
        .only("pk", "tracking_number", "access_code_hash")
        .first()
    )
    if complaint is not None and access_code_matches(complaint, access_code):
        return complaint
    if complaint is None:
        # The same work as a real comparison, so timing does not tell either.
        hmac.compare_digest(access_code_hash(number, access_code), "0" * 64)
    _increment(_key("failures", number), TRACKING_FAILURE_WINDOW_SECONDS)
    raise ValidationError(TRACKING_MISMATCH_MESSAGE, code="mismatch")


def access_code_resend(*, tracking_number: str, contact: str, now: datetime | None = None) -> bool:
    """Issue a new access code if ``contact`` is the phone or e-mail given with the report.

    The new code replaces the old one (only its hash is stored), is sent to that contact by
    the notification of an ``access_code_resent`` event (which records neither the code nor
    the contact, only whether it went by e-mail or SMS), and lifts the wrong-code lock of the
    number. Returns whether a code was sent; the caller must answer the visitor the same
    either way, so the page tells nobody whether a number exists or whose contact it has.
    Nothing is sent for an anonymised reporter, or beyond ``RESENDS_PER_NUMBER`` a day.
    """
    now = aware_now(now)
    number = tracking_number_normalise(tracking_number)
    try:
        channel, value = contact_normalise(contact)
    except ValidationError:
        return False
    if _count(_key("resends", number)) >= RESENDS_PER_NUMBER:
        return False
    reporter = (
        Reporter.objects.filter(complaint__tracking_number=number, anonymised_at__isnull=True)
        .only("complaint_id", "email", "phone")
        .first()
    )
    if reporter is None:
        return False
    on_record = reporter.email.lower() if channel == "email" else reporter.phone
    if not on_record or not hmac.compare_digest(on_record.encode(), value.encode()):
        return False
    code = new_access_code()
    with transaction.atomic():
        complaint = complaint_lock(reporter.complaint_id)
        complaint.access_code_hash = access_code_hash(complaint.tracking_number, code)
        complaint.save(update_fields=["access_code_hash", "updated_at"])
        event = event_write(
            complaint=complaint,
            action=Action.ACCESS_CODE_RESENT,
            actor=reporter_actor(complaint_id=complaint.pk),
            now=now,
            data={"channel": "email" if channel == "email" else "sms"},
            notify=True,
        )
        access_code_stash(event=event, access_code=code)
    _increment(_key("resends", number), RESEND_WINDOW_SECONDS)
    cache.delete(_key("failures", number))
    return True


# --- Rating ---------------------------------------------------------------------------------


def rating_submit(
    *,
    complaint: Complaint,
    actor: Actor,
    score: int,
    comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """The reporter rates the outcome of their finished (or closed) report, 1–5, once.

    ValidationError for a score outside 1–5 or a comment too long; TransitionError when the
    actor is not this report's reporter, the report is not finished or closed yet, or it was
    rated already. Writes a ``rate`` event (the comment as its reason).
    """
    now = aware_now(now)
    errors = {}
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        errors["score"] = [gettext("Pilih nilai 1 sampai 5.")]
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX_LENGTH:
        errors["comment"] = [
            gettext("Komentar maksimal %(max)d karakter.") % {"max": RATING_COMMENT_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    if actor.role != Role.REPORTER:
        raise TransitionError(
            gettext("Hanya pelapor yang dapat menilai penanganan laporannya."),
            code="forbidden_role",
        )
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        check_scope(complaint, actor)
        if complaint.status not in (Status.FINISHED, Status.CLOSED):
            raise TransitionError(
                gettext("Penilaian dapat diberikan setelah laporan selesai ditindaklanjuti."),
                code="invalid_status",
            )
        if Rating.objects.filter(complaint=complaint).exists():
            raise TransitionError(gettext("Laporan ini sudah Anda nilai."), code="already_rated")
        rating = Rating.objects.create(
            complaint=complaint, score=score, comment=comment, created_at=now
        )
        event_write(
            complaint=complaint,
            action=Action.RATE,
            actor=actor,
            now=now,
            reason=comment,
            data={"score": score},
        )
    return rating
