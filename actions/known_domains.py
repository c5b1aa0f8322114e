"""The action server's side of "the domain once, not with every call" (issue 18; docs/action-calls.md).

Rasa's calls carry ``domain_digest`` (intake_core/domain_digest.py) and the domain only until
this server has said that it holds that digest (Rasa's side: intake_dialogue/domain_once.py).
Before rasa_sdk's ``/webhook`` handler reads the call, a request middleware:

- call with the domain and its digest: recomputes the digest from the domain received; keeps
  the domain under it when they agree, refuses the call (422 ``domain_digest_mismatch``) when
  they do not: a digest this server did not compute itself is never trusted;
- call with a digest and no domain: puts the domain it holds under that digest into the call,
  where rasa_sdk reads it; answers 449 ``domain_unknown`` when it holds none (this server
  restarted, or another one behind a balancer took the earlier calls), before any action runs,
  and Rasa sends the same call again with the domain;
- any other call (no digest, a deflated body, another path) goes on as it would without this.

An answer to a call whose domain this server now holds carries the ``Domain-Digest`` header:
Rasa leaves the domain out only after seeing it, so a plain rasa_sdk server keeps getting it.

The held domain is one dict, given to every call with its digest: actions read the domain and
never change it (neither ours nor rasa_sdk's forms do). A few domains are held, the most
recently used: one per model Rasa runs, two while a new model replaces the old one.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from intake_core.domain_digest import (
    DIGEST_FIELD,
    DIGEST_MISMATCH_ERROR,
    DIGEST_MISMATCH_STATUS,
    DOMAIN_UNKNOWN_ERROR,
    DOMAIN_UNKNOWN_STATUS,
    HELD_HEADER,
    domain_digest,
)

logger = logging.getLogger(__name__)

HELD_DOMAINS = 4


class KnownDomains:
    """The domains received, by digest: the ``size`` most recently used."""

    def __init__(self, size: int = HELD_DOMAINS) -> None:
        if size < 1:
            raise ValueError("at least one domain must be held")
        self.size = size
        self._by_digest: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_digest)

    def get(self, digest: str) -> dict[str, Any] | None:
        domain = self._by_digest.get(digest)
        if domain is not None:
            self._by_digest.move_to_end(digest)
        return domain

    def keep(self, domain: dict[str, Any], digest: str) -> bool:
        """Keeps ``domain`` under ``digest`` if that is its digest; False (and nothing kept) if not."""
        if domain_digest(domain) != digest:
            return False
        if digest not in self._by_digest:
            logger.info("Domain %s received: held for later calls.", digest[:12])
        self._by_digest[digest] = domain
        self._by_digest.move_to_end(digest)
        while len(self._by_digest) > self.size:
            self._by_digest.popitem(last=False)
        return True


def install(app: Sanic, known: KnownDomains | None = None) -> KnownDomains:
    """Add the domain's middleware to rasa_sdk's app (after the guard: a call without the secret
    is refused before its body is read)."""
    known = known if known is not None else KnownDomains()

    async def fill_domain(request: Request) -> HTTPResponse | None:
        if request.path != "/webhook" or request.method != "POST":
            return None
        # rasa_sdk inflates a deflated body in its handler, past this middleware: such a call
        # goes on untouched, and Rasa always sends the domain with it (domain_once.py).
        if request.headers.get("content-encoding"):
            return None
        try:
            call = request.json  # parsed once: the handler gets this same dict
        except Exception:  # an unreadable body: the handler refuses it as it always did
            return None
        if not isinstance(call, dict) or not isinstance(call.get(DIGEST_FIELD), str):
            return None
        digest: str = call[DIGEST_FIELD]
        domain = call.get("domain")
        if domain is None:
            held = known.get(digest)
            if held is None:
                logger.info("Domain %s unknown: Rasa is asked to send it.", digest[:12])
                return response.json({"error": DOMAIN_UNKNOWN_ERROR, DIGEST_FIELD: digest},
                                     status=DOMAIN_UNKNOWN_STATUS)
            call["domain"] = held
        elif not isinstance(domain, dict) or not known.keep(domain, digest):
            logger.warning("A call's domain does not have the digest it came with: refused.")
            return response.json({"error": DIGEST_MISMATCH_ERROR}, status=DIGEST_MISMATCH_STATUS)
        request.ctx.held_digest = digest
        return None

    async def say_held(request: Request, answer: HTTPResponse) -> None:
        digest = getattr(request.ctx, "held_digest", None)
        if digest is not None:
            answer.headers[HELD_HEADER] = digest

    app.register_middleware(fill_domain, "request")
    app.register_middleware(say_held, "response")
    return known
