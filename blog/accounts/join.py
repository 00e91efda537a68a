"""Following an invitation link: create a member account (or, for a signed-in reader, become a member)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Role
from .blueprint import bp
from .forms import PASSWORD_HINT, NewAccountForm
from .invitations import find_invitation, take_place
from .login import sign_in
from .tokens import invalid_link
from .users import create_account_or_none, find_user_by_email

TAKEN = "An account with this email already exists. Sign in instead, then follow the link again."


def invalid():
    return invalid_link("invitation")


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Create a member account from an invitation, and sign the new member in."""
    invitation = find_invitation(token)
    if invitation is None:
        return invalid()
    if current_user.is_authenticated:
        return render_template("auth/join_signed_in.html", token=token)
    form = NewAccountForm()
    if form.validate_on_submit():
        if find_user_by_email(form.email.data) is not None:
            form.email.errors.append(TAKEN)
        elif not take_place(invitation):
            return invalid()
        else:
            user = create_account_or_none(form.email.data, form.name.data, form.password.data, Role.MEMBER)
            if user is None:
                form.email.errors.append(TAKEN)
            else:
                sign_in(user)
                db.session.commit()
                flash(f"Welcome, {user.name}! You are now a member of this blog.")
                return redirect(url_for("reading.index"))
    status = 422 if form.errors else 200
    return render_template("auth/join.html", form=form, token=token, hint=PASSWORD_HINT), status


@bp.post("/join/<token>/accept")
def accept(token: str):
    """A signed-in reader (open sign-up) accepts an invitation and becomes a member."""
    invitation = find_invitation(token)
    if invitation is None or not current_user.is_authenticated:
        return invalid()
    if current_user.is_member:
        flash("You are already a member of this blog.")
    elif take_place(invitation):
        current_user.role = Role.MEMBER
        db.session.commit()
        flash("You are now a member of this blog.")
    else:
        return invalid()
    return redirect(url_for("reading.index"))
