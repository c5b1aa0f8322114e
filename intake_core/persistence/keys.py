"""`python -m intake_core.persistence.keys new|check|rotate`: the encryption keys (issue 16, M8).

- ``new``: print a new Fernet key (to put in APP_ENCRYPTION_KEYS; the output is the secret).
- ``check``: stop with an error naming APP_ENCRYPTION_KEYS if the keys are missing, malformed
  or do not open what is stored (the same check the servers make at start-up).
- ``rotate``: re-encrypt every stored value with the first key, in the application database
  (DATABASE_URL) and, with ``--tracker-url`` (a SQLAlchemy URL, e.g. sqlite:///var/tracker.db),
  Rasa's tracker store; events stored before encryption are encrypted on the way. Then the
  old keys can be dropped from APP_ENCRYPTION_KEYS. One transaction per database: a value
  that cannot be decrypted stops it with nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.engine import Connection

from intake_core.persistence import database
from intake_core.persistence.encryption import EncryptedText, EncryptionKeyError, cipher, decrypt, encrypt, rotate
from intake_core.persistence.models import Base


def encrypted_columns() -> Iterator[tuple[sa.Table, sa.Column[Any]]]:
    """(table, column) of every EncryptedText column of the application database."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column


def check_database(url: str | None = None) -> None:
    """Decrypt one stored value of each encrypted column (raises EncryptionKeyError)."""
    cipher()
    with database.get_engine(url).connect() as connection:
        existing = set(sa.inspect(connection).get_table_names())  # not migrated yet: nothing to open
        for table, column in encrypted_columns():
            if table.name not in existing:
                continue
            raw = sa.select(sa.literal_column(column.name)).select_from(sa.table(table.name))
            value = connection.execute(raw.where(sa.literal_column(column.name).isnot(None)).limit(1)).scalar()
            if value is not None:
                decrypt(value)


def _rotate_rows(connection: Connection, table: str, column: str, transform: Callable[[str], str]) -> int:
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
    for row_id, value in rows:
        connection.execute(
            sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"), {"value": transform(value), "id": row_id}
        )
    return len(rows)


def rotate_database(url: str | None = None) -> int:
    cipher()
    with database.get_engine(url).begin() as connection:
        return sum(_rotate_rows(connection, table.name, column.name, rotate) for table, column in encrypted_columns())


def _tracker_value(value: str) -> str:
    # Plain JSON from before the encrypted store (stores/tracker.py) is encrypted, tokens rotated.
    return encrypt(value) if value.startswith("{") else rotate(value)


def rotate_tracker(url: str) -> int:
    cipher()
    engine = sa.create_engine(url, future=True, hide_parameters=True)
    try:
        with engine.begin() as connection:
            return _rotate_rows(connection, "events", "data", _tracker_value)
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intake_core.persistence.keys", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("new", help="print a new Fernet key")
    commands.add_parser("check", help="check APP_ENCRYPTION_KEYS against the application database")
    rotate_parser = commands.add_parser("rotate", help="re-encrypt everything with the first key")
    rotate_parser.add_argument("--tracker-url", help="SQLAlchemy URL of Rasa's tracker store")
    args = parser.parse_args(argv)
    if args.command == "new":
        print(Fernet.generate_key().decode("ascii"))
        return 0
    try:
        if args.command == "check":
            check_database()
            print("APP_ENCRYPTION_KEYS opens the application database.")
        else:
            count = rotate_database()
            if args.tracker_url:
                count += rotate_tracker(args.tracker_url)
            print(f"Re-encrypted {count} values with the first key of APP_ENCRYPTION_KEYS.")
    except EncryptionKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
