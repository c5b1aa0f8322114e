"""A small round-robin HTTP proxy in front of several Rasa replicas, for tests/test_replicas.py
and `make bench BENCH_REPLICAS=2` (issue 18). It does what a load balancer in production does
(nginx's ``upstream`` with ``proxy_next_upstream error``, deploy/nginx.conf; Kubernetes'
Service): each request goes to the next replica in turn, and a request whose replica refuses
the connection (a replica that is down) is sent to the next one. A request a replica accepted
and then failed is NOT sent again: a POST may already have been handled, and sending it twice
would answer the caller twice (nginx does the same for non-idempotent requests).

The rotation is per conversation where a request names one (the REST channel's ``sender``):
each conversation's consecutive turns go to different replicas, the worst case for the shared
stores and the lock store, not sticky sessions that would hide a missing one. Other requests
(the HTTP API, socket.io) take the next replica of one shared rotation. Each response carries
``X-Upstream: <index>`` so a test can see which replica served it.

Runs in a thread of the test process with its own event loop (aiohttp); ``start_proxy(...)``
returns it listening, ``proxy.stop()`` ends it.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


class RoundRobinProxy:
    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = [url.rstrip("/") for url in upstreams]
        self._shared = itertools.count()
        self._last: dict[str, int] = {}  # conversation -> the replica that served its last turn
        self.served: list[int] = [0] * len(upstreams)  # requests per replica
        self.refused: list[int] = [0] * len(upstreams)  # connections refused (retried on the next)
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._thread: threading.Thread | None = None

    def first_choice(self, body: bytes) -> tuple:
        """(the replica to try first, the conversation or None)."""
        sender = None
        try:
            payload = json.loads(body) if body else None
            if isinstance(payload, dict) and isinstance(payload.get("sender"), str):
                sender = payload["sender"]
        except ValueError:
            pass
        if sender is None:
            return next(self._shared) % len(self.upstreams), None
        last = self._last.get(sender)
        return (0 if last is None else last + 1) % len(self.upstreams), sender

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        first, sender = self.first_choice(body)
        headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP}
        for step in range(len(self.upstreams)):
            index = (first + step) % len(self.upstreams)
            try:
                async with self._session.request(
                    request.method, self.upstreams[index] + request.path_qs, data=body, headers=headers,
                    allow_redirects=False,
                ) as upstream:
                    content = await upstream.read()
                    self.served[index] += 1
                    if sender is not None:
                        self._last[sender] = index
                    response = web.Response(status=upstream.status, body=content)
                    for name, value in upstream.headers.items():
                        if name.lower() not in HOP_BY_HOP:
                            response.headers.add(name, value)
                    response.headers["X-Upstream"] = str(index)
                    return response
            except aiohttp.ClientConnectorError:  # refused: nothing was sent, the next may take it
                self.refused[index] += 1
                continue
        return web.Response(status=502, text="no replica accepted the connection")

    # -- running in a thread ----------------------------------------------------------------

    def start(self, port: int) -> RoundRobinProxy:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            try:
                self._loop.run_until_complete(self._serve(port))
            except BaseException as error:  # reported to start()'s caller
                failure.append(error)
                ready.set()
                return
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="round-robin-proxy", daemon=True)
        self._thread.start()
        ready.wait(timeout=30)
        if failure:
            raise failure[0]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def _serve(self, port: int) -> None:
        # No overall timeout: a turn takes as long as the replica takes (the client has its own).
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, connect=5))
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()

    def stop(self) -> None:
        if self._loop is None:
            return

        async def close() -> None:
            await self._runner.cleanup()
            await self._session.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)


def start_proxy(upstreams: list[str], port: int) -> RoundRobinProxy:
    return RoundRobinProxy(upstreams).start(port)
