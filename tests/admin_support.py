"""Helpers shared by the admin moderation, members, settings and audit tests."""

from conftest import Auth, csrf_from
from markupsafe import escape
from sqlalchemy import select

from blog.extensions import db
from blog.models import AuditEntry, Comment

HTMX = {"HX-Request": "true"}


def sign_in(client, email: str, **extra) -> None:
    response = Auth(client).login(email=email, **extra)
    assert response.status_code == 302, response.text


def token_for(client, path: str | None = None) -> str:
    """A CSRF token for the client's session, read from a page that shows one (by default the sign-in
    page for someone signed out, the home page's hx-headers for someone signed in)."""
    if path is None:
        page = client.get("/signin")
        path = "/" if page.status_code == 302 else "/signin"
    return csrf_from(client.get(path).text)


def add_comment(app, post, author=None, body="Nice post!", status="pending", parent_id=None, name="") -> int:
    with app.app_context():
        comment = Comment(
            post_id=post.id,
            author_id=author.id if author else None,
            author_name=name,
            body_source=body,
            body_html=f"<p>{escape(body)}</p>",
            status=status,
            parent_id=parent_id,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


def status_of(app, comment_id: int) -> str | None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status if comment else None


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def no_admin_content(response, marker: str) -> bool:
    """The response is a refusal: a redirect to sign in, a 401 for htmx, or a 403, without the screen."""
    return response.status_code in (302, 401, 403) and marker not in response.text
