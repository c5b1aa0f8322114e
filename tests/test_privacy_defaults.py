"""Telemetry and crash reporting off by default, files private (issue 16, M10)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = PROJECT_ROOT / "scripts"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _clean_env(**extra):
    env = {name: value for name, value in os.environ.items() if name != "RASA_TELEMETRY_ENABLED"}
    return {**env, **extra}


def test_the_launch_scripts_turn_telemetry_off_and_create_private_files(tmp_path):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "privacy-env.sh").write_text((SCRIPTS / "privacy-env.sh").read_text())
    (tmp_path / "var").mkdir()
    old = tmp_path / "var" / "tracker.db"
    old.write_text("")
    old.chmod(0o644)  # left by an earlier run with a wider umask
    finished = subprocess.run(
        ["bash", "-c", "umask 022; . scripts/privacy-env.sh; : > var/app.db; echo \"$RASA_TELEMETRY_ENABLED\""],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=True)
    assert finished.stdout.strip() == "false"
    assert _mode(tmp_path / "var" / "app.db") == 0o600
    assert _mode(old) == 0o600


def test_run_and_shell_source_the_privacy_settings_before_starting_anything():
    for script in ("run.sh", "shell.sh"):
        lines = (SCRIPTS / script).read_text().splitlines()
        sourced = lines.index(". scripts/privacy-env.sh")
        started = min(i for i, line in enumerate(lines) if ".venv/bin/" in line)
        assert sourced < started, script


def test_the_rasa_launcher_defaults_telemetry_off_and_a_private_umask(tmp_path):
    code = ("import os, sys; sys.path.insert(0, 'scripts'); import serve_rasa; os.umask(0o022);"
            "serve_rasa.private_defaults(); open(sys.argv[1], 'w').close();"
            "print(os.environ['RASA_TELEMETRY_ENABLED'])")
    created = tmp_path / "tracker.db"
    finished = subprocess.run([sys.executable, "-c", code, str(created)], cwd=PROJECT_ROOT,
                              env=_clean_env(), capture_output=True, text=True, check=True)
    assert finished.stdout.strip() == "false"
    assert _mode(created) == 0o600


def test_rasa_starts_no_telemetry_or_sentry_under_the_launchers_defaults():
    code = ("import sys; sys.path.insert(0, 'scripts'); import serve_rasa; serve_rasa.private_defaults();"
            "import rasa.telemetry as t; print(t.is_telemetry_enabled())")
    finished = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=_clean_env(),
                              capture_output=True, text=True, check=True, timeout=120)
    assert finished.stdout.strip().splitlines()[-1] == "False"
