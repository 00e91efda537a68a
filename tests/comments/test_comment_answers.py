"""The htmx answers to posting and deleting: the one comment they change plus out-of-band parts,
small whatever the thread's length; without JavaScript, the redirect."""

import re

import pytest

from tests.support.accounts import sign_in
from tests.support.comments import add_comment, comments, post_comment, token
from tests.support.content import permalink, set_settings
from tests.support.web import HTMX, field_value


@pytest.fixture
def post(make_post):
    return make_post("A busy thread", body="Talk among yourselves.")


def oob_ids(html: str) -> list[str]:
    tags = re.findall(r"<[^>]*data-hx-swap-oob[^>]*>", html)
    return [re.search(r'\bid="([^"]+)"', tag).group(1) for tag in tags]


def test_a_new_comment_answers_with_that_comment_alone_under_2_kb(app, client, member, post):
    set_settings(app, comment_interval_seconds=0)
    for n in range(200):
        add_comment(app, post, member, f"Earlier comment number {n}, with some words in it.")
    sign_in(client)
    page = client.get(permalink(post)).text
    key = field_value(page, "key")
    response = post_comment(client, post, "The newest *one*", key=key, htmx=True)
    newest = comments(app, post)[-1]
    html = response.text
    assert response.status_code == 200 and "<html" not in html
    assert len(response.data) < 2048, len(response.data)
    assert html.count("<article") == 1 and f'id="c{newest.id}"' in html and "<em>one</em>" in html
    assert "Earlier comment" not in html
    assert html.lstrip().startswith(f'<li class="comment-thread" id="t{newest.id}">')
    assert '<span class="comment-number">201.</span>' in html
    # Out of band: the count and a fresh form (a new key, an empty box, no error); the message is
    # said through the page's live region.
    assert oob_ids(html) == [
        "comments-heading",
        "comment-form-key",
        "comment-form-body-field",
        "comment-form-preview",
        "comment-form-message",
    ]
    assert "201 comments:</h2>" in html
    assert 'data-announce="Your comment was posted."' in html
    assert field_value(html, "key") not in (None, key) and "The newest *one*</textarea>" not in html
    # The form it replaces appends there: the answer fits the page it came from.
    assert 'data-hx-target="#comment-list" data-hx-swap="beforeend"' in page


def test_without_javascript_the_redirect_stays(app, client, member, post):
    sign_in(client)
    response = post_comment(client, post, "No script here")
    newest = comments(app, post)[-1]
    assert response.status_code == 303 and response.headers["Location"] == f"{permalink(post)}#c{newest.id}"
    assert "Your comment was posted." in client.get(response.headers["Location"]).text


def test_a_comment_posted_from_page_2_is_appended_there(app, client, member, post):
    set_settings(app, comments_per_page=2, comment_interval_seconds=0)
    for n in range(3):
        add_comment(app, post, member, f"Old {n}")
    sign_in(client)
    last = client.get(permalink(post) + "?cpage=2").text  # the thread's last page: no "Load more"
    assert 'name="shown_page"' not in last
    response = post_comment(client, post, "On page two", htmx=True)
    assert "HX-Reswap" not in response.headers
    assert '<span class="comment-number">4.</span>' in response.text and response.text.count("<article") == 1


def test_a_comment_posted_below_an_earlier_page_is_not_appended_there(app, client, member, post):
    set_settings(app, comments_per_page=2, comment_interval_seconds=0)
    for n in range(4):
        add_comment(app, post, member, f"Old {n}")
    sign_in(client)
    first = client.get(permalink(post)).text
    assert '<input type="hidden" name="shown_page" value="1" form="comment-form">' in first
    response = post_comment(client, post, "Far below", htmx=True, shown_page="1")
    newest = comments(app, post)[-1]
    # Appending to page 1 would put it out of order: it says where it is instead.
    assert response.headers["HX-Reswap"] == "none" and "<article" not in response.text
    assert f'<a href="{permalink(post)}?cpage=3#c{newest.id}">Show it</a>' in response.text
    assert "5 comments:</h2>" in response.text


def test_deleting_answers_with_what_is_left_of_that_comment(app, client, member, post):
    sign_in(client)
    set_settings(app, comment_interval_seconds=0)
    post_comment(client, post, "Alone")
    post_comment(client, post, "Parent")
    alone, parent = comments(app, post)
    reply = add_comment(app, post, member, "Only reply", parent_id=parent.id)
    headers = {**HTMX, "X-CSRFToken": token(client, post), "HX-Trigger": "x"}
    gone = client.post(f"/comments/{alone.id}/delete", headers=headers)
    # Nothing where it was (the <li> around it goes), the count and the message out of band.
    assert gone.status_code == 200 and gone.headers["HX-Retarget"] == "closest li"
    assert "<article" not in gone.text and "2 comments:</h2>" in gone.text and "Comment deleted." in gone.text
    placeholder = client.post(f"/comments/{parent.id}/delete", headers=headers)
    assert "HX-Retarget" not in placeholder.headers and placeholder.text.count("<article") == 1
    assert "removed by the author" in placeholder.text and "1 comment:</h2>" in placeholder.text
    # The last reply under a placeholder takes the whole thread with it.
    last = client.post(f"/comments/{reply}/delete", headers=headers)
    assert last.headers["HX-Retarget"] == f"#t{parent.id}" and "No comments:</h2>" in last.text
    assert comments(app, post) == []
