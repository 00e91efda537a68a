"""Flask-Login wiring: the user loader (server-side sessions), signing a person in, and what
happens when a page needs a signed-in person (a redirect, or HX-Redirect for htmx)."""

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext
from flask_login import current_user, login_user

from blog.accounts.sessions import end_session, load_session, start_session
from blog.extensions import login_manager
from blog.models import User
from blog.web.htmx import hx_redirect, is_htmx
from blog.web.security import safe_next


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    login_manager.user_loader(load_session)
    login_manager.unauthorized_handler(unauthorized)


def sign_in(user: User, remember: bool = False) -> None:
    """Start a fresh session for user: nothing from the session before survives (no fixation).
    The caller commits, so the session row exists before the cookie is used."""
    if current_user.is_authenticated:
        end_session(current_user)  # signing in again (e.g. to refresh) replaces the old session
    session.clear()
    start_session(user)
    login_user(user, remember=remember)
    cookie = current_app.config["REMEMBER_COOKIE_NAME"]
    if not remember and cookie in request.cookies:
        session["_remember"] = "clear"  # a remember cookie left by an earlier sign-in must go


def unauthorized():
    """Send someone who is not signed in to the sign-in page, then back to where they were.

    An htmx request gets 401 with HX-Redirect: following a 302 would put the sign-in page
    inside the element being swapped (the login-page-in-the-comment-box bug)."""
    if is_htmx():
        return hx_redirect(url_for("accounts.login", next=_page_behind_htmx_request()), 401)
    flash(str(login_manager.login_message))
    back = request.full_path.rstrip("?") if request.method == "GET" else _own_path(request.referrer)
    return redirect(url_for("accounts.login", next=safe_next(back)))


def _page_behind_htmx_request() -> str | None:
    """The page the person is looking at (HX-Current-URL), if it is on this site."""
    current = _own_path(request.headers.get("HX-Current-URL"))
    if current:
        return safe_next(current)
    return safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None


def _own_path(url: str | None) -> str | None:
    """Path and query of a URL on this site; None for another site or no URL."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme != request.scheme or parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
