"""Rasa's check of the action server's answers, with the validator built once.

Rasa checks every answer of the action server against its response schema
(``RemoteAction._validate_action_result``) with ``jsonschema.validate(result, schema)``,
which on every call first validates the schema itself against the JSON-Schema meta-schema
and builds a new validator with a new reference resolver. Measured: 21 ms per custom action
on this machine, 44% of Rasa's CPU time per turn (`make profile`, docs/performance.md). The
same check through one validator built and checked once (jsonschema's own advice for
repeated validation) takes 2 ms.

Nothing else changes: the same schema (Rasa's ``action_response_format_spec``), the same
error jsonschema would pick (``best_match``), and Rasa's own message added to it. Installed
when Rasa imports this package (it loads intake_dialogue's policy with every model), so
`rasa run`, `rasa shell` and `rasa test` all use it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """One validator for Rasa's action-server response schema, the schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once."""
    error = jsonschema.exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    # Rasa's wording (rasa/core/actions/action.py), so logs read as before.
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
