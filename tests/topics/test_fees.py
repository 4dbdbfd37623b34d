"""Fee ceilings from the dated content file."""

import pytest

from bot.topics.fees import ceiling_for, load_ceilings


@pytest.mark.parametrize(
    ("country", "text"),
    [("saudi_arabia", "1,65,000"), ("malaysia", "78,990"), ("singapore", "2,62,200"), ("bahrain", "97,780")],
)
def test_ceilings_are_written_the_bangladeshi_way(country, text):
    assert ceiling_for(country).ceiling_text == text


def test_old_figures_are_marked_stale_and_current_ones_not():
    assert ceiling_for("uae").stale
    assert not ceiling_for("malaysia").stale
    assert ceiling_for("saudi_arabia").women_domestic_workers_free
    assert not ceiling_for("malaysia").women_domestic_workers_free


@pytest.mark.parametrize("country", [None, "", "narnia", "italy"])
def test_unknown_country_has_no_ceiling(country):
    assert ceiling_for(country) is None


def test_every_entry_is_complete():
    for ceiling in load_ceilings().values():
        assert ceiling.ceiling_bdt > 10000 and 2010 < ceiling.since < 2030 and ceiling.name
