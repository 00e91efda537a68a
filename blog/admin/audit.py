"""The audit log page: who did what, when, on what; for admins."""

import json

from flask import render_template, request
from sqlalchemy import select

from blog.admin.blueprint import bp, require_admin
from blog.extensions import db
from blog.models import AuditEntry

PER_PAGE = 50
# Table names as the log shows them.
KINDS = {
    "users": "member",
    "comments": "comment",
    "posts": "post",
    "pages": "page",
    "invitations": "invitation",
    "blog_settings": "settings",
    "images": "image",
    "bans": "ban",
}


@bp.get("/audit")
def audit_log():
    """Admin actions, newest first, one page at a time."""
    require_admin()
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(
        select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        page=max(page, 1),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("admin/audit.html", pagination=pagination, details_of=details_of, kinds=KINDS)


def details_of(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (name, value) pairs to show; unreadable JSON shows as it is."""
    try:
        data = json.loads(entry.details or "{}")
    except ValueError:
        return [("details", entry.details)]
    if not isinstance(data, dict):
        return [("details", str(data))]
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in data.items()
    ]
