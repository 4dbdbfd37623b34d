"""A Rasa featurizer that reads Bengali script as romanised Bengali, so both forms share one set of features.

People write the same words as "টাকা" and "taka", "বেতন" and "beton". With a plain count-vectors featurizer the
Bengali-script examples learn nothing from the romanised ones and the other way round; transliterating each token
first (roughly the way people text: ভাই -> vai, চাই -> chai, বেতন -> beton) lets the character n-grams overlap.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import TEXT

from bot.language.romanise import romanise


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class RomanisingCountVectorsFeaturizer(CountVectorsFeaturizer):
    """`CountVectorsFeaturizer` over message tokens romanised by `romanise` (other attributes are untouched)."""

    def _process_tokens(self, tokens: list[str], attribute: str = TEXT) -> list[str]:
        tokens = super()._process_tokens(tokens, attribute)
        if attribute != TEXT:
            return tokens
        return [romanise(token) for token in tokens]
