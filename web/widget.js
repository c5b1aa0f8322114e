/*
 * The assistant's website chat widget: plain JavaScript on socket.io-client 4 (loaded first,
 * from /chat/socket.io.min.js), talking to Rasa's socket.io channel (channels/socketio.py).
 *
 * Protocol: on every (re)connection the widget emits `session_request {session_id}` with the
 * id kept in localStorage and waits for `session_confirm`; it sends `user_uttered {message,
 * session_id, customData}` and shows each `bot_uttered {text, quick_replies, attachment}`.
 * Rasa does not replay a conversation, so the widget keeps its own copy of the messages in
 * localStorage (on the caller's device only; "新对话" clears it). That copy and the session id
 * expire 24 hours after the last message (data-history-hours="..." on the script tag, or
 * CHAT_HISTORY_HOURS on the server): on a shared device the next person must not find a
 * violence victim's story, nor resume the conversation and receive its lawyer's replies
 * (issue 16, M9).
 *
 * Embedding: <script src="https://ASSISTANT/chat/socket.io.min.js" defer></script>
 *            <script src="https://ASSISTANT/chat/widget.js" defer></script>
 * The server is the address widget.js was loaded from (or data-server="..."). With an element
 * id="intake-chat" on the page the widget fills it; without one a button in the corner opens it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var server = (script && script.getAttribute("data-server")) ||
    new URL(script ? script.src : location.href, location.href).origin;
  server = server.replace(/\/+$/, "");
  var storeKey = "intake-chat:" + server;
  var SESSION_KEY = storeKey + ":session";
  var HISTORY_KEY = storeKey + ":history";
  var SAVED_AT_KEY = storeKey + ":saved_at";  // time of the last message kept (ms)
  var DEFAULT_HISTORY_HOURS = 24;
  var MAX_HISTORY = 300;
  var TYPING_TIMEOUT_MS = 20000;
  var FALLBACK = {
    title: "在线法律咨询",
    disclaimer: "这里提供的是初步法律咨询，不代表律所已经接受委托或代理您的案件。"
  };

  // ---- storage (localStorage may be unavailable: private mode, blocked cookies) ----
  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function positiveHours(value) {
    var hours = parseFloat(value);
    return hours > 0 ? hours : null;
  }
  var historyHours = positiveHours(script && script.getAttribute("data-history-hours")) || DEFAULT_HISTORY_HOURS;
  function keptTooLong(hours) {
    var savedAt = load(SAVED_AT_KEY, null);
    // Kept without a time (an older widget): as good as expired.
    return typeof savedAt !== "number" || Date.now() - savedAt > hours * 3600 * 1000;
  }
  function forgetConversation() {
    forget(HISTORY_KEY);
    forget(SESSION_KEY);
    forget(SAVED_AT_KEY);
  }
  function touch() { save(SAVED_AT_KEY, Date.now()); }
  if (keptTooLong(historyHours)) { forgetConversation(); }

  var sessionId = load(SESSION_KEY, null);
  var history = load(HISTORY_KEY, []);
  if (!Array.isArray(history)) { history = []; }

  // ---- DOM ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; }
      else if (name === "className") { node.className = attrs[name]; }
      else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  if (!document.querySelector('link[data-intake-chat]') && !document.querySelector('link[href$="widget.css"]')) {
    document.head.appendChild(el("link", { rel: "stylesheet", href: server + "/chat/widget.css", "data-intake-chat": "" }));
  }

  var container = document.getElementById((script && script.getAttribute("data-container")) || "intake-chat");
  var panel = null;
  var launcher = null;
  if (!container) {
    panel = el("div", { className: "ic-panel", id: "intake-chat-panel", hidden: "" });
    launcher = el("button", { className: "ic-launcher", type: "button", "aria-controls": "intake-chat-panel",
                              "aria-expanded": "false", text: "在线咨询" });
    document.body.appendChild(panel);
    document.body.appendChild(launcher);
    container = panel;
  }

  var titleNode = el("h1", { className: "ic-title", id: "ic-title", text: FALLBACK.title });
  var statusNode = el("div", { className: "ic-status", role: "status", "data-state": "connecting", text: "连接中…" });
  var newButton = el("button", { type: "button", className: "ic-new", text: "新对话",
                                 title: "结束当前对话，并清除本设备上保存的聊天记录" });
  var headerChildren = [titleNode, statusNode, newButton];
  var closeButton = null;
  if (panel) {
    closeButton = el("button", { type: "button", "aria-label": "关闭咨询窗口", text: "✕" });
    headerChildren.push(closeButton);
  }
  var disclaimerText = el("span", { text: FALLBACK.disclaimer });
  var disclaimer = el("p", { className: "ic-disclaimer", role: "note" },
                      [el("strong", { text: "温馨提示" }), disclaimerText]);
  var typing = el("div", { className: "ic-typing", hidden: "", role: "img", "aria-label": "正在输入" },
                  [el("span"), el("span"), el("span")]);
  var log = el("div", { className: "ic-log", role: "log", "aria-live": "polite", "aria-label": "对话记录" },
               [disclaimer, typing]);
  var input = el("textarea", { id: "ic-input", rows: "1", maxlength: "2000", autocomplete: "off",
                               placeholder: "请描述您遇到的问题", enterkeyhint: "send" });
  var sendButton = el("button", { type: "submit", text: "发送" });
  var form = el("form", { className: "ic-composer" },
                [el("label", { className: "ic-sr", "for": "ic-input", text: "输入您的问题" }), input, sendButton]);
  var root = el("section", { className: "ic", "aria-labelledby": "ic-title" },
                [el("header", { className: "ic-header" }, headerChildren), log, form]);
  container.appendChild(root);

  fetch(server + "/chat/config.json").then(function (r) { return r.ok ? r.json() : FALLBACK; })
    .then(function (config) {
      titleNode.textContent = config.title || FALLBACK.title;
      disclaimerText.textContent = config.disclaimer || FALLBACK.disclaimer;
      // The server's setting, unless the embedding page chose its own.
      var serverHours = positiveHours(config.history_hours);
      if (serverHours && !(script && script.getAttribute("data-history-hours"))) {
        historyHours = serverHours;
        if (history.length && keptTooLong(historyHours)) { clearConversation(); }
      }
    }).catch(function () { /* the fallback text stays */ });

  // ---- rendering ----
  var URL_PATTERN = /(https?:\/\/[^\s<>"'，。；！？）】]+)/g;
  function renderText(node, text) {
    String(text).split(URL_PATTERN).forEach(function (part, i) {
      if (i % 2 === 1) {
        node.appendChild(el("a", { href: part, target: "_blank", rel: "noopener noreferrer", text: part }));
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
  }
  function timeLabel(ts) {
    var d = new Date(ts);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function render(entry) {
    var bubble = el("div", { className: "ic-bubble" });
    if (entry.text) { renderText(bubble, entry.text); }
    if (entry.image && /^https?:\/\//.test(entry.image)) {
      bubble.appendChild(el("img", { src: entry.image, alt: "图片" }));
    }
    var who = entry.from === "user" ? "您" : "助手";
    var node = el("div", { className: "ic-msg ic-msg-" + entry.from },
                  [el("span", { className: "ic-sr", text: who + "：" }), bubble,
                   el("span", { className: "ic-time", "aria-hidden": "true", text: timeLabel(entry.ts) })]);
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", { className: "ic-replies", role: "group", "aria-label": "快捷回复" });
      entry.buttons.forEach(function (button) {
        var b = el("button", { type: "button", text: button.title });
        if (entry.answered) {
          b.disabled = true;
          if (entry.answered === button.title) { b.setAttribute("aria-pressed", "true"); }
        }
        b.addEventListener("click", function () { choose(entry, button); });
        group.appendChild(b);
      });
      node.appendChild(group);
      entry.node = node;
    }
    log.insertBefore(node, typing);
    scrollDown();
  }

  function saveHistory() {
    save(HISTORY_KEY, history.map(function (e) {
      return { from: e.from, text: e.text, image: e.image, buttons: e.buttons, answered: e.answered, ts: e.ts };
    }));
    touch();
  }
  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) { history = history.slice(-MAX_HISTORY); }
    saveHistory();
  }
  function clearConversation() {
    forgetConversation();
    history = [];
    sessionId = null;
    Array.prototype.slice.call(log.querySelectorAll(".ic-msg")).forEach(function (n) { n.remove(); });
    hideTyping();
  }

  function closeQuickReplies(chosenTitle, chosenEntry) {
    history.forEach(function (entry) {
      if (entry.buttons && entry.buttons.length && !entry.answered) {
        entry.answered = entry === chosenEntry ? chosenTitle : "-";
        if (entry.node) {
          Array.prototype.forEach.call(entry.node.querySelectorAll(".ic-replies button"), function (b) {
            b.disabled = true;
            if (entry === chosenEntry && b.textContent === chosenTitle) { b.setAttribute("aria-pressed", "true"); }
          });
        }
      }
    });
  }

  history.forEach(render);

  // ---- typing indicator ----
  var typingTimer = null;
  function showTyping() {
    typing.hidden = false;
    scrollDown();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);  // never stuck
  }
  function hideTyping() { typing.hidden = true; clearTimeout(typingTimer); }

  // ---- connection ----
  var ready = false;   // session confirmed on the current socket
  var outbox = [];     // messages typed while not (yet) confirmed
  function setStatus(state, text) { statusNode.setAttribute("data-state", state); statusNode.textContent = text; }

  if (typeof window.io !== "function") {
    setStatus("offline", "无法加载聊天组件");
    return;
  }
  var socket = window.io(server, { path: "/socket.io", reconnectionDelayMax: 10000 });

  socket.on("connect", function () {
    ready = false;
    setStatus("connecting", "连接中…");
    socket.emit("session_request", { session_id: sessionId });
  });
  socket.on("session_confirm", function (confirmed) {
    var id = typeof confirmed === "string" ? confirmed : (confirmed && confirmed.session_id);
    if (sessionId && id !== sessionId) { clearConversation(); }  // not resumed: a new conversation
    sessionId = id;
    save(SESSION_KEY, sessionId);
    touch();
    ready = true;
    setStatus("online", "在线");
    while (outbox.length) { socket.emit("user_uttered", withSession(outbox.shift())); }
  });
  socket.on("disconnect", function () {
    ready = false;
    hideTyping();
    setStatus("connecting", "连接中断，正在重新连接…");
  });
  socket.io.on("reconnect_attempt", function () { setStatus("connecting", "正在重新连接…"); });
  socket.on("connect_error", function () { setStatus("offline", "暂时连不上，正在重试…"); });

  socket.on("bot_uttered", function (message) {
    if (!message || typeof message !== "object") { return; }
    hideTyping();
    var entry = {
      from: "bot",
      text: typeof message.text === "string" ? message.text : "",
      image: message.attachment && message.attachment.type === "image" && message.attachment.payload
        ? message.attachment.payload.src : undefined,
      buttons: (message.quick_replies || message.buttons || []).map(function (b) {
        return { title: String(b.title), payload: String(b.payload) };
      }),
      ts: Date.now()
    };
    if (!entry.text && !entry.image) { return; }
    remember(entry);
    render(entry);
  });

  function withSession(payload) {
    return { message: payload, session_id: sessionId,
             customData: { page: location.origin + location.pathname } };
  }

  function send(shownText, payload) {
    closeQuickReplies();
    var entry = { from: "user", text: shownText, ts: Date.now() };
    remember(entry);
    render(entry);
    showTyping();
    if (ready) { socket.emit("user_uttered", withSession(payload)); } else { outbox.push(payload); }
  }

  function choose(entry, button) {
    if (entry.answered) { return; }
    closeQuickReplies(button.title, entry);
    send(button.title, button.payload);
  }

  // ---- composer ----
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 140) + "px";
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    autosize();
    send(text, text);
    input.focus();
  });
  input.addEventListener("input", autosize);
  input.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter breaks the line; never while a Chinese input method is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  newButton.addEventListener("click", function () {
    if (history.length && !window.confirm("开始新的对话？本设备上保存的聊天记录将被清除。")) { return; }
    clearConversation();
    outbox = [];
    // A new socket, so the old conversation's room is left; "connect" asks for a new session.
    socket.disconnect().connect();
  });

  if (panel) {
    var toggle = function (open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) { scrollDown(); input.focus(); } else { launcher.focus(); }
    };
    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    closeButton.addEventListener("click", function () { toggle(false); });
  }
})();
