"""The complaint life cycle as data: who may move a report (or a disposition) from where to where.

DOMAIN.md §3. Every status change in the product goes through
``complaints.services.complaint_transition`` (or ``disposition.services`` for a disposition),
which looks the move up here. To add a move, add a row; to let a role take an existing move, add
it to the row's roles. Nothing else needs to change for the check to apply everywhere: views,
API, admin, tasks and the LAPOR! sync all call the same services.

Scope beyond the role is checked by the service, not here: an OPD role may only act on
complaints dispositioned to its own OPD; a reporter only on their own report.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from complaints.models import Status
from disposition.models import DispositionStatus, Role

S = Status
D = DispositionStatus
AK = Role.ADMIN_KABUPATEN
PP = Role.PEJABAT_PENGHUBUNG
AO = Role.ADMIN_OPD
REP = Role.REPORTER
SYS = Role.SYSTEM
LAPOR = Role.LAPOR


class Action:
    """Names of the moves, also written as Event.action."""

    SUBMIT = "submit"
    RECEIVE_FROM_LAPOR = "receive_from_lapor"
    VERIFY = "verify"
    REQUEST_INFO = "request_info"
    PROVIDE_INFO = "provide_info"
    ARCHIVE = "archive"
    MARK_DUPLICATE = "mark_duplicate"
    DISPOSITION = "disposition"
    # The complaint's status follows its dispositions (see derive_status); this move records it.
    DISPOSITIONS_CHANGED = "dispositions_changed"
    OBJECT = "object"
    CLOSE = "close"
    ESCALATE = "escalate"
    LAPOR_STATUS = "lapor_status"
    # Disposition-level moves.
    ACCEPT = "accept"
    RETURN = "return"
    RESPOND_INITIAL = "respond_initial"
    RESPOND_FINAL = "respond_final"
    REOPEN_DISPOSITION = "reopen_disposition"
    # Events that change no status.
    ASSIGN = "assign"
    FOLLOW_UP = "follow_up"
    NOTE = "note"
    FLAGS_CHANGED = "flags_changed"
    ANONYMISE = "anonymise"
    # A citizen linked a report filed without an account to their account.
    ACCOUNT_LINKED = "account_linked"
    # The reporter rated the outcome.
    RATE = "rate"
    # A new access code was sent to the reporter's contact (the event holds neither).
    ACCESS_CODE_RESENT = "access_code_resent"
    CLOCK = "clock"
    LINK_LAPOR = "link_lapor"  # Admin Kabupaten linked a report to its LAPOR! tracking id


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset
    target: str
    roles: frozenset


def _t(action, sources, target, roles):
    return Transition(action, frozenset(sources), target, frozenset(roles))


# Where a report is being handled by OPDs: what an OPD or Admin Kabupaten may act on.
HANDLING = (S.DISPOSITIONED, S.RESPONDED, S.REOPENED)
# Before any OPD has it: what Admin Kabupaten still sorts.
SORTING = (S.RECEIVED, S.VERIFIED, S.RETURNED)
# Not yet finished for good: what LAPOR! may still archive or finish.
OPEN = (
    S.RECEIVED,
    S.WAITING_REPORTER,
    S.VERIFIED,
    S.DISPOSITIONED,
    S.RETURNED,
    S.RESPONDED,
    S.REOPENED,
    S.ESCALATED,
)

COMPLAINT_TRANSITIONS: tuple[Transition, ...] = (
    # A report enters. From the website, the app, Open311 or a staff member's entry it must be
    # verified; from LAPOR! it was verified by Admin Nasional already.
    _t(Action.SUBMIT, [None], S.RECEIVED, [REP, AK, SYS]),
    _t(Action.RECEIVE_FROM_LAPOR, [None], S.VERIFIED, [LAPOR]),
    _t(Action.VERIFY, [S.RECEIVED], S.VERIFIED, [AK]),
    # Asking the reporter pauses the report's clocks; the answer returns it where it was.
    _t(Action.REQUEST_INFO, [S.RECEIVED, S.VERIFIED, S.RETURNED], S.WAITING_REPORTER, [AK]),
    _t(Action.REQUEST_INFO, HANDLING, S.WAITING_REPORTER, [AK, AO, PP]),
    _t(Action.PROVIDE_INFO, [S.WAITING_REPORTER], None, [REP, AK]),
    _t(Action.ARCHIVE, [*SORTING, S.WAITING_REPORTER], S.ARCHIVED, [AK]),
    # The reporter did not answer in time (DOMAIN.md §4: then archived).
    _t(Action.ARCHIVE, [S.WAITING_REPORTER], S.ARCHIVED, [SYS]),
    _t(Action.MARK_DUPLICATE, [*SORTING, S.WAITING_REPORTER], S.DUPLICATE, [AK]),
    _t(Action.DISPOSITION, [S.VERIFIED], S.DISPOSITIONED, [AK]),
    # Re-dispositioning a returned report, or adding an OPD to one being handled: the status
    # follows from all its dispositions (derive_status).
    _t(Action.DISPOSITION, [S.RETURNED, *HANDLING], None, [AK]),
    _t(Action.DISPOSITIONS_CHANGED, [*HANDLING, S.RETURNED], None, [AO, PP]),
    _t(Action.OBJECT, [S.FINISHED], S.REOPENED, [REP]),
    _t(Action.CLOSE, [S.FINISHED], S.CLOSED, [SYS, AK]),
    _t(Action.ESCALATE, [S.VERIFIED, S.RETURNED, *HANDLING], S.ESCALATED, [AK]),
    # LAPOR! archived, rejected or finished a report on its side (Admin Nasional, or the
    # province after an escalation).
    _t(Action.LAPOR_STATUS, OPEN, S.ARCHIVED, [LAPOR]),
    _t(Action.LAPOR_STATUS, [S.ESCALATED], S.FINISHED, [LAPOR]),
    _t(Action.CLOSE, [S.ESCALATED], S.CLOSED, [SYS, AK]),
)

DISPOSITION_TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.ACCEPT, [D.WAITING], D.ACCEPTED, [AO, PP]),
    # Accept or return (DOMAIN.md §3.4): a misrouted report goes back, with a reason, instead
    # of being accepted. Once accepted, the OPD answers it (or asks Admin Kabupaten in a note).
    _t(Action.RETURN, [D.WAITING], D.RETURNED, [AO, PP]),
    _t(Action.RESPOND_INITIAL, [D.ACCEPTED], D.RESPONDED, [AO, PP]),
    _t(Action.RESPOND_FINAL, [D.RESPONDED], D.FINISHED, [AO, PP]),
    # The reporter objected: the OPD must answer again, on a new resolution clock.
    _t(Action.REOPEN_DISPOSITION, [D.FINISHED], D.RESPONDED, [REP]),
)

# OPD roles may act only on their own OPD's dispositions; Admin Kabupaten on all complaints.
OPD_ROLES = frozenset({AO, PP})


class TransitionError(Exception):
    """A move that is not allowed: wrong status, wrong role or another OPD's report.

    ``code`` is stable and machine-readable (the API returns it); the message is Indonesian.
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code
        self.message = message


def find_transition(table, *, action: str, source, role, target=None) -> Transition:
    """The row allowing ``role`` to take ``action`` from ``source``, or a TransitionError.

    ``target`` picks among rows of one action that lead to different statuses (LAPOR! may
    archive or finish an escalated report); rows with a derived target match any.
    """
    rows = [
        t for t in table if t.action == action and (target is None or t.target in (None, target))
    ]
    if not rows:
        raise TransitionError(
            gettext("Tindakan tidak dikenal: %(action)s.") % {"action": action},
            code="unknown_action",
        )
    from_source = [t for t in rows if source in t.source]
    if not from_source:
        statuses = DispositionStatus if table is DISPOSITION_TRANSITIONS else Status
        label = statuses(source).label if source is not None else gettext("baru")
        raise TransitionError(
            gettext("Tindakan ini tidak dapat dilakukan pada status “%(status)s”.")
            % {"status": label},
            code="invalid_status",
        )
    for t in from_source:
        if role in t.roles:
            return t
    raise TransitionError(
        gettext("Peran %(role)s tidak berwenang melakukan tindakan ini.")
        % {"role": Role(role).label},
        code="forbidden_role",
    )


def derive_status(current: str, dispositions) -> str:
    """The complaint status that follows from its dispositions (the multi-OPD rule).

    ``dispositions`` are all dispositions of the complaint (objects with ``status`` and
    ``is_lead``). Returned ones are history. Of the live ones:

    1. no live disposition, or no live lead  → RETURNED: Admin Kabupaten must re-disposition
       (the lead answers for the report, so a report without one goes back);
    2. every live disposition finished        → FINISHED;
    3. a reopened report stays REOPENED until (2) holds again;
    4. any live disposition responded         → RESPONDED;
    5. otherwise                              → DISPOSITIONED.

    So with two OPDs: the lead responded while the other returned it → RESPONDED (the return
    shows in Admin Kabupaten's queue of returned dispositions); the other finished while the
    lead has not → RESPONDED or DISPOSITIONED, by the lead's own progress.
    """
    live = [d for d in dispositions if d.status != D.RETURNED]
    if not live or not any(d.is_lead for d in live):
        return S.RETURNED
    if all(d.status == D.FINISHED for d in live):
        return S.FINISHED
    if current == S.REOPENED:
        return S.REOPENED
    if any(d.status in (D.RESPONDED, D.FINISHED) for d in live):
        return S.RESPONDED
    return S.DISPOSITIONED
