"""Citizens log in with the e-mail address or the phone number they registered with."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from complaints.services.citizens import citizen_accounts
from complaints.services.reports import normalise_phone


class EmailOrPhoneBackend(ModelBackend):
    """Authenticate ``username`` as an e-mail address (case-insensitive) or a phone number in
    any form the intake accepts (08…, 62…, +62…).

    Citizen accounts only: a user with a staff role (even a revoked one), ``is_staff`` or
    ``is_superuser`` is never found here, even if it also has a citizen profile. Staff log in
    by username (ModelBackend) at the back-office.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = self._find(username.strip())
        if user is None:
            # Spend the same time as a real check, so the response does not tell whether an
            # account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # A session opened through the citizen login ends at the next request once the account
        # gains staff rights: staff access never rides on a citizen session.
        user = citizen_accounts().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def _find(self, login: str):
        citizens = citizen_accounts()
        if "@" in login:
            return citizens.filter(email__iexact=login).first()
        try:
            phone = normalise_phone(login)
        except ValidationError:
            return None
        return citizens.filter(citizen_profile__phone=phone).first() if phone else None
