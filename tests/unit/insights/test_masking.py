"""Contact details in message texts are masked; ordinary numbers are not."""

import pytest

from insights.masking import mask, short_hash


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123",  # UK mobile
        "07700900123",
        "020 7946 0958",  # UK landline
        "+44 7700 900123",
        "+44 (0)20 7946 0958",
        "0044 20 7946 0958",
        "(555) 123-4567",  # US
        "555-123-4567",
        "555.123.4567",
        "+1 555 123 4567",
        "+1-555-123-4567",
        "+33 1 23 45 67 89",  # France
        "+49 30 123456",  # Germany
        "+91 98765 43210",  # India
    ],
)
def test_phone_numbers_are_masked(text):
    assert mask(f"call me on {text} tomorrow") == "call me on [phone] tomorrow"


@pytest.mark.parametrize(
    "text", ["jane.doe@example.com", "j+dystonia@mail.example.co.uk", "A_B-c@sub.domain.org"]
)
def test_email_addresses_are_masked(text):
    assert mask(f"write to {text}, thanks") == "write to [email], thanks"


@pytest.mark.parametrize(
    "text",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "EC1A 1BB", "cr2 6xh", "DN551PT", "90210", "10001-1234"],
)
def test_postcodes_and_zip_codes_are_masked(text):
    assert mask(f"I live near {text}.") == "I live near [postcode]."


@pytest.mark.parametrize(
    "text",
    [
        "I was diagnosed 5 years ago",
        "it started in 1986",
        "I take 20 mg twice a day",
        "my pain is 7 out of 10",
        "on 2026-11-26 it got worse",
        "I'm 45 and have had it for 12 years",
        "about 3.5 hours after the injection",
        "1 in 100,000 people",
        "can I take 2 tablets?",
        "is dystonia hereditary?",
        "I had 300 units of botox",
    ],
)
def test_ordinary_text_and_numbers_are_left_alone(text):
    assert mask(text) == text


def test_several_details_in_one_message():
    text = "I'm in SW1A 1AA, 07700 900123 or jo@example.org"
    assert mask(text) == "I'm in [postcode], [phone] or [email]"


def test_senders_are_shown_as_a_short_stable_hash():
    assert short_hash("27cdf9a669264b29a4b9e192ad45b1cb") == short_hash(
        "27cdf9a669264b29a4b9e192ad45b1cb"
    )
    assert len(short_hash("someone")) == 8
    assert short_hash("someone") != short_hash("someone else")
    assert "someone" not in short_hash("someone")
