"""Signing in and out, and signing out everywhere."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_fresh, login_required, logout_user

from blog.accounts import two_step
from blog.accounts.blueprint import bp
from blog.accounts.forms import SignInForm
from blog.accounts.login_manager import sign_in
from blog.accounts.sessions import end_session, revoke_all_sessions
from blog.accounts.throttle import record_failure, signin_per_account, signin_per_ip
from blog.accounts.two_step_views import destination
from blog.accounts.users import authenticate
from blog.db import reads_first, write
from blog.extensions import db
from blog.web.security import safe_next

FAILED = lazy_gettext("That email and password do not match an account.")


@bp.route("/signin", methods=["GET", "POST"])
@reads_first  # the password check is slow on purpose: no write lock until it passed
@signin_per_ip
@signin_per_account
def login():
    """Sign in with email and password; failures are throttled per IP and per account."""
    form = SignInForm(next=request.args.get("next", ""))
    target = safe_next(form.next.data) or url_for("reading.index")
    if request.method == "GET" and current_user.is_authenticated and login_fresh():
        return redirect(target)
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            if two_step.is_on(user):
                # The password alone signs nobody in: the Code step completes it.
                two_step.begin_pending(user, remember=form.remember.data, target=target)
                return redirect(url_for("accounts.code"))
            write()
            sign_in(user, remember=form.remember.data)
            db.session.commit()
            return redirect(destination(user, target))
        form.password.errors.append(FAILED)
        # %r escapes line breaks, so a crafted email cannot forge a second log line.
        current_app.logger.warning(
            "failed sign-in for %r from %s", form.email.data[:254], request.remote_addr
        )
    if form.errors:
        record_failure()
    form.next.data = safe_next(form.next.data) or ""
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@bp.post("/signout")
@login_required
def logout():
    """Sign out of this browser: its session ends for good, other devices stay signed in."""
    end_session(current_user)
    db.session.commit()
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion in the session
    flash(gettext("You are signed out."))
    return redirect(url_for("reading.index"))


@bp.post("/signout/everywhere")
@login_required
def logout_everywhere():
    """Sign out on every device, this one included."""
    revoke_all_sessions(current_user)
    db.session.commit()
    session.clear()
    logout_user()
    flash(gettext("You are signed out on every device."))
    return redirect(url_for("reading.index"))
