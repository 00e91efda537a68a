"""The Theme screen: accent color, font, width, sidebar side, header image, favicon and the owner's
CSS, with a preview of the home page before saving; admins only.

The preview shows the admin's draft (a row of its own, never read by readers) in a frame: the form
posts it with htmx a moment after each change, or with its Preview button without JavaScript."""

import json

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.theme_form import ThemeForm, store_upload, uploaded
from blog.extensions import db
from blog.models import ThemeDraft
from blog.models.post import visible_posts
from blog.reading.listing import paged_posts
from blog.site_settings import get_settings
from blog.theme.colors import HEX, for_scheme
from blog.theme.current import LOOK_FIELDS, defaults, get_theme, look_of, use_draft
from blog.theme.stylesheet import build_css, css_and_digest
from blog.uploads import UploadRefused
from blog.web.forms import EmptyForm
from blog.web.htmx import partial
from blog.web.security import CSP

BUILTIN_ACCENT = "#b3400b"  # site.css's light accent, what the color input shows for the built-in colors
BUILTIN_DARK = "#f59e6b"  # and its dark one
# The preview page is framed by the Theme screen, and by nothing else.
FRAMED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


@bp.route("/theme", methods=["GET", "POST"])
@sensitive
def theme():
    """Show the Theme screen, or save it (422, the form kept, with messages next to the fields)."""
    live = get_theme()
    form = ThemeForm(data=initial(live))
    if not form.validate_on_submit():
        return screen(form, 422 if form.errors else 200)
    if request.form.get("action") == "preview":  # the no-JavaScript preview
        save_draft(form.look())
        db.session.commit()
        return screen(form, 200)
    before = look_of(live)
    try:
        apply(live, form)
    except UploadRefused as refusal:
        db.session.rollback()
        return screen(form, refusal.status)
    return saved(
        live, before, "theme.update", gettext("Theme saved: readers see it now."), gettext("Nothing changed.")
    )


@bp.post("/theme/preview")
@sensitive
def theme_preview():
    """The preview frame again, showing the form's values (htmx, a moment after each change)."""
    form = ThemeForm()
    if not form.validate_on_submit():
        return partial("admin/_theme_preview.html", 422, form=form, version="", schemes=schemes_of(form))
    save_draft(form.look())
    db.session.commit()
    version = css_and_digest(use_draft(form.look()))[1]
    return partial("admin/_theme_preview.html", form=form, version=version, schemes=schemes_of(form))


@bp.get("/theme/preview/home")
@sensitive
def theme_preview_page():
    """The home page as the admin's draft theme shows it, for the Theme screen's frame."""
    use_draft(load_draft())
    page = paged_posts(visible_posts(), get_settings().posts_per_page)
    response = Response(render_template("reading/index.html", page=page))
    response.headers["Content-Security-Policy"] = FRAMED_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.get("/theme/preview.css")
@sensitive
def theme_preview_css():
    """The draft theme's stylesheet (the URL's v= only makes each draft a new URL)."""
    return Response(build_css(use_draft(load_draft())), mimetype="text/css")


@bp.post("/theme/reset")
@sensitive
def theme_reset():
    """Put the look back as a new blog has it (the sidebar's layout and About stay)."""
    if not EmptyForm().validate_on_submit():
        flash(gettext("The form expired; please try again."))
        return redirect(url_for("admin.theme"))
    live = get_theme()
    before = look_of(live)
    for name, value in defaults(LOOK_FIELDS).items():
        setattr(live, name, value)
    return saved(
        live,
        before,
        "theme.reset",
        gettext("The theme is back to the default."),
        gettext("The theme already was the default."),
    )


def saved(live, before: dict, action: str, done: str, unchanged: str):
    """Commit the look (the audit log names what changed), drop the draft, and say so."""
    changed = {
        name: [before[name], getattr(live, name)]
        for name in LOOK_FIELDS
        if before[name] != getattr(live, name)
    }
    if changed:
        record(action, live, changed=changed)
    discard_draft()
    db.session.commit()
    flash(str(done if changed else unchanged))
    return redirect(url_for("admin.theme"))


def initial(live) -> dict:
    values = look_of(live)
    values["builtin_colors"] = not live.accent_color
    values["accent_color"] = live.accent_color or BUILTIN_ACCENT
    return values


def apply(live, form: ThemeForm) -> None:
    """The form's values onto the theme; uploaded images are checked, re-encoded and stored first."""
    look = form.look()
    if uploaded(form.header_image):
        look["header_image"] = store_upload(form.header_image, look["header_image_alt"])
    elif form.remove_header_image.data:
        look["header_image"] = ""
    if uploaded(form.favicon):
        look["favicon"] = store_upload(form.favicon, "favicon")
    elif form.remove_favicon.data:
        look["favicon"] = ""
    for name, value in look.items():
        setattr(live, name, value)


def schemes_of(form: ThemeForm) -> list:
    """The shade of the accent each scheme uses (the built-in colors' light accent when none is chosen)."""
    if form.builtin_colors.data:
        return [
            (gettext("Light"), for_scheme(BUILTIN_ACCENT, dark=False)),
            (gettext("Dark"), for_scheme(BUILTIN_DARK, dark=True)),
        ]
    color = form.accent_color.data if HEX.fullmatch(form.accent_color.data or "") else BUILTIN_ACCENT
    return [
        (gettext("Light"), for_scheme(color, dark=False)),
        (gettext("Dark"), for_scheme(color, dark=True)),
    ]


def screen(form: ThemeForm, status: int):
    return render_template(
        "admin/theme.html",
        form=form,
        live=get_theme(),
        schemes=schemes_of(form),
        reset_form=EmptyForm(),
        version="",
    ), status


def load_draft() -> dict:
    draft = db.session.get(ThemeDraft, current_user.id)
    return json.loads(draft.values) if draft else {}


def save_draft(look: dict) -> None:
    draft = db.session.get(ThemeDraft, current_user.id) or ThemeDraft(user_id=current_user.id)
    draft.values = json.dumps(look)
    db.session.add(draft)


def discard_draft() -> None:
    draft = db.session.get(ThemeDraft, current_user.id)
    if draft is not None:
        db.session.delete(draft)
    g.pop("theme_draft", None)
