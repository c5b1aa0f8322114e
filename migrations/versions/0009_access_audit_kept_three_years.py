"""The access audit is kept three years, then the retention purge may delete a row (issue 16).

PIPL art. 56: "个人信息保护影响评估报告和处理情况记录应当至少保存三年" (content/laws). The
audit is such a record of processing, so it is not kept for ever either: 0008's triggers
refused every DELETE; now a row younger than three years still cannot be deleted or
changed by anyone, and an older one can, by ``python -m console purge`` and the daily job
(intake_core/rights/retention.py). UPDATE (and TRUNCATE on PostgreSQL) stay refused.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

REFUSAL = "access_audit is append-only"
KEPT = "access_audit is append-only and keeps each row three years (PIPL art. 56)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_audit_append_only ON access_audit")
        op.execute("""CREATE TRIGGER access_audit_append_only BEFORE UPDATE OR TRUNCATE
                      ON access_audit FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse()""")
        op.execute(f"""
            CREATE FUNCTION access_audit_keep_three_years() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.at > now() - interval '3 years' THEN RAISE EXCEPTION '{KEPT}'; END IF;
                RETURN OLD;
            END $$""")
        op.execute("""CREATE TRIGGER access_audit_kept_three_years BEFORE DELETE ON access_audit
                      FOR EACH ROW EXECUTE FUNCTION access_audit_keep_three_years()""")
    else:
        # SQLAlchemy stores the UTC time as 'YYYY-MM-DD HH:MM:SS[.ffffff]', which compares
        # as text with SQLite's datetime('now'), also UTC.
        op.execute("DROP TRIGGER access_audit_no_delete")
        op.execute(f"""CREATE TRIGGER access_audit_kept_three_years BEFORE DELETE ON access_audit
                       WHEN OLD.at > datetime('now', '-3 years')
                       BEGIN SELECT RAISE(ABORT, '{KEPT}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_audit_kept_three_years ON access_audit")
        op.execute("DROP FUNCTION access_audit_keep_three_years()")
        op.execute("DROP TRIGGER access_audit_append_only ON access_audit")
        op.execute("""CREATE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
                      ON access_audit FOR EACH STATEMENT EXECUTE FUNCTION access_audit_refuse()""")
    else:
        op.execute("DROP TRIGGER access_audit_kept_three_years")
        op.execute(f"""CREATE TRIGGER access_audit_no_delete BEFORE DELETE ON access_audit
                       BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
