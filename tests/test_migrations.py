"""The Alembic migrations build the schema the models expect, on SQLite and PostgreSQL."""
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from actions.persistence.models import Base
from conftest import PROJECT_ROOT, migrate


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
