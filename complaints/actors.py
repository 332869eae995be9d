"""Who is acting: the one value every service takes to decide what may be done and seen."""

from __future__ import annotations

from dataclasses import dataclass

from disposition.models import Role, StaffRole


@dataclass(frozen=True)
class Actor:
    """A user in a role, a reporter, the system (beat tasks) or LAPOR! (the sync).

    ``opd_id`` is set for OPD roles. ``complaint_id`` is set for a reporter who proved access
    with a tracking number and access code instead of an account.
    """

    role: Role
    user: object | None = None
    opd_id: int | None = None
    complaint_id: int | None = None

    @property
    def is_staff_role(self) -> bool:
        return self.role in (Role.ADMIN_KABUPATEN, Role.PEJABAT_PENGHUBUNG, Role.ADMIN_OPD)

    @property
    def is_opd_role(self) -> bool:
        return self.role in (Role.PEJABAT_PENGHUBUNG, Role.ADMIN_OPD)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None


SYSTEM = Actor(role=Role.SYSTEM)
LAPOR = Actor(role=Role.LAPOR)


def actor_for_user(user) -> Actor | None:
    """The staff actor of a logged-in user, or None for a citizen or an anonymous visitor.

    A superuser without a staff role acts as Admin Kabupaten. A revoked role (or an
    inactive account) gives no staff rights.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        staff_role = user.staff_role
    except StaffRole.DoesNotExist:
        staff_role = None
    if staff_role is not None and staff_role.is_active:
        return Actor(role=Role(staff_role.role), user=user, opd_id=staff_role.opd_id)
    if user.is_superuser:
        return Actor(role=Role.ADMIN_KABUPATEN, user=user)
    return None


def reporter_actor(*, user=None, complaint_id: int | None = None) -> Actor:
    """A reporter acting through their account (``user``) or an access code (``complaint_id``).

    With neither, a visitor filing a new report without an account: the scope check lets such
    an actor act on no existing report.
    """
    return Actor(role=Role.REPORTER, user=user, complaint_id=complaint_id)
