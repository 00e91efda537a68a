"""The blog's settings: title, language, timezone, comment policy and moderation; admins only."""

from flask import flash, redirect, render_template, url_for

from ..audit import record
from ..extensions import db
from ..site_settings import get_settings
from .access import sensitive
from .blueprint import bp
from .settings_form import FIELDS, SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
@sensitive
def settings():
    """Show the settings form, or save it (422 with the form kept and messages next to fields)."""
    current = get_settings()
    form = SettingsForm(obj=current, current_language=current.language)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("admin/settings.html", form=form), status
    changed = {}
    for name in FIELDS:
        new, old = getattr(form, name).data, getattr(current, name)
        if isinstance(new, str):
            new = new.strip()
        if new != old:
            changed[name] = [old, new]
            setattr(current, name, new)
    if changed:
        record("settings.update", current, changed=changed)
    db.session.commit()
    flash("Settings saved." if changed else "Nothing changed.")
    return redirect(url_for("admin.settings"))
