"""Invitation links on the members page: create one (expiry and use limit), copy it, revoke it.
Only a link's hash is stored, so the link itself is shown once, right after it is created."""

from flask import flash, redirect, session, url_for
from flask_babel import gettext
from flask_login import current_user

from blog.accounts.invitations import create_invitation, invitation_url, list_invitations, revoke_invitation
from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.member_forms import InvitationForm
from blog.admin.members import NEW_LINK_KEY, render_members_page
from blog.extensions import db
from blog.models import Invitation, utcnow
from blog.web.htmx import partial, wants_partial


def answer(form: InvitationForm, new_link: str | None = None, status: int = 200, message: str = ""):
    """The invitations section for htmx. Otherwise the members page: again with the form on errors, or
    after a redirect, showing a new link once."""
    if wants_partial():
        return partial(
            "admin/_invitations.html",
            status,
            form=form,
            new_link=new_link,
            invitations=list_invitations(),
            now=utcnow(),
            message=message,
        )
    if status >= 400:
        return render_members_page(form, status)
    flash(str(message))
    if new_link:
        session[NEW_LINK_KEY] = new_link
    return redirect(url_for("admin.members", _anchor="invitations"))


@bp.post("/invitations")
@sensitive
def create_invitation_link():
    """Make a new invitation link valid for some days and some number of people."""
    form = InvitationForm()
    if not form.validate_on_submit():
        return answer(form, status=422)
    invitation, raw = create_invitation(
        current_user, max_uses=form.max_uses.data, days=form.days.data, note=form.note.data or ""
    )
    db.session.flush()
    record("invitation.create", invitation, days=form.days.data, max_uses=form.max_uses.data)
    db.session.commit()
    return answer(
        InvitationForm(formdata=None),
        new_link=invitation_url(raw),
        message=gettext("Invitation link created."),
    )


@bp.post("/invitations/<int:invitation_id>/revoke")
@sensitive
def revoke_invitation_link(invitation_id: int):
    """Stop an invitation link from working."""
    invitation = db.get_or_404(Invitation, invitation_id)
    revoke_invitation(invitation)
    record("invitation.revoke", invitation, uses=invitation.uses, max_uses=invitation.max_uses)
    db.session.commit()
    return answer(InvitationForm(formdata=None), message=gettext("Invitation link revoked."))
