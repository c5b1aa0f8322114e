"""The two caller channels the benchmark drives, as a caller's client sees them.

A channel opens conversations; a conversation's ``say(text)`` sends one message and returns
the replies of that turn (in REST's shape), or raises ``TurnError`` with the kind of failure.

- REST: `POST /webhooks/rest/webhook` (one `requests` session per caller thread, kept alive);
  the conversation id is a new sender per intake. The replies are the response body.
- socket.io: the chat widget's protocol (channels/socketio.py, web/widget.js): connect, emit
  `session_request` without a session id (a new conversation, `web:<session id>`), then each
  message is `user_uttered` {message, session_id, customData}; replies come as `bot_uttered`
  events. The message is emitted with an acknowledgement requested: python-socketio's server
  acknowledges when its handler returns, i.e. after Rasa handled the message and emitted all
  its replies into the same socket's queue, so the acknowledgement arrives after them. The
  client (python-socketio's AsyncClient, all conversations on one event loop) runs each
  received packet's handler in a task started in arrival order, and the `bot_uttered` handler
  does not await, so the replies are collected before the acknowledgement wakes the caller.
  A reply arriving later still would be counted in the next turn, where reconciliation sees it
  (bench/reconcile.py). The widget does not ask for acknowledgements; the server's work is the same.
  The transport is long-polling: python-engineio's websocket client needs aiohttp >= 3.10
  (`ClientWSTimeout`) and Rasa 3.6 pins 3.9 (tests/socketio_client.py says the same). A browser
  upgrades to a websocket, which costs the server less per message than polling.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import uuid
from collections.abc import Sequence
from typing import Any

import requests
import socketio
from engineio import packet as engineio_packet
from socketio import packet as socketio_packet

from bench.reconcile import from_socketio

Replies = list[dict[str, Any]]


class TurnError(Exception):
    """A turn that failed: ``kind`` is what the report counts (timeout, status 500, ...)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class RestChannel:
    name = "rest"

    def __init__(self, url: str, timeout: float = 30):
        self.url, self.timeout = url.rstrip("/"), timeout
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def open(self) -> RestConversation:
        return RestConversation(self)

    def close(self) -> None:
        pass


class RestConversation:
    def __init__(self, channel: RestChannel):
        self.channel = channel
        # A new sender per intake, outside the other channels' namespaces (web:, wechat:, wecom:).
        self.conversation_id = f"bench-{uuid.uuid4().hex[:16]}"

    def say(self, text: str) -> Replies:
        try:
            response = self.channel._session().post(
                f"{self.channel.url}/webhooks/rest/webhook",
                json={"sender": self.conversation_id, "message": text}, timeout=self.channel.timeout)
        except requests.Timeout:
            raise TurnError("timeout") from None
        except requests.RequestException:
            raise TurnError("connection") from None
        if response.status_code != 200:
            raise TurnError(f"status {response.status_code}")
        try:
            replies = response.json()
        except ValueError:
            raise TurnError("bad body") from None
        if replies is not None and not isinstance(replies, list):
            raise TurnError("bad body")
        return replies or []

    def close(self) -> None:
        pass


class SocketIOChannel:
    name = "socketio"
    transport = "long-polling"

    def __init__(self, url: str, timeout: float = 30, socketio_path: str = "socket.io"):
        self.url, self.timeout, self.socketio_path = url.rstrip("/"), timeout, socketio_path
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bench-socketio", daemon=True)
        self._thread.start()
        self._disconnecting: list[concurrent.futures.Future] = []

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TurnError("timeout") from None

    def open(self) -> SocketIOConversation:
        conversation = SocketIOConversation(self)
        self._run(conversation.connect(), self.timeout + 5)
        return conversation

    def close(self) -> None:
        """Waits for the disconnections still running, then stops the event loop."""
        concurrent.futures.wait(self._disconnecting, timeout=self.timeout)

        async def cancel_the_rest() -> None:  # long-polls of aborted connections
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self._run(cancel_the_rest(), 10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


class SocketIOConversation:
    def __init__(self, channel: SocketIOChannel):
        self.channel = channel
        self.client: Any = None  # made on the channel's event loop, in connect()
        self.conversation_id = ""
        self.session_id = ""
        self._inbox: list[Any] = []  # bot_uttered payloads not yet handed to a turn

    async def connect(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()

        def on_confirm(session_id: Any) -> None:
            if not confirmed.done():
                confirmed.set_result(session_id)

        # Plain functions, not coroutines: see the module's note on ordering.
        self.client.on(
            "bot_uttered", lambda *payload: self._inbox.append(payload[0] if len(payload) == 1 else list(payload))
        )
        self.client.on("session_confirm", on_confirm)
        try:
            await self.client.connect(
                self.channel.url,
                transports=["polling"],
                socketio_path=self.channel.socketio_path,
                wait_timeout=self.channel.timeout,
            )
            await self.client.emit("session_request", {"session_id": None})
            self.session_id = await asyncio.wait_for(confirmed, self.channel.timeout)
        except asyncio.TimeoutError:
            await self._abandon()
            raise TurnError("connect timeout") from None
        except (socketio.exceptions.SocketIOError, OSError):
            await self._abandon()
            raise TurnError("connect") from None
        self.conversation_id = f"web:{self.session_id}"

    async def _abandon(self) -> None:
        """Leaves at once, telling the server: socket.io's DISCONNECT and Engine.IO's CLOSE are
        posted (waiting for the write loop to have sent them), then the client drops the
        connection without waiting for its pending long-poll, which the server holds open
        up to its ping interval (25 s): a plain ``disconnect()`` waits for it."""
        client = self.client
        if client is None:
            return
        try:
            for namespace in list(client.namespaces):
                await client._send_packet(client.packet_class(socketio_packet.DISCONNECT, namespace=namespace))
            if client.eio.state == "connected":
                await client.eio._send_packet(engineio_packet.Packet(engineio_packet.CLOSE))
                await asyncio.wait_for(client.eio.queue.join(), self.channel.timeout)
            await client.eio.disconnect(abort=True)
        except Exception:  # already broken: nothing to close cleanly
            pass

    async def _say(self, text: str) -> Replies:
        try:
            await self.client.call(
                "user_uttered",
                {"message": text, "session_id": self.session_id, "customData": {}},
                timeout=self.channel.timeout,
            )
        except socketio.exceptions.TimeoutError:
            raise TurnError("timeout") from None
        except (socketio.exceptions.SocketIOError, OSError):
            raise TurnError("connection") from None
        replies, self._inbox = self._inbox, []
        return [from_socketio(reply) for reply in replies]

    def say(self, text: str) -> Replies:
        return self.channel._run(self._say(text), self.channel.timeout + 5)

    def close(self) -> None:
        """Disconnects in the background: the caller's next intake need not wait for it."""
        future = asyncio.run_coroutine_threadsafe(self._abandon(), self.channel.loop)
        self.channel._disconnecting.append(future)


def channel_named(name: str, url: str, timeout: float):
    channels = {"rest": RestChannel, "socketio": SocketIOChannel}
    if name not in channels:
        raise ValueError(f"unknown channel {name!r}: {', '.join(channels)}")
    return channels[name](url, timeout)


def channel_names(value: str) -> Sequence[str]:
    return [name for name in value.replace(",", " ").split() if name]
