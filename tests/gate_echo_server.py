"""A Sanic server with the project's caller channels (REST, socket.io) and a recording bot,
for the caller gate's tests (channels/caller_gate.py).

    python tests/gate_echo_server.py PORT

No model: the agent answers "echo" and keeps what reached it, which `GET /heard` returns (a
test fixture; nothing is logged). Its tracker store is Rasa's in-memory one;
`POST /offer/<sender>` puts a bot message with buttons into it, as the assistant's offer.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.channels.channel import UserMessage, register  # noqa: E402
from rasa.core.tracker_store import InMemoryTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from sanic import Sanic, response  # noqa: E402

from channels.rest import GatedRestInput  # noqa: E402
from channels.socketio import PersistentSocketIOInput  # noqa: E402
from socketio_echo_server import CREDENTIALS  # noqa: E402

OFFER = [{"title": "好的，开始", "payload": "/affirm"}, {"title": "先不用", "payload": "/deny"}]


class RecordingAgent:
    """Stands in for Rasa's agent, which `register` hands messages to."""

    def __init__(self) -> None:
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.heard = []

    async def handle_message(self, message: UserMessage) -> None:
        self.heard.append({"text": message.text, "sender": message.sender_id,
                           "channel": message.input_channel, "metadata": message.metadata})
        await message.output_channel.send_text_message(message.sender_id, "echo")


def build_app() -> Sanic:
    app = Sanic("caller_gate_echo")
    agent = app.ctx.agent = RecordingAgent()
    register([GatedRestInput.from_credentials(None), PersistentSocketIOInput.from_credentials(CREDENTIALS)],
             app, route="/webhooks/")

    @app.get("/heard")
    async def heard(_):
        return response.json(agent.heard)

    @app.post("/offer/<sender>")
    async def offer(_, sender: str):
        tracker = DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen"), UserUttered("我想离婚", intent={"name": "consult_divorce"}),
            BotUttered("现在开始吗？", data={"buttons": OFFER})])
        await agent.tracker_store.save(tracker)
        return response.json({"ok": True})

    return app


if __name__ == "__main__":
    build_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, workers=1)
