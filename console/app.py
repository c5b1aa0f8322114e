"""The console's pages (Flask). Every page but the login needs a logged-in staff
member; every form carries a CSRF token (Flask-WTF); session cookies are
HttpOnly and SameSite=Lax (Secure with CONSOLE_SECURE_COOKIES=1 behind HTTPS)."""
from __future__ import annotations

import logging
import math
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from console import accounts, audit, tickets
from console.config import ConsoleConfig
from console.rasa_api import RasaClient, RasaUnavailable, response_text, transcript_from_tracker
from console.throttle import LoginThrottle
from intake_core.desk.settings import handoff_settings
from intake_core.guidance.parameters import load_parameters, stale_figures
from intake_core.persistence.database import session_scope
from intake_core.practice_areas import case_types, staff_names
from intake_core.rights import copy
from intake_core.rights.console_erasure import erase_everywhere

logger = logging.getLogger(__name__)

HANDBACK_INTENT = "EXTERNAL_lawyer_handback"
MAX_REPLY_CHARS = 2000


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(handoff_settings().office_hours.timezone).strftime("%Y-%m-%d %H:%M")


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: never redirect a login to another host. Browsers drop
    # tabs and line breaks from URLs and read a backslash as a slash, so "/\t/evil" and "/\\evil"
    # become "//evil": refuse any control character, whitespace or backslash outright.
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)):
        return url_for("queue")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("queue")
    return target


def create_app(config: ConsoleConfig, throttle: LoginThrottle | None = None) -> Flask:
    app = Flask(__name__)
    throttle = throttle or LoginThrottle()
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,  # valid for the session: a lawyer may write a long reply
    )
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "login"
    login_manager.login_message = "请先登录"
    login_manager.user_loader(accounts.load_user)
    rasa = RasaClient(config.rasa_url, config.rasa_token)
    names = handoff_settings().names
    app.jinja_env.globals.update(names=names, local_time=_local, loads=tickets.loads,
                                 outcomes=tickets.OUTCOMES, case_types=case_types(),
                                 case_type_names=staff_names(), statuses=tickets.STATUSES)

    @app.context_processor
    def dated_figures_notice():
        # Every staff page says when a dated figure (the LPR) is past its review period, until a
        # lawyer updates parameters.yml: the assistant keeps computing with the old value.
        if not current_user.is_authenticated:
            return {"stale_figures": []}
        return {"stale_figures": stale_figures(load_parameters(), date.today())}

    @app.after_request
    def no_caching(response):
        # Case material must not linger in shared browser caches.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        # Flask would log the traceback, whose SQL error or frames can hold a lawyer's reply
        # or a caller's words: the type and the route only (issue 15, L6). HTTP errors (404,
        # CSRF's 400) keep their own answer.
        if isinstance(error, HTTPException):
            return error
        rule = request.url_rule.rule if request.url_rule else "-"
        logger.error("Console error on %s %s: %s.", request.method, rule, type(error).__name__)
        return "服务器内部错误，请稍后重试。", 500

    @app.errorhandler(tickets.TicketStateError)
    def refused(error: tickets.TicketStateError):
        # Claiming a closed ticket, replying before claiming, ...: say why, back to the ticket.
        flash(str(error))
        return redirect(url_for("ticket", ticket_id=(request.view_args or {}).get("ticket_id")))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            username, address = request.form.get("username", ""), request.remote_addr or "-"
            wait = throttle.wait_seconds(username, address)
            if wait > 0:  # checked before the password, so guessing stops even on the right one
                flash(f"登录失败次数过多，请 {math.ceil(wait / 60)} 分钟后再试")
                return render_template("login.html"), 429
            user = accounts.authenticate(username, request.form.get("password", ""))
            if user is None:
                throttle.failed(username, address)
                flash("用户名或密码不正确")
                return render_template("login.html"), 401
            throttle.succeeded(username)
            login_user(accounts.ConsoleUser(user))
            return redirect(_safe_next(request.args.get("next")))
        return render_template("login.html")

    @app.post("/logout")
    @login_required
    def logout():
        accounts.end_sessions(current_user.record.id)  # the old cookie must not work again
        logout_user()
        return redirect(url_for("login"))

    @app.get("/")
    @login_required
    def queue():
        status, case_type = request.args.get("status") or None, request.args.get("case_type") or None
        return render_template("queue.html", tickets=tickets.queue(status, case_type),
                               status=status, case_type=case_type)

    def _deliver(ticket_id: int, what: str, failure_message: str, send) -> bool:
        """Run ``send`` (a call to Rasa's HTTP API); if Rasa is unreachable, tell the
        lawyer and note it on the ticket instead of failing the page."""
        found = tickets.get(ticket_id)
        if found is not None and tickets.is_erased(found):
            return False  # the caller deleted their information: nothing goes to any conversation
        try:
            send()
            return True
        except RasaUnavailable as error:
            flash(f"{failure_message}（{error}）")
            tickets.note_delivery_failure(ticket_id, f"{what} not delivered: {error}")
            return False

    @app.get("/tickets/<int:ticket_id>")
    @login_required
    def ticket(ticket_id: int):
        found = _ticket_or_404(ticket_id)
        audit.record(current_user.record, "view_ticket", ticket_id)
        try:
            if tickets.is_erased(found):  # no conversation left: asking Rasa would make an empty one
                raise RasaUnavailable("erased")
            transcript, live = transcript_from_tracker(rasa.tracker(found.conversation_id)), True
        except RasaUnavailable:
            # The snapshot taken at the handoff, plus what was relayed since.
            transcript, live = tickets.loads(found.transcript, []), False
        return render_template("ticket.html", ticket=found, transcript=transcript, live=live)

    @app.post("/tickets/<int:ticket_id>/claim")
    @login_required
    def claim(ticket_id: int):
        claimed = tickets.claim(ticket_id, current_user.record)
        audit.record(current_user.record, "claim", ticket_id)
        notice = response_text("utter_lawyer_joined", lawyer_name=current_user.display_name,
                               handoff_ticket=claimed.ticket_no)
        _deliver(ticket_id, "claim notice", "已认领，但通知来访者失败",
                 lambda: rasa.say(claimed.conversation_id, notice, author="assistant",
                                  response="utter_lawyer_joined"))
        return redirect(url_for("ticket", ticket_id=ticket_id))

    @app.post("/tickets/<int:ticket_id>/reply")
    @login_required
    def reply(ticket_id: int):
        found = _ticket_or_404(ticket_id)
        text = (request.form.get("text") or "").strip()
        tickets.check_can_reply(found, current_user.record)
        if not text or len(text) > MAX_REPLY_CHARS:
            raise tickets.TicketStateError(f"回复不能为空，且不超过 {MAX_REPLY_CHARS} 字")
        audit.record(current_user.record, "reply", ticket_id)  # the attempt: delivered or not
        sent = _deliver(ticket_id, "lawyer reply", "发送失败，请稍后重试",
                        lambda: rasa.say(found.conversation_id, text, author="lawyer",
                                         author_name=current_user.display_name))
        if not sent:
            return redirect(url_for("ticket", ticket_id=ticket_id))
        tickets.record_reply(ticket_id, current_user.record, text)
        return redirect(url_for("ticket", ticket_id=ticket_id) + "#reply")

    def _give_back(conversation_id: str, ticket_id: int) -> None:
        _deliver(ticket_id, "hand-back", "交回助手失败，请重试",
                 lambda: rasa.trigger(conversation_id, HANDBACK_INTENT))

    @app.post("/tickets/<int:ticket_id>/hand-back")
    @login_required
    def hand_back(ticket_id: int):
        handed = tickets.hand_back(ticket_id, current_user.record)
        audit.record(current_user.record, "hand_back", ticket_id)
        _give_back(handed.conversation_id, ticket_id)
        return redirect(url_for("ticket", ticket_id=ticket_id))

    @app.post("/tickets/<int:ticket_id>/close")
    @login_required
    def close(ticket_id: int):
        found = _ticket_or_404(ticket_id)
        was_with_lawyer = tickets.close(ticket_id, current_user.record, request.form.get("outcome", ""))
        audit.record(current_user.record, "close", ticket_id)
        if was_with_lawyer:  # the caller is not left talking to nobody
            _give_back(found.conversation_id, ticket_id)
        return redirect(url_for("queue"))

    def _ticket_or_404(ticket_id: int):
        found = tickets.get(ticket_id)
        if found is None:
            abort(404)
        return found

    def _admin_only() -> None:
        if current_user.record.role != "admin":
            abort(403)

    @app.get("/tickets/<int:ticket_id>/export")
    @login_required
    def export(ticket_id: int):
        # The copy a caller asks for by phone or letter (PIPL art 45): what the assistant
        # would give them in the conversation, as plain text to hand over.
        found = _ticket_or_404(ticket_id)
        audit.record(current_user.record, "export", ticket_id)
        from actions.guidance import record_url  # here: that module loads the guidance at import
        with session_scope() as session:
            held = copy.describe(session, found.conversation_id, record_url) or "（无）"
        return held, 200, {"Content-Type": "text/plain; charset=utf-8",
                           "Content-Disposition": f"attachment; filename=ticket-{found.ticket_no}.txt"}

    @app.post("/tickets/<int:ticket_id>/erase")
    @login_required
    def erase(ticket_id: int):
        # A deletion a caller asks for outside the chat (PIPL art 47): admins only, audited first.
        _admin_only()
        found = _ticket_or_404(ticket_id)
        audit.record(current_user.record, "erase", ticket_id)
        erase_everywhere(found.conversation_id)
        flash("来访者的信息已删除")
        return redirect(url_for("queue"))

    @app.get("/audit")
    @login_required
    def audit_log():
        _admin_only()
        audit.record(current_user.record, "view_audit")
        return render_template("audit.html", entries=audit.latest())

    return app
