"""The account page: display name, short bio, notification choices and "Email me new posts";
deleting the account."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required, logout_user

from blog.accounts import two_step
from blog.accounts.blueprint import bp
from blog.accounts.forms import DeleteAccountForm, FollowingForm, ProfileForm
from blog.accounts.sessions import count_sessions
from blog.accounts.throttle import password_check, record_failure
from blog.accounts.users import delete_account, is_last_admin
from blog.extensions import db
from blog.followers.service import is_following, set_member_following

NOT_PROVED = lazy_gettext("Confirm your email address first: follow the link we sent you.")


def render_account(form: ProfileForm | None = None, following_form: FollowingForm | None = None, status=200):
    """The whole account page; a form passed in keeps what was typed and its errors."""
    return render_template(
        "accounts/profile.html",
        form=form or ProfileForm(obj=current_user),
        following_form=following_form or FollowingForm(following=is_following(current_user)),
        sessions=count_sessions(current_user),
        two_step_on=two_step.is_on(current_user),
    ), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Show and save the person's profile and notification choices."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.bio = form.bio.data
        current_user.notify_replies = form.notify_replies.data
        current_user.language = form.language.data or None
        db.session.commit()
        flash(gettext("Your profile is saved."))
        return redirect(url_for("accounts.account"))
    return render_account(form, status=422 if form.errors else 200)


@bp.post("/account/following")
@login_required
def following():
    """Switch "Email me new posts" on or off. The address is the account's, already proved by signing
    up or by the invitation, so no confirmation mail; an unconfirmed address must be confirmed first,
    or anyone could sign up with someone else's address and have them mailed."""
    form = FollowingForm()
    if not form.validate_on_submit():
        return render_account(following_form=form, status=422)
    if form.following.data and not current_user.is_confirmed:
        form.following.errors = [NOT_PROVED]
        return render_account(following_form=form, status=409)
    set_member_following(current_user, form.following.data)
    flash(
        gettext("New posts will be emailed to you.")
        if form.following.data
        else gettext("New posts will not be emailed to you.")
    )
    return redirect(url_for("accounts.account"))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@password_check
def delete():
    """Delete the account after asking for the password; their comments show as removed."""
    form = DeleteAccountForm()
    last_admin = is_last_admin(current_user)
    if form.validate_on_submit() and not last_admin:
        if current_user.check_password(form.password.data):
            delete_account(current_user)
            db.session.commit()
            session.clear()
            logout_user()
            flash(gettext("Your account has been deleted."))
            return redirect(url_for("reading.index"))
        form.password.errors.append(gettext("That is not your password."))
        record_failure()
    status = 422 if form.errors else 409 if last_admin and form.is_submitted() else 200
    return render_template("accounts/delete.html", form=form, last_admin=last_admin), status
