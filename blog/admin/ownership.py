"""Which posts a staff member may touch: authors their own, admins every one."""

from flask import abort
from flask_login import current_user
from sqlalchemy import Select

from blog.admin.blueprint import require_admin
from blog.extensions import db
from blog.models import Page, Post


def may_edit(post: Post) -> bool:
    return current_user.is_admin or post.author_id == current_user.id


def editable_post(post_id: int, hide_foreign: bool = False) -> Post:
    """The post, or 404 when missing and 403 when it is someone else's (404 with hide_foreign,
    for draft previews: a draft is not there at all for anyone but its author and admins)."""
    post = db.get_or_404(Post, post_id)
    if not may_edit(post):
        abort(404 if hide_foreign else 403)
    return post


def own_posts(query: Select) -> Select:
    """Narrow a select of posts to the ones the current person may edit."""
    return query if current_user.is_admin else query.where(Post.author_id == current_user.id)


def editable_page(page_id: int) -> Page:
    """Static pages are the admins' alone."""
    require_admin()
    return db.get_or_404(Page, page_id)
