"""Jinja filters and globals shared by every template."""

from flask import Flask

from blog.markup import demote_headings
from blog.site_settings import get_settings
from blog.web import dates
from blog.web.htmx import csrf_header


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_header=dates.date_header,
        time_of_day=dates.time_of_day,
        date_time=dates.date_time,
        day_and_time=dates.day_and_time,
        iso=dates.iso,
        month_name=lambda ym: dates.month_name(*ym),
        demote_headings=demote_headings,
    )
    app.jinja_env.globals.update(
        csrf_header=csrf_header, has_endpoint=lambda name: name in app.view_functions
    )

    @app.context_processor
    def blog_settings():
        return {"blog": get_settings()}
