"""A socket.io test client speaking the widget's protocol (python-socketio, polling).

The Python client cannot open websockets inside the rasa venv (aiohttp is pinned too old),
so it uses long-polling, which the server answers the same way.
"""
from __future__ import annotations

import queue
from typing import Any

import socketio


class WidgetClient:
    """Connects, asks for a session (a new one or a given one), sends and collects messages."""

    def __init__(self, url: str, session_id: str | None = None, headers: dict | None = None):
        self.bot_messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.bot_messages.put)
        self.client.on("session_confirm", self._confirmed.put)
        self.client.connect(url, transports=["polling"], headers=headers or {}, wait_timeout=10)
        self.client.emit("session_request", {"session_id": session_id})
        self.session_id = self._confirmed.get(timeout=10)

    def say(self, text: str, session_id: str | None = None) -> None:
        self.client.emit(
            "user_uttered",
            {"message": text, "session_id": session_id or self.session_id, "customData": {}},
        )

    def replies(self, timeout: float = 30, quiet: float = 1.5) -> list[dict[str, Any]]:
        """The bot's messages: waits up to ``timeout`` for the first, then until ``quiet`` passes."""
        collected: list[dict[str, Any]] = []
        try:
            collected.append(self.bot_messages.get(timeout=timeout))
            while True:
                collected.append(self.bot_messages.get(timeout=quiet))
        except queue.Empty:
            return collected

    def close(self) -> None:
        """Disconnects without waiting for the pending long-poll (up to 25 s) to return."""
        from socketio import packet

        for namespace in self.client.namespaces:
            self.client._send_packet(self.client.packet_class(packet.DISCONNECT, namespace=namespace))
        self.client.eio.disconnect(abort=True)
