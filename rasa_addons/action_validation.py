"""Rasa 3.6 checks every action-server response with `jsonschema.validate`, which first checks the schema itself
against its meta-schema: about 19 ms per call on this machine, a third of a turn. `install()` replaces the check with
a validator built once for the same schema: the same responses pass, the same errors are raised (with Rasa's hint).

Installed when the Rasa server imports this package (rasa_addons/__init__.py: the NLU component of config.yml is
loaded with every model). RASA_FAST_ACTION_VALIDATION=false keeps Rasa's own check, for benchmarks.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

SETTING = "RASA_FAST_ACTION_VALIDATION"


@cache
def response_validator():
    """The validator of Rasa's action response schema, the schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result with the prebuilt validator."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action endpoint is "
        f"valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> bool:
    """Use the prebuilt validator unless the setting says false; True when installed."""
    if os.environ.get(SETTING, "true").lower() == "false":
        return False
    RemoteAction._validate_action_result = validate_action_result
    return True
