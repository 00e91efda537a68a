"""Saving what the post editor sends: fields, slug, status (draft, scheduled, published) and a revision.

The server decides between publishing and scheduling by the publish date alone, whatever the
button said: a past date backdates the post, a future one schedules it, an empty one means now.
"""

from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from blog.admin.forms import Action, PostForm
from blog.admin.revisions import record_revision
from blog.extensions import db
from blog.models import Post, PostStatus, utcnow
from blog.publishing import publish, set_body, set_labels
from blog.reading.redirects import remember_old_permalink
from blog.web import dates


def slug_problem(post: Post | None, form: PostForm) -> str | None:
    """Why the slug typed cannot be used, or None. Only a fixed permalink can clash."""
    wanted = form.wanted_slug
    if post is None or not post.has_permalink or not wanted or wanted == post.slug:
        return None
    clash = db.session.scalar(
        select(Post.id).where(
            Post.year == post.year, Post.month == post.month, Post.slug == wanted, Post.id != post.id
        )
    )
    return (
        gettext(
            "Another post of %(month)s already uses this slug.",
            month=str(post.year) + "/" + format(post.month, "02d"),
        )
        if clash
        else None
    )


def fill_post(post: Post, form: PostForm) -> None:
    """Copy the editor's fields into the post (its status is left alone)."""
    post.title = form.title.data.strip()
    set_body(post, form.body.data or "")
    set_labels(post, form.label_names)
    post.comments_allowed = form.comments_allowed.data
    post.search_description = (form.search_description.data or "").strip()
    apply_slug(post, form.wanted_slug)
    if post.status == PostStatus.DRAFT:
        # A draft keeps the date it was given, so that publishing it later uses it.
        post.published_at = chosen_time(form, post.published_at)
    post.updated_at = utcnow()


def apply_slug(post: Post, wanted: str) -> None:
    if not post.has_permalink:
        post.slug = wanted  # empty: derived from the title when first published
    elif wanted and wanted != post.slug:
        old, post.slug = post.slug, wanted
        remember_old_permalink(post, old)


def save_post(post: Post, form: PostForm, action: Action, autosave: bool = False) -> str:
    """Apply the action to the post (added to the session if new), keep a revision; returns what happened."""
    if post.id is None:
        post.author_id = current_user.id
        db.session.add(post)
    was_draft = post.status == PostStatus.DRAFT
    kept_time = post.published_at
    fill_post(post, form)
    if action in (Action.PUBLISH, Action.UPDATE):
        publish(post, chosen_time(form, kept_time) or (utcnow() if was_draft else kept_time))
    elif action == Action.UNPUBLISH:
        post.status = PostStatus.DRAFT  # year, month and slug stay: the permalink is fixed for good
    db.session.flush()
    record_revision(post, autosave=autosave)
    return outcome(post, action)


def chosen_time(form: PostForm, kept):
    """The form's publish time; the stored one when the form shows it unchanged (the input has no seconds)."""
    when = form.publish_time
    if when is not None and kept is not None and when == kept.replace(second=0, microsecond=0):
        return kept
    return when


def outcome(post: Post, action: Action) -> str:
    if action == Action.UNPUBLISH:
        return gettext("Unpublished: the post is a draft again.")
    if post.status == PostStatus.DRAFT:
        return gettext("Draft saved.")
    if post.published_at > utcnow():
        return gettext("Scheduled for %(when)s.", when=dates.date_time(post.published_at))
    return gettext("Published.") if action == Action.PUBLISH else gettext("Updated.")
