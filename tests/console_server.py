"""Starts the real lawyer console (`python -m console serve`) for end-to-end tests,
on its own port, against a given assistant's database and HTTP API."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import requests

from assistant_server import PROJECT_ROOT, Assistant, _wait_until, free_port


@dataclass
class Console:
    url: str
    process: subprocess.Popen
    env: dict[str, str]
    log_path: Path  # the console's stdout and stderr (its logging), together
    log: TextIO

    def create_user(self, username: str, name: str, password: str) -> None:
        done = subprocess.run([sys.executable, "-m", "console", "create-user", username, "--name", name,
                               "--password-stdin"],
                              input=password + "\n", text=True, env=self.env, cwd=PROJECT_ROOT, capture_output=True)
        # The command's own reason (an existing user, a weak password) is what a failure should show.
        assert done.returncode == 0, f"create-user {username}: {done.stderr.strip()}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()  # the process is gone: everything it logged is in the file


def start_console(assistant: Assistant, workdir: Path, extra_env: dict[str, str] | None = None) -> Console:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": assistant.database_url,
        "RASA_URL": assistant.url,
        "RASA_AUTH_TOKEN": assistant.token,
        "CONSOLE_SECRET_KEY": secrets.token_hex(16),
        "CONSOLE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # The assistant's key: the console reads the tickets it encrypted (issue 16, M8).
        "APP_ENCRYPTION_KEYS": assistant.encryption_keys,
        **(extra_env or {}),
    }
    log_path = workdir / "console.log"
    log = open(log_path, "w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "console", "serve", "--port", str(port)],
                               cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_until(lambda: requests.get(f"{url}/login", timeout=2).ok, "console", [process], log_path)
    return Console(url, process, env, log_path, log)
