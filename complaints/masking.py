"""One function hides personal data in any text shown publicly, even if an admin missed it."""

import re

# An e-mail address.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A NIK: 16 digits, possibly grouped by spaces, dots or dashes.
_NIK = re.compile(r"(?<!\d)(?:\d[\s.-]?){15}\d(?!\d)")
# An Indonesian phone number: 08…, 62…, +62… or an area code (0291…), 9–15 digits in all,
# possibly grouped; with or without a leading +.
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)[\s.()-]*\d(?:[\s.()-]{0,2}\d){6,12}(?!\d)")
# What _PHONE also matches but is no phone number: a date written day first (01-02-2023,
# 01.02.2023, 08 12 2023: pairs of digits, the same separator twice, 8 digits at most, so never
# a valid phone number), a time range (08.00-16.00), or a date followed by a time.
_DATE = r"\d{1,2}([-. ])\d{1,2}\1\d{2,4}"
_TIME = r"\d{1,2}[.:]\d{2}"
_NOT_A_PHONE = re.compile(rf"{_DATE}(?:\s{_TIME})?|{_TIME}\s?-\s?{_TIME}")

MASK = "[disamarkan]"


def _mask_phone(match: re.Match) -> str:
    candidate = match.group()
    return candidate if _NOT_A_PHONE.fullmatch(candidate) else MASK


def mask_personal_data(text: str) -> str:
    """``text`` with what looks like an e-mail address, a NIK or a phone number replaced by
    ``[disamarkan]``. Used by every public page, feed and export; a false positive (a long
    number that is not personal) costs little, a miss costs a reporter's safety."""
    if not text:
        return text
    text = _EMAIL.sub(MASK, text)
    text = _NIK.sub(MASK, text)
    return _PHONE.sub(_mask_phone, text)
