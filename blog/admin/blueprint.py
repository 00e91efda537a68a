"""The admin area's blueprint: every page and fragment under it is for staff only."""

from flask import Blueprint, abort
from flask_login import current_user

from blog.accounts.two_step import setup_required
from blog.accounts.two_step_views import send_to_setup
from blog.extensions import login_manager

bp = Blueprint("admin", __name__)


@bp.before_request
def require_staff():
    """Authors and admins only; what each may touch is checked again in the views.

    Not @login_required: that lets OPTIONS through unchecked (for CORS preflights, which the admin
    area has none of), and an anonymous OPTIONS then failed on is_staff with a 500."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_staff:
        abort(403)
    if setup_required(current_user):
        return send_to_setup()  # Settings require two-step verification for staff


@bp.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def require_admin() -> None:
    if not current_user.is_admin:
        abort(403)
