"""`python -m actions.server`: the action server, as `rasa run actions` but closed (issue 15, H3).

rasa_sdk's own runner binds every interface, accepts anyone and answers an exception with the
whole tracker. This one builds the same rasa_sdk app and adds `actions.server_guard`:

- binds ``ACTION_SERVER_HOST`` (default 127.0.0.1; set a private address when Rasa runs on
  another machine), port ``ACTION_SERVER_PORT`` (default 5055);
- refuses to start without ``ACTION_SERVER_TOKEN``, the secret Rasa sends as a Bearer header
  (endpoints.yml); it is read from the environment, never from the command line;
- no CORS: only Rasa calls it, never a browser;
- the domain once, not with every call (`actions.known_domains`, docs/action-calls.md);
- what reading a multiple-choice answer needs (spaCy, jieba) is loaded as it starts, in a worker
  thread while it already answers, not on the first caller's answer (`prepare_answers`); then
  what start-up loaded is kept out of the garbage collector's full collections.
"""
from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence

from actions import known_domains, server_guard
from intake_core import config, long_lived

logger = logging.getLogger(__name__)


def build_app(token: str, package: str = "actions"):
    from rasa_sdk.endpoint import create_app

    app = create_app(package, cors_origins="")
    server_guard.install(app, token)
    known_domains.install(app)  # after the guard: a call without the secret is refused unread
    app.register_listener(prepare_answers, "after_server_start")
    return app


async def prepare_answers(app, loop) -> None:
    """Starts loading spaCy and jieba (seconds) in a thread of its own and returns: the server
    answers meanwhile, and an answer that needs them before they are ready waits for them
    (intake_core/extraction/choices.py)."""
    from intake_core.questionnaires import answers

    def prepare() -> None:
        try:
            logger.info("Multiple-choice answers ready: %d vocabularies.", answers.prepare())
        except Exception:  # they are then loaded on first use, as before
            logger.exception("Preparing multiple-choice answers failed.")
        # Start-up is over: what it loaded lives as long as the server (intake_core/long_lived.py).
        logger.info("Started: %d objects kept out of garbage collection.", long_lived.freeze())

    # A daemon thread: a server stopped before it is done exits without waiting for it.
    threading.Thread(target=prepare, name="prepare-answers", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    # A value the action server cannot use stops it here, naming the variable.
    try:
        config.check(config.ACTIONS)
    except config.ConfigError as error:
        print(f"The action server does not start: {error}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=config.action_server_host())
    parser.add_argument("--port", type=int, default=config.action_server_port())
    parser.add_argument("--actions", default="actions", help="the package of actions (tests use their own)")
    args = parser.parse_args(argv)

    token = config.action_server_token()
    if not token:
        print("ACTION_SERVER_TOKEN is not set: the action server does not start without its secret "
              "(scripts/run.sh generates one; Rasa sends it from endpoints.yml).", file=sys.stderr)
        return 2

    # Keys missing or not those the database was written with: stop now, naming the variable,
    # not mid-conversation (issue 16, M8).
    from intake_core.persistence.encryption import EncryptionKeyError
    from intake_core.persistence.keys import check_database

    try:
        check_database()
    except EncryptionKeyError as error:
        print(f"The action server does not start: {error}", file=sys.stderr)
        return 2

    from rasa_sdk import utils

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    utils.update_sanic_log_level()
    app = build_app(token, args.actions)
    logger.info("Action server on http://%s:%s", args.host, args.port)
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())
