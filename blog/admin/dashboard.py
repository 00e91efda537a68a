"""The dashboard: what needs attention, at a glance."""

from flask import render_template
from flask_login import current_user

from blog.admin.activity import activity, latest_comments, pending_comments, post_counts
from blog.admin.blueprint import bp
from blog.followers.stats import recent_mailings
from blog.models import utcnow


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
        mailings=recent_mailings() if current_user.is_admin else [],
    )
