"""A stand-in HTTP server on a real port, in the test's own event loop: it records every request
(method, path, headers, body, the client's port) and answers with the test's ``answer``."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass(frozen=True)
class Recorded:
    method: str
    path_qs: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    client_port: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def ok(_request: Recorded) -> web.Response:
    return web.json_response({"events": [], "responses": []})


class RecordingServer:
    def __init__(self, answer: Callable[[Recorded], web.Response] = ok) -> None:
        self.answer = answer
        self.requests: list[Recorded] = []
        self._server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/webhook"))

    async def __aenter__(self) -> RecordingServer:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        await self._server.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        recorded = Recorded(request.method, request.path_qs, tuple(request.headers.items()), await request.read(),
                            request.transport.get_extra_info("peername")[1])
        self.requests.append(recorded)
        return self.answer(recorded)
