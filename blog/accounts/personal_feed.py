"""A member's personal feed address on a private blog (feed readers cannot sign in): shown on the
account page, made anew (which revokes the old one) or turned off there. The token also reads the
content API (blog/web/reader_tokens.py)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from blog.accounts.blueprint import bp
from blog.extensions import db
from blog.web import reader_tokens
from blog.web.forms import EmptyForm


@bp.context_processor
def personal_feed():
    """Lazy: only the account page asks, and only for a member."""

    def token() -> str | None:
        return reader_tokens.current_token(current_user.id) if current_user.is_member else None

    return {"personal_token": token}


@bp.post("/account/feed-token")
@login_required
def new_feed_token():
    """Make a new personal feed address; the old one stops working."""
    if not current_user.is_member or not EmptyForm().validate_on_submit():
        abort(403 if not current_user.is_member else 400)
    reader_tokens.issue(current_user.id)
    db.session.commit()
    flash(gettext("Your new personal feed address is below. The old one no longer works."))
    return redirect(url_for("accounts.account", _anchor="personal-feed"))


@bp.post("/account/feed-token/revoke")
@login_required
def revoke_feed_token():
    """Turn the personal feed address off."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    reader_tokens.revoke(current_user.id)
    db.session.commit()
    flash(gettext("Your personal feed address no longer works."))
    return redirect(url_for("accounts.account", _anchor="personal-feed"))
