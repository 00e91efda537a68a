"""Engine setup: SQLite pragmas and write transactions that queue instead of failing.

SQLite answers "database is locked" at once when a deferred transaction that has read tries
to write after another connection committed. Every transaction that may write therefore starts
with BEGIN IMMEDIATE, which waits (busy_timeout) for the write lock before reading anything.
Safe requests (GET, HEAD) keep a plain BEGIN, so readers never queue behind writers, and so
does whatever a request reads after it has committed (rendering the answer), so a writer holds
the lock only for its unit of work.
"""

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_SYNCHRONOUS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take transaction control away from the driver so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous if synchronous in ('FULL', 'NORMAL') else 'FULL'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        reading = has_request_context() and (request.method in SAFE_METHODS or g.get("sqlite_committed"))
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    def on_commit(connection):
        if has_request_context():
            g.sqlite_committed = True
