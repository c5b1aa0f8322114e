"""`python -m console <command>`: serve the console, manage staff accounts,
import the firm's parties for the conflict check, deliver due notifications."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys

from console import accounts
from intake_core import config


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再输入一次 / again: "):
        raise accounts.AccountError("the two passwords differ")
    return first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the console (and its scheduler)")
    # The environment's defaults are read when serving, after config.check: a mistyped
    # CONSOLE_PORT must not stop create-user or purge.
    serve.add_argument("--host", help="default: CONSOLE_HOST, else 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: CONSOLE_PORT, else 5006")
    serve.add_argument("--no-scheduler", action="store_true", help="when another process runs it")

    create = commands.add_parser("create-user", help="create a staff account")
    create.add_argument("username")
    create.add_argument("--name", default="", help="name shown to callers, e.g. 张明")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.add_argument("--role", choices=accounts.ROLES, default="lawyer",
                        help="admin may also close or hand back another lawyer's ticket")

    password = commands.add_parser("set-password", help="change a staff member's password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")

    parties = commands.add_parser("import-parties", help="import clients/adverse parties from CSV (name,role,matter)")
    parties.add_argument("csv_file")
    parties.add_argument("--replace", action="store_true", help="replace the whole table")

    commands.add_parser("deliver-notifications", help="send due staff notifications once")

    purge = commands.add_parser("purge", help="delete what is older than RETENTION_DAYS (default 180), "
                                              "in the app database and Rasa's tracker store; open matters are kept")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    erase = commands.add_parser("erase", help="delete everything held about one conversation (a caller's request)")
    erase.add_argument("conversation_id")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "create-user":
            user = accounts.create_user(args.username, args.name, _password(args), args.role)
            print(f"created {user.username} ({user.display_name})")
        elif args.command == "set-password":
            accounts.set_password(args.username, _password(args))
            print(f"password changed for {args.username}")
        elif args.command == "import-parties":
            from intake_core.desk.conflicts import import_parties

            with open(args.csv_file, encoding="utf-8-sig", newline="") as rows:
                print(f"imported {import_parties(rows, replace=args.replace)} parties")
        elif args.command == "purge":
            from intake_core.rights.retention import purge as run_purge

            print(run_purge(dry_run=args.dry_run))
        elif args.command == "erase":
            from intake_core.rights.console_erasure import erase_everywhere

            erased = erase_everywhere(args.conversation_id)
            print(f"erased: {erased.intakes} intakes, {erased.records} records, "
                  f"{erased.tickets_deleted} tickets deleted, {erased.tickets_emptied} emptied, tracker events deleted")
        elif args.command == "deliver-notifications":
            from intake_core.desk.notifications import deliver_due

            print(f"delivered {deliver_due()}")
    except (accounts.AccountError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _serve(args) -> int:
    from waitress import serve

    from console import scheduler
    from console.app import create_app
    from console.config import from_environment
    from console.rasa_api import RasaClient
    from intake_core.content import ContentError, validate_all
    from intake_core.persistence.encryption import EncryptionKeyError
    from intake_core.persistence.keys import check_database

    try:  # a malformed content file stops the console here, named with its key
        validate_all()
    except ContentError as error:
        print(f"The console does not start: {error}", file=sys.stderr)
        return 2
    try:  # a setting it cannot use, or keys that cannot open the tickets, stop the console here
        config.check(config.CONSOLE)
        check_database()
    except (config.ConfigError, EncryptionKeyError) as error:
        print(f"The console does not start: {error}", file=sys.stderr)
        return 2
    settings = from_environment()
    host = config.console_host() if args.host is None else args.host
    port = config.console_port() if args.port is None else args.port
    app = create_app(settings)
    if not args.no_scheduler:
        scheduler.start(RasaClient(settings.rasa_url, settings.rasa_token), settings.check_seconds)
    print(f"Lawyer console: http://{host}:{port}/  (accounts: python -m console create-user NAME)", flush=True)
    serve(app, host=host, port=port, threads=8, ident="console")
    return 0


if __name__ == "__main__":
    sys.exit(main())
