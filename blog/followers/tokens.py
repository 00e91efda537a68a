"""Signed links for followers: confirm (good for FOLLOW_CONFIRM_DAYS) and unsubscribe (no expiry: an
old mail's link must still work). Each names the follower and the address, so a link stops
working for an address that was removed and followed again under a new id."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

CONFIRM_DAYS = 7


def _confirm() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="follow-confirm")


def _unsubscribe() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="follow-unsubscribe")


def confirm_token(follower_id: int, email: str) -> str:
    return _confirm().dumps([follower_id, email])


def read_confirm_token(token: str) -> tuple[int, str] | None:
    try:
        follower_id, email = _confirm().loads(token, max_age=CONFIRM_DAYS * 24 * 3600)
        return int(follower_id), str(email)
    except (BadSignature, TypeError, ValueError):
        return None


def unsubscribe_token(follower_id: int, email: str) -> str:
    return _unsubscribe().dumps([follower_id, email])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        follower_id, email = _unsubscribe().loads(token)
        return int(follower_id), str(email)
    except (BadSignature, TypeError, ValueError):
        return None
