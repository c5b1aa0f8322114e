"""Consultation records: the channel the record was made on. A record link is sent again,
and the guidance views shown again, only on that channel and in that conversation
(issue 15, H1). Records made before this have none, and are not sent again: which
channel they came from cannot be known now (their callers still have the link).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_records") as batch:
        batch.add_column(sa.Column("channel", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_records") as batch:
        batch.drop_column("channel")
