"""The aim reads as one English sentence whatever the person typed in each part."""

from datetime import date

import pytest

from shiftpractice.projects.models import ChangeProject


@pytest.mark.parametrize(
    ("how_much", "for_whom", "expected"),
    [
        ("30%", "patients on ward 7", "Cut waste for patients on ward 7 by 30% by 31 December 2021"),
        ("by 30% by weight", "", "Cut waste by 30% by weight by 31 December 2021"),
        ("from about 20% to 50%", "", "Cut waste from about 20% to 50% by 31 December 2021"),
        ("half", "for the night team.", "Cut waste for the night team by half by 31 December 2021"),
        ("", "in  the   acute ward", "Cut waste in the acute ward by 31 December 2021"),
    ],
)
def test_the_aim_sentence_never_doubles_a_joining_word(how_much, for_whom, expected):
    project = ChangeProject(
        aim_what="Cut waste.", aim_for_whom=for_whom, aim_how_much=how_much, aim_by_when=date(2021, 12, 31)
    )
    assert project.aim_statement == expected
