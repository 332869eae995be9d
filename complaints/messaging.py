"""SMS / WhatsApp to reporters through a small gateway interface.

The same shape as Django's e-mail backends: ``settings.SMS_BACKEND`` names a class by dotted
path, ``get_sms_backend()`` builds it, and every backend has one method, ``send(to_e164,
text)``. A provider (an SMS aggregator, the WhatsApp Business API) is plugged in by writing
one subclass in its own module and naming it in the setting; nothing else changes.

- ``LoggingSmsBackend`` (the default): writes the message to the log, for development and
  for a regency that has not contracted a provider yet;
- ``LocmemSmsBackend``: keeps messages in ``LocmemSmsBackend.outbox`` (tests).

A backend raises on failure; the caller (``complaints.notifications``) leaves the event
pending, so the outbox sweep tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# One GSM-7 SMS segment. Messages are written to fit in one, so a reporter pays nothing extra
# and a provider bills one message.
SMS_MAX_LENGTH = 160


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class SmsBackend:
    """Base class of SMS/WhatsApp gateways. Subclasses implement ``send``."""

    def send(self, to_e164: str, text: str) -> None:
        """Deliver ``text`` to the phone number ``to_e164`` (+62…); raise on failure."""
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Writes each message to the log instead of sending it (the default)."""

    def send(self, to_e164: str, text: str) -> None:
        # Only the last digits of the number: logs are read by more people than the reporter
        # table is.
        logger.info("SMS to …%s: %s", to_e164[-4:], text)


class LocmemSmsBackend(SmsBackend):
    """Keeps messages in memory, like Django's locmem e-mail backend (tests)."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, to_e164: str, text: str) -> None:
        type(self).outbox.append(SmsMessage(to=to_e164, text=text))


def get_sms_backend(path: str | None = None) -> SmsBackend:
    """An instance of the backend named by ``path`` or ``settings.SMS_BACKEND``."""
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(to_e164: str, text: str) -> None:
    """Send one SMS through the configured backend."""
    if len(text) > SMS_MAX_LENGTH:
        raise ValueError(f"SMS longer than {SMS_MAX_LENGTH} characters ({len(text)}).")
    get_sms_backend().send(to_e164, text)
