"""Segment counts on known vectors: GSM-7 basic and extension characters, UCS-2 Bengali and emoji."""

import pytest

from bot.sms import count_segments, is_gsm7


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("{" * 81, "GSM-7", 162, 2),
        # 152 plain characters then an extension pair: the pair moves whole into segment two.
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 164, 2),
        ("Tk 1,65,000 @ £ ¥ è é", "GSM-7", 21, 1),
        ("আমার পাসপোর্ট", "UCS-2", 13, 1),
        ("আ" * 70, "UCS-2", 70, 1),
        ("আ" * 71, "UCS-2", 71, 2),
        ("আ" * 134, "UCS-2", 134, 2),
        ("আ" * 135, "UCS-2", 135, 3),
        ("ok 🙏", "UCS-2", 5, 1),
        ("a" * 66 + "🙏" + "a", "UCS-2", 69, 1),
        ("a" * 66 + "🙏" + "a" * 10, "UCS-2", 78, 2),
    ],
)
def test_known_vectors(text, encoding, units, segments):
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


@pytest.mark.parametrize("char", ["’", "“", "—", "…", "ç", "\u00a0"])
def test_typographic_characters_force_ucs2(char):
    assert not is_gsm7(f"It{char}s fine")
    assert count_segments("a" * 100 + char).segments == 2
