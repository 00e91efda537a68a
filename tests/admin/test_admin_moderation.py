"""The comment moderation queue: who may use it, tabs, single and bulk actions in place or as plain
forms, undo, CSRF, and authors limited to the comments on their own posts."""

import re

import pytest

from tests.support.accounts import make_user, sign_in
from tests.support.admin import audit_actions
from tests.support.comments import add_comment, status_of
from tests.support.web import HTMX, token_for


@pytest.fixture
def queue(app, admin, author, member, make_post):
    """Two posts (the admin's and the author's), with pending, published and spam comments."""
    admins_post = make_post("Admin's thoughts")
    authors_post = make_post("Author's story", author=author)
    return {
        "admins_post": admins_post,
        "authors_post": authors_post,
        "pending": add_comment(app, admins_post, member, "Please approve me", status="pending"),
        "pending2": add_comment(app, admins_post, member, "Me too", status="pending"),
        "on_authors": add_comment(app, authors_post, member, "On the author's post", status="pending"),
        "published": add_comment(app, admins_post, member, "Already out", status="published"),
        "spam": add_comment(app, admins_post, None, "Buy cheap pills", status="spam", author_name="Spammer"),
    }


def admin_client(client, queue):
    sign_in(client, "admin@example.test")
    return token_for(client, "/admin/comments")


POST_URLS = [
    "/admin/comments/{pending}/approve",
    "/admin/comments/{pending}/spam",
    "/admin/comments/{pending}/delete",
    "/admin/comments/bulk",
    "/admin/comments/undo",
]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_members_and_anonymous_get_no_queue_page_or_fragment(app, client, queue, who, headers):
    if who == "member":
        sign_in(client, "member@example.test")
    # A member is forbidden; someone signed out is sent to sign in (htmx: 401 and HX-Redirect).
    refusal = 403 if who == "member" else 401 if headers else 302
    for status in ("pending", "published", "spam"):
        response = client.get(f"/admin/comments?status={status}", headers=headers)
        assert response.status_code == refusal, status
        assert "mod-queue" not in response.text
    token = token_for(client)
    for url in POST_URLS:
        data = {
            "csrf_token": token,
            "action": "approve",
            "ids": [queue["pending"]],
            "status": "pending",
            "token": "x",
        }
        response = client.post(url.format(**queue), data=data, headers=headers)
        assert response.status_code == refusal, url
        assert "mod-status" not in response.text
        if refusal == 401:
            assert response.headers["HX-Redirect"].startswith("/signin")
        elif refusal == 302:
            assert "/signin" in response.headers["Location"]
    assert status_of(app, queue["pending"]) == "pending"


def test_queue_tabs_group_comments_by_post_with_links_to_them(client, queue):
    admin_client(client, queue)
    page = client.get("/admin/comments")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.text
    assert 'aria-current="page">Awaiting moderation <span class="tab-count">3</span>' in html
    assert "Please approve me" in html and "On the author&#39;s post" in html
    assert "Already out" not in html and "Buy cheap pills" not in html
    # Grouped under each post's title, which links to the post; each comment links to its place there.
    assert html.count('class="mod-group"') == 2
    heading = (
        r'<h2 class="mod-post"[^>]*>\s*'
        r'<a href="/\d{4}/\d{2}/admin-s-thoughts.html">Admin&#39;s thoughts</a>'
    )
    assert re.search(heading, html)
    assert re.search(rf'href="/\d{{4}}/\d{{2}}/admin-s-thoughts.html#c{queue["pending"]}"', html)
    assert "Max Member" in html
    assert "data-hx-disable" in html.split(f'id="mod-c{queue["pending"]}"')[1].split("</li>")[0]

    spam = client.get("/admin/comments?status=spam").text
    assert "Buy cheap pills" in spam and "Please approve me" not in spam
    assert ">Approve<" in spam and ">Mark as spam<" not in spam  # no action that changes nothing
    published = client.get("/admin/comments?status=published").text
    assert "Already out" in published and ">Approve<" not in published
    assert client.get("/admin/comments?status=removed").status_code == 404
    assert client.get("/admin/comments?page=x").status_code == 404


def test_approving_in_place_removes_the_row_and_offers_undo(app, client, queue):
    token = admin_client(client, queue)
    response = client.post(
        f"/admin/comments/{queue['pending']}/approve",
        data={"csrf_token": token, "status": "pending", "page": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in response.text
    assert f'id="mod-c{queue["pending"]}"' not in response.text  # the row is swapped for nothing
    assert 'id="mod-status"' in response.text and 'data-hx-swap-oob="innerHTML"' in response.text
    assert "Approved 1 comment." in response.text and ">Undo<" in response.text
    assert 'Awaiting moderation <span class="tab-count">2</span>' in response.text  # counts out of band
    assert status_of(app, queue["pending"]) == "published"
    assert "comment.approve" in audit_actions(app)

    undo_token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
    undone = client.post(
        "/admin/comments/undo",
        headers=HTMX,
        data={"csrf_token": token, "token": undo_token, "status": "pending", "page": "1"},
    )
    assert undone.status_code == 200
    assert 'id="mod-queue"' in undone.text and "Please approve me" in undone.text
    assert "Undone: 1 comment restored." in undone.text
    assert status_of(app, queue["pending"]) == "pending"
    assert audit_actions(app)[-1] == "comment.undo"


def test_without_javascript_actions_redirect_and_the_undo_waits_on_the_page(app, client, queue):
    token = admin_client(client, queue)
    response = client.post(
        f"/admin/comments/{queue['spam']}/approve", data={"csrf_token": token, "status": "spam", "page": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/comments?status=spam"
    assert status_of(app, queue["spam"]) == "published"
    page = client.get("/admin/comments?status=spam").text
    assert "Approved 1 comment." in page
    undo_token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert "Approved 1 comment." not in client.get("/admin/comments?status=spam").text  # shown once

    response = client.post(
        "/admin/comments/undo", data={"csrf_token": token, "token": undo_token, "status": "spam"}
    )
    assert response.status_code == 302
    assert status_of(app, queue["spam"]) == "spam"
    assert "Undone: 1 comment restored." in client.get("/admin/comments?status=spam").text


def test_bulk_delete_and_undo_restore_each_previous_status(app, client, queue):
    token = admin_client(client, queue)
    ids = [queue["pending"], queue["pending2"]]
    response = client.post(
        "/admin/comments/bulk",
        headers=HTMX,
        data={"csrf_token": token, "action": "delete", "ids": ids, "status": "pending", "page": "1"},
    )
    assert response.status_code == 200
    assert "Deleted 2 comments." in response.text
    assert "Please approve me" not in response.text and "On the author&#39;s post" in response.text
    assert [status_of(app, i) for i in ids] == ["removed", "removed"]

    # The same bulk action on the published and spam tabs, then one undo puts each back where it was.
    mixed = [queue["published"], queue["spam"]]
    response = client.post(
        "/admin/comments/bulk",
        data={"csrf_token": token, "action": "delete", "ids": mixed, "status": "published"},
    )
    assert response.status_code == 302
    page = client.get("/admin/comments?status=published").text
    undo_token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.post(
        "/admin/comments/undo", data={"csrf_token": token, "token": undo_token, "status": "published"}
    )
    assert [status_of(app, i) for i in mixed] == ["published", "spam"]


def test_undo_leaves_comments_changed_again_since(app, client, queue):
    token = admin_client(client, queue)
    first = client.post(
        f"/admin/comments/{queue['pending']}/approve",
        headers=HTMX,
        data={"csrf_token": token, "status": "pending"},
    )
    undo_token = re.search(r'name="token" value="([^"]+)"', first.text).group(1)
    client.post(
        f"/admin/comments/{queue['pending']}/spam",
        headers=HTMX,
        data={"csrf_token": token, "status": "published"},
    )
    response = client.post(
        "/admin/comments/undo",
        headers=HTMX,
        data={"csrf_token": token, "token": undo_token, "status": "pending"},
    )
    assert response.status_code == 409
    assert "Nothing to undo: these comments have changed since." in response.text
    assert status_of(app, queue["pending"]) == "spam"


def test_undo_tokens_are_signed_and_personal(app, client, queue, admin):
    token = admin_client(client, queue)
    response = client.post(
        f"/admin/comments/{queue['pending']}/delete",
        headers=HTMX,
        data={"csrf_token": token, "status": "pending"},
    )
    undo_token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
    forged = client.post("/admin/comments/undo", data={"csrf_token": token, "token": undo_token[:-3] + "abc"})
    assert forged.status_code == 400

    make_user(app, "second@example.test", "Second Admin", "admin")
    other = app.test_client()
    sign_in(other, "second@example.test")
    other_token = token_for(other, "/admin/comments")
    stolen = other.post("/admin/comments/undo", data={"csrf_token": other_token, "token": undo_token})
    assert stolen.status_code == 403
    assert status_of(app, queue["pending"]) == "removed"


def test_bulk_without_a_choice_is_refused_with_a_message(app, client, queue):
    token = admin_client(client, queue)
    response = client.post(
        "/admin/comments/bulk",
        headers=HTMX,
        data={"csrf_token": token, "action": "delete", "status": "pending"},
    )
    assert response.status_code == 422
    assert "tick at least one comment" in response.text and 'id="mod-queue"' in response.text
    response = client.post(
        "/admin/comments/bulk",
        data={
            "csrf_token": token,
            "action": "publish-everything",
            "ids": [queue["pending"]],
            "status": "pending",
        },
    )
    assert response.status_code == 422
    assert "tick at least one comment" in response.text
    assert status_of(app, queue["pending"]) == "pending"


@pytest.mark.parametrize("url", POST_URLS)
def test_actions_without_csrf_token_are_refused(app, client, queue, url):
    admin_client(client, queue)
    data = {"action": "approve", "ids": [queue["pending"]], "status": "pending", "token": "x"}
    assert client.post(url.format(**queue), data=data, headers=HTMX).status_code == 400
    assert client.post(url.format(**queue), data=data).status_code == 400
    assert status_of(app, queue["pending"]) == "pending"


def test_unknown_comment_is_404(client, queue):
    token = admin_client(client, queue)
    assert client.post("/admin/comments/99999/approve", data={"csrf_token": token}).status_code == 404
    assert (
        client.post(
            "/admin/comments/bulk",
            data={"csrf_token": token, "action": "approve", "ids": [queue["pending"], 99999]},
        ).status_code
        == 404
    )


def test_authors_moderate_only_comments_on_their_own_posts(app, client, queue):
    sign_in(client, "author@example.test")
    page = client.get("/admin/comments")
    assert page.status_code == 200
    assert "On the author&#39;s post" in page.text and "Please approve me" not in page.text
    assert 'Awaiting moderation <span class="tab-count">1</span>' in page.text
    token = token_for(client, "/admin/comments")

    ok = client.post(
        f"/admin/comments/{queue['on_authors']}/approve",
        headers=HTMX,
        data={"csrf_token": token, "status": "pending"},
    )
    assert ok.status_code == 200 and status_of(app, queue["on_authors"]) == "published"
    refused = client.post(
        f"/admin/comments/{queue['pending']}/delete",
        headers=HTMX,
        data={"csrf_token": token, "status": "pending"},
    )
    assert refused.status_code == 403
    mixed = client.post(
        "/admin/comments/bulk",
        data={
            "csrf_token": token,
            "action": "spam",
            "ids": [queue["on_authors"], queue["pending"]],
            "status": "pending",
        },
    )
    assert mixed.status_code == 403
    assert status_of(app, queue["pending"]) == "pending"
    assert status_of(app, queue["on_authors"]) == "published"


def test_queue_costs_the_same_queries_however_many_posts(
    app, client, queue, make_post, member, count_queries
):
    app.config["PAGE_CACHE_ENABLED"] = False  # no per-version memo (the menu's pages): count the work
    admin_client(client, queue)
    with count_queries() as few:
        client.get("/admin/comments")
    for n in range(8):
        post = make_post(f"Post {n}")
        for _ in range(3):
            add_comment(app, post, member, f"Comment on {n}", status="pending")
    with count_queries() as many:
        page = client.get("/admin/comments")
    assert "Comment on 7" in page.text
    assert len(many) == len(few)


def test_undo_is_short_lived(app, client, queue, monkeypatch):
    from blog.admin import moderation_actions

    token = admin_client(client, queue)
    response = client.post(
        f"/admin/comments/{queue['pending']}/approve",
        headers=HTMX,
        data={"csrf_token": token, "status": "pending"},
    )
    undo_token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
    monkeypatch.setattr(moderation_actions, "UNDO_SECONDS", -1)  # as if the undo window had passed
    late = client.post("/admin/comments/undo", headers=HTMX, data={"csrf_token": token, "token": undo_token})
    assert late.status_code == 422 and "Too late to undo that." in late.text
    assert status_of(app, queue["pending"]) == "published"


def test_approving_a_held_reply_mails_the_people_watching_the_thread(app, client, admin, member, make_post):
    """A reply held for moderation reaches the thread's watchers once an admin approves it."""
    from blog.extensions import db
    from blog.models import Comment
    from tests.support.accounts import make_user
    from tests.support.web import csrf_from

    post = make_post("Watched thread")
    other = make_user(app, "other@example.test", "Olive Other")
    with app.app_context():
        top = Comment(
            post_id=post.id,
            author_id=member.id,
            body_source="first",
            body_html="<p>first</p>",
            notify_replies=True,
        )
        db.session.add(top)
        db.session.flush()
        reply = Comment(
            post_id=post.id,
            author_id=other.id,
            parent_id=top.id,
            body_source="held reply",
            body_html="<p>held reply</p>",
            status="pending",
        )
        db.session.add(reply)
        db.session.commit()
        reply_id = reply.id
    app.config["MAIL_BACKEND"] = "memory"
    sign_in(client, admin.email)
    queue = client.get("/admin/comments")
    outbox = app.extensions.setdefault("mail_outbox", [])
    outbox.clear()
    answer = client.post(f"/admin/comments/{reply_id}/approve", data={"csrf_token": csrf_from(queue.text)})
    assert answer.status_code == 302
    to_member = [m for m in outbox if "member@example.test" in str(m)]
    assert len(to_member) == 1, outbox
