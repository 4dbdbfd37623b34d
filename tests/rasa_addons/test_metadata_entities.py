"""The gateway's language form in the metadata becomes a `language` entity; anything else adds nothing."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.metadata_entities import MetadataEntityExtractor


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "bn_latn"}, ["bn_latn"]),
        ({"language": "bn-latn"}, ["bn_latn"]),
        ({"language": "xx"}, []),
        ({}, []),
    ],
)
def test_the_language_form_of_the_metadata_becomes_an_entity(metadata, expected):
    message = Message(
        data={"text": "hello", "metadata": metadata, "entities": [{"entity": "country", "value": "qatar"}]}
    )
    [processed] = MetadataEntityExtractor().process([message])
    entities = processed.get("entities")
    assert [entity["value"] for entity in entities if entity["entity"] == "language"] == expected
    assert {"entity": "country", "value": "qatar"} in entities


def test_a_message_without_metadata_is_left_alone():
    [processed] = MetadataEntityExtractor().process([Message(data={"text": "hello"})])
    assert not processed.get("entities")
