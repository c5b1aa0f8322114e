"""Messages sent outside a passive reply: the customer-service API.

wechatpy's clients are synchronous, so every call runs in an executor. Failures
(45015 window closed, 48001 unauthorised, network errors) are reported through
``failures.report_delivery_failure`` and never raised: a late answer that cannot
be delivered must not break the turn or the lawyer's console call.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from wechatpy import WeChatClient
from wechatpy.enterprise import WeChatClient as WeComClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage

from channels.wechat import failures
from intake_core import namespaces

logger = logging.getLogger(__name__)


def token_storage(redis_url: str, prefix: str):
    """Where wechatpy keeps the access token: shared through Redis when several
    processes use one account (the platform keeps only the newest token valid), encrypted
    there (encrypted_storage.py); in the process otherwise."""
    if not redis_url:
        return MemoryStorage()
    import redis

    from channels.wechat.encrypted_storage import EncryptedRedisStorage

    return EncryptedRedisStorage(redis.Redis.from_url(redis_url), prefix=f"{prefix}token")


class OfficialAccountClient(WeChatClient):
    """wechatpy's client, with the token endpoint under ``API_BASE_URL`` too
    (wechatpy hard-codes it), so a test API can serve everything."""

    def __init__(self, appid: str, secret: str, api_base_url: str = "", **kwargs) -> None:
        super().__init__(appid, secret, **kwargs)
        if api_base_url:
            self.API_BASE_URL = api_base_url.rstrip("/") + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WeComAppClient(WeComClient):
    def __init__(self, corp_id: str, secret: str, api_base_url: str = "", **kwargs) -> None:
        super().__init__(corp_id, secret, **kwargs)
        if api_base_url:
            self.API_BASE_URL = api_base_url.rstrip("/") + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "gettoken",
            params={"corpid": self.corp_id, "corpsecret": self.secret},
        )


class Delivery:
    """Sends texts to the caller of one conversation, in order; stops at the first failure.

    ``recipient`` maps a conversation id to the platform's user id, or None for a
    conversation that does not live on this channel: such a message is never sent
    (a REST conversation that claims to be WeChat's must not make the firm's
    account write to an OpenID of its choosing; issue 15, H1)."""

    def __init__(self, channel: str, send_one: Callable[[str, str], object],
                 recipient: Callable[[str], str | None]) -> None:
        self.channel = channel
        self._send_one = send_one
        self._recipient = recipient

    async def send(self, conversation_id: str, texts: list[str]) -> bool:
        user_id = self._recipient(conversation_id)
        if user_id is None:
            logger.warning("%s refused to send to a conversation of another channel.", self.channel)
            return False
        loop = asyncio.get_running_loop()
        for text in texts:
            if not text:
                continue
            try:
                await loop.run_in_executor(None, self._send_one, user_id, text)
            except WeChatClientException as error:
                code = _code(error)
                # Off the event loop: it writes to the ticket database (issue 17).
                await loop.run_in_executor(None, failures.report_delivery_failure, conversation_id,
                                           self.channel, code, str(error.errmsg or ""))
                return False
            except Exception as error:  # network, bad token response, ...
                logger.error("%s API call failed: %s.", self.channel, type(error).__name__)
                await loop.run_in_executor(None, failures.report_delivery_failure, conversation_id,
                                           self.channel, failures.NETWORK_ERROR, type(error).__name__)
                return False
        return True


def _code(error: WeChatClientException) -> int:
    try:
        return int(error.errcode)
    except (TypeError, ValueError):
        return failures.NETWORK_ERROR


def official_account_delivery(
    app_id: str, app_secret: str, api_base_url: str, redis_url: str, prefix: str,
    channel: str = "wechat",
) -> Delivery:
    client = OfficialAccountClient(
        app_id, app_secret, api_base_url=api_base_url,
        session=token_storage(redis_url, prefix), timeout=10,
    )
    return Delivery(channel, lambda user, text: client.message.send_text(user, text),
                    recipient=namespaces.wechat_openid)


def wecom_delivery(
    corp_id: str, secret: str, agent_id: int, api_base_url: str, redis_url: str, prefix: str,
    channel: str = "wecom",
) -> Delivery:
    client = WeComAppClient(
        corp_id, secret, api_base_url=api_base_url,
        session=token_storage(redis_url, prefix), timeout=10,
    )
    return Delivery(channel, lambda user, text: client.message.send_text(agent_id, user, text),
                    recipient=lambda conversation_id: namespaces.wecom_userid(conversation_id, corp_id))
