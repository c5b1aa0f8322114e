"""deploy/nginx.conf exposes the callers' paths and nothing of Rasa's HTTP API (issue 15, H4).
The file is parsed here and each path resolved as nginx does for prefix locations (no regex
locations are allowed, so the longest matching prefix decides)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"

Block = dict  # {"directives": [(name, [args])], "blocks": [(name, [args], Block)]}


def parse(text: str) -> Block:
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", re.sub(r"(?m)#.*$", "", text))
    root: Block = {"directives": [], "blocks": []}
    stack, words = [root], []
    for token in tokens:
        if token == ";":
            stack[-1]["directives"].append((words[0], words[1:]))
            words = []
        elif token == "{":
            block: Block = {"directives": [], "blocks": []}
            stack[-1]["blocks"].append((words[0], words[1:], block))
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words}"
            stack.pop()
        else:
            words.append(token.strip("'\""))
    assert len(stack) == 1 and not words, "unbalanced braces"
    return root


def values(block: Block, name: str) -> list[list[str]]:
    return [args for directive, args in block["directives"] if directive == name]


@pytest.fixture(scope="module")
def conf() -> Block:
    return parse(CONF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def public_server(conf) -> Block:
    [server] = [block for name, _, block in conf["blocks"]
                if name == "server" and any("443" in args for args in values(block, "listen"))]
    return server


def location_for(server: Block, path: str) -> tuple[str, Block]:
    locations = [(args, block) for name, args, block in server["blocks"] if name == "location"]
    assert all(len(args) == 1 for args, _ in locations), "only plain prefix locations are checked"
    matching = [(args[0], block) for args, block in locations if path.startswith(args[0])]
    return max(matching, key=lambda match: len(match[0]))


def proxied(block: Block) -> bool:
    return bool(values(block, "proxy_pass"))


@pytest.mark.parametrize("path", [
    "/model", "/model/parse", "/model/train", "/conversations/demo-1/tracker",
    "/conversations/demo-1/tracker/events", "/status", "/domain", "/version", "/", "/webhooks/rest/webhook",
])
def test_rasas_http_api_and_the_rest_channel_are_not_proxied(public_server, path):
    prefix, block = location_for(public_server, path)
    assert not proxied(block) and values(block, "return")[0][0] in ("403", "404"), prefix


@pytest.mark.parametrize("path", [
    "/webhooks/wechat/webhook", "/webhooks/wecom/webhook", "/webhooks/records/abcdefghijklmnopqrstuvwxyz012345",
    "/chat/", "/chat/widget.js", "/socket.io/?EIO=4&transport=websocket",
])
def test_the_callers_paths_are_proxied_with_a_rate_limit(public_server, path):
    prefix, block = location_for(public_server, path)
    assert proxied(block) and values(block, "limit_req"), prefix


def test_websockets_pass_on_socketio(public_server):
    _, block = location_for(public_server, "/socket.io/")
    headers = {args[0]: args[1] for args in values(block, "proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade" and "Connection" in headers


def test_bodies_are_capped_at_64k_and_tls_is_configured(conf, public_server):
    assert values(public_server, "client_max_body_size") == [["64k"]]
    assert values(public_server, "ssl_certificate") and values(public_server, "ssl_certificate_key")
    [plain] = [block for name, _, block in conf["blocks"]
               if name == "server" and any("80" in args for args in values(block, "listen"))]
    assert not any(proxied(block) for name, _, block in plain["blocks"] if name == "location")
    assert values(plain, "return")[0][0] == "301"


def test_the_access_log_records_no_query_string_and_no_record_token(conf, public_server):
    formats = {args[0]: " ".join(args[1:]) for args in values(conf, "log_format")}
    for server in (block for name, _, block in conf["blocks"] if name == "server"):
        for args in values(server, "access_log"):
            assert args[0] == "off" or len(args) > 1, "the default format logs $request"
            if args[0] != "off":
                logged = formats[args[1]]
                assert not re.search(r"\$(request\b|request_uri|args|query_string|arg_|uri\b)", logged), logged
    # The path it logs is $uri with record tokens replaced.
    [mapping] = [block for name, args, block in conf["blocks"] if name == "map" and args[0] == "$uri"]
    assert any(name.startswith("~^/webhooks/records/") and args == ["/webhooks/records/-"]
               for name, args in mapping["directives"])
