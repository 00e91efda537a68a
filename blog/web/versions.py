"""The blog's content version, read as cheaply as it can be while staying exact across processes.

The page cache keys every page on (the content version, the number of scheduled posts already
due): see page_cache.py. Every cache hit needs it, so it is read on a connection of its own (not the
ORM's, not a request's transaction), one per process, in autocommit:

- on SQLite, `PRAGMA data_version` first: it changes only when another connection committed. When
  it has not changed, and no scheduled post has come due since the last read (its time is kept),
  the version is what it was: no query at all;
- otherwise (and always on PostgreSQL) one small statement, which psycopg prepares once it has run
  a few times on the connection.

The version is read before a page is rendered, so a page is never stored under a version newer than
what it shows; a write in between only stores a newer page under an older key, which is never read
once the version has moved.
"""

import os
from datetime import datetime
from threading import Lock
from typing import NamedTuple

from flask import g, has_request_context
from sqlalchemy import Connection, create_engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from blog.models import BlogSettings, ContentVersion, Post, PostStatus, ReadAccess, utcnow

versions = ContentVersion.__table__
posts = Post.__table__
settings = BlogSettings.__table__
scheduled = posts.c.status == PostStatus.SCHEDULED.value
who_can_read = select(settings.c.who_can_read).where(settings.c.id == 1).scalar_subquery()


class ContentState(NamedTuple):
    """What every shared page depends on: a page's cache key is made of the first two."""

    version: int  # -1 while the version row is missing: nothing may be cached then
    scheduled_due: int
    private: bool  # "Who can read" is "Members of this blog": nothing is cached either


def version_query(now: datetime):
    due = select(func.count()).where(scheduled, posts.c.published_at <= now).scalar_subquery()
    upcoming = select(func.min(posts.c.published_at)).where(scheduled, posts.c.published_at > now)
    return select(versions.c.number, due, upcoming.scalar_subquery(), who_can_read).where(versions.c.id == 1)


class ContentVersions:
    """current() -> ContentState: what a page's cache key is made of, and whether there may be one."""

    def __init__(self, url: URL | str, connect_args: dict | None = None):
        self.url = url
        self.connect_args = connect_args or {}
        self.lock = Lock()  # gunicorn's threads share the process's one connection
        self.pid = None
        self.connection: Connection | None = None
        self.sqlite = str(url).startswith("sqlite")
        self.data_version = None
        self.known: ContentState | None = None
        self.next_due: datetime | None = None
        self.queries = 0  # statements run for the version (tests read it; PRAGMAs are not counted)

    def _connect(self) -> Connection:
        # A connection never crosses a fork: a worker opens its own on first use.
        if self.connection is None or self.pid != os.getpid():
            engine = create_engine(self.url, poolclass=NullPool, connect_args=self.connect_args)
            self.connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self.pid, self.known, self.data_version = os.getpid(), None, None
        return self.connection

    def current(self) -> ContentState:
        # Within one request the version is read once: the sidebar and the thread ask for it too.
        if has_request_context():
            found = g.get("content_version")
            if found is None:
                found = g.content_version = self.read()
            return found
        return self.read()

    def read(self) -> ContentState:
        with self.lock:
            try:
                return self._current()
            except Exception:
                self.connection = None  # reconnect next time (a restarted server, a dropped link)
                raise

    def _current(self) -> ContentState:
        connection = self._connect()
        now = utcnow()
        if self.sqlite:
            data_version = connection.exec_driver_sql("PRAGMA data_version").scalar()
            unchanged = data_version == self.data_version
            self.data_version = data_version
            if unchanged and self.known is not None and (self.next_due is None or now < self.next_due):
                return self.known
        self.queries += 1
        row = connection.execute(version_query(now)).first()
        if row is None:  # no version row yet (bump() makes it on the first write): remember nothing
            private = connection.execute(select(who_can_read)).scalar() == ReadAccess.MEMBERS.value
            self.known = None
            return ContentState(-1, 0, private)
        number, due, upcoming, who = row
        self.known = ContentState(number or 0, due, who == ReadAccess.MEMBERS.value)
        self.next_due = upcoming
        return self.known

    def close(self) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.close()
                self.connection = None
