"""A real action server process (`python -m actions.server`) on a free port, with an action
package of the tests' choosing, that a test can stop and start again on the same port (as a
restart or a redeploy does)."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.fernet import Fernet

from assistant_server import PROJECT_ROOT, free_port


class ActionServerProcess:
    def __init__(self, workdir: Path, actions: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_urlsafe(24)
        self.log_path = workdir / "actions.log"
        self.actions = actions
        self.env = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT}{os.pathsep}{PROJECT_ROOT / 'tests'}",
                    "ACTION_SERVER_PORT": str(self.port), "ACTION_SERVER_TOKEN": self.token,
                    # Its own (empty) database and a key, never var/'s.
                    "DATABASE_URL": f"sqlite:///{workdir / 'app.db'}",
                    "APP_ENCRYPTION_KEYS": os.environ.get("APP_ENCRYPTION_KEYS") or Fernet.generate_key().decode()}
        self.env.pop("ACTION_SERVER_HOST", None)
        self.process: subprocess.Popen | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def start(self, timeout_s: float = 60) -> ActionServerProcess:
        log = open(self.log_path, "a", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-m", "actions.server", "--actions", self.actions],
                                        cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while True:
            assert self.process.poll() is None, self.log()
            try:
                if requests.get(f"{self.url}/health", timeout=2).ok:
                    return self
            except requests.ConnectionError:
                assert time.monotonic() < deadline, self.log()
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None
