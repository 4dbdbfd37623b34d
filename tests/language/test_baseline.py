"""The plain TF-IDF baseline: it learns from examples, and its character n-grams carry it over misspellings."""

from bot.language.baseline import tfidf_logistic_regression

TEXTS = ["passport lost", "my passport expired", "passport renew", "visa for saudi", "saudi visa check", "work visa"]
LABELS = ["passport", "passport", "passport", "visa", "visa", "visa"]


def test_it_predicts_the_label_of_words_it_has_seen():
    model = tfidf_logistic_regression().fit(TEXTS, LABELS)
    assert list(model.predict(["lost my passport", "check my visa"])) == ["passport", "visa"]


def test_character_ngrams_recognise_a_misspelt_word_that_words_alone_cannot():
    with_characters = tfidf_logistic_regression().fit(TEXTS, LABELS)
    words_only = tfidf_logistic_regression(char_ngrams=None).fit(TEXTS, LABELS)
    assert with_characters.predict_proba(["pasport"])[0].max() > 0.55
    assert with_characters.predict(["pasport"])[0] == "passport"
    # No known word: the words-only model has nothing to go on but its intercept.
    assert abs(words_only.predict_proba(["pasport"])[0].max() - 0.5) < 0.01
