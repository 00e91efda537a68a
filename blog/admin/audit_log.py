"""Writing the audit log: call record() from every admin action, in the same transaction."""

import json
from typing import Any

from flask_login import current_user

from blog.extensions import db
from blog.models import AuditEntry


def record(action: str, target: Any = None, **details: Any) -> AuditEntry:
    """Add an audit entry for `action` (e.g. "comment.approve") by the signed-in person; the caller commits.

    `target` is a model instance (its table name and id are kept, with a readable label), or None."""
    actor = current_user if getattr(current_user, "is_authenticated", False) else None
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_name=(actor.name if actor else "")[:80],
        action=action[:64],
        target_type=getattr(target, "__tablename__", "")[:32] if target is not None else "",
        target_id=getattr(target, "id", None),
        target_label=label_of(target)[:200],
        details=json.dumps(details, default=str, ensure_ascii=False, sort_keys=True),
    )
    db.session.add(entry)
    return entry


def label_of(target: Any) -> str:
    """A short human name for what an action touched."""
    if target is None:
        return ""
    if hasattr(target, "display_name"):  # a comment: whose it is
        return f"by {target.display_name}"
    for attribute in ("name", "title", "email", "note"):
        value = getattr(target, attribute, None)
        if isinstance(value, str) and value:
            return value
    return f"#{getattr(target, 'id', '')}"
