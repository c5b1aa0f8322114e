#!/usr/bin/env python3
"""`make simulate`: simulated callers against a freshly started assistant.

Starts the action server and `rasa run` on free ports with their own databases in a temporary
directory (tests/assistant_server.py, as the end-to-end tests do), runs a simulator against it
(by default the shared one, ../shared/callers/simulate.py, which CI has beside the repository),
prints what it prints (one line per persona, the summary last), stops the assistant and exits
with the simulator's exit code. The Rasa HTTP API token is $RASA_AUTH_TOKEN if set, else a new
one; the simulator gets it through its environment, never on its command line.

usage: scripts/simulate.py [--simulator FILE] [--personas FILE] [simulator options: --only NAME, -v, ...]
"""
from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "tests"))
sys.path.insert(0, str(PROJECT_ROOT))

from assistant_server import MODEL, start_assistant  # noqa: E402
from intake_core import config  # noqa: E402

SHARED_SIMULATOR = PROJECT_ROOT.parent / "shared" / "callers" / "simulate.py"
OWN_SIMULATOR = PROJECT_ROOT / "tests" / "callers" / "simulate.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulator", type=Path, default=SHARED_SIMULATOR)
    parser.add_argument("--personas", type=Path, help="a personas file (default: the simulator's own)")
    args, passed_on = parser.parse_known_args()
    simulator = args.simulator.resolve()
    if not simulator.is_file():
        print(f"make simulate: no simulator at {simulator}.\n"
              f"The shared simulated callers are expected in ../shared/callers beside the repository "
              f"(CI has them). Without them, run the project's own personas with the project's runner:\n"
              f"  make simulate SIMULATOR={OWN_SIMULATOR.relative_to(PROJECT_ROOT)}\n"
              f"or as tests: .venv/bin/python -m pytest -m model tests/test_simulated_callers.py", file=sys.stderr)
        return 2
    if args.personas and not args.personas.is_file():
        print(f"make simulate: no personas file at {args.personas}.", file=sys.stderr)
        return 2
    if not MODEL.exists():
        print(f"make simulate: no trained model at {MODEL}; run `make model` first.", file=sys.stderr)
        return 2
    token = config.rasa_auth_token() or secrets.token_urlsafe(24)
    command = [sys.executable, str(simulator)] + (["--personas", str(args.personas.resolve())] if args.personas else [])
    with tempfile.TemporaryDirectory(prefix="simulate-") as workdir:
        print("Starting a fresh assistant ...", file=sys.stderr, flush=True)
        assistant = start_assistant(Path(workdir), token=token)
        try:
            return subprocess.run(
                command + ["--url", assistant.url] + passed_on,
                env={**os.environ, "RASA_AUTH_TOKEN": token}, cwd=PROJECT_ROOT,
            ).returncode
        finally:
            assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
