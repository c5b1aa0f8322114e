"""Handoff workflow: what a ticket carries, its messages, staff accounts, the
firm's parties for the conflict check, and the staff-notification outbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TICKET_COLUMNS = [
    sa.Column("summary", sa.Text(), nullable=True),
    sa.Column("intake_answers", sa.Text(), nullable=True),
    sa.Column("guidance", sa.Text(), nullable=True),
    sa.Column("transcript", sa.Text(), nullable=True),
    sa.Column("other_party", sa.String(255), nullable=True),
    sa.Column("amount_at_stake", sa.String(32), nullable=True),
    sa.Column("nearest_deadline", sa.Date(), nullable=True),
    sa.Column("conflict_status", sa.String(16), nullable=False, server_default="none"),
    sa.Column("conflict_detail", sa.Text(), nullable=True),
    sa.Column("respond_by", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("claimed_by", sa.Integer(), nullable=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("outcome", sa.String(16), nullable=True),
]


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # batch mode: SQLite cannot add a foreign key to an existing table otherwise.
    with op.batch_alter_table("handoff_tickets") as batch:
        for column in TICKET_COLUMNS:
            batch.add_column(column)
        batch.create_foreign_key("fk_handoff_tickets_claimed_by", "staff_users", ["claimed_by"], ["id"])
        batch.create_index("ix_handoff_tickets_status", ["status"])
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("author_name", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ticket_messages_ticket_id", "ticket_messages", ["ticket_id"])
    op.create_table(
        "firm_parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("normalized_name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("matter", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_firm_parties_normalized_name", "firm_parties", ["normalized_name"])
    op.create_table(
        "staff_notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_notifications_ticket_id", "staff_notifications", ["ticket_id"])
    op.create_index("ix_staff_notifications_next_attempt_at", "staff_notifications", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("staff_notifications")
    op.drop_table("firm_parties")
    op.drop_table("ticket_messages")
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_index("ix_handoff_tickets_status")
        batch.drop_constraint("fk_handoff_tickets_claimed_by", type_="foreignkey")
        for column in reversed(TICKET_COLUMNS):
            batch.drop_column(column.name)
    op.drop_table("staff_users")
