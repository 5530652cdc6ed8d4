"""Masks what looks like contact details in message texts before anyone sees them.

People type phone numbers, email addresses and postcodes into a health chat even when asked
not to. The report and its JSON never show them: each is replaced by a placeholder. The rules
err on the side of masking (any 9 to 15 digits written as one number is a phone number), but
leave ordinary numbers alone ("5 years", "1986", "20 mg", a date like 2026-11-26).
"""

import hashlib
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 9 to 15 digits, optionally after "+", with spaces, dots, dashes or brackets between groups:
# UK (07700 900123, 020 7946 0958, +44 7700 900123), US ((555) 123-4567, +1 555 123 4567) and
# international (+33 1 23 45 67 89) numbers.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d(?:[\s.()-]{0,3}\d){8,14}(?!\w)")
# UK postcodes: SW1A 1AA, M1 1AE, EC1A 1BB, b33 8th (people type them in lower case).
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# US ZIP codes: 90210, and ZIP+4 (10001-1234, masked before it could pass for a phone number).
US_ZIP_PLUS_4 = re.compile(r"(?<![\w.,-])\d{5}-\d{4}(?![\w.,-]?\d)")
US_ZIP = re.compile(r"(?<![\w.,-])\d{5}(?![\w.,-]?\d)")

PLACEHOLDERS = (
    (EMAIL, "[email]"),
    (US_ZIP_PLUS_4, "[postcode]"),
    (PHONE, "[phone]"),
    (UK_POSTCODE, "[postcode]"),
    (US_ZIP, "[postcode]"),
)


def mask(text: str) -> str:
    """The text with email addresses, phone numbers and postcodes replaced by placeholders."""
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return text


def short_hash(sender_id: str) -> str:
    """What is shown instead of a sender id: the first 8 hex digits of its SHA-256."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8]
