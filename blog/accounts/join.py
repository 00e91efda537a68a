"""Following an invitation link: create a member account (or, for a signed-in reader, become a member)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..after_response import after_response
from ..extensions import db
from ..hosts import link_root, url_for_path
from ..models import Invitation, Role
from .blueprint import bp
from .forms import PASSWORD_HINT, NewAccountForm
from .invitations import find_invitation, take_place
from .signup import send_already_registered, send_confirmation
from .tokens import invalid_link
from .users import create_account_or_none, find_user_by_email, hash_password


def invalid():
    return invalid_link("invitation")


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Create a member account from an invitation; the new member confirms the address by email.

    The answer is the same, and takes as long, whether or not the address already has an account:
    the password is hashed either way, and the account and mail are made after the response."""
    invitation = find_invitation(token)
    if invitation is None:
        return invalid()
    if current_user.is_authenticated:
        return render_template("auth/join_signed_in.html", token=token)
    form = NewAccountForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("auth/join.html", form=form, token=token, hint=PASSWORD_HINT), status
    password_hash = hash_password(form.password.data)
    root = link_root()
    if root is not None:
        after_response(
            join_by_mail, invitation.id, token, form.email.data, form.name.data, password_hash, root
        )
    return render_template("auth/signup_sent.html")


def join_by_mail(
    invitation_id: int, token: str, email: str, name: str, password_hash: str, root: str
) -> None:
    """After the response: a new member and the confirmation mail, or, for an address that has an
    account, a mail telling its owner to sign in and follow the invitation link again."""
    existing = find_user_by_email(email)
    invitation = db.session.get(Invitation, invitation_id)
    if existing is None and take_place(invitation):
        user = create_account_or_none(
            email, name, "", Role.MEMBER, confirmed=False, password_hash=password_hash
        )
        if user is not None:
            send_confirmation(user, root)
            return
        existing = find_user_by_email(email)  # taken a moment ago (the rollback gave the place back)
    if existing is not None:
        send_already_registered(existing, root, invitation=root + url_for_path("auth.join", token=token))


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
