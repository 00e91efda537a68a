"""The post preview: the Preview button renders without saving, the live preview renders the
Markdown as a fragment, with the jump break as the published post shows it."""

import re

from sqlalchemy import select

from blog.extensions import db
from blog.models import Post
from tests.support.admin import NEW_POST as NEW
from tests.support.admin import post_fields
from tests.support.web import HTMX


def test_the_preview_button_renders_without_saving(app, client, admin_token):
    data = post_fields(admin_token, "preview", title="Peek", body="# Big\n\n*small*")
    response = client.post(NEW, data=data)
    assert response.status_code == 200
    preview = response.text.split('id="live-preview"', 1)[1]
    assert "<em>small</em>" in preview and "Peek" in preview
    assert 'value="Peek"' in response.text  # the form stays filled
    with app.app_context():
        assert db.session.scalar(select(Post.id)) is None


def test_live_preview_renders_the_markdown_as_a_fragment(client, admin_token):
    response = client.post(
        "/admin/preview/post",
        headers=HTMX,
        data=post_fields(
            admin_token,
            title="Live",
            labels="alpha",
            body="Hello **bold**\n\n<script>alert(1)</script><a href=x onclick=y hx-get=/z>l</a> <a href='x' data-hx-post='/w'>m</a>",
        ),
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="live-preview"')
    assert "<strong>bold</strong>" in response.text
    assert "<script>" not in response.text
    assert (
        "onclick" not in response.text
        and "hx-get" not in response.text
        and "'/w'" not in response.text
        and '"/w"' not in response.text
    )
    assert re.search(r'class="post-body" data-hx-disable', response.text)
    assert 'href="/search/label/alpha"' in response.text


def test_live_preview_shows_the_jump_break_like_the_published_post(client, admin_token):
    response = client.post(
        "/admin/preview/post",
        headers=HTMX,
        data=post_fields(admin_token, body="Intro\n\n<!--more-->\n\nRest"),
    )
    assert '<div id="more"></div>' in response.text and "Rest" in response.text
