"""Console accounts: a per-user session version, bumped at logout and at a password change
(a session cookie carrying an older version is no longer accepted), and a role (lawyer, admin).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="lawyer"))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("role")
        batch.drop_column("session_version")
