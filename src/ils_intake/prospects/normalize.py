"""Parsing and normalisation of the values a prospect is matched on.

Each parser is cached: validation and the service both ask for the same value, and a vendor's
retries repeat the same strings, so the libraries run once per distinct input.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PHONE_CHARS = re.compile(r"\+?[0-9 ().\-]{7,31}")
# C0 and C1 controls, DEL, and lone surrogates (they cannot be stored as UTF-8)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# the same but for tab, newline and carriage return, which a free-text message may hold
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

EMAIL_MAX = 254
MIN_MOVE_IN_YEAR, MAX_MOVE_IN_YEAR = 2000, 2100


def has_control(value: str, *, allow_line_breaks: bool = False) -> bool:
    pattern = _CONTROL_IN_TEXT if allow_line_breaks else _CONTROL
    return pattern.search(value) is not None


@lru_cache(maxsize=8192)
def phone_e164(value: str) -> str | None:
    """E.164 form of a possible phone number: 10-digit NANP in any punctuation, or +E.164.

    Area codes are not checked for validity (the seed's own example uses 555); only the shape.
    """
    text = value.strip()
    if not _PHONE_CHARS.fullmatch(text):
        return None
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


@lru_cache(maxsize=8192)
def email_key(value: str) -> str | None:
    """The matching key of a syntactically valid address (trimmed, lower-cased), else None."""
    text = value.strip()
    if not text or len(text) > EMAIL_MAX or has_control(text):
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return text.lower()


def calendar_date(value: str) -> date | None:
    """A real calendar date written exactly YYYY-MM-DD within the accepted years, else None."""
    if not _DATE.fullmatch(value):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if MIN_MOVE_IN_YEAR <= parsed.year <= MAX_MOVE_IN_YEAR else None
