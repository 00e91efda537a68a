"""Who may do the sensitive things (settings, members, roles, invitations): admins with a fresh sign-in.

A session restored from a "remember me" cookie is not fresh (Flask-Login's fresh_login_required
semantics): the admin is asked for the password again before going on."""

from functools import wraps
from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext
from flask_login import login_fresh

from blog.admin.blueprint import bp, require_admin
from blog.extensions import login_manager
from blog.web.htmx import hx_redirect, wants_partial
from blog.web.security import safe_next


@bp.record_once
def use_sign_in_page_for_refresh(state) -> None:
    """Re-authentication happens on the ordinary sign-in page, unless the accounts code chose another."""
    if not login_manager.refresh_view:
        login_manager.refresh_view = "accounts.login"
        login_manager.needs_refresh_message = lazy_gettext("Please sign in again to continue.")
        login_manager.needs_refresh_message_category = "message"


def sensitive(view):
    """Admins only (403 for authors), and only with a fresh sign-in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        require_admin()
        if not login_fresh():
            return ask_for_password()
        return view(*args, **kwargs)

    return wrapped


def ask_for_password():
    """Send the admin to sign in again, then back to the page they were on."""
    if request.method == "GET" and not wants_partial():
        return login_manager.needs_refresh()
    # After a POST or a fragment request, come back to the page, not to the POST-only or fragment URL.
    back = safe_next(request.referrer and _path_of(request.referrer)) or url_for("admin.dashboard")
    target = url_for(login_manager.refresh_view or "accounts.login", next=back)
    if wants_partial():
        return hx_redirect(target, 401)
    flash(str(login_manager.needs_refresh_message))
    return redirect(target)


def _path_of(url: str) -> str | None:
    """The path and query of a same-site referrer; None for another site."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
