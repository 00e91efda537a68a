"""The Stats screen: views and visitors per day, top posts and referrers, and the CSV export.
Admins see the whole blog, authors their own posts (blog/stats/report.py)."""

import csv
import io
from datetime import datetime, timedelta

from flask import Response, current_app, request, stream_with_context
from flask_login import current_user

from blog.admin.activity import series
from blog.admin.blueprint import bp
from blog.models import utcnow
from blog.stats.report import PERIODS, Scope, csv_rows, daily, referrers, top_posts
from blog.web import dates
from blog.web.htmx import page_or_fragment

CHART_DAYS = 30


def current_scope() -> Scope:
    return Scope() if current_user.is_admin else Scope.of_author(current_user.id)


def chosen_period() -> int:
    """Days the tables cover: ?period=7, 30 or 365 (anything else: 30)."""
    period = request.args.get("period", type=int)
    return period if period in PERIODS else 30


@bp.get("/stats")
def stats():
    """The whole screen, or (htmx) only the tables for another period."""
    scope, period = current_scope(), chosen_period()
    today = dates.local_date(utcnow())
    since = today - timedelta(days=period - 1)
    days = daily(scope, today, CHART_DAYS)
    starts = [datetime(d.day.year, d.day.month, d.day.day) for d in days]
    return page_or_fragment(
        "admin/stats.html",
        "admin/_stats_tables.html",
        enabled=current_app.config["STATS_ENABLED"],
        days=days,
        charts=[
            series("views", [d.views for d in days], starts),
            series("visitors", [d.visitors for d in days], starts),
        ],
        period=period,
        periods=PERIODS,
        top=top_posts(scope, since),
        referrers=referrers(scope, since),
    )


@bp.get("/stats.csv")
def stats_csv():
    """Export CSV: one row per day and path, date,path,views,visitors."""
    scope = current_scope()

    def lines():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["date", "path", "views", "visitors"])
        for day, path, views, visitors in csv_rows(scope):
            writer.writerow([day.isoformat(), path, views, visitors])
            if out.tell() > 8192:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    name = f"stats-{dates.local_date(utcnow()).isoformat()}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
