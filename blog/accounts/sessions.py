"""Server-side sessions: one row per signed-in browser, so a session can really end.

Flask's session is a signed cookie that the server cannot take back, so the id Flask-Login
keeps in it (and in the remember cookie) is a random token whose hash names a row in
user_sessions. Signing out deletes that row: a copy of the cookies made before then stops
working, and the person's other browsers stay signed in. Revoking every row signs a person
out everywhere (password reset, ban, role change, "sign out everywhere").
A session ends at its lifetime (SESSION_LIFETIME_DAYS) or after SESSION_IDLE_DAYS without a visit, whichever
comes first; its last visit is written at most once an hour, so reading costs no write per page.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from blog.db import write_now
from blog.extensions import db
from blog.models import User, UserSession, utcnow
from blog.models.token import hash_token, new_token

LAST_SEEN_RESOLUTION = timedelta(hours=1)


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["SESSION_LIFETIME_DAYS"])


def idle_limit() -> timedelta:
    return timedelta(days=current_app.config["SESSION_IDLE_DAYS"])


def ended(now: datetime):
    """The condition on UserSession rows that have run out (too old, or idle too long)."""
    return or_(UserSession.created_at < now - lifetime(), UserSession.last_seen_at < now - idle_limit())


def start_session(user: User) -> str:
    """Record a new session for user and return its token (also set on user for get_id()); the caller commits."""
    token = new_token()
    now = utcnow()
    # Housekeeping: the person's own sessions that have run out.
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, ended(now)))
    db.session.add(
        UserSession(token_hash=hash_token(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    user.session_token = token
    return token


def load_session(token: str) -> User | None:
    """The active person a session token belongs to, or None if the session ended or ran out."""
    if not token or len(token) > 100:
        return None
    found = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == hash_token(token))
    ).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if row.created_at < now - lifetime() or row.last_seen_at < now - idle_limit() or not user.is_active:
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        # Reading pages counts as a visit too; write_now never turns a GET's read transaction
        # into a write (that could fail under load, see db.py).
        write_now(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    user.session_token = token
    return user


def end_session(user: User) -> None:
    """End the session user was loaded for (plain sign-out); the caller commits."""
    if user.session_token:
        db.session.execute(
            delete(UserSession).where(UserSession.token_hash == hash_token(user.session_token))
        )


def revoke_all_sessions(user: User) -> None:
    """Sign the person out on every device; the caller commits."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    user.session_version += 1


def revoke_other_sessions(user: User, keep_current: bool = True) -> None:
    """Sign the person out everywhere except (with keep_current) the browser they are using now."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_current and user.session_token:
        query = query.where(UserSession.token_hash != hash_token(user.session_token))
    db.session.execute(query)
    user.session_version += 1


def count_sessions(user: User) -> int:
    """How many browsers the person is signed in on."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user.id, ~ended(utcnow()))
        )
        or 0
    )
