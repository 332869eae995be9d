"""Citizens log in with the e-mail address or the phone number they registered with."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from complaints.services.reports import normalise_phone


class EmailOrPhoneBackend(ModelBackend):
    """Authenticate ``username`` as an e-mail address (case-insensitive) or a phone number in
    any form the intake accepts (08…, 62…, +62…). Staff log in by username (ModelBackend)."""

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

    def _find(self, login: str):
        User = get_user_model()
        if "@" in login:
            return User.objects.filter(email__iexact=login, citizen_profile__isnull=False).first()
        try:
            phone = normalise_phone(login)
        except ValidationError:
            return None
        return User.objects.filter(citizen_profile__phone=phone).first() if phone else None
