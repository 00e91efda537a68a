"""The blog's settings row, read once per request."""

from flask import g

from .extensions import db
from .models import BlogSettings


def get_settings() -> BlogSettings:
    """The settings row; created with defaults if the database has none yet."""
    if "blog_settings" not in g:
        settings = db.session.get(BlogSettings, 1)
        if settings is None:
            settings = ensure_settings()
        g.blog_settings = settings
    return g.blog_settings


def ensure_settings() -> BlogSettings:
    settings = db.session.get(BlogSettings, 1)
    if settings is None:
        settings = BlogSettings(id=1)
        db.session.add(settings)
        db.session.commit()
    return settings
