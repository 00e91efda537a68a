"""Followers by email: counts by state, the list (one state at a time if asked), removing one, and
the whole list as CSV. Admins only, with a fresh sign-in: these are readers' addresses."""

import csv
import io

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select

from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.extensions import db
from blog.fediverse.followers import fediverse_followers, remove_fediverse_follower
from blog.followers.stats import follower_counts
from blog.models import FediverseFollower, Follower, FollowerStatus, utcnow

PER_PAGE = 50
STATE_LABELS = {
    FollowerStatus.CONFIRMED: lazy_gettext("Confirmed"),
    FollowerStatus.PENDING: lazy_gettext("Waiting for confirmation"),
    FollowerStatus.UNSUBSCRIBED: lazy_gettext("Unsubscribed"),
    FollowerStatus.FAILING: lazy_gettext("Failing"),
}
CSV_COLUMNS = ["email", "state", "member", "followed", "confirmed", "unsubscribed", "failed deliveries"]


def listed(state: str):
    query = select(Follower).order_by(Follower.created_at.desc(), Follower.id.desc())
    return query.where(Follower.status == state) if state else query


@bp.get("/followers")
@sensitive
def followers():
    """Counts by state and one page of the list."""
    state = request.args.get("state", "")
    if state not in STATE_LABELS:
        state = ""
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "admin/followers.html",
        counts=follower_counts(),
        labels=STATE_LABELS,
        state=state,
        pagination=db.paginate(listed(state), page=page, per_page=PER_PAGE, error_out=False),
        fediverse=fediverse_followers(),
    )


@bp.post("/followers/fediverse/<int:follower_id>/remove")
@sensitive
def remove_fediverse(follower_id: int):
    """Stop sending posts to a fediverse account (it may follow again; block its server to refuse it)."""
    follower = db.get_or_404(FediverseFollower, follower_id)
    record("fediverse_follower.remove", follower, actor=follower.actor.uri)
    handle = follower.actor.handle
    remove_fediverse_follower(follower)
    flash(gettext("%(who)s no longer follows the blog.", who=handle))
    return redirect(url_for("admin.followers"))


@bp.post("/followers/<int:follower_id>/remove")
@sensitive
def remove_follower(follower_id: int):
    """Forget an address: it gets no more posts, and its deliveries go with it. (CSRFProtect checks
    the token of every POST before the view: a forged one gets 400.)"""
    follower = db.get_or_404(Follower, follower_id)
    record("follower.remove", follower, email=follower.email, status=follower.status)
    db.session.delete(follower)
    db.session.commit()
    flash(gettext("%(who)s no longer follows the blog.", who=follower.email))
    return redirect(url_for("admin.followers", **request.args.to_dict()))


@bp.get("/followers.csv")
@sensitive
def export_followers():
    """Every follower, whatever the state, for a spreadsheet or another mailing tool."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for follower in db.session.scalars(select(Follower).order_by(Follower.id)):
        writer.writerow(
            [
                cell(follower.email),
                follower.status,
                "yes" if follower.user_id else "no",
                *(when.isoformat(timespec="seconds") if when else "" for when in dates_of(follower)),
                follower.failures,
            ]
        )
    name = f"followers-{utcnow():%Y-%m-%d}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def dates_of(follower: Follower) -> tuple:
    return follower.created_at, follower.confirmed_at, follower.unsubscribed_at


def cell(value: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula (CSV injection, OWASP): the
    follow box is open to anyone, so such an address is quoted with an apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
