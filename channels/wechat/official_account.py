"""WeChat Official Account (微信公众号): ``/webhooks/wechat/webhook``.

Plaintext mode: the query's ``signature`` (sha1 of token, timestamp, nonce)
authenticates the sender but not the body. Compatible and safe mode: the
platform adds ``encrypt_type=aes`` and ``msg_signature``, which also covers the
encrypted body; the reply is encrypted too. Once an EncodingAESKey is
configured, plaintext POSTs are refused (the signature alone does not protect
the body). Without one (plaintext mode) the channel does not start with the
production endpoints unless WECHAT_ALLOW_PLAINTEXT=1 (``settings.plaintext_allowed``),
and a signed query is never accepted with a second body (``base.refuse_replay``).
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException

from channels.wechat.base import WeChatChannelBase
from channels.wechat.dedup import make_store
from channels.wechat.delivery import official_account_delivery
from channels.wechat.protocol import (
    Refused,
    check_body,
    check_fresh,
    check_signature,
    decrypt_envelope,
    parse_xml,
    render_text_reply,
)
from channels.wechat.settings import ALLOW_PLAINTEXT_ENV, Common, channel_texts, plaintext_allowed, text
from intake_core import namespaces


class WeChatInput(WeChatChannelBase):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        common = Common.from_credentials(credentials)
        return cls(
            token=text(credentials, "token"),
            app_id=text(credentials, "app_id"),
            app_secret=text(credentials, "app_secret"),
            encoding_aes_key=text(credentials, "encoding_aes_key"),
            common=common,
        )

    def __init__(
        self, token: str, app_id: str, app_secret: str, encoding_aes_key: str = "",
        common: Common | None = None, allow_plaintext: bool | None = None,
    ) -> None:
        common = common or Common()
        if token and not encoding_aes_key and not (
            plaintext_allowed() if allow_plaintext is None else allow_plaintext
        ):
            raise ValueError(
                "credentials: the WeChat channel has no EncodingAESKey (plaintext mode), refused with "
                f"the production endpoints; use safe mode (WECHAT_ENCODING_AES_KEY) or set {ALLOW_PLAINTEXT_ENV}=1"
            )
        self.token = token
        self.app_id = app_id
        self.crypto = (
            WeChatCrypto(token, encoding_aes_key, app_id) if token and encoding_aes_key else None
        )
        delivery = (
            official_account_delivery(
                app_id, app_secret, common.api_base_url, common.redis_url, common.redis_prefix,
                channel=self.name(),
            )
            if token and app_id and app_secret else None
        )
        super().__init__(
            configured=bool(token), common=common,
            store=make_store(common.redis_url, common.redis_prefix, common.max_age_s), delivery=delivery,
            texts=channel_texts(),
        )

    def verify(self, request: Request) -> HTTPResponse:
        args = request.args
        check_fresh(args.get("timestamp"), self.common.max_age_s)
        check_signature((self.token, args.get("timestamp"), args.get("nonce") or ""), args.get("signature"))
        return response.text(args.get("echostr") or "")

    def decode(self, request: Request) -> tuple[dict[str, Any], Any]:
        args = request.args
        timestamp, nonce = args.get("timestamp"), args.get("nonce") or ""
        check_fresh(timestamp, self.common.max_age_s)
        body = request.body or b""
        check_body(body, self.common.max_body_bytes)
        if (args.get("encrypt_type") or "raw").lower() != "aes":
            if self.crypto is not None:
                raise Refused(403, "plaintext message while an EncodingAESKey is configured")
            check_signature((self.token, timestamp, nonce), args.get("signature"))
            return parse_xml(body, self.common.max_body_bytes), None
        if self.crypto is None:
            raise Refused(403, "encrypted message but no EncodingAESKey configured")
        fields = decrypt_envelope(self.crypto, body, args.get("msg_signature"), timestamp, nonce,
                                  self.common.max_body_bytes, InvalidAppIdException, "AppID")
        return fields, nonce

    def conversation_id(self, user: str) -> str:
        return namespaces.wechat_id(user)

    def encode_reply(self, fields: dict[str, Any], content: str, context: Any) -> str:
        xml = render_text_reply(fields["FromUserName"], fields.get("ToUserName") or "", content)
        if self.crypto is None or context is None:
            return xml
        return self.crypto.encrypt_message(xml, context)
