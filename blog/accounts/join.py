"""Following an invitation link: create an account, confirm its address, then become a member.

An invitation link is not tied to an address (an admin may paste it anywhere), so it proves nothing
about the email typed into the join form: the account starts as an unconfirmed reader, and only a
confirmed account accepts the invitation (the confirmation link brings the person back here)."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext
from flask_login import current_user

from blog.accounts.blueprint import bp
from blog.accounts.forms import PASSWORD_HINT, NewAccountForm
from blog.accounts.invitations import PENDING_INVITATION, find_invitation, take_place
from blog.accounts.signup import register
from blog.accounts.throttle import signup_per_ip
from blog.accounts.tokens import check_your_email, invalid_link
from blog.accounts.users import hash_password
from blog.extensions import db
from blog.jobs import enqueue
from blog.models import Role
from blog.web.hosts import link_root, url_for_path


def invalid():
    return invalid_link("invitation")


@bp.route("/join/<token>", methods=["GET", "POST"])
@signup_per_ip
def join(token: str):
    """Create an account from an invitation and mail a confirmation link; the invitation is accepted
    once the address is confirmed.

    The answer is the same, and takes as long, whether or not the address already has an account:
    the password is hashed either way, and the account and mail are made by a job in the worker."""
    invitation = find_invitation(token)
    if invitation is None:
        return invalid()
    if current_user.is_authenticated:
        return render_template("accounts/join_signed_in.html", token=token)
    form = NewAccountForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("accounts/join.html", form=form, token=token, hint=PASSWORD_HINT), status
    password_hash = hash_password(form.password.data)
    root = link_root()
    if root is not None:
        invitation_link = root + url_for_path("accounts.join", token=token)
        enqueue(register, form.email.data, form.name.data, password_hash, root, invitation=invitation_link)
    # The confirmation link, opened in this browser, comes back to this invitation.
    session[PENDING_INVITATION] = token
    return check_your_email(
        gettext(
            "We sent a message to the address you gave. Follow the link in it to confirm your address, sign in, "
            "then accept the invitation to become a member of this blog."
        ),
        url_for("accounts.join", token=token),
        gettext("Back to the invitation"),
    )


@bp.post("/join/<token>/accept")
def accept(token: str):
    """A signed-in reader (open sign-up) accepts an invitation and becomes a member."""
    invitation = find_invitation(token)
    if invitation is None or not current_user.is_authenticated:
        return invalid()
    if not current_user.is_confirmed:
        # The invitation makes an address a member: only one its owner has proved.
        return render_template("accounts/join_signed_in.html", token=token), 403
    if current_user.is_member:
        flash(gettext("You are already a member of this blog."))
    elif take_place(invitation):
        current_user.role = Role.MEMBER
        db.session.commit()
        flash(gettext("You are now a member of this blog."))
    else:
        return invalid()
    return redirect(url_for("reading.index"))
