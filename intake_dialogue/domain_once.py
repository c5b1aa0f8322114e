"""Rasa's side of "the domain once, not with every call" (issue 18; docs/action-calls.md).

Rasa 3.6 sends the whole domain with every call to the action server (``RemoteAction``,
``domain.as_dict()``: 144 KB of JSON here, two or three calls per caller turn), and both sides
spend milliseconds a call turning it into JSON and back. Installed when Rasa imports this
package (it loads intake_dialogue's policy with every model):

- a call that carries the domain also carries ``domain_digest`` (intake_core/domain_digest.py),
  computed once per ``Domain`` object;
- the action endpoint is a ``DomainOnceEndpoint``: once the action server has answered a call
  with the ``Domain-Digest`` header (it holds that domain: actions/known_domains.py), later
  calls go without the domain. If it answers 449 ``domain_unknown`` (it restarted, or another
  action server took the call), the same call goes again once, with the domain; the action had
  not run. Any other answer is Rasa's as before.

A plain rasa_sdk server never sends the header, so it gets the domain with every call, as
without this. A deflated call (``COMPRESS_ACTION_SERVER_REQUEST``) always carries the domain:
rasa_sdk inflates it past the action server's middleware. The calls go through one kept-alive
session (``KeptAliveEndpoint``).
"""
from __future__ import annotations

import json
import logging
import weakref
from typing import TYPE_CHECKING, Any, Optional

from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from intake_core.domain_digest import (
    DIGEST_FIELD,
    DOMAIN_UNKNOWN_ERROR,
    DOMAIN_UNKNOWN_STATUS,
    HELD_HEADER,
    domain_digest,
)
from intake_dialogue.kept_alive_endpoint import KeptAliveEndpoint

if TYPE_CHECKING:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


class DomainDigests:
    """The digest of each ``Domain`` object, computed once.

    By the object's identity: a ``Domain`` hashes by its fingerprint, which costs about as much
    as the digest. An entry goes when its domain does, so an id is never taken for another's.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, str] = {}

    def of(self, domain: Domain) -> str:
        key = id(domain)
        digest = self._by_id.get(key)
        if digest is None:
            digest = self._by_id[key] = domain_digest(domain.as_dict())
            weakref.finalize(domain, self._by_id.pop, key, None)
        return digest


DIGESTS = DomainDigests()


def is_domain_unknown(error: ClientResponseError) -> bool:
    """The action server's answer that it does not hold the call's domain (status and error)."""
    if error.status != DOMAIN_UNKNOWN_STATUS:
        return False
    try:
        return json.loads(error.text).get("error") == DOMAIN_UNKNOWN_ERROR
    except (ValueError, TypeError, AttributeError):
        return False


class DomainOnceEndpoint(KeptAliveEndpoint):
    """The action endpoint, sending each domain until the action server says it holds it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held: set[str] = set()  # the digests the action server has said it holds

    async def request(
        self,
        method: str = "post",
        subpath: Optional[str] = None,
        content_type: Optional[str] = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Optional[Any]:
        call = kwargs.get("json")
        digest = call.get(DIGEST_FIELD) if isinstance(call, dict) and "domain" in call else None
        if digest is None or compress:
            return await super().request(method, subpath, content_type, compress, **kwargs)
        if digest in self.held:
            try:
                return await super().request(
                    method, subpath, content_type, compress, **{**kwargs, "json": without_domain(call)}
                )
            except ClientResponseError as error:
                if not is_domain_unknown(error):
                    raise
                self.held.discard(digest)
                logger.info("The action server does not hold domain %s: the call goes again with it.", digest[:12])
        answer, headers = await self.send(method, subpath, content_type, compress, **kwargs)
        if headers.get(HELD_HEADER) == digest:
            self.held.add(digest)
        return answer


def without_domain(call: dict[str, Any]) -> dict[str, Any]:
    # A new dict: Rasa's own stays as it made it.
    return {key: value for key, value in call.items() if key != "domain"}


def domain_once_endpoint(endpoint: EndpointConfig) -> DomainOnceEndpoint:
    """The ``DomainOnceEndpoint`` for Rasa's action endpoint: one per endpoint object, so that its
    session and what the action server holds are shared by all the actions that call it."""
    if isinstance(endpoint, DomainOnceEndpoint):
        return endpoint
    found: Optional[DomainOnceEndpoint] = getattr(endpoint, "_domain_once", None)
    if found is None:
        found = DomainOnceEndpoint.like(endpoint)
        endpoint._domain_once = found  # type: ignore[attr-defined]
    return found


_rasa_init = RemoteAction.__init__
_rasa_action_call_format = RemoteAction._action_call_format


def remote_action_init(self: RemoteAction, name: str, action_endpoint: Optional[EndpointConfig]) -> None:
    """``RemoteAction.__init__`` with the endpoint's ``DomainOnceEndpoint``."""
    _rasa_init(self, name, domain_once_endpoint(action_endpoint) if action_endpoint is not None else None)


def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    """``RemoteAction._action_call_format`` with the domain's digest beside the domain."""
    call = _rasa_action_call_format(self, tracker, domain)
    if "domain" in call:  # not with Rasa's selective domain, for an action that does not need it
        call[DIGEST_FIELD] = DIGESTS.of(domain)
    return call


def install() -> None:
    RemoteAction.__init__ = remote_action_init  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
