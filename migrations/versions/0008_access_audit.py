"""The console's access audit (issue 16): every view of a ticket, reply, export and
deletion, by whom and when, in a table that refuses UPDATE and DELETE (triggers on
SQLite and PostgreSQL), so not even a console bug or a stray script can rewrite it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REFUSAL = "access_audit is append-only"


def upgrade() -> None:
    op.create_table(
        "access_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_user_id", sa.Integer, nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=True),
    )
    op.create_index("ix_access_audit_at", "access_audit", ["at"])
    op.create_index("ix_access_audit_ticket_id", "access_audit", ["ticket_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION access_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$""")
        op.execute("""CREATE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
                      ON access_audit FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER access_audit_no_{event.lower()} BEFORE {event} ON access_audit
                           BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")


def downgrade() -> None:
    # Dropping the table drops its triggers; the PostgreSQL function goes after them.
    op.drop_index("ix_access_audit_ticket_id", table_name="access_audit")
    op.drop_index("ix_access_audit_at", table_name="access_audit")
    op.drop_table("access_audit")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION access_audit_refuse()")
