"""The Sidebar screen: which sections show and in what order (up and down buttons that work with
the keyboard, in place with htmx, as plain forms without it), and the About box; admins only."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext

from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.theme_form import AboutForm, store_upload, uploaded
from blog.extensions import db
from blog.theme import sidebar
from blog.theme.current import defaults, get_theme
from blog.uploads import UploadRefused
from blog.web.forms import EmptyForm
from blog.web.htmx import partial, wants_partial

DONE = {
    "up": lazy_gettext("moved up"),
    "down": lazy_gettext("moved down"),
    "show": lazy_gettext("shown"),
    "hide": lazy_gettext("hidden"),
}


@bp.get("/theme/sidebar")
@sensitive
def theme_sidebar():
    """The sidebar's sections and the About box."""
    return screen(about_form(), 200)


@bp.post("/theme/sidebar/sections")
@sensitive
def theme_sidebar_change():
    """Move a section up or down, show or hide it (the pressed button's value: "up:labels")."""
    form = EmptyForm()
    op, _, key = request.form.get("change", "").partition(":")
    live = get_theme()
    try:
        changed = sidebar.change(live.sidebar, op, key) if form.validate_on_submit() else None
    except ValueError:
        changed = None
    if changed is None:
        if wants_partial():
            return layout_fragment(
                status=422, problem=gettext("That change could not be made; reload the page and try again.")
            )
        flash(gettext("That change could not be made; please try again."))
        return redirect(url_for("admin.theme_sidebar"))
    if changed != live.sidebar:
        record("theme.sidebar", live, changed={"sidebar": [live.sidebar, changed]})
        live.sidebar = changed
        db.session.commit()
    name = sidebar.SECTIONS[key]
    message = gettext("%(section)s %(done)s.", section=name, done=DONE[op])
    if wants_partial():
        return layout_fragment(focus=focus_after(live.sidebar, op, key), message=message)
    flash(str(message))
    return redirect(url_for("admin.theme_sidebar") + f"#section-{key}")


@bp.post("/theme/sidebar/about")
@sensitive
def theme_about():
    """Save the About box: a short text and an optional photo (checked and re-encoded)."""
    live = get_theme()
    form = about_form()
    if not form.validate_on_submit():
        return screen(form, 422)
    before = {name: getattr(live, name) for name in ("about_text", "about_photo", "about_photo_alt")}
    live.about_text = (form.about_text.data or "").replace("\r\n", "\n").strip()
    live.about_photo_alt = (form.about_photo_alt.data or "").strip()
    try:
        if uploaded(form.about_photo):
            live.about_photo = store_upload(form.about_photo, live.about_photo_alt)
        elif form.remove_about_photo.data:
            live.about_photo = ""
    except UploadRefused as refusal:
        db.session.rollback()
        return screen(form, refusal.status)
    changed = {name: [old, getattr(live, name)] for name, old in before.items() if old != getattr(live, name)}
    if changed:
        record("theme.about", live, changed=changed)
    db.session.commit()
    flash(gettext("About saved.") if changed else gettext("Nothing changed."))
    return redirect(url_for("admin.theme_sidebar"))


@bp.post("/theme/sidebar/reset")
@sensitive
def theme_sidebar_reset():
    """The default sections, in the default order (the About text and photo stay)."""
    live = get_theme()
    if EmptyForm().validate_on_submit() and live.sidebar != defaults(["sidebar"])["sidebar"]:
        record("theme.sidebar", live, changed={"sidebar": [live.sidebar, defaults(["sidebar"])["sidebar"]]})
        live.sidebar = defaults(["sidebar"])["sidebar"]
        db.session.commit()
    flash(gettext("The sidebar shows the default sections again."))
    return redirect(url_for("admin.theme_sidebar"))


def focus_after(layout: str, op: str, key: str) -> str:
    """The button to keep focus on after pressing op on key: the same one, unless it is now disabled
    (a section moved to an end) or gone (Show became Hide)."""
    keys = [slot.key for slot in sidebar.parse(layout)]
    if op == "up" and keys[0] == key:
        op = "down"
    elif op == "down" and keys[-1] == key:
        op = "up"
    elif op in ("show", "hide"):
        op = "hide" if op == "show" else "show"
    return f"{op}:{key}"


def about_form() -> AboutForm:
    live = get_theme()
    return AboutForm(data={"about_text": live.about_text, "about_photo_alt": live.about_photo_alt})


def layout_context(**extra) -> dict:
    return {"slots": sidebar.parse(get_theme().sidebar), "layout_form": EmptyForm(), **extra}


def layout_fragment(status: int = 200, **extra):
    return partial("admin/_sidebar_layout.html", status, **layout_context(**extra))


def screen(form: AboutForm, status: int):
    return render_template(
        "admin/theme_sidebar.html", about_form=form, live=get_theme(), **layout_context()
    ), status
