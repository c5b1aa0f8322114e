#!/usr/bin/env python3
"""`scripts/serve_rasa.py [rasa run options]`: `rasa run --enable-api` with the HTTP API's token
taken from RASA_AUTH_TOKEN, never from the command line (issue 15, H4).

`rasa run` takes the token only as `--auth-token`, and a process's arguments are readable by
every local user (`ps`, /proc/<pid>/cmdline). This runs Rasa's own command in this process
with the same options, except that the token comes from the environment (readable only by
the same user). Without a token it does not start: Rasa would serve the API to anyone.

usage: RASA_AUTH_TOKEN=... scripts/serve_rasa.py --model models --port 5005 --endpoints endpoints.yml ...
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

# Run as a script (scripts/ is then sys.path[0]): the project's packages are one level up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_core import config  # noqa: E402


def refusal(argv: list[str], token: str) -> str | None:
    """Why the launcher refuses to start, or None."""
    # argparse also accepts abbreviations ("--auth"), so refuse any of them.
    if any(argument.startswith("--auth") for argument in argv):
        return "the token comes from RASA_AUTH_TOKEN, never from the command line"
    if not token:
        return "RASA_AUTH_TOKEN is not set: Rasa's HTTP API would answer anyone"
    return None


def private_defaults() -> None:
    """Telemetry and Sentry off unless asked for, files private (issue 16, M10), also when this
    is started without scripts/run.sh (a service unit, the tests). RASA_TELEMETRY_ENABLED is
    Rasa's own variable: set here for Rasa to read, never read by the project."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.umask(0o077)


def main(argv: list[str]) -> int:
    token = config.rasa_auth_token() or ""
    reason = refusal(argv, token)
    if reason:
        print(f"serve_rasa: {reason}.", file=sys.stderr)
        return 2
    try:  # a value the channels or the record page cannot use stops Rasa now, naming it
        config.check(config.RASA)
    except config.ConfigError as error:
        print(f"serve_rasa: {error}", file=sys.stderr)
        return 2
    private_defaults()
    from intake_core.content import ContentError, validate_all

    try:  # a malformed content file stops Rasa here: loading the model would only log it
        validate_all()
    except ContentError as error:
        print(f"serve_rasa: Rasa does not start: {error}.", file=sys.stderr)
        return 2

    # The model's graph run without dask's scheduler (intake_dialogue/graph_runner.py): set
    # before Rasa loads the model, which is when its processor picks the runner.
    from intake_dialogue import graph_runner

    graph_runner.install()
    # The loaded model out of the garbage collector's full collections (intake_core/long_lived.py).
    from intake_dialogue import model_memory

    model_memory.install()

    import rasa.cli.run
    from rasa.__main__ import main as rasa_main

    rasa_run = rasa.cli.run.run

    def run_with_token(args) -> None:
        args.auth_token = token
        rasa_run(args)

    # Rasa's parser binds `rasa.cli.run.run` as the `run` command when it is built (inside
    # rasa_main), so the token is set on the parsed options before anything else reads them.
    rasa.cli.run.run = run_with_token
    close_action_server_connections_on_stop()
    sys.argv = ["rasa", "run", "--enable-api", *argv]
    rasa_main()
    return 0


def close_action_server_connections_on_stop() -> None:
    """When Rasa stops, close the kept-alive connections to the action server as well
    (intake_dialogue/kept_alive_endpoint.py). `rasa run` registers `rasa.core.run.close_resources`
    for Sanic's "after_server_stop" when it starts, so it is replaced here, before that."""
    import rasa.core.run

    from intake_dialogue import kept_alive_endpoint

    rasa_close_resources = rasa.core.run.close_resources

    async def close_resources(app, loop) -> None:
        await rasa_close_resources(app, loop)
        await kept_alive_endpoint.close_all()

    rasa.core.run.close_resources = close_resources


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
