"""The WeChat callback protocol: signatures, timestamps, body safety, XML in and out.

Shared by the Official Account and the WeCom channel. Nothing here logs, and
nothing here knows about Rasa.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

# Markers of a document type declaration: entity definitions ("billion laughs")
# and external entities start there. The platform never sends one.
_FORBIDDEN_MARKERS = (b"<!doctype", b"<!entity")


class Refused(Exception):
    """A request that must get ``status`` and no turn; ``reason`` is safe to log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sha1_signature(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts, concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_signature(expected_parts: tuple, signature: str | None) -> None:
    if not signature:
        raise Refused(403, "missing signature")
    if not hmac.compare_digest(sha1_signature(*expected_parts), signature.lower()):
        raise Refused(403, "bad signature")


def check_fresh(timestamp: str | None, max_age_s: float, now: float | None = None) -> None:
    """Refuse a timestamp older (or further in the future) than ``max_age_s``."""
    if not timestamp or not timestamp.isdigit():
        raise Refused(403, "missing timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > max_age_s:
        raise Refused(403, "stale timestamp")


def check_body(body: bytes, max_bytes: int) -> None:
    if len(body) > max_bytes:
        raise Refused(413, "body too large")
    if not body.strip():
        raise Refused(400, "empty body")
    lowered = body.lower()
    if any(marker in lowered for marker in _FORBIDDEN_MARKERS):
        raise Refused(400, "document type declaration")


def parse_xml(body: Any, max_bytes: int) -> dict[str, Any]:
    """The children of the ``<xml>`` root; malformed or hostile XML is refused."""
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    check_body(raw, max_bytes)
    try:
        # xmltodict refuses entity declarations itself (disable_entities); the
        # marker check above refuses them before the parser sees them anyway.
        document = xmltodict.parse(raw, disable_entities=True)
    except (ExpatError, ValueError, UnicodeDecodeError):
        # `from None`: a refusal is the answer, the parser's error is not news (nor logged with it).
        raise Refused(400, "malformed XML") from None
    root = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise Refused(400, "no xml root")
    return root


def decrypt_envelope(crypto: Any, body: bytes, signature: str | None, timestamp: str | None, nonce: str,
                     max_bytes: int, wrong_owner: type, owner: str) -> dict[str, Any]:
    """The fields of a safe-mode (AES) message, for the Official Account's and
    WeCom's crypto alike; ``wrong_owner`` is their "another AppID/CorpID" error."""
    from wechatpy.exceptions import InvalidSignatureException

    if not signature:
        raise Refused(403, "missing signature")
    outer = parse_xml(body, max_bytes)
    if not outer.get("Encrypt"):
        raise Refused(400, "no Encrypt element")
    try:
        inner = crypto.decrypt_message(outer, signature, timestamp, nonce)
    except InvalidSignatureException:
        raise Refused(403, "bad signature") from None
    except wrong_owner:
        raise Refused(403, f"message for another {owner}") from None
    except Exception as error:
        raise Refused(400, f"undecryptable ({type(error).__name__})") from None
    return parse_xml(inner, max_bytes)


def cdata(text: Any) -> str:
    """``text`` inside CDATA; a ``]]>`` in it is split across two sections."""
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_text_reply(
    to_user: str, from_user: str, content: str, agent_id: int | None = None,
    create_time: int | None = None,
) -> str:
    """A passive text reply (wechatpy's TextReply does not escape ``]]>``)."""
    agent = f"<AgentID>{int(agent_id)}</AgentID>" if agent_id is not None else ""
    return (
        "<xml>"
        f"<ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time or time.time())}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content>"
        f"{agent}"
        "</xml>"
    )


def message_key(fields: dict[str, Any]) -> str:
    """The identity of a pushed message across the platform's retries:
    MsgId for messages, sender + CreateTime for events."""
    msg_id = fields.get("MsgId") or fields.get("MsgID")
    to_user = fields.get("ToUserName") or ""
    if msg_id:
        return f"{to_user}:msg:{msg_id}"
    return f"{to_user}:event:{fields.get('FromUserName', '')}:{fields.get('CreateTime', '')}"
