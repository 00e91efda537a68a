"""Long threads (pages, load more, permalinks), constant query counts, moderation holds, guests and mail."""

import re
from datetime import datetime, timedelta

import pytest

from blog.models import utcnow
from tests.support.accounts import make_user, member_client, sign_in
from tests.support.comments import add_comment, comments, post_comment, token
from tests.support.content import permalink, set_settings
from tests.support.mail import outbox
from tests.support.web import HTMX


@pytest.fixture
def post(make_post):
    return make_post("Long thread", body="Talk to me.")


def numbered(html: str) -> list[str]:
    return re.findall(r'<span class="comment-number">(\d+)\.</span>', html)


# Pages and "Load more"


def test_long_thread_is_paged_with_load_more(app, client, member, post):
    set_settings(app, comments_per_page=3)
    ids = [add_comment(app, post, member, f"Comment {n}") for n in range(1, 8)]
    add_comment(app, post, member, "A reply on page two", parent_id=ids[4])
    page = client.get(permalink(post)).text
    assert "8 comments:" in page and numbered(page) == ["1", "2", "3"]
    assert "Comment 4" not in page
    assert f'href="{permalink(post)}?cpage=2#comments"' in page
    assert f'data-hx-get="/posts/{post.id}/comments?cpage=2"' in page and "Load more" in page

    more = client.get(f"/posts/{post.id}/comments?cpage=2", headers=HTMX)
    assert more.status_code == 200 and "<html" not in more.text and "HX-Request" in more.headers["Vary"]
    assert numbered(more.text) == ["4", "5", "6"] and "A reply on page two" in more.text
    assert 'id="load-more"' in more.text and "cpage=3" in more.text

    last = client.get(f"{permalink(post)}?cpage=3")  # without JavaScript: a page of its own
    assert numbered(last.text) == ["7"] and "Load more" not in last.text
    assert f'href="{permalink(post)}?cpage=2#comments"' in last.text and "Earlier comments" in last.text
    assert numbered(client.get(f"{permalink(post)}?cpage=99").text) == ["7"]
    assert numbered(client.get(f"{permalink(post)}?cpage=x", follow_redirects=True).text) == ["1", "2", "3"]
    plain = client.get(f"/posts/{post.id}/comments?cpage=2")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"{permalink(post)}?cpage=2#comments"
    )


def test_comment_permalink_lands_on_the_right_page(app, client, member, post):
    set_settings(app, comments_per_page=3)
    ids = [add_comment(app, post, member, f"Comment {n}") for n in range(1, 8)]
    reply = add_comment(app, post, member, "Reply", parent_id=ids[3])
    cases = {ids[0]: "", ids[4]: "?cpage=2", reply: "?cpage=2", ids[6]: "?cpage=3"}
    for comment_id, query in cases.items():
        response = client.get(f"/comments/{comment_id}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{permalink(post)}{query}#c{comment_id}")
        landed = client.get(response.headers["Location"])
        assert f'id="c{comment_id}"' in landed.text
    assert client.get("/comments/9999").status_code == 404


def test_posting_in_a_long_thread_redirects_to_the_last_page(app, client, member, post):
    set_settings(app, comments_per_page=2, comment_interval_seconds=0)
    for n in range(4):
        add_comment(app, post, member, f"Old {n}")
    sign_in(client)
    response = post_comment(client, post, "Newest")
    newest = comments(app)[-1]
    assert response.headers["Location"] == f"{permalink(post)}?cpage=3#c{newest.id}"
    htmx = post_comment(client, post, "Newer still", htmx=True)
    assert htmx.status_code == 200 and numbered(htmx.text) == ["6"]  # the new comment alone, numbered


# Query counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_comments(app, client, member, make_post, count_queries, signed_in):
    app.config["PAGE_CACHE_ENABLED"] = False  # count what rendering costs, not a cache hit
    posts = [make_post(f"Post {n}", when=datetime(2021, 1, n + 1)) for n in range(3)]
    add_comment(app, posts[1], member, "Only one")
    tops = [add_comment(app, posts[2], member, f"c{n}") for n in range(150)]
    for n in range(50):
        add_comment(app, posts[2], member, f"r{n}", parent_id=tops[n])
    add_comment(app, posts[2], member, "held", status="pending")
    if signed_in:
        sign_in(client)
    page_counts, section_counts = [], []
    for target in posts:
        client.get(permalink(target))  # warm per-process caches
        with count_queries() as queries:
            assert client.get(permalink(target)).status_code == 200
        page_counts.append(len(queries))
        with count_queries() as queries:
            assert client.get(f"/posts/{target.id}/comments", headers=HTMX).status_code == 200
        section_counts.append(len(queries))
    assert page_counts[0] == page_counts[1] == page_counts[2], page_counts
    assert section_counts[0] == section_counts[1] == section_counts[2], section_counts
    # The post, the settings, the counts, the page (+ the session and its user when signed in, and
    # whether they have held comments there: blog/comments/shared.py).
    assert section_counts[0] <= (7 if signed_in else 4), section_counts


# Moderation


def test_moderation_always_holds_comments_for_the_author_and_admins_to_see(app, client, member, admin, post):
    set_settings(app, moderation="always")
    sign_in(client)
    response = post_comment(client, post, "Please approve")
    [held] = comments(app)
    assert held.status == "pending"
    page = client.get(response.headers["Location"]).text
    assert "Your comment is awaiting moderation." in page and "Awaiting moderation" in page
    assert "No comments:" in page  # held comments are not counted
    assert "Please approve" not in app.test_client().get(permalink(post)).text
    _, other = member_client(app, "other@example.test", "Other")
    assert "Please approve" not in other.get(permalink(post)).text
    assert other.get(f"/comments/{held.id}").status_code == 404
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    assert "Please approve" in admin_client.get(permalink(post)).text
    [mail] = [m for m in outbox(app) if "moderation" in m["Subject"]]
    assert mail["To"] == admin.email and "Please approve" in mail.get_body(("plain",)).get_content()


def test_moderation_on_older_posts_only(app, client, member, make_post):
    set_settings(app, moderation="older_than", moderation_days=14, comment_interval_seconds=0)
    old = make_post("Old", when=utcnow() - timedelta(days=30))
    new = make_post("New", when=utcnow() - timedelta(days=1))
    sign_in(client)
    post_comment(client, old, "on old")
    post_comment(client, new, "on new")
    assert {c.body_source: c.status for c in comments(app)} == {"on old": "pending", "on new": "published"}


def test_comments_with_many_links_are_held_but_staff_are_trusted(app, client, member, admin, post):
    set_settings(app, comment_interval_seconds=0)
    links = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    sign_in(client)
    post_comment(client, post, "[a](https://a.example) [b](https://b.example)")
    post_comment(client, post, links)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    post_comment(admin_client, post, links)
    assert [c.status for c in comments(app)] == ["published", "pending", "published"]


def test_an_edit_that_adds_links_goes_back_to_moderation(app, client, member, post):
    sign_in(client)
    post_comment(client, post, "no links")
    [mine] = comments(app)
    client.post(
        f"/comments/{mine.id}/edit",
        data={
            "body": "[a](https://a.example) [b](https://b.example) [c](https://c.example)",
            "csrf_token": token(client, post),
        },
    )
    assert comments(app)[0].status == "pending"


# Mail


def test_owner_hears_of_new_comments(app, client, member, admin, post):
    sign_in(client)
    post_comment(client, post, "Hello owner")
    [mail] = outbox(app)
    assert mail["To"] == admin.email and mail["Subject"] == "New comment on “Long thread”"
    assert (
        "Hello owner" in mail.get_body(("plain",)).get_content()
        and "/comments/" in mail.get_body(("plain",)).get_content()
    )
    set_settings(app, notify_email="owner@example.test", comment_interval_seconds=0)
    post_comment(client, post, "Again")
    assert outbox(app)[-1]["To"] == "owner@example.test"


def test_reply_mail_and_one_click_unsubscribe(app, client, member, post):
    set_settings(app, comment_interval_seconds=0)
    sign_in(client)
    post_comment(client, post, "Tell me about replies", notify="y")
    [mine] = comments(app)
    _, other = member_client(app, "other@example.test", "Other")
    outbox(app).clear()
    post_comment(other, post, "Here is a reply", url=f"/comments/{mine.id}/reply")
    [reply_mail] = [m for m in outbox(app) if m["To"] == member.email]
    assert (
        reply_mail["Subject"] == "New reply on “Long thread”"
        and "Here is a reply" in reply_mail.get_body(("plain",)).get_content()
    )
    link = re.search(
        r"http://localhost(/comments/unsubscribe/\S+)", reply_mail.get_body(("plain",)).get_content()
    ).group(1)

    stranger = app.test_client()  # the link works without signing in
    page = stranger.get(link)
    assert (
        page.status_code == 200 and "Unsubscribe" in page.text and "no-store" in page.headers["Cache-Control"]
    )
    from tests.support.web import csrf_from

    done = stranger.post(link, data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 200 and "no more emails" in done.text
    assert comments(app)[0].notify_replies is False
    outbox(app).clear()
    post_comment(other, post, "Another reply", url=f"/comments/{mine.id}/reply")
    assert [m for m in outbox(app) if m["To"] == member.email] == []
    assert stranger.get("/comments/unsubscribe/forged-token").status_code == 404


def test_no_reply_mail_without_asking_or_for_own_replies(app, client, member, post):
    set_settings(app, comment_interval_seconds=0)
    sign_in(client)
    post_comment(client, post, "Quiet please")
    post_comment(client, post, "Loud", notify="y")
    quiet, loud = comments(app)
    _, other = member_client(app, "other@example.test", "Other")
    outbox(app).clear()
    post_comment(other, post, "reply", url=f"/comments/{quiet.id}/reply")
    post_comment(client, post, "self reply", url=f"/comments/{loud.id}/reply")
    assert [m for m in outbox(app) if m["To"] == member.email] == []


# Guests (policy "anyone")


def test_guests_comment_with_a_name_and_are_always_held(app, client, admin, post):
    set_settings(app, comment_policy="anyone")
    page = client.get(permalink(post))
    assert "Write a comment" in page.text and "csrf" not in page.text.lower()
    assert client.get(permalink(post), headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    form = client.get(f"/posts/{post.id}/comments/new")
    assert form.status_code == 200 and "no-store" in form.headers["Cache-Control"]
    assert '<label for="comment-form-name">Name</label>' in form.text and "Email me replies" not in form.text
    from tests.support.web import csrf_from

    csrf = csrf_from(form.text)
    nameless = client.post(f"/posts/{post.id}/comments", data={"body": "Guest words", "csrf_token": csrf})
    assert nameless.status_code == 422 and "Tell us your name." in nameless.text
    assert "Guest words</textarea>" in nameless.text
    response = client.post(
        f"/posts/{post.id}/comments",
        data={"body": "Guest words", "name": "Gus", "csrf_token": csrf},
        headers=HTMX,
    )
    assert response.status_code == 200 and "will appear once it has been approved" in response.text
    [held] = comments(app)
    assert held.status == "pending" and held.author_name == "Gus" and held.author_id is None
    assert "Guest words" not in client.get(permalink(post)).text
    assert any("moderation" in m["Subject"] for m in outbox(app))


def test_guest_form_opens_in_place_with_htmx(app, client, post):
    set_settings(app, comment_policy="anyone")
    response = client.get(f"/posts/{post.id}/comments/new", headers=HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<form id="comment-form"')


# htmx shapes


def test_htmx_fragments_are_fragments_and_vary(app, client, member, post):
    comment_id = add_comment(app, post, member, "Shape")
    for url in [f"/posts/{post.id}/comments", f"/comments/{comment_id}"]:
        response = client.get(url, headers=HTMX)
        assert response.status_code == 200 and "<html" not in response.text, url
        assert "HX-Request" in response.headers["Vary"], url
    boosted = client.get(f"/comments/{comment_id}", headers={**HTMX, "HX-Boosted": "true"})
    assert boosted.status_code == 302  # boosted navigation gets the page


def test_readers_page_and_reader_role(app, client, post):
    make_user(app, "reader@example.test", "Reader", "reader")
    sign_in(client, "reader@example.test")
    page = client.get(permalink(post)).text
    assert "Only a member of this blog may post a comment." in page and 'id="comment-form"' not in page
    assert ">Sign in</a>" not in page.split('id="comments"')[1]
