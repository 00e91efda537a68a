"""The admin screens: a full editor submission, reading the audit log, what a refusal looks like."""

from sqlalchemy import select

from blog.extensions import db
from blog.models import AuditEntry

NEW_POST = "/admin/posts/new"


def edit_url(post_id: int) -> str:
    return f"/admin/posts/{post_id}/edit"


def post_fields(token: str, action: str = "draft", **fields) -> dict:
    """A complete editor submission: every field the form has, overridden by fields."""
    data = {
        "csrf_token": token,
        "action": action,
        "title": "A title",
        "body": "Some *text*.",
        "labels": "",
        "slug": "",
        "published_at": "",
        "comments_allowed": "y",
        "search_description": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_id_from(response) -> int:
    """The id in a redirect to /admin/posts/<id>/edit."""
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
