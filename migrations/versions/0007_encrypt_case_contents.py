"""Encryption at rest: every column holding what a caller said or was told about their case
becomes a Fernet token under APP_ENCRYPTION_KEYS (issue 16, M8; intake_core/persistence/encryption.py).
Upgrade encrypts the rows already there; downgrade decrypts them. Both stop before changing
anything when the keys are missing or malformed, and a value that cannot be decrypted stops the
downgrade (the transaction is rolled back: no row is lost or half-converted on PostgreSQL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

from intake_core.persistence.encryption import cipher, decrypt, encrypt

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Kept in step with the EncryptedText columns of intake_core/persistence/models.py.
ENCRYPTED_COLUMNS = {
    "handoff_tickets": ["trigger_text", "summary", "intake_answers", "guidance", "transcript",
                        "other_party", "amount_at_stake", "conflict_detail"],
    "ticket_messages": ["text"],
    "intake_answers": ["raw_text", "value"],
    "consultation_records": ["content"],
}
# Tokens are longer than these columns allowed: they become Text (and go back on downgrade).
WIDENED = {("handoff_tickets", "other_party"): sa.String(255), ("handoff_tickets", "amount_at_stake"): sa.String(32)}


def _convert(transform) -> None:
    connection = op.get_bind()
    for table, columns in ENCRYPTED_COLUMNS.items():
        rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).mappings().all()
        for row in rows:
            values = {column: transform(row[column]) for column in columns if row[column] is not None}
            if values:
                assignments = ", ".join(f"{column} = :{column}" for column in values)
                connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"),
                                   {**values, "id": row["id"]})


def upgrade() -> None:
    cipher()  # a missing or malformed APP_ENCRYPTION_KEYS stops here, before any change
    for (table, column), old_type in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.Text(), existing_type=old_type)
    _convert(encrypt)


def downgrade() -> None:
    cipher()
    _convert(decrypt)
    for (table, column), old_type in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=old_type, existing_type=sa.Text())
