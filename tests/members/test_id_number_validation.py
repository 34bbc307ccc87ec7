import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.validators import id_check_char, mask_id_number, parse_id_number

# A textbook-valid number (check digit computed by GB 11643-1999).
FIRST17 = "33050219900517123"
VALID = FIRST17 + id_check_char(FIRST17)


def test_a_valid_number_gives_birth_date_and_gender():
    facts = parse_id_number(VALID)
    assert facts.number == VALID
    assert facts.birth_date == dt.date(1990, 5, 17)
    assert facts.gender == "M"  # the 17th digit, 3, is odd


def test_an_even_17th_digit_means_female():
    first17 = "33050219900517122"
    assert parse_id_number(first17 + id_check_char(first17)).gender == "F"


def test_a_lower_case_x_is_accepted_and_stored_upper_case():
    first17 = next(
        f"33050219850101{n:03d}"
        for n in range(1000)
        if id_check_char(f"33050219850101{n:03d}") == "X"
    )
    assert parse_id_number(first17 + "x").number == first17 + "X"


def test_known_check_digit_example():
    # The example of GB 11643-1999 itself: 11010519491231002X.
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


def test_a_wrong_check_digit_is_refused_with_the_expected_digit():
    wrong = FIRST17 + ("0" if VALID[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        parse_id_number(wrong)
    assert exc.value.code == "check_digit"
    assert f"最后一位应为{VALID[-1]}" in exc.value.messages[0]


@pytest.mark.parametrize("birth", ["19900230", "19901301", "20991231", "18991231"])
def test_an_impossible_birth_date_is_refused(birth):
    first17 = f"330502{birth}123"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(first17 + id_check_char(first17))
    assert exc.value.code == "birth_date"


def test_a_15_digit_legacy_number_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as exc:
        parse_id_number("330502900517123")
    assert exc.value.code == "legacy"
    assert "15位旧身份证号码" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("3305021990051712", "length"),
        ("33050219900517123A", "characters"),
        ("99050219900517123X", "region"),
    ],
)
def test_malformed_numbers_are_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


def test_masking_keeps_region_and_last_four_only():
    assert mask_id_number("33050219900517123X") == "330502********123X"
