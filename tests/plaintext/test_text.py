"""Names and titles lose control and direction-changing characters; notes keep their lines."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from plaintext.fields import NameField, NotesField
from plaintext.text import clean_line, clean_multiline


def test_right_to_left_overrides_and_controls_are_removed_from_a_line():
    assert clean_line(" Maths \u202eKS2\u202c lead\u200f\x00\x1b\x85 ") == "Maths KS2 lead"


def test_isolates_and_marks_are_removed_too():
    assert clean_line("a\u2066b\u2067c\u2068d\u2069e\u200ef\u061c") == "abcdef"


def test_notes_keep_newlines_and_tabs_but_lose_the_rest():
    assert clean_multiline("One\r\ntwo\u202e\n\tthree\x07") == "One\ntwo\n\tthree"


def test_a_name_field_cleans_when_the_model_is_validated():
    field = NameField(max_length=20)

    assert field.clean("Acme \u202eAcademy", None) == "Acme Academy"


def test_a_name_too_long_is_refused_in_the_gov_uk_style():
    field = NameField("title", max_length=5)

    with pytest.raises(ValidationError) as refused:
        field.clean("abcdefg", None)

    assert refused.value.messages == ["Title must be 5 characters or fewer"]


def test_notes_are_bounded_at_5000_characters_unless_a_field_says_otherwise():
    field = NotesField("notes")

    with pytest.raises(ValidationError) as refused:
        field.clean("x" * 1_000_000, None)

    assert refused.value.messages == ["Notes must be 5,000 characters or fewer"]
    assert field.clean("x" * 5000, None) == "x" * 5000


@pytest.mark.django_db
def test_an_organisation_saved_through_full_clean_has_a_clean_name():
    organisation = Organisation(kind="national_body", name="Syslead \u202enoitaN")
    organisation.full_clean()

    assert organisation.name == "Syslead noitaN"
