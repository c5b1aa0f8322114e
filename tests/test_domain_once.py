"""Rasa's side of the domain-once protocol (intake_dialogue/domain_once.py): the domain goes with a
call until the action server says it holds it, then only its digest; a 449 domain_unknown sends
the same call again once, with the domain; anything else is Rasa's as before (issue 18,
docs/action-calls.md). Against a stand-in server that records each call, then against the real
action server process, which is restarted in between."""
from __future__ import annotations

import asyncio
import copy

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import intake_dialogue  # noqa: F401 - installs the protocol, as loading the model does
from intake_core.domain_digest import domain_digest
from intake_dialogue import domain_once
from intake_dialogue.domain_once import DomainOnceEndpoint, domain_once_endpoint
from recording_server import RecordingServer

DOMAIN = {"version": "3.1", "responses": {"utter_greet": [{"text": "您好"}]}}
DIGEST = domain_digest(DOMAIN)
CALL = {"next_action": "action_triage", "sender_id": "s", "tracker": {"events": []}, "domain": DOMAIN,
        "domain_digest": DIGEST, "version": "3.6.21"}
OK = {"events": [], "responses": []}


def holding_server(held: set[str]):
    """Answers as actions/known_domains.py does: holds what it received, 449 for what it does not hold."""
    def answer(request):
        call = request.json
        digest = call.get("domain_digest")
        if digest and "domain" in call:
            held.add(digest)
        elif digest and digest not in held:
            return web.json_response({"error": "domain_unknown", "domain_digest": digest}, status=449)
        return web.json_response(OK, headers={"Domain-Digest": digest} if digest else {})
    return answer


def scripted(*answers):
    """Answers from a list, one per request (the last one from then on)."""
    remaining = list(answers)

    def answer(_request):
        status, body, headers = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return web.json_response(body, status=status, headers=headers)
    return answer


HELD = (200, OK, {"Domain-Digest": DIGEST})


def calls(answer, count: int, call: dict = CALL, **kwargs) -> tuple[list, list[dict]]:
    """``count`` calls through one DomainOnceEndpoint: (each outcome, each body the server got)."""
    async def run():
        async with RecordingServer(answer) as server:
            endpoint = DomainOnceEndpoint(server.url)
            outcomes = []
            for _ in range(count):
                try:
                    outcomes.append(await endpoint.request(json=call, method="post", **kwargs))
                except ClientResponseError as error:
                    outcomes.append((error.status, error.text))
            await endpoint.close()
            return outcomes, [request.json for request in server.requests]

    return asyncio.run(run())


def with_domain(bodies: list[dict]) -> list[bool]:
    return ["domain" in body for body in bodies]


def test_the_first_call_carries_the_domain_and_later_ones_only_its_digest():
    sent = copy.deepcopy(CALL)
    outcomes, bodies = calls(holding_server(set()), 3, call=sent)
    assert outcomes == [OK] * 3
    assert with_domain(bodies) == [True, False, False]
    assert all(body == {key: value for key, value in CALL.items() if key != "domain"} for body in bodies[1:])
    assert sent == CALL  # Rasa's own dict is left as it was


def test_a_plain_action_server_that_does_not_say_it_holds_the_domain_gets_it_every_time():
    outcomes, bodies = calls(scripted((200, OK, {})), 3)
    assert (outcomes, with_domain(bodies)) == ([OK] * 3, [True, True, True])


def test_domain_unknown_sends_the_same_call_again_once_with_the_domain():
    """The action server restarted after the first call: the second is answered 449 and goes again."""
    outcomes, bodies = calls(scripted(HELD, (449, {"error": "domain_unknown"}, {}), HELD), 3)
    assert outcomes == [OK] * 3
    assert with_domain(bodies) == [True, False, True, False]
    assert bodies[2] == CALL


def test_a_second_domain_unknown_is_an_error_not_another_try():
    outcomes, bodies = calls(scripted(HELD, (449, {"error": "domain_unknown"}, {})), 2)
    assert outcomes[1][0] == 449
    assert with_domain(bodies) == [True, False, True]


ERRORS = {
    "internal 500": (500, {"error": "internal"}),
    "rejection 400": (400, {"error": "no", "action_name": "action_triage"}),
    "449 for another reason": (449, {"error": "something_else"}),
    "domain_unknown with another status": (409, {"error": "domain_unknown"}),
}


@pytest.mark.parametrize("status, body", ERRORS.values(), ids=ERRORS.keys())
def test_any_other_error_is_raised_as_before_and_the_call_is_not_sent_again(status, body):
    outcomes, bodies = calls(scripted(HELD, (status, body, {})), 2)
    assert outcomes[1] == (status, web.json_response(body).text.encode())
    assert with_domain(bodies) == [True, False]


def test_a_deflated_call_always_carries_the_domain():
    """rasa_sdk inflates such a call in its handler, past the action server's middleware."""
    outcomes, bodies = calls(holding_server(set()), 2, compress=True)
    assert (outcomes, with_domain(bodies)) == ([OK, OK], [True, True])


def test_a_call_without_the_domain_is_sent_as_it_is():
    call = {key: value for key, value in CALL.items() if key not in ("domain", "domain_digest")}
    _outcomes, bodies = calls(holding_server(set()), 2, call=call)
    assert bodies == [call, call]


def test_the_actions_of_one_endpoint_share_one_domain_once_endpoint():
    endpoint = EndpointConfig("http://127.0.0.1:5055/webhook", headers={"Authorization": "Bearer x"},
                              cafile="ca.pem", token="t", store_type="y", enable_selective_domain=False)
    first, second = RemoteAction("action_a", endpoint), RemoteAction("action_b", endpoint)
    assert isinstance(first.action_endpoint, DomainOnceEndpoint)
    assert first.action_endpoint is second.action_endpoint
    copied = first.action_endpoint
    assert (copied.url, copied.headers, copied.token, copied.cafile, copied.type, copied.kwargs) == (
        endpoint.url, endpoint.headers, endpoint.token, endpoint.cafile, endpoint.type, endpoint.kwargs)
    assert RemoteAction("action_c", None).action_endpoint is None


def small_domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_dict({"actions": ["action_triage"], "slots": {"case_type": {
        "type": "text", "mappings": [{"type": "custom"}]}}, "responses": {"utter_greet": [{"text": "您好"}]}})


def tracker_for(domain):
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker("s", domain.slots)


def test_the_call_carries_the_domains_digest_beside_the_domain():
    domain = small_domain()
    call = RemoteAction("action_triage", EndpointConfig("http://x/webhook"))._action_call_format(
        tracker_for(domain), domain)
    assert (call["domain"], call["domain_digest"]) == (domain.as_dict(), domain_digest(domain.as_dict()))


def test_with_rasas_selective_domain_a_call_without_the_domain_has_no_digest():
    domain = small_domain()
    endpoint = EndpointConfig("http://x/webhook", enable_selective_domain=True)
    call = RemoteAction("action_triage", endpoint)._action_call_format(tracker_for(domain), domain)
    assert "domain" not in call and "domain_digest" not in call


def test_the_digest_is_computed_once_per_domain_object(monkeypatch):
    computed = []
    monkeypatch.setattr(domain_once, "domain_digest", lambda d: computed.append(1) or domain_digest(d))
    digests = domain_once.DomainDigests()
    first, second = small_domain(), small_domain()
    assert digests.of(first) == digests.of(first) == digests.of(second)
    assert len(computed) == 2


def test_an_endpoint_already_made_is_its_own_domain_once_endpoint():
    made = DomainOnceEndpoint("http://x/webhook")
    assert domain_once_endpoint(made) is made


# Against the real action server (`python -m actions.server`), with the project's domain.

@pytest.fixture(scope="module")
def project_domain():
    from rasa.shared.core.domain import Domain

    from assistant_server import PROJECT_ROOT

    return Domain.load(str(PROJECT_ROOT / "domain"))


@pytest.fixture
def echo_server(tmp_path):
    from action_server_process import ActionServerProcess

    process = ActionServerProcess(tmp_path, "domain_echo_actions").start()
    yield process
    process.stop()


async def domain_seen_by_the_action(endpoint: EndpointConfig, domain) -> dict:
    """Rasa runs action_echo_domain (RemoteAction.run): the domain the action was given."""
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator

    events = await RemoteAction("action_echo_domain", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker_for(domain), domain)
    return events[0].data["custom"]["domain"]


def test_an_action_given_the_domain_through_its_digest_gets_the_domain_rasa_has(echo_server, project_domain):
    endpoint = EndpointConfig(f"{echo_server.url}/webhook", headers=echo_server.headers)

    async def run() -> list[dict]:
        seen = [await domain_seen_by_the_action(endpoint, project_domain)]  # the call with the domain
        assert domain_once_endpoint(endpoint).held == {domain_digest(project_domain.as_dict())}
        seen.append(await domain_seen_by_the_action(endpoint, project_domain))  # with its digest only
        await domain_once_endpoint(endpoint).close()
        return seen

    with_domain, through_digest = asyncio.run(run())
    assert echo_server.log().count("received: held for later calls") == 1  # the second call had no domain
    assert through_digest == with_domain == project_domain.as_dict()


def test_when_the_action_server_restarts_the_next_call_sends_the_domain_again_and_succeeds(echo_server,
                                                                                           project_domain):
    endpoint = EndpointConfig(f"{echo_server.url}/webhook", headers=echo_server.headers)

    def restart() -> None:
        echo_server.stop()
        echo_server.start()

    async def run() -> dict:
        await domain_seen_by_the_action(endpoint, project_domain)
        await asyncio.to_thread(restart)  # Rasa's event loop goes on meanwhile, as in production
        seen = await domain_seen_by_the_action(endpoint, project_domain)
        await domain_once_endpoint(endpoint).close()
        return seen

    assert asyncio.run(run()) == project_domain.as_dict()
    assert echo_server.log().count("unknown: Rasa is asked to send it") == 1
