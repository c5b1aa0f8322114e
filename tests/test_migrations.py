"""The Alembic migrations build the schema the models expect, on SQLite and PostgreSQL."""
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from conftest import PROJECT_ROOT, migrate
from intake_core.persistence.models import Base


def _columns(url):
    engine = create_engine(url, future=True)
    try:
        inspector = inspect(engine)
        return {table: {c["name"] for c in inspector.get_columns(table)} for table in inspector.get_table_names()}
    finally:
        engine.dispose()


def _expected():
    return {table.name: {c.name for c in table.columns} for table in Base.metadata.sorted_tables}


def test_sqlite_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    migrate(url)
    columns = _columns(url)
    columns.pop("alembic_version")
    assert columns == _expected()


def test_migrations_downgrade_to_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.db'}"
    migrate(url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    command.downgrade(config, "base")
    assert set(_columns(url)) == {"alembic_version"}


def test_postgresql_schema_matches_the_models(postgres_url):
    migrate(postgres_url)
    columns = _columns(postgres_url)
    columns.pop("alembic_version")
    assert columns == _expected()


def _config(url):
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    return config


def _raw(url, sql):
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql))
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def _encrypts_existing_rows_and_rolls_back(url):
    """From a database at 0006 with plain rows: 0007 encrypts them, downgrade restores them."""
    marker = "身份证110101199003071234 海岱贸易有限公司"
    command.upgrade(_config(url), "0006")
    _raw(url, "INSERT INTO handoff_tickets (id, conversation_id, reason, urgency, status, created_at,"
              " summary, transcript, other_party, amount_at_stake, conflict_status, reminders_sent)"
              f" VALUES (1, 'c1', 'human', 'normal', 'open', '2026-12-01', '{marker}', '{marker}',"
              f" '{marker}', '12000', 'none', 0)")
    _raw(url, f"INSERT INTO ticket_messages (id, ticket_id, author, kind, text, created_at)"
              f" VALUES (1, 1, 'caller', 'text', '{marker}', '2026-12-01')")
    _raw(url, "INSERT INTO intakes (id, conversation_id, form, case_type, status, started_at, updated_at)"
              " VALUES (1, 'c1', 'labor', 'labor', 'completed', '2026-12-01', '2026-12-01')")
    _raw(url, f"INSERT INTO intake_answers (id, intake_id, slot, raw_text, value, answered_at)"
              f" VALUES (1, 1, 'employer', '{marker}', '\"{marker}\"', '2026-12-01')")
    _raw(url, f"INSERT INTO consultation_records (id, conversation_id, case_type, urgent, content, access_token,"
              f" created_at) VALUES (1, 'c1', 'labor', false, '{marker}', 'tok', '2026-12-01')")

    command.upgrade(_config(url), "0007")
    encrypted = [
        *_raw(url, "SELECT summary, transcript, other_party, amount_at_stake FROM handoff_tickets")[0],
        *_raw(url, "SELECT text FROM ticket_messages")[0],
        *_raw(url, "SELECT raw_text, value FROM intake_answers")[0],
        *_raw(url, "SELECT content FROM consultation_records")[0],
    ]
    assert all(value.startswith("gAAAAA") and "身份证" not in value for value in encrypted)
    assert [value for (value,) in _raw(url, "SELECT conversation_id FROM handoff_tickets")] == ["c1"]

    command.downgrade(_config(url), "0006")
    assert _raw(url, "SELECT summary, other_party, amount_at_stake FROM handoff_tickets")[0] == (
        marker,
        marker,
        "12000",
    )
    assert _raw(url, "SELECT raw_text, value FROM intake_answers")[0] == (marker, f'"{marker}"')
    assert _raw(url, "SELECT content FROM consultation_records")[0] == (marker,)


def test_0007_encrypts_existing_rows_and_rolls_back_on_sqlite(tmp_path):
    _encrypts_existing_rows_and_rolls_back(f"sqlite:///{tmp_path / 'at0006.db'}")


def test_0007_encrypts_existing_rows_and_rolls_back_on_postgresql(postgres_url):
    _encrypts_existing_rows_and_rolls_back(postgres_url)
