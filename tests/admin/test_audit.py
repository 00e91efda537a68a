"""The audit log: record() writes who did what on what, in the caller's transaction; admins read it."""

import json

import pytest

from blog.admin.audit_log import record
from blog.extensions import db
from blog.models import AuditEntry, User
from tests.support.accounts import make_user, sign_in
from tests.support.web import HTMX


def test_record_keeps_actor_target_and_details_in_the_callers_transaction(app, admin, member):
    with app.test_request_context():
        from flask_login import login_user

        from blog.accounts.sessions import start_session

        actor = db.session.get(User, admin.id)
        start_session(actor)
        login_user(actor)
        target = db.session.get(User, member.id)
        entry = record("member.role", target, old="member", new="author", when=None)
        db.session.rollback()  # the caller did not commit: nothing is logged
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0

        record("member.role", target, old="member", new="author")
        record("site.check")
        db.session.commit()
        first, second = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entry.action == "member.role"
    assert (first.actor_id, first.actor_name) == (admin.id, "Ada Admin")
    assert (first.target_type, first.target_id, first.target_label) == ("users", member.id, "Max Member")
    assert json.loads(first.details) == {"old": "member", "new": "author"}
    assert (second.target_type, second.target_id, second.details) == ("", None, "{}")


def test_record_without_a_signed_in_person_has_no_actor(app):
    with app.test_request_context():
        record("cli.import", None, posts=3)
        db.session.commit()
        entry = db.session.scalar(db.select(AuditEntry))
        assert entry.actor_id is None and entry.actor_name == ""


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("who", ["anonymous", "member", "author"])
def test_only_admins_read_the_audit_log(app, client, admin, member, who, headers):
    make_user(app, "author@example.test", "Ann Author", "author")
    if who != "anonymous":
        sign_in(client, f"{who}@example.test")
    response = client.get("/admin/audit", headers=headers)
    assert "audit-table" not in response.text
    if who == "anonymous":
        assert response.status_code == (401 if headers else 302)
    else:
        assert response.status_code == 403


def add_entries(app, actor: User, n: int) -> None:
    with app.app_context():
        for i in range(n):
            db.session.add(
                AuditEntry(
                    actor_id=actor.id,
                    actor_name=actor.name,
                    action=f"test.action{i:02}",
                    target_type="posts",
                    target_id=i,
                    target_label=f"Post {i}",
                    details=json.dumps({"n": i, "note": "<script>alert(1)</script>"}),
                )
            )
        db.session.commit()


def test_admins_read_the_log_newest_first_page_by_page(app, client, admin):
    add_entries(app, admin, 55)
    sign_in(client, "admin@example.test")
    first = client.get("/admin/audit")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    html = first.text
    assert html.index("test.action54") < html.index("test.action53")
    assert "test.action04" not in html and "Page 1 of 2" in html
    assert "post Post 54 (#54)" in html and "Ada Admin" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    second = client.get("/admin/audit?page=2").text
    assert "test.action00" in second and "test.action54" not in second


def test_an_actor_removed_later_is_still_named(app, client, admin):
    gone = make_user(app, "gone@example.test", "Gone Admin", "admin")
    add_entries(app, gone, 1)
    with app.app_context():
        db.session.delete(db.session.get(User, gone.id))
        db.session.commit()
    sign_in(client, "admin@example.test")
    assert "Gone Admin" in client.get("/admin/audit").text


def test_admin_actions_are_logged_with_their_actor(app, client, admin, member, make_post):
    from tests.support.comments import add_comment
    from tests.support.web import token_for

    comment = add_comment(app, make_post("Logged"), member, "Hi", status="pending")
    sign_in(client, "admin@example.test")
    token = token_for(client, "/admin/comments")
    client.post(f"/admin/comments/{comment}/spam", data={"csrf_token": token})
    page = client.get("/admin/audit").text
    assert "comment.spam" in page and f"comment by Max Member (#{comment})" in page
