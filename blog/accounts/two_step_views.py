"""Two-step verification pages: setting it up and turning it off on the account page, and the
sign-in Code step that completes a sign-in whose password was right."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_fresh, login_required

from blog.accounts import two_step
from blog.accounts.blueprint import bp
from blog.accounts.login_manager import sign_in
from blog.accounts.throttle import code_per_account, code_per_ip, password_check, record_failure
from blog.accounts.two_step_forms import CodeForm, TurnOffForm
from blog.extensions import db
from blog.models import User
from blog.web.forms import EmptyForm
from blog.web.htmx import hx_redirect, wants_partial
from blog.web.security import safe_next

WRONG_CODE = lazy_gettext(
    "That code is not right. Check the time on your phone, or use one of your recovery codes."
)
WRONG_SETUP_CODE = lazy_gettext("That code is not right. Type the 6-digit code your app shows now.")
AGAIN = lazy_gettext("Please sign in again to continue.")


# --- signing in --------------------------------------------------------------------------------


def destination(user: User, target: str) -> str:
    """Where a person goes once signed in: the setup page (which says why) first if staff must turn it on."""
    if two_step.setup_required(user):
        return url_for("accounts.two_step_page")
    return target


def send_to_setup():
    """Answer a staff request to the admin area while the required setup is not done."""
    target = url_for("accounts.two_step_page")
    if wants_partial():
        return hx_redirect(target, 403)
    return redirect(target)


@bp.route("/signin/code", methods=["GET", "POST"])
@code_per_ip
@code_per_account
def code():
    """The second step of signing in: a code from the app, or a recovery code (used up)."""
    user = two_step.pending_user()
    if user is None:
        flash(gettext("Your sign-in timed out. Please sign in again."))
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if two_step.check_code(user, form.code.data):
            remember, target = two_step.pending_choices()
            sign_in(user, remember=remember)  # a new session; the pending state goes with the old one
            db.session.commit()
            return redirect(destination(user, safe_next(target) or url_for("reading.index")))
        form.code.errors.append(WRONG_CODE)
        current_app.logger.warning("failed two-step code for user %s from %s", user.id, request.remote_addr)
    if form.errors:
        record_failure()
    return render_template("accounts/code.html", form=form), 422 if form.errors else 200


# --- the account page's section ----------------------------------------------------------------


def _page(code_form: CodeForm | None = None, off_form: TurnOffForm | None = None, status: int = 200):
    record = two_step.record_for(current_user)
    on = record is not None and record.confirmed_at is not None
    context = {
        "record": record,
        "on": on,
        "required": two_step.setup_required(current_user),
        "start_form": EmptyForm(),
        "code_form": code_form or CodeForm(formdata=None),
        "off_form": off_form or TurnOffForm(formdata=None),
    }
    if on:
        context["codes_left"] = two_step.recovery_codes_left(current_user)
    elif record is not None:
        context["secret"] = two_step.spaced_secret(record.secret)
        context["qr_code"] = two_step.qr_code_svg(record, current_user)
    return render_template("accounts/two_step.html", **context), status


@bp.get("/account/two-step")
@login_required
def two_step_page():
    return _page()


@bp.post("/account/two-step/start")
@login_required
def two_step_start():
    """A new secret key to add to the app (again, if the person lost the first one)."""
    if not EmptyForm().validate_on_submit():
        return _page(status=400)
    if two_step.is_on(current_user):
        return redirect(url_for("accounts.two_step_page"))
    two_step.start_setup(current_user)
    db.session.commit()
    return redirect(url_for("accounts.two_step_page"))


@bp.post("/account/two-step/confirm")
@login_required
@password_check
def two_step_confirm():
    """Turn it on once the app's code matches; the recovery codes are shown on this answer only."""
    record = two_step.pending_setup(current_user)
    if record is None:
        return redirect(url_for("accounts.two_step_page"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_step.confirm_setup(record, form.code.data)
        if codes is not None:
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes)
        form.code.errors.append(WRONG_SETUP_CODE)
    record_failure()
    return _page(code_form=form, status=422)


@bp.post("/account/two-step/off")
@login_required
@password_check
def two_step_off():
    """Turn it off: only with a fresh sign-in (not one restored from "keep me signed in") and the password."""
    if not login_fresh():
        flash(str(AGAIN))
        return redirect(url_for("accounts.login", next=url_for("accounts.two_step_page")))
    form = TurnOffForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            two_step.turn_off(current_user)
            db.session.commit()
            flash(gettext("Two-step verification is off."))
            return redirect(url_for("accounts.account"))
        form.password.errors.append(gettext("That is not your password."))
    record_failure()
    return _page(off_form=form, status=422)
