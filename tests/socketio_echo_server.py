"""A Sanic server with only a socket.io input channel and an echo bot, for channel tests.

    python tests/socketio_echo_server.py {stock|persistent} PORT

The bot answers every message with "echo" (never with the caller's words). `POST /push/<id>`
sends "pushed" to conversation <id> through the channel's output channel, the way Rasa's HTTP
API does with `output_channel=latest`; `GET /senders` lists the conversation ids the bot
was given (ids only). No model, no Rasa agent: only the channel under test.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.channels.channel import UserMessage, register  # noqa: E402
from rasa.core.channels.socketio import SocketIOInput  # noqa: E402
from sanic import Sanic, response  # noqa: E402

from channels.socketio import PersistentSocketIOInput  # noqa: E402

CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
    "metadata_key": "customData",
}


def build_app(kind: str) -> Sanic:
    channel_class = {"stock": SocketIOInput, "persistent": PersistentSocketIOInput}[kind]
    channel = channel_class.from_credentials(CREDENTIALS)
    app = Sanic(f"socketio_echo_{kind}")

    senders = []

    class EchoAgent:  # stands in for Rasa's agent, which `register` hands messages to
        async def handle_message(self, message: UserMessage) -> None:
            senders.append(message.sender_id)
            await message.output_channel.send_text_message(message.sender_id, "echo")

    app.ctx.agent = EchoAgent()
    register([channel], app, route="/webhooks/")

    @app.post("/push/<conversation_id>")
    async def push(_, conversation_id: str):
        await channel.get_output_channel().send_text_message(conversation_id, "pushed")
        return response.json({"ok": True})

    @app.get("/senders")
    async def seen(_):
        return response.json(senders)
    return app


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    build_app(kind).run(host="127.0.0.1", port=port, access_log=False, workers=1)
