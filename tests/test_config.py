"""One configuration module (issue 17): every environment variable is declared in
intake_core/config.py, read only through it, validated there, and listed in
docs/configuration.md."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_core import config
from intake_core.config import ConfigError

PROJECT_ROOT = config.PROJECT_ROOT
SKIPPED_DIRS = {"tests", ".venv", "node_modules", "var", "models", ".git", "__pycache__"}

# Reads of the environment allowed outside intake_core/config.py, by file and variable ("*":
# the whole environment). Each is a variable the project does not read, or no read at all.
EXCEPTIONS = {
    ("scripts/serve_rasa.py", "RASA_TELEMETRY_ENABLED"):
        "Rasa's own variable: set as a default (telemetry off) for Rasa to read, never read here",
    ("scripts/evaluate_nlu.py", "TF_CPP_MIN_LOG_LEVEL"):
        "TensorFlow's own variable: set as a default (quiet) for TensorFlow to read",
    ("scripts/simulate.py", "*"):
        "hands the whole environment on to the simulator's process; reads no variable",
    ("scripts/bench_tracker_store.py", "APP_ENCRYPTION_KEYS"):
        "a throwaway key set as a default (none set) for the temporary table it writes, as the "
        "tests do; the product reads it through config",
    ("scripts/bench.py", "*"):
        "the benchmark's own knobs (BENCH_CALLERS, BENCH_SECONDS, ...) as argparse defaults: a "
        "developer tool's options, not a setting of the product",
}
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_reads(source: str) -> Iterator[tuple[int, str]]:
    """(line, variable) for each use of the process environment in ``source``; the variable
    is "*" when it is not a literal (the whole environment, or a computed name)."""
    tree = ast.parse(source)
    os_names = {"os"} | {alias.asname for node in ast.walk(tree) if isinstance(node, ast.Import)
                         for alias in node.names if alias.name == "os" and alias.asname}
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in ENVIRONMENT_NAMES:
                    yield node.lineno, "*"
        if not (isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT_NAMES
                and isinstance(node.value, ast.Name) and node.value.id in os_names):
            continue
        yield node.lineno, _variable_named(node, parents)


def _variable_named(node: ast.Attribute, parents) -> str:
    parent = parents.get(node)
    literal = None
    if isinstance(parent, ast.Call) and parent.func is node and parent.args:  # os.getenv("X")
        literal = parent.args[0]
    elif isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call):  # os.environ.get("X")
        call = parents[parent]
        literal = call.args[0] if call.func is parent and call.args else None
    elif isinstance(parent, ast.Subscript) and parent.value is node:  # os.environ["X"]
        literal = parent.slice
    if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
        return literal.value
    return "*"


def product_sources() -> Iterator[Path]:
    for path in sorted(PROJECT_ROOT.rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT)
        if not SKIPPED_DIRS & set(relative.parts[:-1]) and relative.parts[0] not in SKIPPED_DIRS:
            yield relative


def test_the_detector_finds_every_way_of_reading_the_environment():
    source = "\n".join([
        "import os", "import os as system", "from os import getenv",
        "a = os.environ.get('A')", "b = os.environ['B']", "c = os.getenv('C')",
        "d = system.environ.setdefault('D', '1')", "e = {**os.environ}", "f = os.environ.get(name)",
    ])
    assert sorted(environment_reads(source)) == [(3, "*"), (4, "A"), (5, "B"), (6, "C"), (7, "D"), (8, "*"), (9, "*")]
    assert list(environment_reads("environ = {}\nx = request.environ.get('HTTP_HOST')")) == []


def test_no_module_outside_the_configuration_module_reads_the_environment():
    # tests/ is left out: tests set the environment of the processes they start.
    found = {(str(path), variable): line for path in product_sources() if path != Path("intake_core/config.py")
             for line, variable in environment_reads((PROJECT_ROOT / path).read_text(encoding="utf-8"))}
    unexpected = sorted(f"{path}:{line} reads {variable}" for (path, variable), line in found.items()
                        if (path, variable) not in EXCEPTIONS)
    assert not unexpected, "read it through intake_core/config.py (declare it there):\n" + "\n".join(unexpected)
    stale = sorted(set(EXCEPTIONS) - set(found))
    assert not stale, f"exceptions no longer needed: {stale}"


# -- every variable declared, read somewhere, documented ---------------------------------------

RASA_FILES = ("credentials.yml", "endpoints.yml", "endpoints.production.yml")
# Shell variables of the launch scripts that are not settings of the product.
SHELL_EXCEPTIONS = {
    "HOME": "the user's home, where pyenv keeps its Pythons (scripts/find-python.sh)",
    "PYENV_ROOT": "pyenv's own variable (scripts/find-python.sh)",
    "PYTHON": "the interpreter the Makefile hands to scripts/local-keys.sh",
    "BASH_SOURCE": "bash's own: the script's path",
}


def mentioned_variables(relative: str) -> set[str]:
    text = (PROJECT_ROOT / relative).read_text(encoding="utf-8")
    if relative.endswith(".sh"):
        # Comments may name variables they do not read.
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        # \$NAME (escaped) is the name printed, not read.
        return set(re.findall(r"(?<!\\)\$\{?([A-Z][A-Z0-9_]*)", text)) - set(SHELL_EXCEPTIONS)
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#"))))


def outside_files() -> tuple[str, ...]:
    scripts = tuple(sorted(str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "scripts").glob("*.sh")))
    return RASA_FILES + scripts


@pytest.mark.parametrize("relative", outside_files())
def test_every_variable_rasa_or_a_launch_script_reads_is_declared_with_that_file(relative):
    undeclared = sorted(name for name in mentioned_variables(relative)
                        if relative not in getattr(config.VARIABLES.get(name), "read_outside", ()))
    assert not undeclared, f"declare these in intake_core/config.py with read_outside={relative!r}: {undeclared}"
    claimed = sorted(name for name, variable in config.VARIABLES.items()
                     if relative in variable.read_outside and name not in mentioned_variables(relative))
    assert not claimed, f"{relative} no longer reads {claimed}: drop it from their read_outside"


def test_every_declared_variable_is_read_somewhere():
    unread = sorted(name for name, variable in config.VARIABLES.items()
                    if not config.READERS.get(name) and not variable.read_outside)
    assert not unread, f"declared but read nowhere: {unread}"
    assert {file for variable in config.VARIABLES.values() for file in variable.read_outside} <= set(outside_files())


def test_the_document_lists_every_declared_variable_as_declared():
    document = config.DOC_PATH.read_text(encoding="utf-8")
    missing = sorted(name for name in config.VARIABLES if f"| `{name}` |" not in document)
    assert not missing, f"docs/configuration.md lacks {missing}: run .venv/bin/python -m intake_core.config --write"
    assert document == config.markdown(), (
        "docs/configuration.md is not what intake_core/config.py declares: "
        "run .venv/bin/python -m intake_core.config --write")


# -- readers --------------------------------------------------------------------------------

def test_defaults_when_nothing_is_set():
    nothing: dict = {}
    assert config.database_url(nothing) == f"sqlite:///{config.VAR_DIR / 'app.db'}"
    assert config.tracker_store_url(nothing) == f"sqlite:///{config.VAR_DIR / 'tracker.db'}"
    assert config.retention_days(nothing) == 180
    assert config.record_link_days(nothing) == 30
    assert config.chat_history_hours(nothing) == 24
    assert config.handoff_check_seconds(nothing) == 30
    assert config.public_base_url(nothing) == "http://localhost:5005"
    assert config.rasa_url(nothing) == "http://localhost:5005"
    assert config.console_public_url(nothing) == "http://localhost:5006"
    assert (config.action_server_host(nothing), config.action_server_port(nothing)) == ("127.0.0.1", 5055)
    assert (config.console_host(nothing), config.console_port(nothing)) == ("127.0.0.1", 5006)
    assert config.chat_allowed_origins(nothing) == []
    assert config.console_secure_cookies(nothing) is False
    assert config.wechat_allow_plaintext(nothing) is None
    for secret in (config.action_server_token, config.rasa_auth_token, config.console_secret_key,
                   config.staff_webhook_url, config.handoff_settings_file, config.rasa_endpoints):
        assert secret(nothing) is None, secret.__name__
    assert config.encryption_keys(nothing) == ""


def test_an_empty_value_is_the_default():
    assert config.retention_days({"RETENTION_DAYS": ""}) == 180
    assert config.console_port({"CONSOLE_PORT": ""}) == 5006


def test_values_are_read_on_every_call(monkeypatch):
    monkeypatch.setenv("RECORD_LINK_DAYS", "7")
    assert config.record_link_days() == 7
    monkeypatch.setenv("RECORD_LINK_DAYS", "0.5")
    assert config.record_link_days() == 0.5


def test_set_values_are_read_as_their_kind():
    assert config.rasa_url({"RASA_PORT": "6005"}) == "http://localhost:6005"
    assert config.rasa_url({"RASA_URL": "https://rasa.internal:5005/", "RASA_PORT": "6005"}) == "https://rasa.internal:5005"
    assert config.console_public_url({"CONSOLE_PORT": "7000"}) == "http://localhost:7000"
    assert config.public_base_url({"PUBLIC_BASE_URL": "https://assistant.example.cn/"}) == "https://assistant.example.cn"
    assert config.console_secure_cookies({"CONSOLE_SECURE_COOKIES": "yes"}) is True
    assert config.console_secure_cookies({"CONSOLE_SECURE_COOKIES": "0"}) is False
    assert config.wechat_allow_plaintext({"WECHAT_ALLOW_PLAINTEXT": "1"}) is True
    assert config.wechat_allow_plaintext({"WECHAT_ALLOW_PLAINTEXT": "0"}) is False
    assert config.handoff_check_seconds({"HANDOFF_CHECK_SECONDS": "1"}) == 1


@pytest.mark.parametrize("reader, name, value", [
    (config.retention_days, "RETENTION_DAYS", "0"),
    (config.retention_days, "RETENTION_DAYS", "30.5"),
    (config.record_link_days, "RECORD_LINK_DAYS", "thirty"),
    (config.record_link_days, "RECORD_LINK_DAYS", "-1"),
    (config.chat_history_hours, "CHAT_HISTORY_HOURS", "0"),
    (config.chat_history_hours, "CHAT_HISTORY_HOURS", "nan"),
    (config.handoff_check_seconds, "HANDOFF_CHECK_SECONDS", "0"),
    (config.action_server_port, "ACTION_SERVER_PORT", "http"),
    (config.console_port, "CONSOLE_PORT", "70000"),
    (config.rasa_url, "RASA_PORT", "5005x"),
    (config.rasa_url, "RASA_URL", "localhost:5005"),
    (config.public_base_url, "PUBLIC_BASE_URL", "assistant.example.cn"),
    (config.console_public_url, "CONSOLE_PUBLIC_URL", "ftp://console"),
    (config.console_secure_cookies, "CONSOLE_SECURE_COOKIES", "sometimes"),
    (config.wechat_allow_plaintext, "WECHAT_ALLOW_PLAINTEXT", "maybe"),
    (config.chat_allowed_origins, "CHAT_ALLOWED_ORIGINS", "www.example.cn"),
    (config.chat_allowed_origins, "CHAT_ALLOWED_ORIGINS", "https://www.example.cn/chat/"),
    (config.tracker_store_url, "TRACKER_DB_PORT", "five"),
    (config.handoff_settings_file, "HANDOFF_SETTINGS_FILE", "/nonexistent/handoff.yml"),
])
def test_an_unusable_value_is_an_error_naming_the_variable(reader, name, value):
    env = {name: value, "TRACKER_DB_HOST": "db"} if name == "TRACKER_DB_PORT" else {name: value}
    with pytest.raises(ConfigError, match=f"^{name} ") as raised:
        reader(env)
    assert repr(value) in str(raised.value)  # not a secret: shown, so the mistake is easy to find
    assert isinstance(raised.value, ValueError)  # the console's commands report ValueErrors


@pytest.mark.parametrize(
    "reader, name, value, secret",
    [
        (
            config.database_url,
            "DATABASE_URL",
            "postgresql+psycopg2://intake:hunter2-secret@db:notaport/intake",
            "hunter2-secret",
        ),
        (config.tracker_store_url, "TRACKER_STORE_URL", "postgresql://rasa:hunter2-secret@db:x/rasa", "hunter2-secret"),
        (
            config.staff_webhook_url,
            "STAFF_WEBHOOK_URL",
            "qyapi.weixin.qq.com/send?key=robot-secret-key",
            "robot-secret-key",
        ),
    ],
)
def test_a_secrets_value_is_never_in_the_error(reader, name, value, secret):
    with pytest.raises(ConfigError, match=f"^{name} ") as raised:
        reader({name: value})
    assert secret not in str(raised.value) and value not in str(raised.value)


def test_the_tracker_store_is_reached_as_rasa_reaches_it():
    production = {
        "TRACKER_DB_HOST": "db.internal",
        "TRACKER_DB_PORT": "6543",
        "TRACKER_DB_NAME": "tracker",
        "TRACKER_DB_USER": "rasa",
        "TRACKER_DB_PASSWORD": "p@ss",
        "TRACKER_DB_SSLMODE": "verify-full",
    }
    assert config.tracker_store_url(production) == (
        "postgresql+psycopg2://rasa:p%40ss@db.internal:6543/tracker?sslmode=verify-full"
    )
    assert config.tracker_store_url({"TRACKER_DB_HOST": "db"}) == "postgresql+psycopg2://db:5432/rasa"
    assert config.tracker_store_url({**production, "TRACKER_STORE_URL": "sqlite:////tmp/t.db"}) == "sqlite:////tmp/t.db"
    assert config.tracker_store_url({"TRACKER_DB": "/srv/tracker.db"}) == "sqlite:////srv/tracker.db"


def test_the_start_up_check_names_every_unusable_variable_of_that_process_only():
    env = {"RECORD_LINK_DAYS": "thirty", "CHAT_HISTORY_HOURS": "-2", "HANDOFF_CHECK_SECONDS": "soon"}
    with pytest.raises(ConfigError) as raised:
        config.check(config.RASA, env)
    assert "RECORD_LINK_DAYS" in str(raised.value) and "CHAT_HISTORY_HOURS" in str(raised.value)
    assert "HANDOFF_CHECK_SECONDS" not in str(raised.value)  # the console's
    config.check(config.ACTIONS, env)  # uses none of them
    with pytest.raises(ConfigError, match="HANDOFF_CHECK_SECONDS"):
        config.check(config.CONSOLE, env)


def test_the_console_settings_keep_their_secrets_out_of_a_repr(monkeypatch):
    from console.config import from_environment

    monkeypatch.setenv("RASA_AUTH_TOKEN", "api-token-secret")
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "session-key-secret")
    settings = from_environment()
    assert (settings.rasa_token, settings.secret_key) == ("api-token-secret", "session-key-secret")
    assert "secret" not in repr(settings)


def _clean_env(**extra: str) -> dict:
    env = {
        key: value for key, value in os.environ.items() if key not in config.VARIABLES or key == "APP_ENCRYPTION_KEYS"
    }
    return {**env, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false", **extra}


@pytest.mark.parametrize(
    "command, name, value",
    [
        ([sys.executable, "-m", "actions.server"], "ACTION_SERVER_PORT", "http"),
        ([sys.executable, "-m", "console", "serve"], "HANDOFF_CHECK_SECONDS", "soon"),
        ([sys.executable, "scripts/serve_rasa.py", "--model", "models"], "CHAT_HISTORY_HOURS", "a day"),
    ],
)
def test_a_server_does_not_start_with_a_value_it_cannot_use(command, name, value, tmp_path):
    env = _clean_env(
        **{
            name: value,
            "ACTION_SERVER_TOKEN": "t",
            "RASA_AUTH_TOKEN": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        }
    )
    finished = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2, finished.stderr[-2000:]
    assert f"{name} " in finished.stderr and "Traceback" not in finished.stderr
