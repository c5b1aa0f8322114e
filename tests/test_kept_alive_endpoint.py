"""The action server's calls through one kept-alive session (intake_dialogue/kept_alive_endpoint.py)
are Rasa's own calls (``EndpointConfig.request``): the same request on the wire, the same answer
or error, over one connection instead of one per call (issue 18)."""
from __future__ import annotations

import asyncio
import gc
import logging

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from assistant_server import free_port
from intake_dialogue.kept_alive_endpoint import KeptAliveEndpoint, close_all
from recording_server import RecordingServer

CALL = {"next_action": "action_triage", "sender_id": "s", "tracker": {"events": [{"event": "user", "text": "借款"}]}}
ENDPOINTS = {
    "secret header, token, params": dict(headers={"Authorization": "Bearer s3cret"}, token="t", token_name="tok",
                                         params={"p": "1"}),
    "basic auth": dict(basic_auth={"username": "rasa", "password": "pw"}),
}


def endpoints(url: str, **config) -> tuple[EndpointConfig, KeptAliveEndpoint]:
    rasas = EndpointConfig(url, **config)
    return rasas, KeptAliveEndpoint.like(rasas)


async def outcome(endpoint: EndpointConfig, **kwargs) -> tuple:
    try:
        return ("answer", await endpoint.request(**kwargs))
    except ClientResponseError as error:
        return ("ClientResponseError", error.status, error.message, error.text, str(error))


@pytest.mark.parametrize("config", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_a_call_is_sent_as_rasa_sends_it(config):
    async def run() -> list:
        async with RecordingServer() as server:
            rasas, kept_alive = endpoints(server.url, **config)
            for endpoint in (rasas, kept_alive):
                await endpoint.request(json=CALL, method="post", timeout=10)
                await endpoint.request(method="get", subpath="/actions", params={"q": "2"}, headers={"X-A": "b"})
            await kept_alive.close()
            return [(r.method, r.path_qs, r.headers, r.body) for r in server.requests]

    sent = asyncio.run(run())
    assert sent[2:] == sent[:2]


ANSWERS = {
    "json": lambda _r: web.json_response({"events": [{"event": "slot", "name": "a", "value": "劳动"}]}),
    "not json": lambda _r: web.Response(text="ok"),
    "rejection 400": lambda _r: web.json_response({"error": "no", "action_name": "a"}, status=400),
    "not found 404": lambda _r: web.json_response({"error": "x"}, status=404),
    "internal 500": lambda _r: web.Response(text="boom", status=500),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_the_answer_or_error_is_rasas(answer):
    async def run() -> list:
        async with RecordingServer(answer) as server:
            rasas, kept_alive = endpoints(server.url)
            outcomes = [await outcome(endpoint, json=CALL, method="post") for endpoint in (rasas, kept_alive)]
            await kept_alive.close()
            return outcomes

    rasas, kept_alive = asyncio.run(run())
    assert kept_alive == rasas


def test_an_action_server_that_is_not_there_is_a_connection_error_as_with_rasa():
    async def run() -> list:
        rasas, kept_alive = endpoints(f"http://127.0.0.1:{free_port()}/webhook")
        errors = []
        for endpoint in (rasas, kept_alive):
            with pytest.raises(aiohttp.ClientConnectionError) as error:
                await endpoint.request(json=CALL, method="post")
            errors.append(type(error.value))
        await kept_alive.close()
        return errors

    rasas, kept_alive = asyncio.run(run())
    assert kept_alive is rasas


def test_the_calls_share_one_connection():
    async def run() -> list[int]:
        async with RecordingServer() as server:
            _rasas, kept_alive = endpoints(server.url)
            for _ in range(3):
                await kept_alive.request(json=CALL, method="post")
            await kept_alive.close()
            return [request.client_port for request in server.requests]

    assert len(set(asyncio.run(run()))) == 1


def test_no_cookie_is_kept_from_one_call_to_the_next():
    def with_cookie(_request):
        answer = web.json_response({})
        answer.set_cookie("session", "abc")
        return answer

    async def run() -> list:
        async with RecordingServer(with_cookie) as server:
            # A host name: aiohttp's cookie jar takes no cookie from an IP address.
            _rasas, kept_alive = endpoints(server.url.replace("127.0.0.1", "localhost"))
            for _ in range(2):
                await kept_alive.request(json=CALL, method="post")
            await kept_alive.close()
            return [dict(request.headers).get("Cookie") for request in server.requests]

    assert asyncio.run(run()) == [None, None]


def test_each_event_loop_gets_its_own_session_and_the_earlier_one_is_closed(caplog):
    """`rasa test` runs one asyncio.run after another in one process."""
    _rasas, kept_alive = endpoints("http://127.0.0.1:1/webhook")
    sessions = []

    async def one_loop() -> bool:
        async with RecordingServer() as server:
            kept_alive.url = server.url
            assert await kept_alive.request(json=CALL, method="post") == {"events": [], "responses": []}
            sessions.append(kept_alive._session)
            return sessions[0].closed

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        first_closed = [asyncio.run(one_loop()), asyncio.run(one_loop())]
        asyncio.run(kept_alive.close())
        gc.collect()
    assert sessions[0] is not sessions[1]
    assert first_closed == [False, True]  # closed once the second loop had its own
    assert [record.getMessage() for record in caplog.records] == []  # no "Unclosed client session"


def test_close_all_closes_every_session():
    async def run() -> list[bool]:
        async with RecordingServer() as server:
            _rasas, kept_alive = endpoints(server.url)
            await kept_alive.request(json=CALL, method="post")
            session = kept_alive._session
            await close_all()
            answered_after = await kept_alive.request(json=CALL, method="post")
            await kept_alive.close()
            return [session.closed, answered_after is not None]

    assert asyncio.run(run()) == [True, True]  # and a later call opens a new one


def test_calls_at_once_from_a_new_loop_make_one_session_between_them(caplog):
    _rasas, kept_alive = endpoints("http://127.0.0.1:1/webhook")

    async def calls_at_once(count: int) -> None:
        async with RecordingServer() as server:
            kept_alive.url = server.url
            await asyncio.gather(*(kept_alive.request(json=CALL, method="post") for _ in range(count)))

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        asyncio.run(calls_at_once(1))
        asyncio.run(calls_at_once(2))  # both find the first loop's session
        asyncio.run(kept_alive.close())
        gc.collect()
    assert [record.getMessage() for record in caplog.records] == []  # no session left unclosed
