"""Following an invitation link: create an account, confirm its address, then become a member.

An invitation link is not tied to an address (an admin may paste it anywhere), so it proves nothing
about the email typed into the join form: the account starts as an unconfirmed reader, and only a
confirmed account accepts the invitation (the confirmation link brings the person back here)."""

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Role
from .blueprint import bp
from .forms import PASSWORD_HINT, NewAccountForm
from .invitations import PENDING_INVITATION, find_invitation, take_place
from .login import sign_in
from .signup import send_confirmation
from .throttle import signup_per_ip
from .tokens import invalid_link
from .users import create_account_or_none, find_user_by_email

TAKEN = "An account with this email already exists. Sign in instead, then follow the link again."


def invalid():
    return invalid_link("invitation")


@bp.route("/join/<token>", methods=["GET", "POST"])
@signup_per_ip
def join(token: str):
    """Create an account from an invitation and mail a confirmation link; the invitation is accepted
    once the address is confirmed."""
    invitation = find_invitation(token)
    if invitation is None:
        return invalid()
    if current_user.is_authenticated:
        return render_template("auth/join_signed_in.html", token=token)
    form = NewAccountForm()
    if form.validate_on_submit():
        user = None
        if find_user_by_email(form.email.data) is None:
            user = create_account_or_none(
                form.email.data, form.name.data, form.password.data, Role.READER, confirmed=False
            )
        if user is None:
            form.email.errors.append(TAKEN)
        else:
            sign_in(user)
            # The confirmation link, opened in this browser, comes back to this invitation.
            session[PENDING_INVITATION] = token
            send_confirmation(user)
            return render_template("auth/join_sent.html", email=user.email, token=token)
    status = 422 if form.errors else 200
    return render_template("auth/join.html", form=form, token=token, hint=PASSWORD_HINT), status


@bp.post("/join/<token>/accept")
def accept(token: str):
    """A signed-in reader (open sign-up) accepts an invitation and becomes a member."""
    invitation = find_invitation(token)
    if invitation is None or not current_user.is_authenticated:
        return invalid()
    if not current_user.is_confirmed:
        # The invitation makes an address a member: only one its owner has proved.
        return render_template("auth/join_signed_in.html", token=token), 403
    if current_user.is_member:
        flash("You are already a member of this blog.")
    elif take_place(invitation):
        current_user.role = Role.MEMBER
        db.session.commit()
        flash("You are now a member of this blog.")
    else:
        return invalid()
    return redirect(url_for("reading.index"))
