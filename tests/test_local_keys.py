"""scripts/local-keys.sh: the local encryption key of `make db` / `make run` (issue 16, M8)."""
import os
import stat
import subprocess
import sys

from cryptography.fernet import Fernet

from conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "local-keys.sh"


def _source(cwd):
    env = {key: value for key, value in os.environ.items() if key != "APP_ENCRYPTION_KEYS"}
    env["PYTHON"] = sys.executable
    return subprocess.run(["bash", "-c", f'. "{SCRIPT}" && printf "%s" "$APP_ENCRYPTION_KEYS" > exported'],
                          cwd=cwd, env=env, capture_output=True, text=True, check=True)


def test_a_local_key_is_made_once_kept_private_never_printed_and_reused(tmp_path):
    first = _source(tmp_path)
    key_file = tmp_path / "var" / "encryption-keys"
    key = key_file.read_text().strip()
    Fernet(key)  # a real Fernet key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert (tmp_path / "exported").read_text() == key
    assert key not in first.stdout + first.stderr

    second = _source(tmp_path)  # a restart reads the data written under the same key
    assert (tmp_path / "exported").read_text() == key
    assert key not in second.stdout + second.stderr
