"""Banning someone from commenting (with a reason, an optional end, optionally hiding their comments)
and lifting a ban. Admins only, with a fresh sign-in."""

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from blog.accounts.sessions import revoke_all_sessions
from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.member_forms import BanForm
from blog.admin.members import render_member
from blog.comments.bans import active_ban, impose_ban, lift_ban
from blog.extensions import db
from blog.models import Ban, User, utcnow
from blog.web import dates


def ban_end(form: BanForm) -> datetime | None:
    """The start of the chosen day in the blog's timezone, as naive UTC; a field error if it is not ahead."""
    day = form.ends_on.data
    if day is None:
        return None
    today = dates.to_local(utcnow()).date()
    if day <= today:
        form.ends_on.errors = [*form.ends_on.errors, gettext("Choose a day after today, or leave it empty.")]
        return None
    start = datetime.combine(day, time(0), tzinfo=dates.blog_zone())
    return start.astimezone(UTC).replace(tzinfo=None)


@bp.post("/members/<int:user_id>/ban")
@sensitive
def ban_member(user_id: int):
    """Ban someone from commenting; they are told the reason where the comment form was."""
    user = db.get_or_404(User, user_id)
    form = BanForm()
    valid = form.validate_on_submit()
    ends_at = ban_end(form) if valid else None
    if user.id == current_user.id:
        form.reason.errors = [*form.reason.errors, gettext("You can't ban yourself.")]
    elif active_ban(user) is not None:
        form.reason.errors = [
            *form.reason.errors,
            gettext("This person is already banned; lift that ban first."),
        ]
    if not valid or form.errors:
        return render_member(user, 422, ban_form=form)
    ban, hidden = impose_ban(user, form.reason.data, ends_at, form.hide_comments.data, current_user)
    # A ban takes rights away: like a demotion, it ends the person's sessions.
    revoke_all_sessions(user)
    record(
        "member.ban",
        user,
        reason=ban.reason,
        ends_at=ends_at,
        hide_comments=ban.hide_comments,
        comments_hidden=hidden,
    )
    db.session.commit()
    hidden_note = (
        " "
        + ngettext("%(num)d of their comments was hidden.", "%(num)d of their comments were hidden.", hidden)
        if hidden
        else ""
    )
    flash(gettext("%(name)s can no longer comment.", name=user.name) + hidden_note)
    return redirect(url_for("admin.member", user_id=user.id))


@bp.post("/members/<int:user_id>/bans/<int:ban_id>/lift")
@sensitive
def lift_member_ban(user_id: int, ban_id: int):
    """End a ban now, and give back the comments it hid."""
    ban = db.get_or_404(Ban, ban_id)
    if ban.user_id != user_id:
        abort(404)
    restored = lift_ban(ban)
    record("member.unban", ban.user, ban_id=ban.id, comments_restored=restored)
    db.session.commit()
    back = (
        " " + ngettext("%(num)d comment is back.", "%(num)d comments are back.", restored) if restored else ""
    )
    flash(gettext("%(name)s may comment again.", name=ban.user.name) + back)
    return redirect(url_for("admin.member", user_id=user_id))
