"""Segment counts on known vectors: GSM-7 basic and extension characters, UCS-2 Bengali and emoji."""

import pytest

from bot.messaging.sms import MORE_PROMPT, count_segments, is_gsm7, paginate


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


def test_a_short_reply_is_one_page():
    assert paginate("You should not pay for a job.", 3, "en") == ["You should not pay for a job."]


@pytest.mark.parametrize(
    ("sentence", "form", "budget"),
    [
        ("Never pay a dalal more than the limit. ", "en", 1),
        ("Get a receipt for every taka you pay! ", "en", 3),
        ("দালালকে সীমার বেশি টাকা দেবেন না। ", "bn", 2),
        ("Dalal ke beshi taka deben na. ", "bn_latn", 1),
    ],
)
def test_long_replies_are_cut_at_sentences_within_budget_and_nothing_is_lost(sentence, form, budget):
    text = sentence * 40
    pages = paginate(text, budget, form)
    assert len(pages) > 1
    assert all(count_segments(page).segments <= budget for page in pages)
    assert all(page.endswith(MORE_PROMPT[form]) for page in pages[:-1])
    assert not pages[-1].endswith(MORE_PROMPT[form])
    body = " ".join(page.removesuffix(MORE_PROMPT[form]).strip() for page in pages)
    assert body.split() == text.split()
    assert all(page.removesuffix(MORE_PROMPT[form]).strip()[-1] in ".!।" for page in pages)


def test_a_sentence_longer_than_a_page_is_cut_between_words():
    text = " ".join(["word"] * 200)
    pages = paginate(text, 1, "en")
    assert all(count_segments(page).segments == 1 for page in pages)
    assert " ".join(p.removesuffix("Reply MORE").strip() for p in pages).split() == text.split()


def test_line_breaks_are_page_boundaries():
    text = "\n".join(f"{n} A topic line that is fairly long to fill space quickly here" for n in range(1, 12))
    pages = paginate(text, 1, "en")
    assert all(count_segments(page).segments == 1 for page in pages)
