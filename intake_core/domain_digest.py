"""The domain sent to the action server once, not with every call: the digest and the words
both sides use (issue 18; docs/action-calls.md).

Rasa sends every action call with the whole domain (144 KB of JSON here). With this protocol
the call carries ``domain_digest``, a digest of the domain, and the domain itself only until the
action server has said that it holds that digest. Rasa's side is
``intake_dialogue/domain_once.py``, the action server's ``actions/known_domains.py``; this module
is what they must agree on, so that neither imports the other (Rasa's process does not load the
actions, the action server does not load Rasa).

The digest is taken over a canonical JSON text (keys sorted, no spaces, non-ASCII as is), so
the action server, which receives the domain as JSON and parses it, computes the same digest
from what it parsed as Rasa did from its own dict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# The call's field with the digest (beside rasa_sdk's "domain", "tracker", "next_action", ...).
DIGEST_FIELD = "domain_digest"
# The action server's answer to a call with a digest and no domain when it does not hold that
# domain (it restarted, or another action server behind a balancer took the call): 449 "Retry
# With" and this error, before any action runs. Rasa then sends the same call again, with the
# domain. 449 is nobody else's answer here (rasa_sdk answers 200, 400, 404 and 500).
DOMAIN_UNKNOWN_STATUS = 449
DOMAIN_UNKNOWN_ERROR = "domain_unknown"
# The answer to a call whose domain does not have the digest it came with: refused, not kept.
DIGEST_MISMATCH_STATUS = 422
DIGEST_MISMATCH_ERROR = "domain_digest_mismatch"
# The action server's answer header saying that it holds the domain of this digest. Rasa leaves
# the domain out of later calls only after an answer with it, so a plain rasa_sdk server, which
# ignores the digest and never sends this header, keeps getting the domain with every call.
HELD_HEADER = "Domain-Digest"


def canonical_json(domain: Mapping[str, Any]) -> bytes:
    """The domain as one JSON text whatever the order of its keys."""
    return json.dumps(domain, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def domain_digest(domain: Mapping[str, Any]) -> str:
    """The domain's digest: SHA-256 of its canonical JSON, in hex."""
    return hashlib.sha256(canonical_json(domain)).hexdigest()
