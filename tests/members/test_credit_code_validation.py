import pytest
from django.core.exceptions import ValidationError

from members.validators import credit_check_char, normalize_credit_code


def test_a_published_credit_code_is_valid():
    # 91330000MA27U0XY9W? Use a code whose check we compute, plus a real-world published one.
    assert normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_lower_case_is_normalised():
    first17 = "91330502MA2B3C4D5"
    code = first17 + credit_check_char(first17)
    assert normalize_credit_code(code.lower()) == code


def test_a_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalize_credit_code("91350100M000100Y44")
    assert exc.value.code == "check_digit"
    assert "应为3" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "code"), [("9135010", "length"), ("91350100M000100YO3", "characters")]
)
def test_malformed_codes_are_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalize_credit_code(raw)
    assert exc.value.code == code
