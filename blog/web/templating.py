"""Jinja filters and globals shared by every template."""

from flask import Flask
from flask_babel import lazy_pgettext

from blog.markup import demote_headings
from blog.models import Role
from blog.site_settings import get_settings
from blog.web import dates
from blog.web.htmx import csrf_header

# A role as people read it, in the page's language (the stored value is a machine word).
ROLE_NAMES = {
    Role.ADMIN: lazy_pgettext("role", "Admin"),
    Role.AUTHOR: lazy_pgettext("role", "Author"),
    Role.MEMBER: lazy_pgettext("role", "Member"),
    Role.READER: lazy_pgettext("role", "Reader"),
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_header=dates.date_header,
        time_of_day=dates.time_of_day,
        date_time=dates.date_time,
        day_and_time=dates.day_and_time,
        iso=dates.iso,
        month_name=lambda ym: dates.month_name(*ym),
        demote_headings=demote_headings,
        role_name=lambda role: ROLE_NAMES.get(role, role),
    )
    app.jinja_env.globals.update(
        csrf_header=csrf_header, has_endpoint=lambda name: name in app.view_functions
    )

    @app.context_processor
    def blog_settings():
        return {"blog": get_settings()}
