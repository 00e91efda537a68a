"""Revisions: every save of a post keeps its title, body and labels; each can be viewed and restored."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from blog.admin.blueprint import bp
from blog.admin.forms import split_labels
from blog.admin.ownership import editable_post
from blog.extensions import db
from blog.markup import render_body
from blog.models import Post, PostRevision, utcnow
from blog.publishing import set_body, set_labels
from blog.web import dates
from blog.web.forms import EmptyForm

AUTOSAVE_RUN = timedelta(minutes=10)


def record_revision(post: Post, force: bool = False, autosave: bool = False) -> PostRevision | None:
    """Keep the post's current content as a revision, unless it equals the latest one (or force).

    Autosaves by one person within AUTOSAVE_RUN of each other update a single revision, so that
    an afternoon of typing is one entry in the list rather than hundreds."""
    labels = ", ".join(label.name for label in post.labels)
    now = utcnow()
    latest = db.session.scalar(
        select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.saved_at.desc(), PostRevision.id.desc())
        .limit(1)
    )
    if latest is not None and not force and latest.same_content(post.title, post.body_source, labels):
        return None
    if (
        autosave
        and latest is not None
        and latest.autosave
        and latest.saved_by == current_user.id
        and latest.saved_at > now - AUTOSAVE_RUN
    ):
        revision = latest
    else:
        revision = PostRevision(post_id=post.id, saved_by=current_user.id)
        db.session.add(revision)
    revision.title, revision.body_source, revision.labels = post.title, post.body_source, labels
    revision.saved_at, revision.autosave = now, autosave
    return revision


def post_revision(post: Post, revision_id: int) -> PostRevision:
    return db.first_or_404(
        select(PostRevision).where(PostRevision.id == revision_id, PostRevision.post_id == post.id)
    )


@bp.get("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    """Every saved version of a post, newest first."""
    post = editable_post(post_id)
    found = db.session.scalars(
        select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.saved_at.desc(), PostRevision.id.desc())
    ).all()
    return render_template("admin/revisions.html", post=post, revisions=found)


@bp.get("/posts/<int:post_id>/revisions/<int:revision_id>")
def show_revision(post_id: int, revision_id: int):
    """One saved version: how it reads, its Markdown, and a button to restore it."""
    post = editable_post(post_id)
    revision = post_revision(post, revision_id)
    return render_template(
        "admin/revision.html",
        post=post,
        revision=revision,
        html=render_body(revision.body_source, post.body_format).html,
        form=EmptyForm(),
    )


@bp.post("/posts/<int:post_id>/revisions/<int:revision_id>/restore")
def restore_revision(post_id: int, revision_id: int):
    """Copy a revision back into the post; the restored content is saved as a new revision.
    (CSRFProtect has checked the token before this runs.)"""
    post = editable_post(post_id)
    revision = post_revision(post, revision_id)
    post.title = revision.title
    set_body(post, revision.body_source)
    set_labels(post, split_labels(revision.labels))
    post.updated_at = utcnow()
    record_revision(post, force=True)
    db.session.commit()
    flash(gettext("Restored the version saved %(when)s.", when=dates.date_time(revision.saved_at)))
    return redirect(url_for("admin.edit_post", post_id=post.id))
