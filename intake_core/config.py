"""Every environment variable the product reads: declared here, read here (issue 17).

Each variable is declared once (name, kind, default, what it is for, which processes use it,
where outside Python it is read) and read only through the reader functions below. A reader
reads the environment on every call, so a test's ``monkeypatch.setenv`` or another process's
environment is honoured without a cache to reset, and validates: a value it cannot use is a
:class:`ConfigError` naming the variable, never a silent default (a mistyped period must not
keep or delete data for another one). The value of a secret is never put in an error message.

Some variables are read by Rasa itself (``${VAR}`` in credentials.yml and the endpoints files)
or by the launch scripts (scripts/*.sh); they are declared too, so that docs/configuration.md,
written from these declarations (``python -m intake_core.config --write``), lists every one.
tests/test_config.py checks that no other module reads the environment, that every ``${VAR}``
of those files is declared, and that the document is up to date.

Also the project's paths (``PROJECT_ROOT``, ``VAR_DIR``): the embedded defaults live under var/.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, overload

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
DOC_PATH = PROJECT_ROOT / "docs" / "configuration.md"

# The processes, as the document names them.
RASA = "Rasa"
ACTIONS = "action server"
CONSOLE = "console"
MIGRATIONS = "migrations"
LAUNCH = "make run / make shell / make db"
TOOLS = "make simulate"
PROCESSES = (RASA, ACTIONS, CONSOLE, MIGRATIONS, LAUNCH, TOOLS)

Env = Mapping[str, str] | None


class ConfigError(ValueError):
    """A variable's value cannot be used. A ValueError, so that command-line entry points that
    already report ValueErrors (``python -m console purge``) report it the same way."""


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str  # how the value is read, as the document says it
    default: str  # as the document says it; "" means none
    purpose: str
    processes: tuple[str, ...]
    group: str
    secret: bool = False  # never in an error message or a repr
    # Where outside this module it is read: Rasa's YAML files, the launch scripts.
    read_outside: tuple[str, ...] = ()


VARIABLES: dict[str, Variable] = {}
READERS: dict[str, list[Callable[..., object]]] = {}
_Reader = TypeVar("_Reader", bound=Callable[..., object])


def declare(
    name: str,
    kind: str,
    default: str,
    purpose: str,
    processes: tuple[str, ...],
    group: str,
    secret: bool = False,
    read_outside: tuple[str, ...] = (),
) -> Variable:
    assert name not in VARIABLES, name
    assert set(processes) <= set(PROCESSES), processes
    variable = Variable(name, kind, default, purpose, processes, group, secret, read_outside)
    VARIABLES[name] = variable
    return variable


def reads(*variables: Variable) -> Callable[[_Reader], _Reader]:
    """Marks a reader of ``variables`` (for :func:`check` and the document)."""

    def register(reader: _Reader) -> _Reader:
        for variable in variables:
            READERS.setdefault(variable.name, []).append(reader)
        return reader

    return register


# -- declarations (the order is the document's) ------------------------------------------

STORES = "Databases and encryption"
SECRETS = "Secrets between the processes"
ADDRESSES = "Addresses and ports"
PRIVACY = "Privacy periods"
DESK = "Lawyer console and staff notifications"
WIDGET = "Website chat widget"
WECHAT = "WeChat and WeCom channels (credentials.yml)"
PRODUCTION = "Production stores (endpoints.production.yml)"
RASA_OWN = "Rasa's own"

DATABASE_URL = declare(
    "DATABASE_URL",
    "database URL",
    "`sqlite:///var/app.db`",
    "application database (handoff tickets, intakes and answers, consultation records), e.g. "
    "`postgresql+psycopg2://user:pw@host/intake?sslmode=verify-full`; secret because it may hold a password",
    (RASA, ACTIONS, CONSOLE, MIGRATIONS),
    STORES,
    secret=True,
)
APP_ENCRYPTION_KEYS = declare(
    "APP_ENCRYPTION_KEYS",
    "comma-separated Fernet keys",
    "none: `make db` / `make run` generate one into " "`APP_ENCRYPTION_KEYS_FILE`",
    "encrypt case contents at rest, in the application database and the tracker store; the first encrypts, "
    "all decrypt. Required: the servers and migration 0007 do not start without it (checked by "
    "`intake_core/persistence/encryption.py`, which names the variable)",
    (RASA, ACTIONS, CONSOLE, MIGRATIONS),
    STORES,
    secret=True,
    read_outside=("scripts/local-keys.sh",),
)
APP_ENCRYPTION_KEYS_FILE = declare(
    "APP_ENCRYPTION_KEYS_FILE",
    "path",
    "`var/encryption-keys`",
    "where `make db` / `make run` keep a key they generated (mode 600)",
    (LAUNCH,),
    STORES,
    read_outside=("scripts/local-keys.sh",),
)
TRACKER_DB = declare(
    "TRACKER_DB",
    "path",
    "`var/tracker.db`",
    "SQLite file of Rasa's conversation tracker store (embedded mode, endpoints.yml)",
    (RASA, CONSOLE),
    STORES,
    read_outside=("endpoints.yml", "scripts/run.sh", "scripts/shell.sh"),
)
SQLITE_DURABLE = declare(
    "SQLITE_DURABLE",
    "yes/no",
    "no",
    "the embedded SQLite databases (`DATABASE_URL`, `TRACKER_DB`) run in WAL mode; no: a commit does not wait "
    "for the disk (a crash of a program loses nothing committed, a power cut or a crash of the machine may "
    "lose the last commits); yes: every commit waits for the disk (about 3 ms a commit more). PostgreSQL "
    "always commits durably (intake_core/persistence/sqlite.py)",
    (RASA, ACTIONS, CONSOLE, MIGRATIONS),
    STORES,
)
TRACKER_STORE_URL = declare(
    "TRACKER_STORE_URL",
    "database URL",
    "built from `TRACKER_DB_*` when `TRACKER_DB_HOST` is set, " "else `sqlite:///$TRACKER_DB`",
    "where the console's deletion and purge reach Rasa's tracker store (the database Rasa uses), "
    "e.g. `postgresql+psycopg2://rasa@db/rasa`; secret because it may hold a password",
    (CONSOLE,),
    STORES,
    secret=True,
)
TRACKER_DB_HOST = declare(
    "TRACKER_DB_HOST",
    "host name",
    "none (embedded SQLite)",
    "PostgreSQL host of the tracker store with `endpoints.production.yml`",
    (RASA, CONSOLE),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
TRACKER_DB_PORT = declare(
    "TRACKER_DB_PORT",
    "port",
    "none; the console takes 5432",
    "its port",
    (RASA, CONSOLE),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
TRACKER_DB_NAME = declare(
    "TRACKER_DB_NAME",
    "text",
    "`rasa`",
    "its database",
    (RASA, CONSOLE),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
TRACKER_DB_USER = declare(
    "TRACKER_DB_USER",
    "text",
    "none",
    "its user",
    (RASA, CONSOLE),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
TRACKER_DB_PASSWORD = declare(
    "TRACKER_DB_PASSWORD",
    "text",
    "none",
    "its password",
    (RASA, CONSOLE),
    PRODUCTION,
    secret=True,
    read_outside=("endpoints.production.yml",),
)
TRACKER_DB_SSLMODE = declare(
    "TRACKER_DB_SSLMODE",
    "libpq sslmode",
    "none (libpq's `prefer`)",
    "TLS to the tracker store's PostgreSQL: `verify-full` in production, `disable` only on a loopback or "
    "test network",
    (RASA, CONSOLE),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
REDIS_HOST = declare(
    "REDIS_HOST",
    "host name",
    "none",
    "Redis of the lock store (several Rasa processes)",
    (RASA,),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
REDIS_PORT = declare(
    "REDIS_PORT", "port", "none", "its port", (RASA,), PRODUCTION, read_outside=("endpoints.production.yml",)
)
REDIS_PASSWORD = declare(
    "REDIS_PASSWORD",
    "text",
    "none",
    "its password",
    (RASA,),
    PRODUCTION,
    secret=True,
    read_outside=("endpoints.production.yml",),
)
REDIS_DB = declare(
    "REDIS_DB",
    "whole number (Redis database)",
    "none; empty is Rasa's 1",
    "the Redis database of the lock store, so that several deployments (or a test run) can share one Redis "
    "without touching each other's keys",
    (RASA,),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
REDIS_TLS = declare(
    "REDIS_TLS",
    "yes/no",
    "no",
    "TLS to Redis (read as a yes/no word by `stores/lock.py`)",
    (RASA,),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)
REDIS_TLS_CA_CERTS = declare(
    "REDIS_TLS_CA_CERTS",
    "path",
    "none (the system's CAs)",
    "CA certificates for Redis TLS",
    (RASA,),
    PRODUCTION,
    read_outside=("endpoints.production.yml",),
)

ACTION_SERVER_TOKEN = declare(
    "ACTION_SERVER_TOKEN",
    "text",
    "generated per run by `make run` / `make shell`, never printed",
    "the secret Rasa sends to the action server (`Authorization: Bearer`, from the endpoints file); the "
    "action server refuses every request without it and does not start without it; Rasa refuses to start "
    "when it is unset",
    (RASA, ACTIONS),
    SECRETS,
    secret=True,
    read_outside=("endpoints.yml", "endpoints.production.yml", "scripts/local-secrets.sh"),
)
RASA_AUTH_TOKEN = declare(
    "RASA_AUTH_TOKEN",
    "text",
    "generated by `make run` into `RASA_AUTH_TOKEN_FILE`, never printed",
    "protects Rasa's HTTP API (`?token=...`; the REST channel needs none); the console calls the API with "
    "it. Passed to Rasa through the environment (`scripts/serve_rasa.py`), never on a command line",
    (RASA, CONSOLE, TOOLS),
    SECRETS,
    secret=True,
    read_outside=("scripts/local-secrets.sh",),
)
RASA_AUTH_TOKEN_FILE = declare(
    "RASA_AUTH_TOKEN_FILE",
    "path",
    "`var/rasa-auth-token`",
    "where `make run` writes a token it generated (mode 600)",
    (LAUNCH,),
    SECRETS,
    read_outside=("scripts/local-secrets.sh",),
)

RASA_PORT = declare(
    "RASA_PORT",
    "port",
    "5005",
    "Rasa's port (`make run`); the console's default `RASA_URL` uses it",
    (LAUNCH, CONSOLE),
    ADDRESSES,
    read_outside=("scripts/run.sh",),
)
RASA_URL = declare(
    "RASA_URL",
    "http(s) URL",
    "`http://localhost:$RASA_PORT`",
    "where the console reaches Rasa's HTTP API (with `RASA_AUTH_TOKEN`)",
    (CONSOLE,),
    ADDRESSES,
)
RASA_ENDPOINTS = declare(
    "RASA_ENDPOINTS",
    "path",
    "`endpoints.yml`",
    "`endpoints.production.yml` for the PostgreSQL tracker store and the Redis lock store; naming it also "
    "tells the WeChat channels they run in production",
    (RASA, LAUNCH),
    ADDRESSES,
    read_outside=("scripts/run.sh", "scripts/shell.sh"),
)
PUBLIC_BASE_URL = declare(
    "PUBLIC_BASE_URL",
    "http(s) URL",
    "`http://localhost:5005`",
    "where callers reach Rasa: the link to the written record",
    (ACTIONS, CONSOLE),
    ADDRESSES,
)
ACTION_SERVER_HOST = declare(
    "ACTION_SERVER_HOST",
    "host name",
    "`127.0.0.1`",
    "the address the action server listens on (a private one when Rasa runs on another machine); with "
    "`endpoints.production.yml` also where Rasa reaches it",
    (ACTIONS, RASA),
    ADDRESSES,
    read_outside=("endpoints.production.yml",),
)
ACTION_SERVER_PORT = declare(
    "ACTION_SERVER_PORT",
    "port",
    "5055",
    "the action server's port, and where Rasa reaches it",
    (ACTIONS, RASA, LAUNCH),
    ADDRESSES,
    read_outside=("endpoints.yml", "endpoints.production.yml", "scripts/run.sh", "scripts/shell.sh"),
)
CONSOLE_HOST = declare(
    "CONSOLE_HOST", "host name", "`127.0.0.1`", "the address the lawyer console listens on", (CONSOLE,), ADDRESSES
)
CONSOLE_PORT = declare(
    "CONSOLE_PORT",
    "port",
    "5006",
    "the lawyer console's port; the default `CONSOLE_PUBLIC_URL` uses it",
    (CONSOLE, ACTIONS, LAUNCH),
    ADDRESSES,
    read_outside=("scripts/run.sh", "scripts/shell.sh"),
)
CONSOLE_PUBLIC_URL = declare(
    "CONSOLE_PUBLIC_URL",
    "http(s) URL",
    "`http://localhost:$CONSOLE_PORT`",
    "the console's address in staff notifications",
    (ACTIONS, CONSOLE),
    ADDRESSES,
)

RETENTION_DAYS = declare(
    "RETENTION_DAYS",
    "whole days, at least 1",
    "180",
    "how long conversations and records are kept after their last activity, as the privacy notice tells "
    "callers (`content/privacy.yml`); the daily purge deletes what is older",
    (ACTIONS, CONSOLE),
    PRIVACY,
)
RECORD_LINK_DAYS = declare(
    "RECORD_LINK_DAYS",
    "positive number of days",
    "30",
    "a consultation record's link works this long after the record was made; then it answers 410 (expired)",
    (RASA,),
    PRIVACY,
)
CHAT_HISTORY_HOURS = declare(
    "CHAT_HISTORY_HOURS",
    "positive number of hours",
    "24",
    "how long the chat widget keeps a conversation in the browser after its last message "
    "(`data-history-hours` on the script tag overrides it per site)",
    (RASA,),
    PRIVACY,
)

CONSOLE_SECRET_KEY = declare(
    "CONSOLE_SECRET_KEY",
    "text",
    "random per run (logins end at restart)",
    "signs console sessions; set it in production",
    (CONSOLE,),
    DESK,
    secret=True,
)
CONSOLE_SECURE_COOKIES = declare(
    "CONSOLE_SECURE_COOKIES", "yes/no", "no", "yes behind HTTPS: session cookies only over HTTPS", (CONSOLE,), DESK
)
STAFF_WEBHOOK_URL = declare(
    "STAFF_WEBHOOK_URL",
    "http(s) URL",
    "none (tickets only in the console)",
    "staff notifications, e.g. a WeCom group robot `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`; "
    "secret because the key is in it",
    (CONSOLE,),
    DESK,
    secret=True,
)
HANDOFF_CHECK_SECONDS = declare(
    "HANDOFF_CHECK_SECONDS",
    "positive number of seconds",
    "30",
    "how often the console's scheduler delivers notifications, checks promises and deletes erased "
    "conversations' tracker events",
    (CONSOLE,),
    DESK,
)
HANDOFF_SETTINGS_FILE = declare(
    "HANDOFF_SETTINGS_FILE",
    "path of an existing file",
    "`content/handoff.yml`",
    "another handoff.yml (the tests use 3-second promises); office_hours.yml, conflict_check.yml and "
    "staff_notifications.yml are then read from its folder",
    (ACTIONS, CONSOLE),
    DESK,
)

CHAT_ALLOWED_ORIGINS = declare(
    "CHAT_ALLOWED_ORIGINS",
    "origins (`https://host[:port]`), comma- or space-separated",
    "none in Rasa; `make run`: `http://localhost:8000,http://127.0.0.1:8000`",
    "other sites that may embed or frame the chat widget (socket.io origins, the page's CSP, and "
    "`rasa run --cors` through `make run`)",
    (RASA, LAUNCH),
    WIDGET,
    read_outside=("scripts/run.sh",),
)

CHAT_REDIS_URL = declare(
    "CHAT_REDIS_URL",
    "redis URL",
    "none (one Rasa process)",
    "with several Rasa replicas, e.g. `redis://127.0.0.1:6379/3`: the socket.io servers of all replicas share "
    "their rooms through it, so a message sent by one replica (a lawyer's reply through the HTTP API) reaches "
    "a browser connected to another; secret because it may hold a password",
    (RASA,),
    WIDGET,
    secret=True,
)

WECHAT_ALLOW_PLAINTEXT = declare(
    "WECHAT_ALLOW_PLAINTEXT",
    "yes/no or empty",
    "empty",
    "empty: plaintext mode (no EncodingAESKey) allowed except with the production endpoints; yes allows it "
    "there too, no refuses it everywhere",
    (RASA,),
    WECHAT,
)
_WECHAT_FILES = ("credentials.yml", "scripts/wechat-env.sh")
WECHAT_TOKEN = declare(
    "WECHAT_TOKEN",
    "text",
    "none (the channel is off)",
    "the Official Account's Token (signs its requests)",
    (RASA,),
    WECHAT,
    secret=True,
    read_outside=_WECHAT_FILES,
)
WECHAT_ENCODING_AES_KEY = declare(
    "WECHAT_ENCODING_AES_KEY",
    "text",
    "none",
    "its EncodingAESKey (safe mode)",
    (RASA,),
    WECHAT,
    secret=True,
    read_outside=_WECHAT_FILES,
)
WECHAT_APP_ID = declare(
    "WECHAT_APP_ID", "text", "none", "its AppID (customer-service API)", (RASA,), WECHAT, read_outside=_WECHAT_FILES
)
WECHAT_APP_SECRET = declare(
    "WECHAT_APP_SECRET", "text", "none", "its AppSecret", (RASA,), WECHAT, secret=True, read_outside=_WECHAT_FILES
)
WECHAT_REDIS_URL = declare(
    "WECHAT_REDIS_URL",
    "redis URL",
    "none (in the process)",
    "e.g. `redis://127.0.0.1:6379/1`: de-duplication and access tokens shared by several Rasa processes "
    "(both channels); secret because it may hold a password",
    (RASA,),
    WECHAT,
    secret=True,
    read_outside=_WECHAT_FILES,
)
WECHAT_API_BASE_URL = declare(
    "WECHAT_API_BASE_URL",
    "http(s) URL",
    "none (the real platform)",
    "the API address (tests point it at a fake)",
    (RASA,),
    WECHAT,
    read_outside=_WECHAT_FILES,
)
WECHAT_PASSIVE_WAIT = declare(
    "WECHAT_PASSIVE_WAIT",
    "seconds",
    "4",
    "how long to wait for the answer before replying `success`; 0: every answer through the API",
    (RASA,),
    WECHAT,
    read_outside=_WECHAT_FILES,
)
WECOM_CORP_ID = declare(
    "WECOM_CORP_ID",
    "text",
    "none (the channel is off)",
    "the WeCom company ID",
    (RASA,),
    WECHAT,
    read_outside=_WECHAT_FILES,
)
WECOM_AGENT_ID = declare(
    "WECOM_AGENT_ID", "text", "none", "the app's AgentId", (RASA,), WECHAT, read_outside=_WECHAT_FILES
)
WECOM_SECRET = declare(
    "WECOM_SECRET", "text", "none", "the app's Secret", (RASA,), WECHAT, secret=True, read_outside=_WECHAT_FILES
)
WECOM_TOKEN = declare(
    "WECOM_TOKEN", "text", "none", "the app's callback Token", (RASA,), WECHAT, secret=True, read_outside=_WECHAT_FILES
)
WECOM_ENCODING_AES_KEY = declare(
    "WECOM_ENCODING_AES_KEY",
    "text",
    "none",
    "the app's callback EncodingAESKey",
    (RASA,),
    WECHAT,
    secret=True,
    read_outside=_WECHAT_FILES,
)
WECOM_API_BASE_URL = declare(
    "WECOM_API_BASE_URL",
    "http(s) URL",
    "none (the real platform)",
    "as `WECHAT_API_BASE_URL`, for WeCom",
    (RASA,),
    WECHAT,
    read_outside=_WECHAT_FILES,
)
WECOM_PASSIVE_WAIT = declare(
    "WECOM_PASSIVE_WAIT",
    "seconds",
    "4",
    "as `WECHAT_PASSIVE_WAIT`, for WeCom",
    (RASA,),
    WECHAT,
    read_outside=_WECHAT_FILES,
)

RASA_TELEMETRY_ENABLED = declare(
    "RASA_TELEMETRY_ENABLED",
    "true/false",
    "`false` (set by the Makefile, `scripts/privacy-env.sh` and `scripts/serve_rasa.py`)",
    "Rasa's telemetry (Segment) and its Sentry crash reports; both send data abroad, keep it off. Read by "
    "Rasa itself",
    (RASA, LAUNCH),
    RASA_OWN,
    read_outside=("scripts/privacy-env.sh",),
)


# -- reading ---------------------------------------------------------------------------------

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")
_HTTP_URL = re.compile(r"^https?://[^/\s?#]+(/\S*)?$")


def _raw(variable: Variable, env: Env) -> str:
    return (os.environ if env is None else env).get(variable.name) or ""


def _error(variable: Variable, env: Env, problem: str) -> ConfigError:
    shown = "" if variable.secret else f" (it is {_raw(variable, env)!r})"
    return ConfigError(f"{variable.name} {problem}{shown}; see docs/configuration.md")


def _text(variable: Variable, env: Env) -> str | None:
    return _raw(variable, env) or None


def _positive(variable: Variable, env: Env, default: float) -> float:
    raw = _raw(variable, env).strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise _error(variable, env, "must be a number") from None
    if not value > 0 or value == float("inf"):  # also refuses nan
        raise _error(variable, env, "must be a positive number")
    return value


def _whole(variable: Variable, env: Env, default: int, minimum: int) -> int:
    raw = _raw(variable, env).strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _error(variable, env, "must be a whole number") from None
    if value < minimum:
        raise _error(variable, env, f"must be at least {minimum}")
    return value


def _port(variable: Variable, env: Env, default: int) -> int:
    port = _whole(variable, env, default, 1)
    if port > 65535:
        raise _error(variable, env, "must be a port number (1-65535)")
    return port


def _flag(variable: Variable, env: Env) -> bool | None:
    """yes/no words; None when unset or empty."""
    word = _raw(variable, env).strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _error(variable, env, "must be yes or no (1/0, true/false, yes/no, on/off)")


@overload
def _http_url(variable: Variable, env: Env, default: str) -> str: ...
@overload
def _http_url(variable: Variable, env: Env, default: None) -> str | None: ...
def _http_url(variable: Variable, env: Env, default: str | None) -> str | None:
    """An http(s) URL without its trailing slash (paths are joined to it)."""
    raw = _raw(variable, env).strip()
    if not raw:
        return default
    if not _HTTP_URL.match(raw):
        raise _error(variable, env, "must be an http:// or https:// URL")
    return raw.rstrip("/")


@overload
def _database_url(variable: Variable, env: Env, default: str) -> str: ...
@overload
def _database_url(variable: Variable, env: Env, default: None) -> str | None: ...
def _database_url(variable: Variable, env: Env, default: str | None) -> str | None:
    from sqlalchemy.engine.url import make_url
    from sqlalchemy.exc import ArgumentError

    raw = _raw(variable, env).strip()
    if not raw:
        return default
    try:
        make_url(raw)
    except (ArgumentError, ValueError):
        raise _error(variable, env, "must be a database URL (dialect+driver://user:password@host/database)") from None
    return raw


@reads(DATABASE_URL)
def database_url(env: Env = None) -> str:
    """The application database (tickets, intakes); PostgreSQL in production."""
    return _database_url(DATABASE_URL, env, f"sqlite:///{VAR_DIR / 'app.db'}")


@reads(
    TRACKER_STORE_URL,
    TRACKER_DB,
    TRACKER_DB_HOST,
    TRACKER_DB_PORT,
    TRACKER_DB_NAME,
    TRACKER_DB_USER,
    TRACKER_DB_PASSWORD,
    TRACKER_DB_SSLMODE,
)
def tracker_store_url(env: Env = None) -> str:
    """Rasa's tracker store as the console reaches it: ``TRACKER_STORE_URL`` if set; else the
    PostgreSQL store of endpoints.production.yml (its TRACKER_DB_* variables, sslmode
    included, as Rasa connects) when TRACKER_DB_HOST is set; else the embedded SQLite file."""
    explicit = _database_url(TRACKER_STORE_URL, env, None)
    if explicit:
        return explicit
    host = _text(TRACKER_DB_HOST, env)
    if host:
        from sqlalchemy.engine.url import URL

        sslmode = _text(TRACKER_DB_SSLMODE, env)
        return URL.create(
            "postgresql+psycopg2",
            username=_text(TRACKER_DB_USER, env),
            password=_text(TRACKER_DB_PASSWORD, env),
            host=host,
            port=_port(TRACKER_DB_PORT, env, 5432),
            database=_text(TRACKER_DB_NAME, env) or "rasa",
            query={"sslmode": sslmode} if sslmode else {},
        ).render_as_string(hide_password=False)
    return f"sqlite:///{_text(TRACKER_DB, env) or VAR_DIR / 'tracker.db'}"


@reads(APP_ENCRYPTION_KEYS)
def encryption_keys(env: Env = None) -> str:
    """The keys as written ("" when unset); intake_core.persistence.encryption parses and checks
    them (it needs the cryptography library, and its error type is what callers catch)."""
    return _raw(APP_ENCRYPTION_KEYS, env)


@reads(ACTION_SERVER_TOKEN)
def action_server_token(env: Env = None) -> str | None:
    """As written, never stripped: Rasa sends exactly this string from the endpoints file."""
    return _text(ACTION_SERVER_TOKEN, env)


@reads(RASA_AUTH_TOKEN)
def rasa_auth_token(env: Env = None) -> str | None:
    return _text(RASA_AUTH_TOKEN, env)


@reads(RASA_URL, RASA_PORT)
def rasa_url(env: Env = None) -> str:
    return _http_url(RASA_URL, env, None) or f"http://localhost:{_port(RASA_PORT, env, 5005)}"


@reads(RASA_ENDPOINTS)
def rasa_endpoints(env: Env = None) -> str | None:
    """None when unset: Rasa's own default (endpoints.yml), or whatever ``--endpoints`` says."""
    return _text(RASA_ENDPOINTS, env)


@reads(PUBLIC_BASE_URL)
def public_base_url(env: Env = None) -> str:
    return _http_url(PUBLIC_BASE_URL, env, "http://localhost:5005")


@reads(ACTION_SERVER_HOST)
def action_server_host(env: Env = None) -> str:
    return _raw(ACTION_SERVER_HOST, env).strip() or "127.0.0.1"


@reads(ACTION_SERVER_PORT)
def action_server_port(env: Env = None) -> int:
    return _port(ACTION_SERVER_PORT, env, 5055)


@reads(CONSOLE_HOST)
def console_host(env: Env = None) -> str:
    return _raw(CONSOLE_HOST, env).strip() or "127.0.0.1"


@reads(CONSOLE_PORT)
def console_port(env: Env = None) -> int:
    return _port(CONSOLE_PORT, env, 5006)


@reads(CONSOLE_PUBLIC_URL, CONSOLE_PORT)
def console_public_url(env: Env = None) -> str:
    return _http_url(CONSOLE_PUBLIC_URL, env, None) or f"http://localhost:{console_port(env)}"


@reads(SQLITE_DURABLE)
def sqlite_durable(env: Env = None) -> bool:
    """Whether a SQLite commit waits for the disk (intake_core/persistence/sqlite.py)."""
    return bool(_flag(SQLITE_DURABLE, env))


@reads(RETENTION_DAYS)
def retention_days(env: Env = None) -> int:
    """Whole days, at least one (issue 16, H8): an unusable value is an error, not the default."""
    return _whole(RETENTION_DAYS, env, 180, 1)


@reads(RECORD_LINK_DAYS)
def record_link_days(env: Env = None) -> float:
    """How long a record's link works (issue 16, L1): a link forwarded or left in a chat
    history stops giving the record away."""
    return _positive(RECORD_LINK_DAYS, env, 30.0)


@reads(CHAT_HISTORY_HOURS)
def chat_history_hours(env: Env = None) -> float:
    """How long the widget keeps its copy of a conversation on the caller's device (issue 16, M9)."""
    return _positive(CHAT_HISTORY_HOURS, env, 24.0)


@reads(CHAT_ALLOWED_ORIGINS)
def chat_allowed_origins(env: Env = None) -> list[str]:
    """Comma- or space-separated, trailing slashes dropped. Each must be an origin as a
    browser sends it: a path or a missing scheme would never match, silently."""
    origins = [origin.rstrip("/") for origin in re.split(r"[\s,]+", _raw(CHAT_ALLOWED_ORIGINS, env)) if origin]
    if any(not _ORIGIN.match(origin) for origin in origins):
        raise _error(CHAT_ALLOWED_ORIGINS, env, "must list origins such as https://www.example.cn (no path)")
    return origins


@reads(CHAT_REDIS_URL)
def chat_redis_url(env: Env = None) -> str | None:
    """None: the widget's socket.io rooms live in this process only (one replica)."""
    raw = _raw(CHAT_REDIS_URL, env).strip()
    if raw and not re.match(r"^rediss?://", raw):
        raise _error(CHAT_REDIS_URL, env, "must be a redis:// or rediss:// URL")
    return raw or None


@reads(WECHAT_ALLOW_PLAINTEXT)
def wechat_allow_plaintext(env: Env = None) -> bool | None:
    """None (unset): decided by the endpoints in use (channels/wechat/settings.py)."""
    return _flag(WECHAT_ALLOW_PLAINTEXT, env)


@reads(CONSOLE_SECRET_KEY)
def console_secret_key(env: Env = None) -> str | None:
    return _text(CONSOLE_SECRET_KEY, env)


@reads(CONSOLE_SECURE_COOKIES)
def console_secure_cookies(env: Env = None) -> bool:
    return bool(_flag(CONSOLE_SECURE_COOKIES, env))


@reads(STAFF_WEBHOOK_URL)
def staff_webhook_url(env: Env = None) -> str | None:
    """Kept as written (its query carries the robot's key); only checked to be http(s)."""
    raw = _raw(STAFF_WEBHOOK_URL, env).strip()
    if raw and not _HTTP_URL.match(raw):
        raise _error(STAFF_WEBHOOK_URL, env, "must be an http:// or https:// URL")
    return raw or None


@reads(HANDOFF_CHECK_SECONDS)
def handoff_check_seconds(env: Env = None) -> float:
    return _positive(HANDOFF_CHECK_SECONDS, env, 30.0)


@reads(HANDOFF_SETTINGS_FILE)
def handoff_settings_file(env: Env = None) -> Path | None:
    """None: content/handoff.yml. A file that does not exist is refused here, naming the variable."""
    raw = _raw(HANDOFF_SETTINGS_FILE, env).strip()
    if not raw:
        return None
    if not Path(raw).is_file():
        raise _error(HANDOFF_SETTINGS_FILE, env, "must name an existing file")
    return Path(raw)


def check(process: str, env: Env = None) -> None:
    """Reads every variable ``process`` uses, so that a value it cannot use stops it at start-up,
    naming the variable (and every other unusable one), rather than failing a caller later."""
    problems, seen = [], set()
    for name, variable in VARIABLES.items():
        if process not in variable.processes:
            continue
        for reader in READERS.get(name, []):
            if reader in seen:
                continue
            seen.add(reader)
            try:
                reader(env)
            except ConfigError as error:
                problems.append(str(error))
    if problems:
        raise ConfigError("\n".join(problems))


# -- the document ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """docs/configuration.md, written from the declarations."""
    lines = [
        "# Configuration: every environment variable",
        "",
        "<!-- Written by `.venv/bin/python -m intake_core.config --write` from intake_core/config.py; "
        "edit the declarations there, not this file (tests/test_config.py compares them). -->",
        "",
        "All settings come from environment variables; nothing secret is committed. Python reads them",
        "only through `intake_core/config.py`, on every use (no restart of a test needed), and a value",
        "it cannot use stops the process at start-up with an error naming the variable (the action",
        "server, the console and `scripts/serve_rasa.py` call `config.check`). A secret's value is never",
        "shown in an error or a log. An empty value is the default.",
        "",
        "Variables read by Rasa itself (`${VAR}` in `credentials.yml` and the endpoints files) and by the",
        "launch scripts are listed too. Rasa refuses to start when a variable named in `credentials.yml` or",
        "in the endpoints file it uses is unset (empty is allowed: `scripts/wechat-env.sh` gives the WeChat",
        "and WeCom ones empty defaults, `scripts/run.sh` the ports and `TRACKER_DB`).",
        "",
        "Processes: " + ", ".join(f"**{process}**" for process in PROCESSES) + ".",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for variable in VARIABLES.values():
        groups.setdefault(variable.group, []).append(variable)
    for group, variables in groups.items():
        lines += [
            f"## {group}",
            "",
            "| variable | kind | default | used by | read in | meaning |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for variable in variables:
            kind = variable.kind + (", **secret**" if variable.secret else "")
            where = [f"`config.{reader.__name__}()`" for reader in READERS.get(variable.name, [])]
            where += [f"`{place}`" for place in variable.read_outside]
            lines.append(
                "| "
                + " | ".join(
                    _cell(cell)
                    for cell in (
                        f"`{variable.name}`",
                        kind,
                        variable.default or "none",
                        ", ".join(variable.processes),
                        ", ".join(where),
                        variable.purpose,
                    )
                )
                + " |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--write"]:
        DOC_PATH.write_text(markdown(), encoding="utf-8")
        print(f"wrote {DOC_PATH.relative_to(PROJECT_ROOT)}")
        return 0
    if argv:
        print(
            "usage: python -m intake_core.config [--write]  (prints docs/configuration.md, or writes it)",
            file=sys.stderr,
        )
        return 2
    print(markdown(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
