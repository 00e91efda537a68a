"""The Follow box's answer, the confirmation page ("Confirm", a POST) and unsubscribing.

None of these needs a session: the box is on cached pages that must be the same for every reader,
and the one-click unsubscribe (RFC 8058) comes from a mail program. So they are exempt from CSRF;
the Origin check (blog/web/security.py) still refuses another site's page, the signed tokens
carry the authority, and the box is rate-limited per client and per address."""

from flask import Blueprint, make_response, render_template, request
from flask_babel import lazy_gettext

from blog.accounts.forms import email_field
from blog.extensions import csrf, limiter
from blog.followers import service
from blog.followers.tokens import read_confirm_token, read_unsubscribe_token
from blog.web.forms import Form
from blog.web.hosts import link_root
from blog.web.htmx import vary_on_htmx, wants_partial

bp = Blueprint("followers", __name__)


class FollowForm(Form):
    class Meta:
        csrf = False  # see the module docstring

    email = email_field(lazy_gettext("Your email address"))  # the accounts' own check: both accept the same


def address_key() -> str:
    return "follow-address:" + service.normalise(request.form.get("email", ""))[:254]


@bp.post("/follow")
@csrf.exempt
@limiter.limit("10 per hour")
@limiter.limit("5 per hour", key_func=address_key)
def follow():
    form = FollowForm()
    sent = form.validate_on_submit()
    if sent:
        root = link_root()
        if root is not None:
            service.ask_to_follow(form.email.data, root)
    # One partial: the whole box for htmx, inside a page of its own without JavaScript.
    template = "followers/_follow_box.html" if wants_partial() else "followers/follow.html"
    page = render_template(template, follow_form=form, follow_sent=sent)
    return vary_on_htmx(make_response(page, 200 if sent else 422))


@bp.route("/follow/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt
def confirm(token: str):
    """GET shows the "Confirm" button (a link scanner's visit confirms nothing); POST confirms."""
    found = read_confirm_token(token)
    if found is None:
        return render_template("followers/invalid.html"), 404
    if request.method == "POST":
        if service.confirm(*found) is None:
            return render_template("followers/invalid.html"), 404
        return render_template("followers/confirmed.html")
    return render_template("followers/confirm.html", token=token)


@bp.route("/follow/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """POST unsubscribes at once: the mail program's one-click POST (List-Unsubscribe=One-Click) or
    the button on this page, which the plain link in the mail opens."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render_template("followers/invalid.html"), 404
    if request.method == "POST":
        if not service.unsubscribe(*found):
            return render_template("followers/invalid.html"), 404
        return render_template("followers/unsubscribed.html")
    return render_template("followers/unsubscribe.html", token=token, email=found[1])
