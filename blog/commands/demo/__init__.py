"""`flask demo`: load a small demo blog for trying the blog out. Its writing is in the Markdown and
TOML files beside this module (content.py reads them).

Only its own accounts (emails @demo.example) and the content it creates are written; nothing
else is changed or deleted. The demo admin's account marks the demo as loaded: if it exists, the
command changes nothing, so running it again is safe and never resets a password changed by hand.
Everything is added in one transaction, so an interrupted load leaves no half a demo behind.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blog.accounts import find_user_by_email
from blog.commands.demo.content import (
    ACCOUNTS,
    ADMIN,
    BLOG_DESCRIPTION,
    BLOG_TITLE,
    PAGES,
    POSTS,
    DemoAccount,
    DemoPage,
    DemoPost,
)
from blog.extensions import db
from blog.markup import render_comment
from blog.models import BlogSettings, Comment, Page, Post, PostStatus, User, utcnow
from blog.publishing import publish, set_body, set_labels
from blog.site_settings import ensure_settings
from blog.stats.demo import DAYS, add_demo_stats
from blog.web.dates import local_date

SCHEDULED_IN = timedelta(days=30)
ALREADY_LOADED = "The demo blog is already loaded; nothing changed (a password changed since then stays).\n"


def load_demo() -> str:
    """Load the demo blog unless it is already there; return a summary to print."""
    if find_user_by_email(ADMIN.email) is not None:
        return ALREADY_LOADED + _sign_in_help()
    settings = ensure_settings()
    try:
        users = {account.key: _account(account) for account in ACCOUNTS}
        _name_the_blog(settings)
        posts = [_add_post(item, users) for item in POSTS]
        pages = [_add_page(item, users["admin"]) for item in PAGES]
        db.session.flush()  # comments need the posts' ids
        comments = sum(_add_comments(post, item, users) for post, item in zip(posts, POSTS, strict=True))
        views = add_demo_stats(posts, local_date(utcnow()))
        db.session.commit()
    except IntegrityError:
        # Another `flask demo` loaded it at the same moment: its copy stands.
        db.session.rollback()
        return ALREADY_LOADED + _sign_in_help()
    added_pages = sum(page is not None for page in pages)
    return (
        f"Loaded the demo blog: {len(posts)} posts "
        f"({_count(PostStatus.DRAFT)} draft, {_count(PostStatus.SCHEDULED)} scheduled), "
        f"{added_pages} pages, {comments} comments, {len(users)} demo accounts, "
        f"{views} made-up views over {DAYS + 1} days for Stats.\n" + _sign_in_help()
    )


def _count(status: PostStatus) -> int:
    return sum(item.status == status for item in POSTS)


def _sign_in_help() -> str:
    others = ", ".join(f"{a.email} ({a.password})" for a in ACCOUNTS if a is not ADMIN)
    return (
        f"Sign in as the demo admin with email {ADMIN.email} and password {ADMIN.password}.\n"
        f"Other demo accounts: {others}.\n"
        "The demo accounts have published passwords: use the demo for trying the blog, not on a public site."
    )


def _account(account: DemoAccount) -> User:
    """The demo account, created if missing; an existing one is used as it is."""
    user = find_user_by_email(account.email)
    if user is None:
        user = User(email=account.email, name=account.name, role=account.role, bio=account.bio)
        user.set_password(account.password)
        db.session.add(user)
    return user


def _name_the_blog(settings: BlogSettings) -> None:
    """Give the blog the demo's title and description, but only where the owner kept the defaults."""
    if settings.title == "My Blog":
        settings.title = BLOG_TITLE
    if not settings.description:
        settings.description = BLOG_DESCRIPTION


def _add_post(item: DemoPost, users: dict[str, User]) -> Post:
    post = Post(title=item.title, slug="", author=users[item.by])
    set_body(post, item.body)
    set_labels(post, list(item.labels))
    db.session.add(post)
    db.session.flush()  # set_labels of the next post must see the labels made here
    if item.status == PostStatus.SCHEDULED:
        publish(post, (utcnow() + SCHEDULED_IN).replace(hour=8, minute=0, second=0, microsecond=0))
    elif item.status == PostStatus.PUBLISHED:
        publish(post, item.date)
        post.created_at = post.updated_at = item.date  # as if written on the day
    return post


def _add_page(item: DemoPage, author: User) -> Page | None:
    """The demo page, unless the blog already has a page at that address (the owner's stays)."""
    if db.session.scalar(select(Page.id).where(Page.slug == item.slug)) is not None:
        return None
    page = Page(title=item.title, slug=item.slug, position=item.position, published=True, author=author)
    set_body(page, item.body)
    db.session.add(page)
    return page


def _add_comments(post: Post, item: DemoPost, users: dict[str, User]) -> int:
    added: list[Comment] = []
    for spec in item.comments:
        parent = added[spec.reply_to] if spec.reply_to is not None else None
        comment = Comment(
            post_id=post.id,
            author=users[spec.by],
            parent_id=parent.id if parent is not None else None,
            body_source=spec.body,
            body_html=render_comment(spec.body),
            created_at=item.date + timedelta(minutes=spec.minutes),
        )
        db.session.add(comment)
        db.session.flush()  # a reply further down needs this comment's id
        added.append(comment)
    return len(added)
