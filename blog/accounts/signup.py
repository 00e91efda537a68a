"""Open sign-up, available while the comment policy is "any signed-in user". A new account is a
reader whose email address must be confirmed by a link before it may comment."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..mail import send_mail
from ..models import CommentPolicy, Role, TokenPurpose, User, utcnow
from ..site_settings import get_settings
from .blueprint import bp
from .forms import PASSWORD_HINT, EmptyForm, NewAccountForm
from .invitations import PENDING_INVITATION
from .throttle import signup_per_ip
from .tokens import find_token, invalid_link, issue_token, use_token
from .users import create_account_or_none, find_user_by_email

CONFIRM_LIFETIME = timedelta(hours=48)


def signup_open() -> bool:
    return get_settings().comment_policy == CommentPolicy.SIGNED_IN


def send_confirmation(user: User) -> None:
    """Issue a confirmation link and mail it; the token is committed before the mail goes out."""
    token = issue_token(TokenPurpose.CONFIRM_EMAIL, user, CONFIRM_LIFETIME)
    db.session.commit()
    send_mail(
        user.email,
        "Confirm your email address",
        render_template(
            "auth/mail/confirm_email.txt",
            user=user,
            link=url_for("auth.confirm_email", token=token, _external=True),
        ),
    )


@bp.route("/signup", methods=["GET", "POST"])
@signup_per_ip
def signup():
    """Create a reader account; the answer is the same whether or not the address is taken."""
    if not signup_open():
        abort(404)
    form = NewAccountForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("auth/signup.html", form=form, hint=PASSWORD_HINT), status
    existing = find_user_by_email(form.email.data)
    user = (
        None
        if existing
        else create_account_or_none(
            form.email.data, form.name.data, form.password.data, Role.READER, confirmed=False
        )
    )
    if user is not None:
        send_confirmation(user)
    elif existing is not None:
        send_mail(
            existing.email,
            "You already have an account",
            render_template(
                "auth/mail/already_registered.txt",
                user=existing,
                signin=url_for("auth.login", _external=True),
                reset=url_for("auth.forgot_password", _external=True),
            ),
        )
    return render_template("auth/signup_sent.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm an email address. The link shows a button, so a mail scanner's visit confirms nothing."""
    found = find_token(TokenPurpose.CONFIRM_EMAIL, token)
    if found is None:
        return invalid_link("confirmation")
    form = EmptyForm()
    if form.validate_on_submit():
        user = db.session.get(User, found.user_id)
        if not use_token(found):
            return invalid_link("confirmation")
        user.email_confirmed_at = utcnow()
        db.session.commit()
        flash("Thank you: your email address is confirmed.")
        invitation = session.pop(PENDING_INVITATION, None) if current_user.is_authenticated else None
        if invitation:
            return redirect(url_for("auth.join", token=invitation))
        return redirect(url_for("reading.index" if current_user.is_authenticated else "auth.login"))
    return render_template("auth/confirm_email.html", form=form, token=token)


@bp.post("/account/confirm")
@login_required
@signup_per_ip
def resend_confirmation():
    """Send a new confirmation link to a signed-in reader who has not confirmed yet."""
    if not current_user.is_confirmed:
        send_confirmation(current_user)
        flash(f"We sent a new confirmation link to {current_user.email}.")
    return redirect(url_for("auth.account"))
