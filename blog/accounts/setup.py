"""First run: while the blog has no admin, a one-time link creates the first one.

`flask --app app setup-link` (or setup_url() from code) prints the link. Each new link replaces
the previous one; once an admin exists every link is a 404.
"""

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from werkzeug.exceptions import NotFound

from blog.accounts.blueprint import bp
from blog.accounts.forms import PASSWORD_HINT, NewAccountForm
from blog.accounts.login_manager import sign_in
from blog.accounts.tokens import find_token, issue_token, use_token
from blog.accounts.users import admin_exists, create_account_or_none
from blog.extensions import db
from blog.models import Role, TokenPurpose
from blog.web.hosts import url_for_path

SETUP_LIFETIME = timedelta(days=7)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def setup_url(base_url: str | None = None) -> str | None:
    """A new one-time setup link (committed), or None when an admin already exists.

    Outside a request the link starts with base_url, else BASE_URL from the config, else
    http://127.0.0.1:5000 (where scripts/serve listens)."""
    if admin_exists():
        return None
    token = issue_token(TokenPurpose.SETUP, None, SETUP_LIFETIME)
    db.session.commit()
    base = (base_url or current_app.config["BASE_URL"] or DEFAULT_BASE_URL).rstrip("/")
    return base + url_for_path("accounts.setup", token=token)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the blog's first admin from the one-time setup link."""
    found = find_token(TokenPurpose.SETUP, token)
    if found is None or admin_exists():
        raise NotFound()
    form = NewAccountForm()
    if form.validate_on_submit():
        if not use_token(found):
            raise NotFound()
        user = create_account_or_none(form.email.data, form.name.data, form.password.data, Role.ADMIN)
        if user is not None:
            sign_in(user)
            db.session.commit()
            flash(f"Welcome, {user.name}. You are the admin of this blog.")
            return redirect(
                url_for(
                    "admin.dashboard" if "admin.dashboard" in current_app.view_functions else "reading.index"
                )
            )
        form.email.errors.append("An account with this email already exists.")
    status = 422 if form.errors else 200
    return render_template("accounts/setup.html", form=form, token=token, hint=PASSWORD_HINT), status
