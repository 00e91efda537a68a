"""The accounts area's blueprint: sign in and out, passwords, the account page, invitations,
sign-up and first-run setup. Every page here is personal, so none may be stored by a cache."""

from flask import Blueprint, render_template
from werkzeug.exceptions import TooManyRequests

from blog.accounts.throttle import retry_after_seconds

bp = Blueprint("accounts", __name__)


@bp.after_request
def never_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(429)
def too_many_attempts(error: TooManyRequests):
    """A friendly page for a rate limit; Flask-Limiter adds Retry-After to it."""
    minutes = -(-retry_after_seconds() // 60)
    return render_template("accounts/too_many.html", minutes=minutes), 429
