"""Issuing and redeeming single-use tokens (password reset, email confirmation, first-run setup)."""

from datetime import timedelta

from flask import render_template
from sqlalchemy import delete, select, update

from blog.extensions import db
from blog.models import AccountToken, TokenPurpose, User, utcnow
from blog.models.token import hash_token, new_token


def issue_token(purpose: TokenPurpose, user: User | None, lifetime: timedelta) -> str:
    """A new token; earlier unused ones for the same purpose and person stop working. The caller commits."""
    db.session.execute(
        delete(AccountToken).where(
            AccountToken.purpose == purpose,
            AccountToken.user_id == user.id if user is not None else AccountToken.user_id.is_(None),
        )
    )
    raw = new_token()
    now = utcnow()
    db.session.add(
        AccountToken(
            token_hash=hash_token(raw),
            purpose=purpose,
            user_id=user.id if user is not None else None,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return raw


def find_token(purpose: TokenPurpose, raw: str) -> AccountToken | None:
    """The token if it is unused and in date (and, for a person's token, still theirs to use)."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(raw),
            AccountToken.purpose == purpose,
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if token.user_id is not None:
        user = db.session.get(User, token.user_id)
        if user is None or not user.is_active:
            return None
        # A password change (by any route) voids reset links issued before it.
        if user.password_changed_at is not None and token.created_at < user.password_changed_at:
            return None
    return token


def use_token(token: AccountToken) -> bool:
    """Mark the token used; False if another request used it first. The caller commits."""
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def invalid_link(what: str):
    """The 404 page for an emailed link that is unknown, used, expired or no longer the person's."""
    return render_template("accounts/invalid_link.html", what=what), 404
