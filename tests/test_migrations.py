"""The schema comes from migrations alone, on SQLite and on PostgreSQL, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from blog.extensions import db


def schema_differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        ignored = {
            "posts_fts",
            "posts_fts_config",
            "posts_fts_data",
            "posts_fts_docsize",
            "posts_fts_idx",
            "posts_fts_content",
        }
        return [
            d
            for d in compare_metadata(context, db.metadata)
            if not (d[0] == "remove_table" and d[1].name in ignored)
            and not (d[0] == "remove_index" and d[1].name.startswith("ix_posts_search"))
        ]


def test_migrations_build_the_models_schema_from_empty(app):
    # The app fixture upgraded an empty database; nothing may differ from the models.
    assert schema_differences(app) == []


def test_upgrade_is_safe_to_repeat_and_downgrade_works(app):
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        db.session.remove()
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
    assert schema_differences(app) == []
