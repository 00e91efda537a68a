"""Signing in and out."""
from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from .extensions import db, login_manager
from .models import User
from .security import safe_next

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    # Only looked up, never stored: no format check, so no address is refused for its shape.
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The id is '<id>:<session version>'; an older version means the person signed out everywhere."""
        ident, _, version = user_id.partition(":")
        if not ident.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(ident))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@bp.route("/signin", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            target = safe_next(form.next.data) or url_for("reading.index")
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(target)
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/signout")
@login_required
def logout():
    """Sign out of this browser."""
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("reading.index"))
