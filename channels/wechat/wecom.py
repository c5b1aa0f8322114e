"""WeCom (企业微信) self-built app: ``/webhooks/wecom/webhook``.

WeCom callbacks are always encrypted: the URL verification's ``echostr`` must
be decrypted and returned (within 1 s), every POST carries ``msg_signature``
over the encrypted body, and replies are encrypted. Late answers go out
through the app message API (``message/send`` with the agent id).
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from channels.wechat.base import WeChatChannelBase
from channels.wechat.dedup import make_store
from channels.wechat.delivery import wecom_delivery
from channels.wechat.protocol import Refused, check_body, check_fresh, decrypt_envelope, render_text_reply
from channels.wechat.settings import Common, channel_texts, text
from intake_core import namespaces


class WeComInput(WeChatChannelBase):
    @classmethod
    def name(cls) -> str:
        return "wecom"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        agent_id = text(credentials, "agent_id")
        if agent_id and not agent_id.isdigit():
            raise ValueError("credentials: agent_id must be a number")
        return cls(
            corp_id=text(credentials, "corp_id"),
            agent_id=int(agent_id) if agent_id else 0,
            secret=text(credentials, "secret"),
            token=text(credentials, "token"),
            encoding_aes_key=text(credentials, "encoding_aes_key"),
            common=Common.from_credentials(credentials),
        )

    def __init__(
        self, corp_id: str, agent_id: int, secret: str, token: str, encoding_aes_key: str,
        common: Common | None = None,
    ) -> None:
        common = common or Common()
        self.corp_id = corp_id
        self.agent_id = agent_id
        configured = bool(token and encoding_aes_key and corp_id)
        self.crypto = WeChatCrypto(token, encoding_aes_key, corp_id) if configured else None
        delivery = (
            wecom_delivery(
                corp_id, secret, agent_id, common.api_base_url, common.redis_url,
                common.redis_prefix, channel=self.name(),
            )
            if configured and secret and agent_id else None
        )
        super().__init__(
            configured=configured, common=common,
            store=make_store(common.redis_url, common.redis_prefix, common.max_age_s), delivery=delivery,
            texts=channel_texts(),
        )

    def verify(self, request: Request) -> HTTPResponse:
        args = request.args
        check_fresh(args.get("timestamp"), self.common.max_age_s)
        if not args.get("msg_signature") or not args.get("echostr"):
            raise Refused(403, "missing signature")
        try:
            echo = self.crypto.check_signature(
                args.get("msg_signature"), args.get("timestamp"), args.get("nonce") or "",
                args.get("echostr"),
            )
        except InvalidSignatureException:
            raise Refused(403, "bad signature") from None
        except InvalidCorpIdException:
            raise Refused(403, "echostr for another CorpID") from None
        except Exception as error:
            raise Refused(400, f"undecryptable ({type(error).__name__})") from None
        return response.text(echo)

    def decode(self, request: Request) -> tuple[dict[str, Any], Any]:
        args = request.args
        timestamp, nonce = args.get("timestamp"), args.get("nonce") or ""
        check_fresh(timestamp, self.common.max_age_s)
        body = request.body or b""
        check_body(body, self.common.max_body_bytes)
        fields = decrypt_envelope(self.crypto, body, args.get("msg_signature"), timestamp, nonce,
                                  self.common.max_body_bytes, InvalidCorpIdException, "CorpID")
        return fields, nonce

    def conversation_id(self, user: str) -> str:
        # The configured CorpID, not the message's: decrypt_envelope has checked
        # that the message is for this company.
        return namespaces.wecom_id(self.corp_id, user)

    def encode_reply(self, fields: dict[str, Any], content: str, context: Any) -> str:
        xml = render_text_reply(
            fields["FromUserName"], fields.get("ToUserName") or self.corp_id, content,
            agent_id=self.agent_id,
        )
        return self.crypto.encrypt_message(xml, context)
