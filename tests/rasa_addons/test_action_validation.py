"""The prebuilt validator of action-server responses accepts what Rasa's check accepts and refuses what it refuses."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from rasa_addons import action_validation

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "bn"}], "responses": [{"response": "utter_menu"}]},
]
MALFORMED = [
    {"events": [{"event": "slot_set_typo"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [{"name": "an event without its type"}], "responses": []},
]


def test_the_patch_is_installed_when_rasa_addons_is_imported():
    assert RemoteAction._validate_action_result is action_validation.validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_as_with_rasas_own_check(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


@pytest.mark.parametrize("result", MALFORMED)
def test_malformed_responses_are_still_refused(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(result)


def test_the_setting_false_keeps_rasas_check(monkeypatch):
    original = RemoteAction._validate_action_result
    monkeypatch.setenv(action_validation.SETTING, "false")
    assert action_validation.install() is False
    assert RemoteAction._validate_action_result is original
