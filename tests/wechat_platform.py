"""A stand-in for the WeChat / WeCom platform in tests.

``Platform`` pushes messages to a channel's webhook as the platform does: it
signs (plaintext mode) or encrypts and signs (compatible / safe mode, WeCom),
waits ``timeouts[i]`` seconds for request i and retries after a timeout (3
requests in all, 5 s each on the real platform), and opens the passive reply.

``FakeApi`` is the customer-service / app message API and the token endpoint:
a local HTTP server that records every message and can answer an error code
for chosen users.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto

from channels.wechat.protocol import cdata, sha1_signature

# wechatpy's own test vector (tests/test_crypto.py in wechatpy/wechatpy), the
# one the platform documentation publishes.
VECTOR_TOKEN = "123456"
VECTOR_AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
VECTOR_ID = "wx49f0ab532d5d035a"


def random_aes_key() -> str:
    import base64

    return base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def message_xml(fields: dict[str, object]) -> str:
    parts = []
    for name, value in fields.items():
        if isinstance(value, int):
            parts.append(f"<{name}>{value}</{name}>")
        else:
            parts.append(f"<{name}>{cdata(value)}</{name}>")
    return "<xml>" + "".join(parts) + "</xml>"


@dataclass
class Push:
    """What happened to one pushed message."""

    statuses: list[int | None] = field(default_factory=list)  # None: timed out
    body: str = ""
    reply: dict[str, str] | None = None  # the opened passive reply, if any

    @property
    def status(self) -> int | None:
        return self.statuses[-1] if self.statuses else None

    @property
    def content(self) -> str:
        return (self.reply or {}).get("Content") or ""


class Platform:
    def __init__(
        self, webhook_url: str, token: str, *, mode: str = "plain", app_id: str = "",
        encoding_aes_key: str = "", wecom: bool = False, account: str = "gh_test_account",
        timeouts: Sequence[float] = (5.0, 5.0, 5.0),
    ) -> None:
        assert mode in ("plain", "compatible", "safe")
        self.url = webhook_url
        self.token = token
        self.mode = "safe" if wecom else mode
        self.wecom = wecom
        self.account = app_id if wecom else account
        self.timeouts = list(timeouts)
        self.crypto = None
        if encoding_aes_key:
            self.crypto = (WeComCrypto if wecom else WeChatCrypto)(token, encoding_aes_key, app_id)
        self._msg_id = int(time.time() * 1000) * 1000

    def conversation_id(self, user: str) -> str:
        """The Rasa conversation id the channel gives ``user`` (intake_core/namespaces.py)."""
        from intake_core import namespaces

        return namespaces.wecom_id(self.account, user) if self.wecom else namespaces.wechat_id(user)

    def next_msg_id(self) -> int:
        self._msg_id += 1
        return self._msg_id

    # -- message helpers -------------------------------------------------------------

    def text(self, user: str, content: str, **extra) -> dict[str, object]:
        return self._fields(user, "text", Content=content, MsgId=self.next_msg_id(), **extra)

    def voice(self, user: str, recognition: str = "") -> dict[str, object]:
        fields = dict(MediaId="media-voice-1", Format="amr", MsgId=self.next_msg_id())
        if not self.wecom:
            fields["Recognition"] = recognition
        return self._fields(user, "voice", **fields)

    def image(self, user: str, media_id: str, url: str) -> dict[str, object]:
        return self._fields(user, "image", PicUrl=url, MediaId=media_id, MsgId=self.next_msg_id())

    def event(self, user: str, event: str) -> dict[str, object]:
        return self._fields(user, "event", Event=event, EventKey="")

    def _fields(self, user: str, kind: str, **extra) -> dict[str, object]:
        fields: dict[str, object] = {
            "ToUserName": self.account, "FromUserName": user,
            "CreateTime": int(time.time()) + secrets.randbelow(10_000), "MsgType": kind,
        }
        fields.update(extra)
        if self.wecom:
            fields["AgentID"] = 1
        return fields

    # -- the wire ----------------------------------------------------------------------

    def signed_query(self, body_encrypt: str | None = None, timestamp: int | None = None) -> dict[str, str]:
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = str(secrets.randbelow(10**9))
        query = {"timestamp": timestamp, "nonce": nonce}
        if not self.wecom:
            query["signature"] = sha1_signature(self.token, timestamp, nonce)
        if body_encrypt is not None:
            query["encrypt_type"] = "aes"
            query["msg_signature"] = sha1_signature(self.token, timestamp, nonce, body_encrypt)
        if not self.wecom and body_encrypt is None:
            query["openid"] = "ignored"
        return query

    def seal(self, xml: str, timestamp: int | None = None):
        """(body, query) as the platform sends ``xml`` in this mode."""
        if self.mode == "plain":
            return xml, self.signed_query(timestamp=timestamp)
        nonce = str(secrets.randbelow(10**9))
        sealed = xmltodict.parse(self.crypto.encrypt_message(xml, nonce))["xml"]
        encrypt = sealed["Encrypt"]
        if self.mode == "compatible":
            body = xml.replace("</xml>", f"<Encrypt>{cdata(encrypt)}</Encrypt></xml>")
        else:
            body = message_xml({"ToUserName": self.account, "Encrypt": encrypt})
        return body, self.signed_query(encrypt, timestamp=timestamp)

    def post_raw(self, body, query: dict[str, str], timeout: float = 30) -> requests.Response:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return requests.post(self.url, params=query, data=data, timeout=timeout,
                             headers={"Content-Type": "text/xml"})

    def push(self, fields: dict[str, object]) -> Push:
        """Send ``fields`` as the platform does, retrying after timeouts."""
        xml = message_xml(fields)
        result = Push()
        for timeout in self.timeouts:
            body, query = self.seal(xml)  # each retry is signed afresh
            try:
                answer = self.post_raw(body, query, timeout=timeout)
            except (requests.Timeout, requests.ConnectionError):
                result.statuses.append(None)
                continue
            result.statuses.append(answer.status_code)
            result.body = answer.text
            if answer.status_code == 200:
                result.reply = self.open_reply(answer.text)
            return result
        return result

    def open_reply(self, text: str) -> dict[str, str] | None:
        if not text or text == "success":
            return None
        outer = xmltodict.parse(text)["xml"]
        if "Encrypt" not in outer:
            return outer
        expected = sha1_signature(self.token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
        assert outer["MsgSignature"] == expected, "the reply's signature does not verify"
        inner = self.crypto.decrypt_message(
            {"Encrypt": outer["Encrypt"]}, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"]
        )
        return xmltodict.parse(inner)["xml"]

    def verify_url(self, echostr: str, timestamp: int | None = None, forge: bool = False) -> requests.Response:
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = str(secrets.randbelow(10**9))
        if self.wecom:
            from wechatpy.enterprise.crypto import PrpCrypto

            echo = PrpCrypto(self.crypto.key).encrypt(echostr, self.account).decode()
            signature = sha1_signature(self.token, timestamp, nonce, echo)
            query = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": echo}
        else:
            signature = sha1_signature(self.token, timestamp, nonce)
            query = {"signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
        if forge:
            key = "msg_signature" if self.wecom else "signature"
            query[key] = "0" * 40
        return requests.get(self.url, params=query, timeout=10)


class FakeApi:
    """The customer-service API (``message/custom/send``), WeCom's ``message/send``
    and both token endpoints, on 127.0.0.1. ``base_url`` goes into ``api_base_url``."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.token_calls = 0
        self.errors: dict[str, int] = {}  # touser -> errcode to answer
        self._changed = threading.Condition()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                return None

            def _json(self, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urlparse(self.path).path
                if path.endswith("/token") or path.endswith("/gettoken"):
                    with api._changed:
                        api.token_calls += 1
                    self._json({"access_token": "FAKE_ACCESS_TOKEN", "expires_in": 7200})
                else:
                    self._json({"errcode": 40001, "errmsg": "unknown"})

            def do_POST(self) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(length) or b"{}")
                token = parse_qs(parsed.query).get("access_token", [""])[0]
                if token != "FAKE_ACCESS_TOKEN":
                    self._json({"errcode": 40014, "errmsg": "invalid access_token"})
                    return
                user = data.get("touser", "")
                code = api.errors.get(user, 0)
                with api._changed:
                    api.sent.append({"path": parsed.path, "code": code, **data})
                    api._changed.notify_all()
                self._json({"errcode": code, "errmsg": "ok" if code == 0 else "refused"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin/"

    def messages_to(self, user: str) -> list[dict]:
        with self._changed:
            return [message for message in self.sent if message.get("touser") == user]

    def texts_to(self, user: str) -> list[str]:
        return [message["text"]["content"] for message in self.messages_to(user) if message.get("code") == 0]

    def wait_for(self, user: str, count: int = 1, timeout: float = 60) -> list[dict]:
        """Block until ``count`` messages to ``user`` were received (or fail)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                received = [m for m in self.sent if m.get("touser") == user]
                if len(received) >= count:
                    return received
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} API message(s), got {len(received)}")
                self._changed.wait(remaining)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
