"""An NLU component that turns the gateway's message metadata into entities, so slots fill without an action call.

The gateway knows the language form of every message (bot/language/forms.py) and sends it as metadata. A custom
slot mapping would ask the action server on every turn (`action_validate_slot_mappings`: a round trip with the whole
tracker); an entity fills the `language` slot by a `from_entity` mapping inside Rasa. Intent payloads ("/ask_menu")
carry the form in their entities instead (bot.messaging.conversations), because Rasa replaces the entities of a
message that starts with "/".
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.language.forms import normalise_form

LANGUAGE = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MetadataEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a `language` entity from the message's metadata when it names a known language form."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MetadataEntityExtractor:
        """Create the component (it has nothing to train or load)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Append the language entity to every message whose metadata holds a language form."""
        for message in messages:
            form = normalise_form((message.get("metadata") or {}).get(LANGUAGE))
            if form:
                entity = {"entity": LANGUAGE, "value": form, "start": 0, "end": 0, "extractor": self.name}
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
