"""The app under test: a fresh, migrated database per test (SQLite by default, PostgreSQL when
DATABASE_URL names one), its test client and CLI runner, and a query counter.

Under pytest-xdist (scripts/test runs the suite on several workers) each worker has its own
PostgreSQL database, DATABASE_URL's name plus the worker's id (blog_test_gw0, ...), and pytest's
tmp_path is already per worker, so workers share no database, file or port."""

import os
import shutil
from contextlib import contextmanager
from functools import cache

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Integer, MetaData, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule

from blog import create_app
from blog.config import TestConfig, normalise_database_url
from blog.extensions import db


def pytest_configure(config):
    """On an xdist worker, point DATABASE_URL at the worker's own database, so the app, the
    servers the tests start and the commands they run all use it (blog.config reads DATABASE_URL)."""
    share_url_builders()
    url, worker = os.environ.get("DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
    if url and worker and not url.startswith("sqlite"):
        name = make_url(url).database
        os.environ["DATABASE_URL"] = make_url(url).set(database=f"{name}_{worker}").render_as_string(False)


def share_url_builders() -> None:
    """Each test makes a new app, and Werkzeug writes and compiles Python code for each of its URL
    rules (for url_for), the same code every time: three quarters of making an app (50 ms). The code
    depends only on the rule's parts and defaults, so it is made once for the run; each app's rules
    still get their own converters (the code looks them up on the rule it is bound to)."""
    if getattr(Rule._compile_builder, "shared", False):
        return
    compile_builder = Rule._compile_builder
    made = {}

    def shared_builder(rule: Rule, append_unknown: bool = True):
        key = (tuple(rule._trace), repr(sorted((rule.defaults or {}).items())), append_unknown)
        if key not in made:
            made[key] = compile_builder(rule, append_unknown)
        return made[key]

    shared_builder.shared = True
    Rule._compile_builder = shared_builder


@cache
def maintenance_engine(url: str):
    """Connections to the server's `postgres` database, to create and drop the test databases
    (NullPool: none stays open after the session)."""
    return create_engine(
        make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )


def recreate_database(url: str, template: str | None = None) -> None:
    """Drop the database `url` names and create it again: empty, or as a copy of `template`.
    A copy of a migrated template takes a fraction of the time of running the migrations."""
    name = make_url(url).database
    with maintenance_engine(url).connect() as conn:
        # FORCE: a server or engine a test left behind must not keep the database alive.
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


# The PostgreSQL databases that hold a copy of the template now (by URL), with what the template held:
# emptying one and putting the template's rows back is several times faster than copying it again.
_copies: dict[str, "TemplateRows"] = {}


class TemplateRows:
    """What a migrated template holds (its schema's fingerprint and the rows the migrations seeded), and
    how to bring a copy of it that a test has written to back to that state."""

    # The catalogs, not information_schema, whose views check privileges row by row (20 ms a test).
    FINGERPRINT = text(
        "SELECT md5(coalesce(string_agg(d, ',' ORDER BY d), '')) FROM ("
        " SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':'"
        "  || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '') AS d"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
        " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0"
        "  AND NOT a.attisdropped"
        " UNION ALL SELECT i.relname || ':' || pg_get_indexdef(i.oid) FROM pg_class i"
        "  WHERE i.relnamespace = 'public'::regnamespace AND i.relkind = 'i'"
        " UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        " UNION ALL SELECT version_num FROM alembic_version) AS parts"
    )

    def __init__(self, url: str):
        engine = create_engine(url, poolclass=NullPool)
        with engine.connect() as conn:
            self.fingerprint = conn.execute(self.FINGERPRINT).scalar()
            self.metadata = MetaData()
            self.metadata.reflect(conn)
            self.rows = {
                name: [dict(row._mapping) for row in conn.execute(select(table))]
                for name, table in self.metadata.tables.items()
                if name != "alembic_version"
            }
        self.emptying_order = [t.name for t in reversed(self.metadata.sorted_tables) if t.name in self.rows]
        engine.dispose()

    def restore(self, url: str) -> bool:
        """Empty the copy at `url` and put the template's rows back; False when its schema is no longer
        the template's (a test migrated it), so it must be copied again."""
        name = make_url(url).database
        with maintenance_engine(url).connect() as conn:  # as DROP ... WITH (FORCE): nothing left holds a lock
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                if conn.execute(self.FINGERPRINT).scalar() != self.fingerprint:
                    return False
                # DELETE, children first: on tables of a few rows it takes a fraction of TRUNCATE's
                # time, which makes new files for every table and index (a fifth of a second a test).
                conn.exec_driver_sql("; ".join(f'DELETE FROM "{t}"' for t in self.emptying_order))
                conn.exec_driver_sql(
                    "SELECT setval(oid, 1, false) FROM pg_class"
                    " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
                )
                for table_name, rows in self.rows.items():
                    if rows:
                        table = self.metadata.tables[table_name]
                        conn.execute(table.insert(), rows)
                        for column in table.primary_key.columns:
                            if column.autoincrement is not False and isinstance(column.type, Integer):
                                conn.execute(
                                    text(
                                        f"SELECT setval(pg_get_serial_sequence('\"{table_name}\"', :column),"
                                        f' (SELECT max("{column.name}") FROM "{table_name}"))'
                                    ),
                                    {"column": column.name},
                                )
            return True
        finally:
            engine.dispose()


def database_url(tmp_path, template: str | None = None) -> str:
    """The URL of an empty database for one test (as a new blog would start from), or of a copy of
    `template`, a database made by migrated_template()."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = tmp_path / "blog.db"
        if template:
            shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = normalise_database_url(url)
    rows = _copies.pop(url, None)
    if template and rows is not None and rows.restore(url):
        _copies[url] = rows
        return url
    recreate_database(url, template)
    if template:
        _copies[url] = template_rows(make_url(url).set(database=template).render_as_string(False))
    return url


@cache
def template_rows(template_url: str) -> TemplateRows:
    return TemplateRows(template_url)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> str:
    """A database migrated to the newest revision once per session (and worker), copied for each test:
    on SQLite the file's path, on PostgreSQL a template database's name."""
    url = os.environ.get("DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        template = make_url(url).database + "_template"
        template_url = make_url(url).set(database=template).render_as_string(False)
        recreate_database(template_url)
    else:
        template = str(tmp_path_factory.mktemp("template") / "blog.db")
        template_url = f"sqlite:///{template}"
    # blog.config prefers DATABASE_URL to the URI passed in: name the template there while the app is made.
    with pytest.MonkeyPatch.context() as patch:
        if url:
            patch.setenv("DATABASE_URL", template_url)
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=template_url)
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()  # no connection may stay open to a template that is being copied
    return template


@pytest.fixture
def app_config():
    """Per-test config overrides; a test module may override this fixture."""
    return {}


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for the whole run: each test makes a new app, whose Jinja environment
    would otherwise compile every template it renders again (a tenth of a second a test). Keyed by
    name and source checksum, so a changed template is compiled anew."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


class ServerLikeClient(FlaskClient):
    """A test client that reads each response whole and then closes it, as a WSGI server does once
    it has sent the answer: work queued with after_response() (mail) has run when a request returns."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app(tmp_path, app_config, migrated_template):
    """A migrated app. No app context stays pushed, so each test request gets its own, as in production;
    use `with app.app_context():` to look at the database. Uploads, imports and mail files go to the
    test's own folder, never the shared instance/ folder."""
    config = {
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "TRANSFER_FOLDER": str(tmp_path / "imports"),
        "MAIL_FILE_PATH": str(tmp_path / "mail.log"),
        **app_config,
    }
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url(tmp_path, migrated_template), **config)
    app.test_client_class = ServerLikeClient
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...; len(queries) is the number of SQL statements run."""
    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


def detached(obj):
    """Load the object's attributes and detach it, so a test can read them outside an app context."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj
