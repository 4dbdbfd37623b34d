"""LANG commands: every spelling people use picks its form; nothing else does, however long."""

import pytest

from bot.messaging.keywords import language_choice


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("LANG EN", "en"),
        ("lang bn", "bn"),
        ("LANG BN-LATN", "bn_latn"),
        ("lang:bn_latn", "bn_latn"),
        ("language bn latn!", "bn_latn"),
        ("  Lang  EN. ", "en"),
    ],
)
def test_every_spelling_of_the_command_picks_its_form(text, form):
    assert language_choice(text) == form


@pytest.mark.parametrize(
    "text", ["lang fr", "language", "my language is bn", "lang en please", "lang" + " " * 5000 + "bn" + " " * 5000]
)
def test_anything_else_is_not_a_command(text):
    assert language_choice(text) is None
