"""Open sign-up, available while the comment policy is "any signed-in user". A new account is a
reader whose email address must be confirmed by a link before it may comment."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required

from blog.accounts.blueprint import bp
from blog.accounts.forms import PASSWORD_HINT, NewAccountForm
from blog.accounts.invitations import PENDING_INVITATION
from blog.accounts.throttle import signup_per_ip
from blog.accounts.tokens import Link, check_your_email
from blog.accounts.users import create_account_or_none, find_user_by_email, hash_password
from blog.extensions import db
from blog.jobs import enqueue, job
from blog.mail import send_mail
from blog.models import AccountToken, Role, TokenPurpose, User, utcnow
from blog.site_settings import get_settings
from blog.web.forms import EmptyForm
from blog.web.hosts import link_root, url_for_path
from blog.web.i18n import in_blog_language

CONFIRM = Link(TokenPurpose.CONFIRM_EMAIL, timedelta(hours=48), "accounts.confirm_email", "confirmation")


def signup_open() -> bool:
    return get_settings().signup_open


def send_confirmation(user: User, root: str) -> None:
    """Issue a confirmation link and mail it; the token is committed before the mail goes out."""
    CONFIRM.send(user, root, lazy_gettext("Confirm your email address"), "accounts/mail/confirm_email.txt")


def send_already_registered(user: User, root: str, **extra) -> None:
    """Tell the owner of an address that someone tried to make a new account with it."""
    with in_blog_language():
        send_mail(
            user.email,
            gettext("You already have an account"),
            render_template(
                "accounts/mail/already_registered.txt",
                user=user,
                signin=root + url_for_path("accounts.login"),
                reset=root + url_for_path("accounts.forgot_password"),
                **extra,
            ),
        )


@bp.route("/signup", methods=["GET", "POST"])
@signup_per_ip
def signup():
    """Create a reader account. The answer is the same, and takes as long, whether or not the address
    is taken: the password is hashed either way, and the account and mail are made by a job in the worker."""
    if not signup_open():
        abort(404)
    form = NewAccountForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("accounts/signup.html", form=form, hint=PASSWORD_HINT), status
    password_hash = hash_password(form.password.data)
    root = link_root()
    if root is not None:
        enqueue(register, form.email.data, form.name.data, password_hash, root)
    return check_your_email(
        gettext(
            "We sent a message to the address you gave. Follow the link in it to confirm your address, then sign in."
        ),
        url_for("accounts.login"),
        gettext("Sign in"),
    )


@job
def register(email: str, name: str, password_hash: str, root: str, **extra) -> None:
    """After the response: a new unconfirmed reader and its confirmation mail, or, for an address
    that has an account, a mail saying so (extra: what that mail adds, e.g. the invitation link)."""
    existing = find_user_by_email(email)
    if existing is None:
        user = create_account_or_none(
            email, name, "", Role.READER, confirmed=False, password_hash=password_hash
        )
        if user is not None:
            send_confirmation(user, root)
            return
        existing = find_user_by_email(email)  # taken a moment ago
    if existing is not None:
        send_already_registered(existing, root, **extra)


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm an email address. The link shows a button, so a mail scanner's visit confirms nothing."""
    return CONFIRM.redeem(token, EmptyForm(), confirmed, "accounts/confirm_email.html")


def confirmed(found: AccountToken):
    """The confirmation link's button was pressed: the address is the person's."""
    user = db.session.get(User, found.user_id)
    user.email_confirmed_at = utcnow()
    db.session.commit()
    flash(gettext("Thank you: your email address is confirmed."))
    invitation = session.pop(PENDING_INVITATION, None)
    if invitation:  # back to the invitation the account was made from, signed in to accept it
        join = url_for("accounts.join", token=invitation)
        return redirect(join if current_user.is_authenticated else url_for("accounts.login", next=join))
    return redirect(url_for("reading.index" if current_user.is_authenticated else "accounts.login"))


@bp.post("/account/confirm")
@login_required
@signup_per_ip
def resend_confirmation():
    """Send a new confirmation link to a signed-in reader who has not confirmed yet."""
    root = link_root()
    if not current_user.is_confirmed and root is not None:
        enqueue(resend_to, current_user.id, root)
        flash(gettext("We sent a new confirmation link to %(email)s.", email=current_user.email))
    return redirect(url_for("accounts.account"))


@job
def resend_to(user_id: int, root: str) -> None:
    user = db.session.get(User, user_id)
    if user is not None and not user.is_confirmed:
        send_confirmation(user, root)
