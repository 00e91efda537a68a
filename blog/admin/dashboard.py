"""The dashboard: what needs attention, at a glance."""

from datetime import date, timedelta

from flask import render_template
from flask_login import current_user

from blog.admin.activity import activity, latest_comments, pending_comments, post_counts
from blog.admin.blueprint import bp
from blog.admin.stats import current_scope
from blog.followers.stats import recent_mailings
from blog.models import utcnow
from blog.stats.report import views_since
from blog.web import dates


@bp.get("/")
def dashboard():
    """Counts, latest comments, activity and, for admins, the latest posts' mail to followers."""
    now = utcnow()
    return render_template(
        "admin/dashboard.html",
        counts=post_counts(now),
        pending=pending_comments(),
        comments=latest_comments(),
        charts=activity(now),
        views_this_week=views_since(current_scope(), week_start(now)),
        mailings=recent_mailings() if current_user.is_admin else [],
    )


def week_start(now) -> date:
    """The blog's Monday of this week: "views this week" as the activity chart's weeks begin."""
    today = dates.local_date(now)
    return today - timedelta(days=today.weekday())
