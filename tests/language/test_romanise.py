"""Bengali script romanised the way people text, so both forms share character n-grams."""

import pytest

from bot.language.romanise import romanise


@pytest.mark.parametrize(
    ("bengali", "latin"),
    [("টাকা", "taka"), ("ভাই", "vai"), ("বেতন", "beton"), ("লাগবে", "lagbe"), ("করবো", "korbo"), ("কিভাবে", "kivabe"),
     ("দালাল", "dalal"), ("পড়ে", "pore"), ("ধন্যবাদ", "dhonbad"), ("১২৩৪", "1234"), ("visa", "visa"), ("", "")],
)  # fmt: skip
def test_romanise(bengali, latin):
    assert romanise(bengali) == latin
