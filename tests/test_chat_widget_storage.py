"""What the chat widget leaves in the browser (issue 16, M9): its copy of a conversation and
the session id expire (24 hours after the last message by default, data-history-hours or the
server's CHAT_HISTORY_HOURS otherwise), and 新对话 removes them. In chromium, on a static page:
no assistant is needed to read and clear localStorage; socket.io is a stand-in that only
confirms the session (the real channel: tests/test_chat_widget.py)."""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from assistant_server import free_port
from browser import new_page

WEB = Path(__file__).resolve().parent.parent / "web"
# Confirms whatever session is asked for, as Rasa's socket.io channel does for a known id.
FAKE_SOCKET_IO = """
window.io = function () {
  var handlers = {};
  var socket = {
    on: function (name, fn) { handlers[name] = fn; return socket; },
    emit: function (name, data) {
      if (name === "session_request") {
        setTimeout(function () { handlers.session_confirm(data.session_id || "new-session"); }, 0);
      }
    },
    io: { on: function () {} },
    disconnect: function () { return socket; },
    connect: function () { setTimeout(function () { handlers.connect(); }, 0); return socket; }
  };
  setTimeout(function () { handlers.connect(); }, 0);
  return socket;
};
"""
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>
<div id="intake-chat"></div>
<script src="/fake-socket-io.js"></script>
<script src="/widget.js" {attributes}></script>
</body></html>"""
HOUR_MS = 3600 * 1000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    shutil.copy(WEB / "widget.js", root / "widget.js")
    (root / "fake-socket-io.js").write_text(FAKE_SOCKET_IO, encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(attributes=""), encoding="utf-8")
    (root / "blank.html").write_text("<!doctype html><title>firm</title>", encoding="utf-8")  # no widget
    (root / "one-hour.html").write_text(PAGE.format(attributes='data-history-hours="1"'), encoding="utf-8")
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def _stored(page, site, saved_hours_ago):
    """A conversation kept by an earlier visit, its last message ``saved_hours_ago``."""
    key = f"intake-chat:{site}"
    now = int(time.time() * 1000)
    history = [{"from": "user", "text": "他打我，我想离婚", "ts": now - int(saved_hours_ago * HOUR_MS)}]
    page.evaluate("([k, h, s]) => { localStorage.setItem(k + ':history', h);"
                  " localStorage.setItem(k + ':session', JSON.stringify('old-session'));"
                  " localStorage.setItem(k + ':saved_at', s); }",
                  [key, json.dumps(history, ensure_ascii=False), str(now - int(saved_hours_ago * HOUR_MS))])


def _kept(page, site):
    return page.evaluate("k => [localStorage.getItem(k + ':history'), localStorage.getItem(k + ':session')]",
                         f"intake-chat:{site}")


def _visit_after(browser, site, path, saved_hours_ago):
    page = new_page(browser)
    page.goto(f"{site}/blank.html")  # the same origin, but no widget running to write meanwhile
    _stored(page, site, saved_hours_ago)
    page.goto(f"{site}/{path}")
    page.locator(".ic-status[data-state='online']").wait_for()
    return page


def test_a_conversation_kept_longer_than_a_day_is_gone_on_the_next_visit(browser, site):
    page = _visit_after(browser, site, "index.html", saved_hours_ago=25)
    assert page.locator(".ic-msg").count() == 0
    history, session = _kept(page, site)
    assert history is None and json.loads(session) == "new-session"  # the old session is not resumed


def test_a_conversation_within_its_day_is_still_shown(browser, site):
    page = _visit_after(browser, site, "index.html", saved_hours_ago=23)
    assert "他打我" in page.locator(".ic-msg-user").inner_text()
    assert json.loads(_kept(page, site)[1]) == "old-session"


def test_how_long_the_widget_keeps_a_conversation_is_configurable(browser, site):
    page = _visit_after(browser, site, "one-hour.html", saved_hours_ago=2)
    assert page.locator(".ic-msg").count() == 0
    assert _kept(page, site)[0] is None


def test_new_conversation_removes_the_copy_and_the_session(browser, site):
    page = _visit_after(browser, site, "index.html", saved_hours_ago=1)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="新对话").click()
    page.locator(".ic-msg").first.wait_for(state="detached")
    page.locator(".ic-status[data-state='online']").wait_for()
    history, session = _kept(page, site)
    assert history is None and json.loads(session) == "new-session"


def test_the_server_tells_the_widget_how_many_hours(monkeypatch):
    from intake_core.config import chat_history_hours

    monkeypatch.delenv("CHAT_HISTORY_HOURS", raising=False)
    assert chat_history_hours() == 24
    monkeypatch.setenv("CHAT_HISTORY_HOURS", "6")
    assert chat_history_hours() == 6
