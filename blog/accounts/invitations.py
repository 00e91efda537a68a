"""Invitation links, the Blogger way: /join/<token>, valid for 30 days by default, for one
person or up to N, revocable. Only the token's hash is stored, so a link can be shown only
when it is created. The admin screens and the CLI both use these functions."""

from datetime import timedelta

from flask import url_for
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Invitation, User, utcnow
from blog.models.token import hash_token, new_token

DEFAULT_DAYS = 30
# The session key holding the invitation a new account joined through, until its address is confirmed.
PENDING_INVITATION = "pending_invitation"


def create_invitation(
    created_by: User | None, max_uses: int = 1, days: int = DEFAULT_DAYS, note: str = ""
) -> tuple[Invitation, str]:
    """A new invitation and its raw token; the caller commits."""
    if max_uses < 1 or days < 1:
        raise ValueError("an invitation needs at least one use and one day")
    raw = new_token()
    now = utcnow()
    invitation = Invitation(
        token_hash=hash_token(raw),
        created_by_id=created_by.id if created_by else None,
        note=note[:200],
        created_at=now,
        expires_at=now + timedelta(days=days),
        max_uses=max_uses,
        uses=0,
    )
    db.session.add(invitation)
    return invitation, raw


def invitation_url(raw: str) -> str:
    return url_for("accounts.join", token=raw, _external=True)


def find_invitation(raw: str) -> Invitation | None:
    """The invitation for a link if it can still be used."""
    if not raw or len(raw) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(raw)))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def take_place(invitation: Invitation) -> bool:
    """Count one use, atomically: False if the last place went to someone else a moment ago."""
    now = utcnow()
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.uses < Invitation.max_uses,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(uses=Invitation.uses + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def revoke_invitation(invitation: Invitation) -> None:
    """The link stops working at once; the caller commits."""
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


def list_invitations() -> list[Invitation]:
    return list(
        db.session.scalars(select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc()))
    )
