"""Engine setup: SQLite pragmas, and transactions that hold the write lock only to write.

SQLite answers "database is locked" at once, without waiting, when a deferred transaction that
has read tries to write while another connection writes or has committed since: such an upgrade
cannot queue behind busy_timeout. A transaction that begins with BEGIN IMMEDIATE takes the write
lock before reading anything and queues for it, and so does one whose first statement is a write.
Hence the rules, decided when a transaction begins:

- Safe requests (GET, HEAD, OPTIONS), and whatever a request reads after it committed (rendering
  the answer), run in a plain BEGIN: readers never queue behind writers.
- Other requests begin with BEGIN IMMEDIATE, so a view that reads and then writes queues instead
  of failing, and a new view is safe without thinking about any of this.
- Two kinds of POST begin without the lock, since holding it would make every writer wait behind
  work that writes nothing: a request that matched no view (unknown URL or method; the error page
  only reads), and a view marked @reads_first (sign-in, whose password check is slow on purpose).
  Such a view calls write() once it knows it will write: that ends the read transaction, so its
  next statement begins a new one with BEGIN IMMEDIATE and reads afresh. We never upgrade in place
  (it fails under load, see above) and never re-begin behind a view's back (its decisions rest on
  what it read). A write before write() raises at once, on every database, so a forgotten call
  fails every test of that path instead of failing now and then under load.
- write_now(statement) runs one small write that cannot wait for a unit of work (a session's
  last-seen time, a missing row): in the request's transaction when that holds the write lock,
  else in a short transaction of its own whose first statement is the write.
PostgreSQL has no such lock (MVCC); the same rules run there, so the tests cover both.
"""

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from blog.extensions import db

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WRITE_OPTION = "blog_write"  # execution option of write_now's own connection
WRITES_LOCK = "blog_writes"  # connection.info: this transaction holds the write lock
READ_ONLY = "blog_read_only"  # connection.info: a write in this transaction is a bug (see write())
WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_SYNCHRONOUS"])
        _track_transactions(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def reads_first(view):
    """Mark a view whose POST reads (and often stops there) before it writes: it calls write() first.
    Put it right under the route decorator, so it marks the function the route calls."""
    view.reads_first = True
    return view


def write() -> None:
    """From here on this request writes: end the read transaction, so the next statement begins one
    holding the write lock and reloads the objects it uses. Call it before changing anything."""
    if writing():
        return
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("call write() before changing anything: these changes would be lost")
    g.db_writing = True
    session.rollback()


def writing() -> bool:
    """Whether the session's transaction is a writing one (on SQLite: holds the write lock)."""
    session = db.session()
    return session.in_transaction() and bool(session.connection().info.get(WRITES_LOCK))


def write_now(statement) -> None:
    """Run one write statement without ever upgrading a read transaction: in the session's
    transaction if that writes anyway (it commits with the request's work), else at once in a short
    transaction of its own (no self-deadlock: the session then holds no write lock)."""
    if writing():
        db.session.execute(statement)
        return
    with db.engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            connection.execute(statement)


def insert_missing(table, **values):
    """An INSERT that leaves an existing row with the same key alone, so a concurrent one cannot fail."""
    insert = sqlite_insert if db.engine.dialect.name == "sqlite" else postgresql_insert
    return insert(table).values(**values).on_conflict_do_nothing()


@contextmanager
def bookkeeping_connection() -> Iterator[Connection]:
    """A connection of its own for many small commits whose loss in a power cut would only repeat
    work (a delivery marked sent: lost, the mail goes again, with the same Message-ID). Its commits
    survive the process being killed, the crash that matters here, without a flush to disk each
    (SQLite in WAL mode with synchronous=NORMAL; PostgreSQL with synchronous_commit off): a flush
    per message held a worker to its disk's speed (docs/BENCHMARKS.md, "Follow by email")."""
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # straight to the driver: the pragma cannot change inside a transaction
            connection.connection.driver_connection.execute("PRAGMA synchronous=NORMAL")
        else:
            connection.exec_driver_sql("SET synchronous_commit = off")
            connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            if sqlite:
                synchronous = current_app.config["SQLITE_SYNCHRONOUS"]
                connection.connection.driver_connection.execute(f"PRAGMA synchronous={synchronous}")
            else:
                connection.exec_driver_sql("RESET synchronous_commit")
                connection.commit()


def _begin_mode(connection: Connection) -> tuple[bool, bool]:
    """(take the write lock, refuse writes) for the transaction beginning on connection."""
    if connection.get_execution_options().get(WRITE_OPTION) or not has_request_context():
        return True, False
    if g.get("db_writing"):
        return True, False
    if request.method in SAFE_METHODS or g.get("db_committed"):
        return False, False
    view = current_app.view_functions.get(request.endpoint) if request.url_rule is not None else None
    if view is None or getattr(view, "reads_first", False):
        return False, True
    return True, False


def _begin_immediate(connection: Connection, busy_timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of a millisecond. SQLite's own wait
    (busy_timeout) sleeps longer after each try (1, 2, 5, 10 ... 100 ms): a writer that lost a few
    times sleeps on while the lock is free and newcomers take it, so under a burst of comments
    one waited over a second (docs/BENCHMARKS.md). Past the busy timeout SQLite's answer stands."""
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + busy_timeout_ms / 1000
        while time.monotonic() < deadline:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    break
            time.sleep(0.001)
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the last try, its error as SQLAlchemy reports it
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")


def _track_transactions(engine: Engine, busy_timeout_ms: int) -> None:
    sqlite = engine.dialect.name == "sqlite"

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        lock, read_only = _begin_mode(connection)
        connection.info[WRITES_LOCK] = lock
        connection.info[READ_ONLY] = read_only
        if sqlite and lock:
            _begin_immediate(connection, busy_timeout_ms)
        elif sqlite:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    def on_commit(connection):
        if has_request_context() and not connection.get_execution_options().get(WRITE_OPTION):
            g.db_committed = True  # the unit of work is done: what follows only reads
            g.db_writing = False

    @event.listens_for(engine, "before_cursor_execute")
    def refuse_writes(connection, _cursor, statement, _parameters, _context, _executemany):
        if connection.info.get(READ_ONLY) and WRITE_STATEMENT.match(statement):
            raise RuntimeError(
                "a write in a transaction begun without the write lock: call blog.db.write() first"
            )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take transaction control away from the driver so that the "begin" event decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous if synchronous in ('FULL', 'NORMAL') else 'FULL'}")
        cursor.close()
