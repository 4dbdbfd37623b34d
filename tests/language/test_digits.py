"""One digit system per text: Bengali digits in Bengali script, Latin digits in English and romanised Bengali."""

import pytest

from bot.language.forms import latin_digits, localise_digits


@pytest.mark.parametrize(
    ("text", "form", "expected"),
    [
        ("হটলাইন +880 9610102030", "bn", "হটলাইন +৮৮০ ৯৬১০১০২০৩০"),
        ("RL-1024, মেয়াদ 30/06/2027", "bn", "RL-১০২৪, মেয়াদ ৩০/০৬/২০২৭"),
        ("১,৬৫,০০০ টাকা (2016)", "bn", "১,৬৫,০০০ টাকা (২০১৬)"),
        ("Tk 1,65,000 (২০১৬)", "en", "Tk 1,65,000 (2016)"),
        ("RL ১০২৪ ki thik?", "bn_latn", "RL 1024 ki thik?"),
        ("no digits at all", None, "no digits at all"),
    ],
)
def test_every_digit_is_written_the_way_the_form_writes_it(text, form, expected):
    assert localise_digits(text, form) == expected


def test_bengali_digits_read_back_as_latin_digits():
    assert latin_digits(localise_digits("+880 9610102030", "bn")) == "+880 9610102030"
