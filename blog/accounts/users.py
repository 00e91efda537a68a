"""Account records: finding, creating and deleting people."""

from functools import cache

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from blog.accounts.sessions import revoke_all_sessions
from blog.extensions import db
from blog.followers.service import forget_member
from blog.models import Comment, CommentStatus, HiddenBy, Role, User, utcnow
from blog.models.user import password_hash_method


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not anybody's password", method=method)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None.

    An unknown email costs a password check too, so the answer takes as long as for a wrong password."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password)
        return None
    if user.check_password(password) and user.is_active:
        return user
    return None


def hash_password(password: str) -> str:
    """The slow part of creating an account, for views that must do it whether or not they create one."""
    return generate_password_hash(password, method=password_hash_method())


def create_account(
    email: str, name: str, password: str, role: Role, confirmed: bool = True, *, password_hash: str = ""
) -> User:
    """A new account (with password, or with password_hash made by hash_password()); the caller checks
    the email is free and commits."""
    user = User(
        email=email.strip(),
        name=name.strip() or email.strip(),
        role=role,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    if password_hash:
        user.password_hash, user.password_changed_at = password_hash, utcnow()
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_account_or_none(
    email: str, name: str, password: str, role: Role, confirmed: bool = True, *, password_hash: str = ""
) -> User | None:
    """create_account(), or None (with the transaction rolled back) when the email was taken a moment ago."""
    try:
        return create_account(email, name, password, role, confirmed, password_hash=password_hash)
    except IntegrityError:
        db.session.rollback()
        return None


def admin_exists() -> bool:
    return db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None


def is_last_admin(user: User) -> bool:
    if user.role != Role.ADMIN:
        return False
    admins = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))
    return admins <= 1


def delete_account(user: User) -> None:
    """Delete the account. Their comments stay in threads as "removed by the author", with the
    text and the link to the account gone; no more posts are mailed to them. The caller commits."""
    db.session.execute(
        update(Comment)
        .where(Comment.author_id == user.id)
        .values(
            status=CommentStatus.REMOVED,
            hidden_by=HiddenBy.COMMENTER,
            author_id=None,
            author_name="",
            body_source="",
            body_html="",
        )
        .execution_options(synchronize_session=False)
    )
    revoke_all_sessions(user)
    forget_member(user)
    db.session.delete(user)
