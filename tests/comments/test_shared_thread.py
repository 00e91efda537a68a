"""A long thread is rendered once per content version and shared; each viewer gets their own controls."""

import re

import pytest
from flask import template_rendered

from tests.support.accounts import member_client, sign_in
from tests.support.comments import add_comment, post_comment
from tests.support.content import permalink, set_settings


@pytest.fixture
def post(make_post):
    return make_post("Two hundred comments", body="A long thread.")


@pytest.fixture
def renders(app):
    """How many times each template was rendered on its own (render_template, not includes)."""
    counted: dict[str, int] = {}

    def record(_sender, template, context, **_extra):
        counted[template.name] = counted.get(template.name, 0) + 1

    template_rendered.connect(record, app)
    yield counted
    template_rendered.disconnect(record, app)


def controls(html: str, comment_id: int) -> list[str]:
    """The control words under one comment: Reply, Edit, Delete."""
    article = re.search(rf'<article class="comment" id="c{comment_id}".*?</article>', html, re.S).group(0)
    footer = re.search(r'<footer class="comment-actions">(.*?)</footer>', article, re.S)
    return re.findall(r">(Reply|Edit|Delete)</", footer.group(1)) if footer else []


def test_each_member_sees_their_own_controls_and_nobody_elses(app, client, member, post, renders):
    set_settings(app, comment_interval_seconds=0)
    others = [add_comment(app, post, None, f"Guest {n}", author_name="Guest") for n in range(198)]
    sign_in(client)
    post_comment(client, post, "Mine")
    _, other = member_client(app, "other@example.test", "Other")
    post_comment(other, post, "Theirs")
    mine, theirs = others[-1] + 1, others[-1] + 2
    renders.clear()
    own_page = client.get(permalink(post)).text
    other_page = other.get(permalink(post)).text
    # The 200 comments were rendered once for both members, at this content version.
    assert renders["comments/_thread_items.html"] == 1
    assert own_page.count('<article class="comment"') == other_page.count('<article class="comment"') == 200
    assert controls(own_page, mine) == ["Reply", "Edit", "Delete"]
    assert controls(own_page, theirs) == ["Reply"]
    assert controls(other_page, mine) == ["Reply"]
    assert controls(other_page, theirs) == ["Reply", "Edit", "Delete"]
    assert controls(own_page, others[0]) == controls(other_page, others[0]) == ["Reply"]
    assert own_page.count(">Delete</button>") == other_page.count(">Delete</button>") == 1
    # Readers without an account get the same comments and no controls at all.
    anonymous = app.test_client().get(permalink(post)).text
    assert "comment-actions" not in anonymous and anonymous.count('<article class="comment"') == 200
    assert renders["comments/_thread_items.html"] == 1
    # A new comment is a new content version: rendered again, once.
    post_comment(other, post, "One more")
    client.get(permalink(post))
    other.get(permalink(post))
    assert renders["comments/_thread_items.html"] == 2


def test_the_server_still_refuses_what_a_page_does_not_offer(app, client, member, post):
    theirs = add_comment(app, post, member, "Not yours")
    _, other = member_client(app, "other@example.test", "Other")
    page = other.get(permalink(post)).text
    assert controls(page, theirs) == ["Reply"]
    from tests.support.comments import token

    refused = other.post(f"/comments/{theirs}/delete", data={"csrf_token": token(other, post)})
    assert refused.status_code == 403


def test_an_admin_gets_delete_on_every_comment(app, client, member, admin, post):
    ids = [add_comment(app, post, member, f"c{n}") for n in range(3)]
    sign_in(client, admin.email)
    page = client.get(permalink(post)).text
    assert [controls(page, i) for i in ids] == [["Reply", "Delete"]] * 3


def test_own_held_comments_show_to_their_writer_only(app, client, member, post, renders):
    add_comment(app, post, None, "Public", author_name="Guest")
    held = add_comment(app, post, member, "Waiting for approval", status="pending")
    sign_in(client)
    page = client.get(permalink(post)).text
    assert "Waiting for approval" in page and controls(page, held) == ["Edit", "Delete"]
    assert "Awaiting moderation" in page
    _, other = member_client(app, "other@example.test", "Other")
    assert "Waiting for approval" not in other.get(permalink(post)).text
