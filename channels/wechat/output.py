"""Messages that reach WeChat users outside a turn of theirs.

Rasa uses this output channel when the HTTP API is called with
``output_channel=latest`` on a conversation whose last message came through
WeChat (a lawyer's reply from the console, a resumed conversation), or with
``output_channel=wechat`` / ``wecom`` (the console names the conversation's own
channel). Each bot
message goes out through the customer-service API, rendered like a passive
reply (numbered buttons, size limit); failures are reported, never raised.
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel

from channels.wechat.render import render_messages


class WeChatOutput(OutputChannel):
    def __init__(self, channel: str, delivery, store, choose_hint: str = "") -> None:
        self.channel = channel
        self.delivery = delivery
        self.store = store
        self.choose_hint = choose_hint

    def name(self) -> str:  # type: ignore[override]
        return self.channel

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        rendered = render_messages([message], choose_hint=self.choose_hint)
        if not rendered.texts:
            return
        # recipient_id is the conversation id (wechat:<openid>, wecom:<corp>:<userid>);
        # Delivery maps it to the platform user and refuses another channel's id.
        await self.store.set_buttons(recipient_id, rendered.buttons)
        await self.delivery.send(recipient_id, rendered.texts)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})
