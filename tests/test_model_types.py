"""Fixed sets of values are enums in Python and the same plain strings in the database as before
(tests/test_migrations.py checks the column types and lengths against the migrations)."""

from sqlalchemy import text

from blog.extensions import db
from blog.models import (
    AccountToken,
    BlogSettings,
    BodyFormat,
    Comment,
    CommentPolicy,
    CommentStatus,
    HiddenBy,
    Moderation,
    Page,
    Post,
    PostStatus,
    Role,
    TokenPurpose,
    User,
    utcnow,
)
from blog.site_settings import ensure_settings


def test_enum_columns_read_back_as_members_and_are_stored_as_their_values(app, admin):
    with app.app_context():
        post = Post(title="Typed", slug="typed", status=PostStatus.DRAFT, body_format=BodyFormat.HTML)
        db.session.add(post)
        db.session.flush()
        comment = Comment(
            post_id=post.id, author_id=admin.id, status=CommentStatus.REMOVED, hidden_by=HiddenBy.COMMENTER
        )
        settings = ensure_settings()
        settings.comment_policy, settings.moderation = CommentPolicy.SIGNED_IN, Moderation.OLDER_THAN
        token = AccountToken(
            token_hash="0" * 64, purpose=TokenPurpose.RESET_PASSWORD, user_id=admin.id, expires_at=utcnow()
        )
        db.session.add_all([comment, token, Page(title="About", slug="about")])
        db.session.commit()

        stored = db.session.execute(
            text(
                "SELECT u.role, p.status, p.body_format, c.status, c.hidden_by, s.comment_policy, s.moderation,"
                " t.purpose, g.body_format FROM users u, posts p, comments c, blog_settings s,"
                " account_tokens t, pages g"
            )
        ).one()
        assert tuple(stored) == (
            "admin",
            "draft",
            "html",
            "removed",
            "commenter",
            "signed_in",
            "older_than",
            "reset_password",
            "markdown",  # the column default
        )

        db.session.expire_all()
        user, post, comment = (
            db.session.get(User, admin.id),
            db.session.get(Post, post.id),
            db.session.get(Comment, comment.id),
        )
        settings, token, page = (
            db.session.get(BlogSettings, 1),
            db.session.get(AccountToken, token.id),
            db.session.scalar(db.select(Page)),
        )
        assert (user.role, post.status, post.body_format) == (Role.ADMIN, PostStatus.DRAFT, BodyFormat.HTML)
        assert (
            type(user.role) is Role
            and type(post.status) is PostStatus
            and type(page.body_format) is BodyFormat
        )
        assert type(comment.status) is CommentStatus and type(comment.hidden_by) is HiddenBy
        assert type(settings.comment_policy) is CommentPolicy and type(settings.moderation) is Moderation
        assert type(token.purpose) is TokenPurpose
        assert user.is_admin and post.is_draft and comment.is_removed and not comment.is_pending
        assert settings.signup_open
        assert comment.post is post and comment.author is user


def test_a_plain_string_written_by_a_form_is_read_back_as_the_member(app, member):
    with app.app_context():
        user = db.session.get(User, member.id)
        user.role = "author"  # what a form's field gives
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, member.id).role is Role.AUTHOR
        assert db.session.scalar(db.select(User.id).where(User.role == Role.AUTHOR)) == member.id
