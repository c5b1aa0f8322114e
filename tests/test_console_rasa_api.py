"""The console's side of Rasa's HTTP API (console/rasa_api.py): a lawyer's reply, the
hand-back and the overdue update go to the channel the conversation lives on, read from
its id, never to the latest input channel a client may have claimed (issue 15, H1).

Rasa stands in as a local HTTP endpoint that records each request; how Rasa turns the
``output_channel`` name into an input channel's output is checked with Rasa's own
``rasa.server._get_output_channel``."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.channels.rest import RestInput
from rasa.server import _get_output_channel

from channels.wechat import WeChatInput, WeComInput
from channels.wechat.output import WeChatOutput
from console.rasa_api import RasaClient
from wechat_platform import random_aes_key


@pytest.fixture
def rasa_http():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            parsed = urlparse(self.path)
            seen.append((unquote(parsed.path), {k: v[0] for k, v in parse_qs(parsed.query).items()}))
            body = json.dumps({"messages": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(client=RasaClient(f"http://127.0.0.1:{server.server_address[1]}", "t"), seen=seen)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("conversation_id, channel", [
    ("wechat:oCaller", "wechat"), ("wecom:ww01:zhangsan", "wecom"), ("web:" + "b" * 32, "socketio"),
    ("demo-1", "rest"),
])
def test_replies_and_triggers_name_the_conversations_own_channel(rasa_http, conversation_id, channel):
    rasa_http.client.say(conversation_id, "我是王律师。", author="lawyer")
    rasa_http.client.trigger(conversation_id, "EXTERNAL_lawyer_handback")
    [(say_path, say_query), (trigger_path, trigger_query)] = rasa_http.seen
    assert say_path == f"/conversations/{conversation_id}/tracker/events"
    assert trigger_path == f"/conversations/{conversation_id}/trigger_intent"
    assert say_query["output_channel"] == trigger_query["output_channel"] == channel
    assert say_query["execute_side_effects"] == "true"


def test_rasa_resolves_those_names_to_the_channels_own_output_and_rest_collects():
    # What rasa/server.py does with ?output_channel=<name>: the registered input channel
    # of that name gives its output; REST has none, so the reply is collected (kept in
    # the tracker and shown in the console), as it was with "latest" for REST.
    wechat = WeChatInput("tok", "wxapp", "secret", random_aes_key())
    wecom = WeComInput("ww01", 1000002, "s", "tok", random_aes_key())
    app = SimpleNamespace(ctx=SimpleNamespace(input_channels=[RestInput(), wechat, wecom]))

    def resolved(name):
        return _get_output_channel(SimpleNamespace(args={"output_channel": name}, app=app), None)

    assert isinstance(resolved("wechat"), WeChatOutput) and resolved("wechat").name() == "wechat"
    assert isinstance(resolved("wecom"), WeChatOutput) and resolved("wecom").name() == "wecom"
    assert type(resolved("rest")) is CollectingOutputChannel
