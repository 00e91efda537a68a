"""First run: while the blog has no admin, a one-time link creates the first one.

`flask --app app setup-link` (or setup_url() from code) prints the link. Each new link replaces
the previous one; once an admin exists every link is a 404.
"""

from datetime import timedelta

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from blog.accounts.blueprint import bp
from blog.accounts.forms import PASSWORD_HINT, NewAccountForm
from blog.accounts.login_manager import sign_in
from blog.accounts.tokens import Link
from blog.accounts.users import admin_exists, create_account_or_none
from blog.extensions import db
from blog.models import AccountToken, Role, TokenPurpose

SETUP = Link(TokenPurpose.SETUP, timedelta(days=7), "accounts.setup", None)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def setup_url(base_url: str | None = None) -> str | None:
    """A new one-time setup link (committed), or None when an admin already exists.

    Outside a request the link starts with base_url, else BASE_URL from the config, else
    http://127.0.0.1:5000 (where scripts/serve listens)."""
    if admin_exists():
        return None
    return SETUP.issue(None, (base_url or current_app.config["BASE_URL"] or DEFAULT_BASE_URL).rstrip("/"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the blog's first admin from the one-time setup link."""
    if admin_exists():
        raise NotFound()
    form = NewAccountForm()

    def use(_found: AccountToken):
        user = create_account_or_none(form.email.data, form.name.data, form.password.data, Role.ADMIN)
        if user is None:
            form.email.errors.append(gettext("An account with this email already exists."))
            return None
        sign_in(user)
        db.session.commit()
        flash(gettext("Welcome, %(name)s. You are the admin of this blog.", name=user.name))
        home = "admin.dashboard" if "admin.dashboard" in current_app.view_functions else "reading.index"
        return redirect(url_for(home))

    return SETUP.redeem(token, form, use, "accounts/setup.html", hint=PASSWORD_HINT)
