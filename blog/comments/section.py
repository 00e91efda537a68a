"""What the comment section partial needs: the page of the thread, the viewer's rights, and the form."""

from dataclasses import dataclass, field

from flask import g, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user
from markupsafe import Markup

from blog.comments import policy
from blog.comments.bans import active_ban, ban_message
from blog.comments.forms import CommentForm, EditForm, form_class
from blog.comments.shared import assemble, sees_more_than_everyone, shared_page
from blog.comments.thread import Thread, load_thread
from blog.models import BlogSettings, Comment, CommentStatus, Post, utcnow
from blog.site_settings import get_settings

SUBMIT_LABELS = {
    "comment": lazy_gettext("Post comment"),
    "reply": lazy_gettext("Post reply"),
    "edit": lazy_gettext("Save comment"),
}


@dataclass
class FormView:
    """One comment form as the _form.html partial draws it."""

    form: CommentForm | EditForm
    kind: str  # comment, reply or edit
    id: str
    action: str
    target: str  # where a successful htmx post swaps its answer
    swap: str = "outerHTML"  # how (a new comment is appended to the list)
    cancel_url: str | None = None
    preview_html: str | None = None
    inline: bool = True  # inside the post page (htmx attributes) or on a page of its own (a plain form)

    def __post_init__(self) -> None:
        # Several forms share a page: give their fields unique ids (the names stay as they are).
        for f in self.form:
            f.id = f"{self.id}-{f.name}"
            f.label.field_id = f.id

    @property
    def submit_label(self) -> str:
        return SUBMIT_LABELS[self.kind]


@dataclass
class Viewer:
    """The person looking at the thread, with the questions templates ask per comment."""

    user: object
    settings: BlogSettings
    permission: policy.Permission
    now: object = field(default_factory=utcnow)

    def may_reply(self, comment: Comment) -> bool:
        return self.permission.allowed and comment.status == CommentStatus.PUBLISHED

    def may_edit(self, comment: Comment) -> bool:
        # A banned member may still delete their comments, but not change what they say.
        return self.permission.allowed and policy.may_edit(self.user, comment, self.settings, self.now)

    def may_delete(self, comment: Comment) -> bool:
        return policy.may_delete(self.user, comment)


@dataclass
class Section:
    post: Post
    thread: Thread
    viewer: Viewer
    form: FormView | None = None
    items_html: Markup | None = None  # the page of comments, assembled from the shared render
    status: str = ""  # a message shown at the top of the section
    focus: str = ""  # the element id a swap moves focus to
    announce: str = ""  # said through the aria-live region after an htmx swap

    @property
    def permission(self) -> policy.Permission:
        return self.viewer.permission

    def page_url(self, page: int, anchor: str = "comments") -> str:
        return thread_url(self.post, page, anchor)


def thread_url(post: Post, page: int = 1, anchor: str = "comments") -> str:
    """A page of the thread inside the post's permalink (works without JavaScript)."""
    return url_for(
        "reading.post",
        year=post.year,
        month=post.month,
        slug=post.slug,
        cpage=page if page > 1 else None,
        _anchor=anchor,
    )


def viewer_for(post: Post) -> Viewer:
    """The viewer's rights on this post; a ban in force overrides the comment policy. Asked once per
    request and post: a comment post asks before storing and again for its answer."""
    key = (post.id, current_user.get_id())
    known = g.setdefault("comment_viewers", {})
    if key not in known:
        settings = get_settings()
        ban = active_ban(current_user)
        permission = (
            policy.Permission(False, ban_message(ban))
            if ban
            else policy.permission(current_user, post, settings)
        )
        known[key] = Viewer(current_user, settings, permission)
    return known[key]


def requested_page() -> int:
    raw = request.args.get("cpage", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1  # "²".isdigit() too


def fresh_form(reply: bool) -> CommentForm:
    """An empty form; "Email me replies" starts as the member's notification choice."""
    signed_in = policy.is_signed_in(current_user)
    form = form_class(reply=reply, guest=not signed_in)(formdata=None)
    if form.notify is not None:
        form.notify.data = bool(getattr(current_user, "notify_replies", False))
    return form


def comment_form_view(post: Post, form: CommentForm | None = None) -> FormView:
    form = form or fresh_form(reply=False)
    action = url_for("comments.create", post_id=post.id)
    return FormView(form, "comment", "comment-form", action, "#comment-list", "beforeend")


def reply_form_view(parent: Comment, form: CommentForm | None = None) -> FormView:
    top_id = parent.parent_id or parent.id
    form = form or fresh_form(reply=True)
    return FormView(
        form,
        "reply",
        f"reply-form-{top_id}",
        url_for("comments.reply", comment_id=parent.id),
        f"#reply-slot-{top_id}",
        cancel_url=url_for("comments.show", comment_id=parent.id),
    )


def edit_form_view(comment: Comment, form: EditForm | None = None) -> FormView:
    form = form or EditForm(formdata=None, body=comment.body_source)
    form_id = f"edit-form-{comment.id}"
    return FormView(
        form,
        "edit",
        form_id,
        url_for("comments.edit", comment_id=comment.id),
        f"#{form_id}",
        cancel_url=url_for("comments.show", comment_id=comment.id),
    )


def build_section(post: Post, page: int | None = None, form: FormView | None = None, **extra) -> Section:
    """The section for the current viewer: a page of the thread, then the form or the notice.

    Anonymous readers get no form here (it would carry a per-session CSRF token and make the
    page differ per reader); under the "anyone" policy they open one with "Write a comment"."""
    viewer = viewer_for(post)
    page, per_page = requested_page() if page is None else page, viewer.settings.comments_per_page
    if form is None and viewer.permission.allowed and policy.is_signed_in(current_user):
        form = comment_form_view(post)
    if sees_more_than_everyone(post, current_user):
        return Section(post, load_thread(post, current_user, page, per_page), viewer, form, **extra)
    shared = shared_page(post, page, per_page)
    return Section(post, shared.thread, viewer, form, assemble(shared, viewer), **extra)
