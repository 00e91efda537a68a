"""Posting comments over HTTP: who may post, CSRF, validation, the flood limit, idempotency, htmx shapes."""

import uuid

import pytest

from tests.support.accounts import make_user, member_client, sign_in
from tests.support.comments import comments, post_comment, token
from tests.support.content import permalink, set_settings
from tests.support.web import HTMX, csrf_from, field_value


@pytest.fixture
def post(make_post):
    return make_post("Hello world", body="The first post.")


def test_anonymous_reader_sees_the_notice_and_a_cacheable_page(client, post, member, app):
    from tests.support.comments import add_comment

    add_comment(app, post, member, "Already here")
    page = client.get(permalink(post))
    assert page.status_code == 200
    assert "Only a member of this blog may post a comment." in page.text
    assert "1 comment:" in page.text and "Already here" in page.text
    assert "<form" not in page.text.split('id="comments"')[1].split("</section>")[0]
    assert "csrf" not in page.text.lower() and "Set-Cookie" not in page.headers
    assert f'href="/signin?next={permalink(post)}%23comments">Sign in</a>' in page.text
    again = client.get(permalink(post), headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_member_sees_the_form(client, member, post):
    sign_in(client)
    page = client.get(permalink(post))
    assert "Cache-Control" in page.headers and "private" in page.headers["Cache-Control"]
    assert '<label for="comment-form-body">Comment</label>' in page.text
    assert ">Post comment</button>" in page.text
    assert "Email me replies" in page.text
    assert "Only a member" not in page.text
    # Each rendering gets its own idempotency key.
    assert field_value(page.text, "key") != field_value(client.get(permalink(post)).text, "key")


def test_comment_form_message_stands_above_the_form(app, client, member, post):
    set_settings(app, comment_form_message="Be kind & stay on topic.")
    sign_in(client)
    page = client.get(permalink(post)).text
    assert "Be kind &amp; stay on topic." in page
    assert page.index("Be kind") < page.index('id="comment-form"')


def test_member_posts_without_javascript_and_is_redirected_to_the_comment(app, client, member, post):
    sign_in(client)
    response = post_comment(client, post, "Hello **world**")
    [stored] = comments(app, post)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{permalink(post)}#c{stored.id}"
    assert stored.status == "published" and stored.author_id == member.id
    page = client.get(permalink(post)).text
    assert "Your comment was posted." in page
    assert "1 comment:" in page
    assert page.count("<strong>world</strong>") == 1


def test_member_posts_with_htmx_and_gets_the_comment_back(app, client, member, post):
    sign_in(client)
    form_key = field_value(client.get(permalink(post)).text, "key")
    response = post_comment(client, post, "Inline *hello*", key=form_key, htmx=True)
    [stored] = comments(app, post)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]
    assert response.text.lstrip().startswith("{#") is False
    assert 'id="comments"' not in response.text and "1 comment:</h2>" in response.text
    assert response.text.lstrip().startswith(f'<li class="comment-thread" id="t{stored.id}">')
    assert f'id="c{stored.id}" data-focus' in response.text
    assert 'data-announce="Your comment was posted."' in response.text
    assert "<em>hello</em>" in response.text
    # The form comes back empty, with a new key for the next comment.
    assert field_value(response.text, "key") not in (None, form_key)
    assert "Inline *hello*</textarea>" not in response.text


def test_reply_emails_flag_is_stored_when_ticked(app, client, member, post):
    sign_in(client)
    set_settings(app, comment_interval_seconds=0)
    post_comment(client, post, "Tell me", notify="y")
    post_comment(client, post, "Do not tell me")
    assert [c.notify_replies for c in comments(app, post)] == [True, False]


def test_anonymous_cannot_post(app, client, post):
    client.get("/signin")  # a session with a CSRF token, so only the policy can refuse
    data = {"body": "sneaky", "key": uuid.uuid4().hex, "csrf_token": csrf_from(client.get("/signin").text)}
    response = client.post(f"/posts/{post.id}/comments", data=data)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    htmx = client.post(f"/posts/{post.id}/comments", data=data, headers=HTMX)
    assert htmx.status_code == 401 and "/signin" in htmx.headers["HX-Redirect"]
    assert comments(app) == []


@pytest.mark.parametrize(
    "case", ["reader_under_members", "unconfirmed_reader_under_signed_in", "nobody", "comments_off_on_post"]
)
def test_users_the_policy_excludes_cannot_post(app, client, make_post, case):
    post = make_post("Closed?")
    role = "reader" if "reader" in case else "member"
    make_user(app, "someone@example.test", "Some One", role)
    if case == "unconfirmed_reader_under_signed_in":
        set_settings(app, comment_policy="signed_in")
    if case == "nobody":
        set_settings(app, comment_policy="nobody")
    if case == "comments_off_on_post":
        from blog.extensions import db
        from blog.models import Post

        with app.app_context():
            db.session.get(Post, post.id).comments_allowed = False
            db.session.commit()
    sign_in(client, "someone@example.test")
    page = client.get(permalink(post)).text
    assert 'id="comment-form"' not in page
    expected = {
        "reader_under_members": "Only a member of this blog may post a comment.",
        "unconfirmed_reader_under_signed_in": "Confirm your email address",
        "nobody": "Comments are closed.",
        "comments_off_on_post": "Comments are closed.",
    }[case]
    assert expected in page
    csrf = csrf_from(page)
    response = client.post(f"/posts/{post.id}/comments", data={"body": "x", "csrf_token": csrf})
    assert response.status_code == 403
    assert (
        client.post(
            f"/posts/{post.id}/comments",
            data={"body": "x"},
            headers={**HTMX, "X-CSRFToken": csrf},
        ).status_code
        == 403
    )
    assert comments(app) == []


def test_signed_in_policy_lets_a_confirmed_reader_post(app, client, post):
    from blog.extensions import db
    from blog.models import User, utcnow

    reader = make_user(app, "reader@example.test", "Rea Der", "reader")
    with app.app_context():
        db.session.get(User, reader.id).email_confirmed_at = utcnow()
        db.session.commit()
    set_settings(app, comment_policy="signed_in")
    assert "Only signed-in users may post a comment." in client.get(permalink(post)).text
    sign_in(client, "reader@example.test")
    assert post_comment(client, post, "A reader speaks").status_code == 303
    assert [c.body_source for c in comments(app)] == ["A reader speaks"]


def test_post_without_csrf_token_is_refused(app, client, member, post):
    sign_in(client)
    response = post_comment(client, post, "no token", csrf=False)
    assert response.status_code == 400
    htmx = post_comment(client, post, "no token", csrf=False, htmx=True)
    assert htmx.status_code == 400 and "<html" not in htmx.text
    assert htmx.headers["HX-Retarget"] == "#comments-status"
    assert "expired" in htmx.text
    wrong = client.post(f"/posts/{post.id}/comments", data={"body": "x", "csrf_token": "forged"})
    assert wrong.status_code == 400
    assert comments(app) == []


def test_csrf_header_alone_is_enough_for_htmx(app, client, member, post):
    sign_in(client)
    csrf = token(client, post)
    response = client.post(
        f"/posts/{post.id}/comments",
        data={"body": "via header", "key": uuid.uuid4().hex},
        headers={**HTMX, "X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    assert len(comments(app)) == 1


def test_expired_session_on_htmx_leads_to_sign_in(app, post):
    fresh = app.test_client()  # no session at all: the form was left open past sign-out
    response = fresh.post(
        f"/posts/{post.id}/comments",
        data={"body": "late", "csrf_token": "stale"},
        headers={**HTMX, "HX-Current-URL": f"http://localhost{permalink(post)}"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/signin?next=")
    assert comments(app) == []


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Write something first."),
        ("   \r\n  ", "Write something first."),
        ("x" * 4097, "at most 4,096 characters"),
        ("nul \x00 byte", "cannot be stored"),
    ],
)
def test_invalid_input_is_refused_with_the_text_kept(app, client, member, post, body, message):
    sign_in(client)
    response = post_comment(client, post, body)
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    if body.strip() and "\x00" not in body:
        assert body in response.text
    htmx = post_comment(client, post, body, htmx=True)
    assert htmx.status_code == 422 and "<html" not in htmx.text and message in htmx.text
    assert htmx.headers["HX-Retarget"] == "#comment-form"
    assert comments(app) == []


def test_length_limit_counts_newlines_once(app, client, member, post):
    sign_in(client)
    body = ("y" * 99 + "\r\n") * 40 + "z" * 96  # 4,096 characters once CRLF is a single newline
    assert post_comment(client, post, body).status_code == 303
    assert len(comments(app)[0].body_source) == 4096


def test_lone_surrogates_and_bad_bytes_never_cause_a_500(app, client, member, post):
    sign_in(client)
    csrf = token(client, post)
    raw = b"body=%ED%A0%80+lone&key=" + uuid.uuid4().hex.encode() + b"&csrf_token=" + csrf.encode()
    response = client.post(
        f"/posts/{post.id}/comments", data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 303
    bad = client.post(
        f"/posts/{post.id}/comments",
        data=b"body=\xff\xfe&csrf_token=" + csrf.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert bad.status_code == 400


def test_flood_limit_answers_429_and_stores_nothing(app, client, member, post):
    sign_in(client)
    assert post_comment(client, post, "first").status_code == 303
    second = post_comment(client, post, "second")
    assert second.status_code == 429
    assert "commenting too fast" in second.text and int(second.headers["Retry-After"]) <= 10
    htmx = post_comment(client, post, "second", htmx=True)
    assert htmx.status_code == 429 and "<html" not in htmx.text
    assert htmx.headers["HX-Retarget"] == "#comments-status"
    from_form = client.post(
        f"/posts/{post.id}/comments",
        data={"body": "third", "csrf_token": token(client, post)},
        headers={**HTMX, "HX-Trigger": "comment-form"},
    )
    assert from_form.headers["HX-Retarget"] == "#comment-form-message"
    assert [c.body_source for c in comments(app)] == ["first"]


def test_flood_limit_holds_across_clients_of_one_member(app, client, member, post):
    sign_in(client)
    other = app.test_client()
    sign_in(other, member.email)
    assert post_comment(client, post, "first").status_code == 303
    assert post_comment(other, post, "from my phone").status_code == 429


@pytest.mark.parametrize("switch", [{"comment_interval_seconds": 0}, "RATELIMIT_ENABLED"])
def test_flood_limit_can_be_switched_off(app, client, member, post, switch):
    if switch == "RATELIMIT_ENABLED":
        app.config["RATELIMIT_ENABLED"] = False
    else:
        set_settings(app, **switch)
    sign_in(client)
    assert post_comment(client, post, "one").status_code == 303
    assert post_comment(client, post, "two").status_code == 303
    assert len(comments(app)) == 2


def test_a_retry_or_double_click_stores_one_comment(app, client, member, post):
    sign_in(client)
    key = uuid.uuid4().hex
    first = post_comment(client, post, "only once", key=key)
    again = post_comment(client, post, "only once", key=key)  # within the flood interval: still not a 429
    htmx = post_comment(client, post, "only once", key=key, htmx=True)
    [stored] = comments(app)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"{permalink(post)}#c{stored.id}"
    assert htmx.status_code == 200 and htmx.text.count(f'id="c{stored.id}"') == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_the_same_key_with_another_text_keeps_the_text(app, client, member, post, htmx):
    sign_in(client)
    key = uuid.uuid4().hex
    assert post_comment(client, post, "first words", key=key).status_code == 303
    response = post_comment(client, post, "second words", key=key, htmx=htmx)
    assert response.status_code == 409
    assert "already used to post another text" in response.text
    assert "second words</textarea>" in response.text  # kept in the box
    fresh = field_value(response.text, "key")
    assert fresh != key and len(fresh) == 32
    if htmx:
        assert response.headers["HX-Retarget"] == "#comment-form"
    assert [c.body_source for c in comments(app)] == ["first words"]
    # Posting the kept text again (with the form's new key) stores it as a comment of its own.
    app.config["RATELIMIT_ENABLED"] = False
    assert post_comment(client, post, "second words", key=fresh, htmx=htmx).status_code == (
        200 if htmx else 303
    )
    assert [c.body_source for c in comments(app)] == ["first words", "second words"]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_double_click_with_htmx_or_without_stores_once(app, client, member, post, htmx):
    sign_in(client)
    key = uuid.uuid4().hex
    first = post_comment(client, post, "twice\r\nclicked ", key=key, htmx=htmx)
    again = post_comment(client, post, "twice\nclicked", key=key, htmx=htmx)
    assert first.status_code == again.status_code == (200 if htmx else 303)
    assert [c.body_source for c in comments(app)] == ["twice\nclicked"]


def test_another_members_key_is_not_theirs_to_reuse(app, client, member, post):
    sign_in(client)
    key = uuid.uuid4().hex
    post_comment(client, post, "mine", key=key)
    _, intruder = member_client(app, "intruder@example.test", "Intruder")
    response = post_comment(intruder, post, "overwrite?", key=key)
    assert response.status_code == 409
    assert [c.body_source for c in comments(app)] == ["mine"]


def test_extra_fields_are_ignored(app, client, member, post, admin):
    sign_in(client)
    post_comment(client, post, "plain", author_id=admin.id, status="published", parent_id="1", post_id="999")
    [stored] = comments(app)
    assert stored.author_id == member.id and stored.parent_id is None and stored.post_id == post.id


def test_comments_on_drafts_and_future_posts_are_not_found(app, client, member, make_post):
    from datetime import timedelta

    from blog.models import utcnow

    draft = make_post("Draft", draft=True)
    future = make_post("Future", when=utcnow() + timedelta(days=1))
    sign_in(client)
    csrf = csrf_from(client.get("/").text)
    for target in (draft, future):
        assert (
            client.post(f"/posts/{target.id}/comments", data={"body": "x", "csrf_token": csrf}).status_code
            == 404
        )
        assert client.get(f"/posts/{target.id}/comments", headers=HTMX).status_code == 404
        assert client.get(f"/posts/{target.id}/comments/new").status_code == 404
    assert comments(app) == []


def test_comment_markup_is_sanitized(app, client, member, post):
    sign_in(client)
    body = (
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
        '<a hx-post="/signout" hx-trigger="load">go</a> [ok](https://example.org)'
    )
    post_comment(client, post, body)
    section = client.get(permalink(post)).text.split('id="comments"')[1].split("</section>")[0]
    body_html = section.split('class="comment-body" data-hx-disable>')[1].split("</div>")[0]
    assert "<script" not in body_html and "<img" not in body_html and 'href="javascript' not in body_html
    assert "<a hx-post" not in body_html and "&lt;script&gt;" in body_html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">ok</a>' in body_html
