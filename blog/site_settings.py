"""The blog's settings row, read once per request.

`flask db upgrade` creates the row (migration 0012), so a request never has to: the first
requests to a new blog, served by several workers at once, used to race to create it inside
their read transactions and answer 500 "database is locked". Should the row be missing all the
same (deleted by hand), it is put back with an insert that tolerates a concurrent one, never by
turning a read transaction into a write (see db.write_now).
"""

from flask import g

from blog.db import insert_missing, write_now
from blog.extensions import db
from blog.models import BlogSettings


def get_settings() -> BlogSettings:
    if "blog_settings" not in g:
        g.blog_settings = ensure_settings()
    return g.blog_settings


def default_values() -> dict:
    return {c.name: c.default.arg for c in BlogSettings.__table__.columns if c.default is not None}


def ensure_settings() -> BlogSettings:
    """The settings row, put back with its defaults if it is missing."""
    settings = db.session.get(BlogSettings, 1)
    if settings is None:
        write_now(insert_missing(BlogSettings.__table__, id=1, **default_values()))
        settings = db.session.get(BlogSettings, 1)
    # A read transaction that began before the insert (SQLite's snapshot) cannot see the row yet:
    # it reads the same defaults, unsaved; the next request finds the row.
    return settings or BlogSettings(id=1, **default_values())
