"""Passwords: change (current password required), and "forgot password" with an emailed,
single-use link that works for 30 minutes."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required

from blog.accounts.blueprint import bp
from blog.accounts.forms import PASSWORD_HINT, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm
from blog.accounts.sessions import revoke_all_sessions, revoke_other_sessions
from blog.accounts.throttle import password_check, record_failure, reset_per_email, reset_per_ip
from blog.accounts.tokens import Link, check_your_email
from blog.accounts.users import find_user_by_email
from blog.extensions import db
from blog.jobs import enqueue, job
from blog.models import AccountToken, TokenPurpose, User
from blog.web.hosts import link_root

RESET = Link(TokenPurpose.RESET_PASSWORD, timedelta(minutes=30), "accounts.reset_password", "password reset")


@bp.route("/password/forgot", methods=["GET", "POST"])
@reset_per_ip
@reset_per_email
def forgot_password():
    """Ask for a reset link. The answer is the same, and as fast, whether or not the address has an
    account: the lookup, the token and the mail all happen in the worker (blog/jobs)."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200
    root = link_root()
    if root is not None:
        enqueue(send_reset_link, form.email.data, root)
    minutes = int(RESET.lifetime.total_seconds() // 60)
    return check_your_email(
        ngettext(
            "If an account uses that address, we have sent it a link to set a new password. "
            "The link works once, for %(num)d minute.",
            "If an account uses that address, we have sent it a link to set a new password. "
            "The link works once, for %(num)d minutes.",
            minutes,
        ),
        url_for("accounts.login"),
        gettext("Back to sign in"),
    )


@job
def send_reset_link(email: str, root: str) -> None:
    """Mail a reset link to the active account with this address, if there is one."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    minutes = int(RESET.lifetime.total_seconds() // 60)
    RESET.send(
        user, root, lazy_gettext("Set a new password"), "accounts/mail/reset_password.txt", minutes=minutes
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from an emailed link; the link then stops working, as do all sessions."""
    form = ResetPasswordForm()

    def use(found: AccountToken):
        user = db.session.get(User, found.user_id)
        user.set_password(form.password.data)
        revoke_all_sessions(user)  # whoever knew the old password is signed out
        db.session.commit()
        flash(gettext("Your password has been changed. Sign in with your new password."))
        return redirect(url_for("accounts.login"))

    return RESET.redeem(token, form, use, "accounts/reset_password.html", hint=PASSWORD_HINT)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_check
def change_password():
    """Change the password; other devices are signed out, this one stays signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current_password.data):
            current_user.set_password(form.password.data)
            revoke_other_sessions(current_user, keep_current=True)
            db.session.commit()
            flash(gettext("Your password has been changed. Your other devices are signed out."))
            return redirect(url_for("accounts.account"))
        form.current_password.errors.append(gettext("That is not your current password."))
    if form.errors:
        record_failure()
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form, hint=PASSWORD_HINT), status
