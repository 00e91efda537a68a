"""Personal read tokens for a private blog: a member's feed address and API key in one.

Feed readers and scripts cannot sign in, so a member may ask for a token (on the account page);
it reads feeds and the content API as that member, given as `?token=...` or as
`Authorization: Bearer ...`. The token is the member's id and a random nonce, signed with the
secret key; only the nonce is stored (blog/models/feed_token.py). A new token replaces the old
one, and a token stops working the moment its member is no longer a member (role changed,
account closed) or the nonce is replaced or deleted.
"""

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from blog.extensions import db
from blog.models import FeedToken, User

SALT = "blog.reader-token"


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(row: FeedToken) -> str:
    return serializer().dumps([row.user_id, row.nonce])


def current_token(user_id: int) -> str | None:
    """The member's token, or None if they have none (or it was revoked)."""
    row = db.session.get(FeedToken, user_id)
    return token_for(row) if row is not None else None


def issue(user_id: int) -> str:
    """A new token for the member, replacing (revoking) any earlier one. The caller commits."""
    row = db.session.get(FeedToken, user_id)
    if row is None:
        row = FeedToken(user_id=user_id)
        db.session.add(row)
    row.nonce = secrets.token_hex(16)
    db.session.flush()
    return token_for(row)


def revoke(user_id: int) -> None:
    """Delete the member's token; the caller commits."""
    row = db.session.get(FeedToken, user_id)
    if row is not None:
        db.session.delete(row)


def presented_token() -> str | None:
    """The token a request carries: ?token=, or an Authorization: Bearer header."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.args.get("token") or None


def reader_for(token: str | None) -> User | None:
    """The active member a token belongs to, or None for a forged, revoked or stale one."""
    if not token or len(token) > 200:
        return None
    try:
        user_id, nonce = serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(nonce, str):
        return None
    user = db.session.scalar(
        select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(User.id == user_id, FeedToken.nonce == nonce)
    )
    if user is None or not user.is_active or not user.is_member:
        return None
    return user
