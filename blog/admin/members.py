"""Members and staff: the list with search, one person's page, changing a role and removing someone.
Admins only, with a fresh sign-in. Bans are in member_bans.py, invitation links in invitations.py."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select

from blog.accounts.invitations import list_invitations
from blog.accounts.sessions import revoke_all_sessions
from blog.accounts.users import delete_account, is_last_admin
from blog.admin.access import sensitive
from blog.admin.audit_log import record
from blog.admin.blueprint import bp
from blog.admin.member_forms import ROLE_LABELS, ROLE_RANK, BanForm, InvitationForm, RemoveForm, RoleForm
from blog.comments.bans import active_ban, bans_of
from blog.extensions import db
from blog.models import Ban, Comment, Role, User, utcnow
from blog.web.htmx import partial, wants_partial

PER_PAGE = 50
NEW_LINK_KEY = "new_invitation_link"  # a link just created, shown once on the next page


def search_query(q: str):
    """Everyone, by name; with q, those whose name or email contains it."""
    query = select(User).order_by(func.lower(User.name), User.id)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    return query


def banned_ids(user_ids: list[int]) -> set[int]:
    """Which of these people are banned from commenting right now (one query for the page)."""
    if not user_ids:
        return set()
    now = utcnow()
    return set(
        db.session.scalars(
            select(Ban.user_id).where(
                Ban.user_id.in_(user_ids),
                Ban.lifted_at.is_(None),
                Ban.ends_at.is_(None) | (Ban.ends_at > now),
            )
        )
    )


def list_context() -> dict:
    """One page of the list for the search in the query string."""
    q = request.args.get("q", "").strip()[:100]
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(search_query(q), page=max(page, 1), per_page=PER_PAGE, error_out=False)
    return {
        "pagination": pagination,
        "q": q,
        "role_labels": ROLE_LABELS,
        "banned": banned_ids([u.id for u in pagination.items]),
    }


def render_members_page(form: InvitationForm | None = None, status: int = 200):
    """The whole members page; an invitation form passed in keeps what was typed and its errors."""
    return partial(
        "admin/members.html",
        status,
        invitations=list_invitations(),
        form=form or InvitationForm(),
        new_link=session.pop(NEW_LINK_KEY, None),
        now=utcnow(),
        **list_context(),
    )


@bp.get("/members")
@sensitive
def members():
    """The list of members and staff, searchable by name or email, and the invitation links."""
    if wants_partial():
        return partial("admin/_member_list.html", **list_context())
    return render_members_page()


def render_member(user: User, status: int = 200, **forms):
    """One person's page with its forms (those passed in keep what was typed and their errors)."""
    counts = dict(
        db.session.execute(
            select(Comment.status, func.count()).where(Comment.author_id == user.id).group_by(Comment.status)
        ).all()
    )
    return render_template(
        "admin/member.html",
        user=user,
        ban=active_ban(user),
        bans=bans_of(user),
        comment_counts=counts,
        role_labels=ROLE_LABELS,
        is_self=user.id == current_user.id,
        now=utcnow(),
        role_form=forms.get("role_form") or RoleForm(role=user.role),
        ban_form=forms.get("ban_form") or BanForm(formdata=None),
        remove_form=forms.get("remove_form") or RemoveForm(formdata=None),
    ), status


@bp.get("/members/<int:user_id>")
@sensitive
def member(user_id: int):
    """One person: role, bans, comments; the forms to change them."""
    return render_member(db.get_or_404(User, user_id))


@bp.post("/members/<int:user_id>/role")
@sensitive
def change_role(user_id: int):
    """Give someone another role; a role with fewer rights ends all their sessions."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    valid = form.validate_on_submit()
    if user.id == current_user.id or is_last_admin(user):
        form.role.errors = [
            *form.role.errors,
            gettext("You can't change your own role.")
            if user.id == current_user.id
            else gettext("The blog needs at least one admin."),
        ]
        valid = False
    if not valid:
        return render_member(user, 422, role_form=form)
    old, new = user.role, Role(form.role.data)
    if new != old:
        user.role = new
        reduced = ROLE_RANK.get(new, 0) < ROLE_RANK.get(old, 0)
        if reduced:
            revoke_all_sessions(user)
        record("member.role", user, old=old, new=new, sessions_ended=reduced)
        db.session.commit()
        message = gettext("%(name)s's role is now %(role)s.", name=user.name, role=new)
        flash(message + (" " + gettext("They were signed out everywhere.") if reduced else ""))
    return redirect(url_for("admin.member", user_id=user.id))


@bp.post("/members/<int:user_id>/remove")
@sensitive
def remove_member(user_id: int):
    """Delete someone's account; their comments stay in threads as removed."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(403)
    form = RemoveForm()
    if not form.validate_on_submit():
        return render_member(user, 422, remove_form=form)
    comments = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.author_id == user.id)
    )
    record("member.remove", user, email=user.email, role=user.role, comments_removed=comments)
    delete_account(user)
    db.session.commit()
    flash(
        ngettext(
            "%(name)s was removed, and their %(num)d comment with them.",
            "%(name)s was removed, and their %(num)d comments with them.",
            comments,
            name=user.name,
        )
    )
    return redirect(url_for("admin.members"))
