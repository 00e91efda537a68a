"""Replies, edits, deletes and previews: with htmx and as plain forms, only by the people allowed."""

from datetime import timedelta

import pytest

from blog.extensions import db
from blog.models import Comment, utcnow
from tests.support.accounts import member_client, sign_in
from tests.support.comments import add_comment, comments, get_comment, post_comment, token
from tests.support.content import permalink, set_settings
from tests.support.web import HTMX


@pytest.fixture
def post(app, make_post):
    set_settings(app, comment_interval_seconds=0)
    return make_post("Talk", body="Discuss.")


@pytest.fixture
def signed_in(client, member):
    sign_in(client)
    return client


def age(app, comment_id: int, minutes: int) -> None:
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()


# Replies


def test_reply_form_without_javascript_and_a_reply_to_a_reply_joins_the_thread(app, signed_in, member, post):
    top = add_comment(app, post, member, "Top")
    form_page = signed_in.get(f"/comments/{top}/reply")
    assert form_page.status_code == 200 and "<html" in form_page.text
    assert f'<label for="reply-form-{top}-body">Reply</label>' in form_page.text
    assert "Top" in form_page.text  # the comment being answered
    response = post_comment(signed_in, post, "First reply", url=f"/comments/{top}/reply")
    first = comments(app)[-1]
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#c{first.id}")
    post_comment(signed_in, post, "Reply to the reply", url=f"/comments/{first.id}/reply")
    second = comments(app)[-1]
    assert first.parent_id == top and second.parent_id == top  # one level deep, as on Blogger
    page = signed_in.get(permalink(post)).text
    assert "3 comments:" in page
    assert page.index("Top") < page.index("First reply") < page.index("Reply to the reply")


def test_reply_with_htmx(app, signed_in, member, post):
    top = add_comment(app, post, member, "Top")
    form = signed_in.get(f"/comments/{top}/reply", headers=HTMX)
    assert form.status_code == 200 and "<html" not in form.text and "HX-Request" in form.headers["Vary"]
    assert form.text.lstrip().startswith(f'<form id="reply-form-{top}"')
    assert "no-store" in form.headers["Cache-Control"]
    response = post_comment(signed_in, post, "Inline reply", url=f"/comments/{top}/reply", htmx=True)
    reply = comments(app)[-1]
    # The reply alone, in a new list of replies where the reply form was; the count out of band.
    assert response.status_code == 200 and 'id="comments"' not in response.text
    assert response.text.lstrip().startswith(f'<ol class="replies" id="r{top}"><li>')
    assert f'id="c{reply.id}" data-focus' in response.text and response.text.count("<article") == 1
    assert (
        "2 comments:</h2>" in response.text
        and f'<div class="reply-slot" id="reply-slot-{top}">' in response.text
    )
    # A second reply joins that list, and the reply form closes out of band.
    again = post_comment(signed_in, post, "Second reply", url=f"/comments/{top}/reply", htmx=True)
    assert again.headers["HX-Retarget"] == f"#r{top}" and again.headers["HX-Reswap"] == "beforeend"
    assert again.text.lstrip().startswith("<li>") and again.text.count("<article") == 1
    assert f'<div class="reply-slot" id="reply-slot-{top}" data-hx-swap-oob="true">' in again.text


def test_cannot_reply_to_a_held_or_unknown_comment(app, signed_in, member, post):
    held = add_comment(app, post, None, "Held", status="pending", author_name="Guest")
    assert signed_in.get(f"/comments/{held}/reply").status_code == 404
    assert post_comment(signed_in, post, "x", url=f"/comments/{held}/reply").status_code == 404
    assert post_comment(signed_in, post, "x", url="/comments/9999/reply").status_code == 404
    assert len(comments(app)) == 1


# Editing


def test_edit_own_comment_within_the_window(app, signed_in, member, post):
    post_comment(signed_in, post, "Frist!")
    [mine] = comments(app)
    form = signed_in.get(f"/comments/{mine.id}/edit")
    assert (
        f'<label for="edit-form-{mine.id}-body">Edit comment</label>' in form.text
        and "Frist!</textarea>" in form.text
    )
    response = signed_in.post(
        f"/comments/{mine.id}/edit", data={"body": "First!", "csrf_token": token(signed_in, post)}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#c{mine.id}")
    edited = get_comment(app, mine.id)
    assert edited.body_source == "First!" and edited.edited_at is not None
    assert "(edited)" in signed_in.get(permalink(post)).text


def test_edit_with_htmx_returns_the_comment(app, signed_in, member, post):
    post_comment(signed_in, post, "typo")
    [mine] = comments(app)
    form = signed_in.get(f"/comments/{mine.id}/edit", headers=HTMX)
    assert form.text.lstrip().startswith(f'<form id="edit-form-{mine.id}"')
    response = signed_in.post(
        f"/comments/{mine.id}/edit",
        data={"body": "fixed"},
        headers={**HTMX, "X-CSRFToken": token(signed_in, post)},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith(f'<article class="comment" id="c{mine.id}" data-focus')
    assert "(edited)" in response.text and "fixed" in response.text
    invalid = signed_in.post(
        f"/comments/{mine.id}/edit",
        data={"body": ""},
        headers={**HTMX, "X-CSRFToken": token(signed_in, post)},
    )
    assert invalid.status_code == 422 and "Write something first." in invalid.text
    assert get_comment(app, mine.id).body_source == "fixed"


def test_edit_window_closes(app, signed_in, member, post):
    post_comment(signed_in, post, "old words")
    [mine] = comments(app)
    age(app, mine.id, 16)
    assert "Edit</a>" not in signed_in.get(permalink(post)).text
    response = signed_in.post(
        f"/comments/{mine.id}/edit", data={"body": "new", "csrf_token": token(signed_in, post)}
    )
    assert response.status_code == 403 and "15 minutes" in response.text
    assert get_comment(app, mine.id).body_source == "old words"
    set_settings(app, edit_window_minutes=30)
    assert signed_in.get(f"/comments/{mine.id}/edit").status_code == 200


@pytest.mark.parametrize("who", ["other_member", "admin"])
def test_nobody_else_may_edit(app, client, member, post, who):
    theirs = add_comment(app, post, member, "Original")
    _, other = member_client(app, f"{who}2@example.test", who, "admin" if who == "admin" else "member")
    assert "Edit</a>" not in other.get(permalink(post)).text
    response = other.post(
        f"/comments/{theirs}/edit", data={"body": "Hacked", "csrf_token": token(other, post)}
    )
    assert response.status_code == 403
    assert other.get(f"/comments/{theirs}/edit").status_code == 403
    assert get_comment(app, theirs).body_source == "Original"


def test_anonymous_cannot_edit_or_delete(app, client, member, post):
    theirs = add_comment(app, post, member, "Original")
    assert client.post(f"/comments/{theirs}/edit", data={"body": "x"}).status_code == 400  # no CSRF token
    assert client.get(f"/comments/{theirs}/edit").status_code == 302
    assert get_comment(app, theirs).body_source == "Original"


# Deleting


def test_delete_own_comment_without_replies_removes_it(app, signed_in, member, post):
    post_comment(signed_in, post, "Regret")
    [mine] = comments(app)
    response = signed_in.post(f"/comments/{mine.id}/delete", data={"csrf_token": token(signed_in, post)})
    assert response.status_code == 303 and response.headers["Location"].endswith("#comments")
    assert comments(app) == []
    assert "No comments:" in signed_in.get(permalink(post)).text


def test_delete_with_replies_leaves_a_placeholder(app, signed_in, member, post):
    post_comment(signed_in, post, "Start")
    [mine] = comments(app)
    add_comment(app, post, member, "An answer", parent_id=mine.id)
    response = signed_in.post(
        f"/comments/{mine.id}/delete", headers={**HTMX, "X-CSRFToken": token(signed_in, post)}
    )
    # The placeholder alone, in place of the comment; the count out of band.
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith(f'<article class="comment" id="c{mine.id}"')
    assert "This comment has been removed by the author." in response.text and "Start" not in response.text
    assert "1 comment:</h2>" in response.text and "An answer" not in response.text
    assert get_comment(app, mine.id).status == "removed"
    # Deleting the last reply takes the placeholder with it.
    reply = comments(app)[-1]
    signed_in.post(f"/comments/{reply.id}/delete", data={"csrf_token": token(signed_in, post)})
    assert comments(app) == []


def test_member_cannot_delete_anothers_comment_but_an_admin_can(app, client, member, admin, post):
    theirs = add_comment(app, post, member, "Mine, not yours")
    _, other = member_client(app, "other@example.test", "Other")
    assert "Delete</button>" not in other.get(permalink(post)).text
    response = other.post(f"/comments/{theirs}/delete", data={"csrf_token": token(other, post)})
    assert response.status_code == 403
    htmx = other.post(f"/comments/{theirs}/delete", headers={**HTMX, "X-CSRFToken": token(other, post)})
    assert htmx.status_code == 403 and htmx.headers["HX-Retarget"] == "#comments-status"
    assert get_comment(app, theirs).body_source == "Mine, not yours"
    assert other.get(f"/comments/{theirs}/delete").status_code == 405
    admin_client = app.test_client()
    from tests.support.accounts import sign_in

    sign_in(admin_client, admin.email)
    assert "Delete</button>" in admin_client.get(permalink(post)).text
    assert (
        admin_client.post(
            f"/comments/{theirs}/delete", data={"csrf_token": token(admin_client, post)}
        ).status_code
        == 303
    )
    assert get_comment(app, theirs) is None


def test_delete_without_csrf_token_changes_nothing(app, signed_in, member, post):
    mine = add_comment(app, post, member, "Keep me")
    assert signed_in.post(f"/comments/{mine}/delete").status_code == 400
    assert get_comment(app, mine) is not None


# Preview


def test_preview_with_htmx_renders_markdown_and_stores_nothing(app, signed_in, post):
    response = signed_in.post(
        f"/posts/{post.id}/comments",
        data={"body": "So **bold**", "preview": "1"},
        headers={**HTMX, "X-CSRFToken": token(signed_in, post)},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<div class="comment-preview" id="comment-form-preview"')
    assert "<strong>bold</strong>" in response.text
    assert comments(app) == []


def test_preview_without_javascript_keeps_the_text(app, signed_in, member, post):
    response = post_comment(signed_in, post, "So *slanted*", preview="1")
    assert response.status_code == 200 and "<em>slanted</em>" in response.text
    assert "So *slanted*</textarea>" in response.text and "Post comment" in response.text
    assert comments(app) == []
    top = add_comment(app, post, member, "Top")
    reply = post_comment(signed_in, post, "Re *x*", url=f"/comments/{top}/reply", preview="1")
    assert "<em>x</em>" in reply.text and "Post reply" in reply.text
    assert len(comments(app)) == 1


def test_removed_comments_say_who_removed_them(app, client, make_post, member, admin):
    """The author's own removal and a moderator's removal read differently in the thread."""
    from blog.extensions import db
    from blog.models import Comment

    post = make_post("Removals")
    with app.app_context():
        by_author = Comment(
            post_id=post.id, author_id=member.id, body_source="", body_html="", status="removed"
        )
        by_admin = Comment(
            post_id=post.id,
            author_id=member.id,
            body_source="rude",
            body_html="<p>rude</p>",
            status="removed",
        )
        db.session.add_all([by_author, by_admin])
        db.session.flush()
        for parent in (by_author, by_admin):
            db.session.add(
                Comment(
                    post_id=post.id,
                    author_id=admin.id,
                    parent_id=parent.id,
                    body_source="reply",
                    body_html="<p>reply</p>",
                )
            )
        db.session.commit()
    page = client.get(f"/{post.year:04d}/{post.month:02d}/{post.slug}.html").text
    assert page.count("This comment has been removed by the author.") == 1
    assert page.count("This comment has been removed by a blog administrator.") == 1
    assert "rude" not in page
