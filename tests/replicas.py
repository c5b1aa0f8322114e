"""Starts the production profile on this machine (issue 18): one action server and several Rasa
replicas with endpoints.production.yml, on shared stores, behind tests/round_robin_proxy.py.

- tracker store: a fresh PostgreSQL database ``intake_replicas_<pid>_tracker`` (Rasa's SQL
  store, encrypted: stores/tracker.py); its tables are made here once, before the replicas
  start, so two replicas never race to create them (a deployment runs one replica first, or
  this: docs/deployment.md);
- application database: ``intake_replicas_<pid>_app`` on the same server, migrated by alembic;
- lock store: Redis database ``REDIS_DB`` (default 9), emptied before and after; the widget's
  socket.io rooms (CHAT_REDIS_URL) in the same database.

PostgreSQL is reached as TEST_POSTGRES_ADMIN_URL (default postgres@127.0.0.1, trust auth as on
this machine and CI); Redis at REDIS_HOST/REDIS_PORT (default 127.0.0.1:6379). Both databases
are dropped by ``stop()``.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.fernet import Fernet

from assistant_server import MODEL, PROJECT_ROOT, QUICK_SHUTDOWN, _wait_until, credential_variables, free_port
from round_robin_proxy import RoundRobinProxy, start_proxy

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1/postgres")
REDIS_HOST = os.environ.get("REDIS_HOST") or "127.0.0.1"
REDIS_PORT = os.environ.get("REDIS_PORT") or "6379"
REDIS_DB = os.environ.get("REDIS_DB") or "9"


class StoresUnavailable(RuntimeError):
    """PostgreSQL or Redis is not running here (.ci/run starts them)."""


@dataclass
class Replica:
    url: str
    process: subprocess.Popen
    log_path: Path

    def kill(self) -> None:
        """SIGKILL, as a machine failing would: no shutdown, no cleanup. Returns when it is gone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@dataclass
class Deployment:
    proxy: RoundRobinProxy
    replicas: list[Replica]
    actions: subprocess.Popen
    token: str
    env: dict[str, str]
    databases: list[str]
    workdir: Path
    logs: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.proxy.url

    def tracker(self, sender: str) -> dict:
        """The conversation's tracker with all its events, through the proxy (any replica)."""
        response = requests.get(f"{self.url}/conversations/{sender}/tracker",
                                params={"token": self.token, "include_events": "ALL"}, timeout=30)
        response.raise_for_status()
        return response.json()

    def log_text(self) -> str:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in self.logs if path.exists())

    def stop(self) -> None:
        self.proxy.stop()
        processes = [replica.process for replica in self.replicas] + [self.actions]
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        drop_stores(self.databases)


def _admin():
    import sqlalchemy as sa

    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)


def _redis():
    import redis

    return redis.Redis(host=REDIS_HOST, port=int(REDIS_PORT), db=int(REDIS_DB), socket_timeout=5)


def create_stores(prefix: str) -> list[str]:
    """Fresh databases (dropped first if a killed run left them) and an empty Redis database."""
    names = [f"{prefix}_tracker", f"{prefix}_app"]
    try:
        engine = _admin()
        with engine.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        _redis().flushdb()
    except Exception as error:
        raise StoresUnavailable(f"{type(error).__name__}: {error}") from error
    return names


def drop_stores(names: list[str]) -> None:
    engine = _admin()
    with engine.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    engine.dispose()
    _redis().flushdb()  # only REDIS_DB, this run's own


def production_env(tracker_db: str, app_db: str, action_port: int, public_url: str, token: str) -> dict[str, str]:
    """The environment endpoints.production.yml and the servers need (docs/configuration.md)."""
    from sqlalchemy.engine.url import make_url

    admin = make_url(ADMIN_URL)
    app_url = admin.set(database=app_db).render_as_string(hide_password=False)
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": app_url,
        "TRACKER_DB_HOST": admin.host or "127.0.0.1",
        "TRACKER_DB_PORT": str(admin.port or 5432),
        "TRACKER_DB_NAME": tracker_db,
        "TRACKER_DB_USER": admin.username or "",
        "TRACKER_DB_PASSWORD": admin.password or "",
        "TRACKER_DB_SSLMODE": "disable",  # loopback only
        "REDIS_HOST": REDIS_HOST, "REDIS_PORT": REDIS_PORT, "REDIS_PASSWORD": "", "REDIS_DB": REDIS_DB,
        "REDIS_TLS": "false", "REDIS_TLS_CA_CERTS": "",
        "CHAT_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "ACTION_SERVER_HOST": "127.0.0.1",
        "ACTION_SERVER_PORT": str(action_port),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
        "RASA_AUTH_TOKEN": token,
        "APP_ENCRYPTION_KEYS": os.environ.get("APP_ENCRYPTION_KEYS") or Fernet.generate_key().decode("ascii"),
        "PUBLIC_BASE_URL": public_url,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        **QUICK_SHUTDOWN,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        **{name: os.environ.get(name, "") for name in credential_variables()},
    }


def _make_tracker_tables(env: dict[str, str]) -> None:
    """Rasa's store creates its tables on start; done once here so the replicas find them."""
    code = ("from rasa.core.utils import AvailableEndpoints; from rasa.core.tracker_store import TrackerStore; "
            "TrackerStore.create(AvailableEndpoints.read_endpoints('endpoints.production.yml').tracker_store)")
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)


def start_replicas(workdir: Path, count: int = 2, prefix: str | None = None) -> Deployment:
    prefix = prefix or f"intake_replicas_{os.getpid()}"
    databases = create_stores(prefix)
    proxy_port, action_port = free_port(), free_port()
    rasa_ports = [free_port() for _ in range(count)]
    token = secrets.token_urlsafe(16)
    env = production_env(databases[0], databases[1], action_port, f"http://127.0.0.1:{proxy_port}", token)
    started: list[subprocess.Popen] = []
    logs: list[Path] = []
    try:
        bin_dir = Path(sys.executable).parent
        subprocess.run([str(bin_dir / "alembic"), "upgrade", "head"], cwd=PROJECT_ROOT, env=env, check=True,
                       capture_output=True)
        _make_tracker_tables(env)
        logs.append(workdir / "actions.log")
        actions = subprocess.Popen(
            [sys.executable, "-m", "actions.server", "--port", str(action_port)], cwd=PROJECT_ROOT, env=env,
            stdout=open(logs[-1], "w"), stderr=subprocess.STDOUT)
        started.append(actions)
        replicas = []
        for index, port in enumerate(rasa_ports):
            logs.append(workdir / f"rasa-{index}.log")
            process = subprocess.Popen(
                [sys.executable, str(PROJECT_ROOT / "scripts" / "serve_rasa.py"), "--model", str(MODEL),
                 "--port", str(port), "--endpoints", str(PROJECT_ROOT / "endpoints.production.yml"),
                 "--credentials", str(PROJECT_ROOT / "credentials.yml")],
                cwd=PROJECT_ROOT, env=env, stdout=open(logs[-1], "w"), stderr=subprocess.STDOUT)
            started.append(process)
            replicas.append(Replica(f"http://127.0.0.1:{port}", process, logs[-1]))
        _wait_until(lambda: requests.get(f"http://127.0.0.1:{action_port}/health", timeout=2).ok,
                    "action server", [actions], logs[0])
        for replica in replicas:
            _wait_until(
                lambda replica=replica: requests.get(f"{replica.url}/status", params={"token": token}, timeout=2)
                .json()
                .get("model_file"),
                f"rasa replica {replica.url}",
                [replica.process],
                replica.log_path,
            )
        proxy = start_proxy([replica.url for replica in replicas], proxy_port)
    except BaseException:
        for process in started:
            process.kill()
            process.wait()
        drop_stores(databases)
        raise
    return Deployment(proxy, replicas, actions, token, env, databases, workdir, logs)
