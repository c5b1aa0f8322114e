"""Intakes and their answers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("case_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intakes_conversation_id", "intakes", ["conversation_id"])
    op.create_table(
        "intake_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slot", sa.String(64), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intake_answers_intake_id", "intake_answers", ["intake_id"])


def downgrade() -> None:
    op.drop_index("ix_intake_answers_intake_id", table_name="intake_answers")
    op.drop_table("intake_answers")
    op.drop_index("ix_intakes_conversation_id", table_name="intakes")
    op.drop_table("intakes")
