"""The blog's settings: title, language, timezone, comment policy and moderation; admins only."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext

from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.settings_form import FIELDS, SettingsForm
from blog.extensions import db
from blog.fediverse.followers import drop_blocked_followers
from blog.site_settings import get_settings


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
    if "blocked_servers" in changed:
        drop_blocked_followers()  # a blocked server's followers get nothing more
    flash(gettext("Settings saved.") if changed else gettext("Nothing changed."))
    return redirect(url_for("admin.settings"))
