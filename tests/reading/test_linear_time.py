"""No quadratic paths: bodies built to make a backtracking pattern rescan the text import in seconds,
and oversize bodies are refused with a reason (the editor, comments) or skipped and named (imports)."""

import time

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.markup import render_body, split_at_html_jump_break
from blog.models import Post
from blog.transfer.store import MAX_IMPORTED_BODY
from blog.transfer.wordpress import autop
from tests.support.accounts import make_user
from tests.support.transfer import run_import
from tests.support.web import token_for

GENEROUS = 10  # seconds; the quadratic versions took minutes on these bodies
UNCLOSED_MORE = "<!--more" * 25_000  # 200 kB, no "-->" anywhere
UNCLOSED_CAPTION = "[caption" * 25_000  # 200 kB, no "]" anywhere


def wxr(bodies: dict[str, str]) -> str:
    items = "".join(
        f"""<item><title>{name}</title><link>https://old.example.org/?p={n}</link>
<dc:creator>greta</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date_gmt>2020-01-0{n} 10:00:00</wp:post_date_gmt>
<wp:post_name>{name.lower()}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"""
        for n, (name, body) in enumerate(bodies.items(), start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example.org</wp:base_site_url>{items}</channel></rss>"""


def post_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Post))


def test_unclosed_jump_breaks_and_captions_import_in_seconds(app, runner, tmp_path):
    make_user(app, "greta@example.test", "Greta", role="author")
    path = tmp_path / "hostile.xml"
    path.write_text(wxr({"More": UNCLOSED_MORE, "Caption": UNCLOSED_CAPTION}))
    started = time.monotonic()
    result = run_import(runner, "wordpress", path)
    assert time.monotonic() - started < GENEROUS
    assert result.exit_code == 0, result.output
    assert "Imported 2 post(s)" in result.output
    assert post_count(app) == 2


@pytest.mark.parametrize("body_format", ["html", "markdown"])
def test_an_unclosed_jump_break_renders_in_seconds(body_format):
    started = time.monotonic()
    rendered = render_body(UNCLOSED_MORE, body_format)
    assert time.monotonic() - started < GENEROUS
    assert rendered.excerpt_html is None  # no break: it was never closed


def test_the_jump_break_split_and_captions_keep_their_meaning():
    assert split_at_html_jump_break("a<!-- more Read on -->b<!--more-->c") == ["a", "b<!--more-->c"]
    assert split_at_html_jump_break("a<!--more b") == ["a<!--more b"]
    assert split_at_html_jump_break("a<!--morest-->b") == ["a<!--morest-->b"]
    started = time.monotonic()
    assert autop(UNCLOSED_CAPTION).startswith("<p>[caption")
    assert time.monotonic() - started < GENEROUS
    text = '[caption id="attachment_7" align="alignnone" width="300"]<img src="a.jpg"> A pea[/caption]'
    assert autop(text) == '<p><img src="a.jpg"> A pea</p>'


def test_an_oversize_imported_body_is_skipped_with_its_reason(app, runner, tmp_path):
    make_user(app, "greta@example.test", "Greta", role="author")
    path = tmp_path / "big.xml"
    path.write_text(wxr({"Huge": "word " * (MAX_IMPORTED_BODY // 5 + 1), "Small": "Fine."}))
    result = run_import(runner, "wordpress", path)
    assert result.exit_code == 0, result.output
    assert "Imported 1 post(s)" in result.output
    assert "post whose body is longer than 1,000,000 characters" in result.output
    assert post_count(app) == 1


def test_an_oversize_post_body_is_refused_with_the_form_kept(app, client, admin):
    from blog.admin.forms import MAX_BODY
    from tests.support.accounts import sign_in
    from tests.support.admin import post_fields

    sign_in(client, "admin@example.test")

    token = token_for(client, "/")
    body = "x" * (MAX_BODY + 1)
    response = client.post("/admin/posts/new", data=post_fields(token, title="Long one", body=body))
    assert response.status_code == 422
    assert f"The body can be at most 200,000 characters long; this one has {MAX_BODY + 1}." in response.text
    assert 'value="Long one"' in response.text and body in response.text
    assert post_count(app) == 0
