"""The theme in force for this request: the blog's (row 1, read once per request), or, on the Theme
screen's preview, the admin's draft, which the preview page sets with use_draft()."""

from flask import g

from blog.db import insert_missing, write_now
from blog.extensions import db
from blog.models import Theme

# The Theme screen's fields ("Reset to default" puts these back); the sidebar screen keeps the rest.
LOOK_FIELDS = (
    "accent_color",
    "font",
    "page_width",
    "sidebar_side",
    "header_image",
    "header_image_alt",
    "favicon",
    "custom_css",
)
SIDEBAR_FIELDS = ("sidebar", "about_text", "about_photo", "about_photo_alt")


def defaults(fields=LOOK_FIELDS + SIDEBAR_FIELDS) -> dict:
    columns = Theme.__table__.columns
    return {name: columns[name].default.arg for name in fields}


def get_theme() -> Theme:
    """The theme readers see; the row comes with the schema (migration 0019), as the settings' does."""
    if "theme" not in g:
        theme = db.session.get(Theme, 1)
        if theme is None:  # deleted by hand: put back without turning a read into a write
            write_now(insert_missing(Theme.__table__, id=1, **defaults()))
            theme = db.session.get(Theme, 1) or Theme(id=1, **defaults())
        g.theme = theme
    return g.theme


def current_theme() -> Theme:
    """What this page shows: a draft being previewed, else the blog's theme."""
    return g.get("theme_draft") or get_theme()


def use_draft(values: dict) -> Theme:
    """Render this request with a theme that is not saved: the live one with `values` over it."""
    live = get_theme()
    draft = Theme(**{name: getattr(live, name) for name in LOOK_FIELDS + SIDEBAR_FIELDS})
    for name, value in values.items():
        if name in LOOK_FIELDS:
            setattr(draft, name, value)
    g.theme_draft = draft
    return draft


def look_of(theme: Theme) -> dict:
    return {name: getattr(theme, name) for name in LOOK_FIELDS}
