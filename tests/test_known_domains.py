"""The action server's side of the domain-once protocol (actions/known_domains.py), on a real
`python -m actions.server` process over HTTP: a domain received with its digest is held and put
into later calls that carry only the digest; an unknown digest is answered 449 before any action
runs; a domain that does not have its digest is refused and not held; a call without a digest
is rasa_sdk's as before (issue 18, docs/action-calls.md)."""
from __future__ import annotations

import pytest
import requests

from action_server_process import ActionServerProcess
from intake_core.domain_digest import domain_digest

DOMAIN = {"version": "3.1", "slots": {"case_type": {"type": "text", "mappings": [{"type": "custom"}]}},
          "responses": {"utter_greet": [{"text": "您好，这里是律师事务所的咨询助手。😀"}]}, "session_config": {
              "session_expiration_time": 1440.5, "carry_over_slots_to_new_session": True}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ActionServerProcess(tmp_path_factory.mktemp("known-domains"), "domain_echo_actions").start()
    yield process
    process.stop()


def call(server: ActionServerProcess, headers: dict | None = None, **fields) -> requests.Response:
    """POST one call of action_echo_domain; ``fields`` are the domain and its digest, if any."""
    import rasa_sdk

    body = {"next_action": "action_echo_domain", "sender_id": "test", "version": rasa_sdk.__version__,
            "tracker": {"sender_id": "test", "slots": {}, "latest_message": {}, "events": [], "paused": False,
                        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"},
            **fields}
    return requests.post(f"{server.url}/webhook", json=body, headers=server.headers if headers is None else headers,
                         timeout=10)


def echoed(answer: requests.Response) -> dict:
    """The domain action_echo_domain was given."""
    assert answer.status_code == 200, answer.text
    return answer.json()["responses"][0]["custom"]["domain"]


def test_a_domain_with_its_digest_is_held_and_given_to_calls_with_the_digest_only(server):
    domain = {**DOMAIN, "first": True}
    digest = domain_digest(domain)
    with_domain = call(server, domain=domain, domain_digest=digest)
    assert (echoed(with_domain), with_domain.headers.get("Domain-Digest")) == (domain, digest)
    digest_only = call(server, domain_digest=digest)
    assert (echoed(digest_only), digest_only.headers.get("Domain-Digest")) == (domain, digest)


def test_an_unknown_digest_is_answered_449_domain_unknown(server):
    digest = domain_digest({**DOMAIN, "never": "sent"})
    answer = call(server, domain_digest=digest)
    assert answer.status_code == 449
    assert answer.json() == {"error": "domain_unknown", "domain_digest": digest}
    assert "Domain-Digest" not in answer.headers


def test_a_domain_that_does_not_have_its_digest_is_refused_and_not_held(server):
    claimed = domain_digest({**DOMAIN, "claimed": True})
    refused = call(server, domain={**DOMAIN, "sent": True}, domain_digest=claimed)
    assert (refused.status_code, refused.json()) == (422, {"error": "domain_digest_mismatch"})
    assert call(server, domain_digest=claimed).status_code == 449


def test_a_call_without_a_digest_is_as_before(server):
    assert echoed(call(server)) == {}  # rasa_sdk's default without a domain
    domain = {**DOMAIN, "plain": True}
    answer = call(server, domain=domain)
    assert echoed(answer) == domain and "Domain-Digest" not in answer.headers
    assert call(server, domain_digest=domain_digest(domain)).status_code == 449  # not held


def test_the_secret_is_checked_before_the_digest(server):
    digest = domain_digest({**DOMAIN, "unauthorised": True})
    assert call(server, headers={}, domain_digest=digest).status_code == 401
    assert call(server, headers={}, domain={**DOMAIN, "unauthorised": True}, domain_digest=digest).status_code == 401
    assert call(server, domain_digest=digest).status_code == 449  # the refused call's domain was not held
