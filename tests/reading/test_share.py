"""Share links on a post: plain links to each network, our own Mastodon page, inline icons, no
third-party script, and only email and "Copy link" on a private blog."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from blog.models import ReadAccess
from tests.support.accounts import sign_in
from tests.support.content import permalink, set_settings


@pytest.fixture
def app_config():
    return {"BASE_URL": "http://blog.test"}


def share_links(html: str) -> dict[str, str]:
    """The share section's links, by network, in page order."""
    section = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    found = re.findall(r'<a class="share-link share-(\w+)" href="([^"]+)"', section)
    return {name: href.replace("&amp;", "&") for name, href in found}


def test_a_post_offers_plain_share_links(client, make_post):
    post = make_post("Soup & bread", body="Warm.")
    url = "http://blog.test" + permalink(post)
    html = client.get(permalink(post)).text
    links = share_links(html)
    assert list(links) == ["email", "mastodon", "bluesky", "facebook", "linkedin", "x"]
    email = urlsplit(links["email"])
    assert email.scheme == "mailto" and parse_qs(email.query) == {"subject": ["Soup & bread"], "body": [url]}
    assert links["mastodon"] == f"/posts/{post.id}/share/mastodon"
    assert parse_qs(urlsplit(links["bluesky"]).query) == {"text": [f"Soup & bread {url}"]}
    assert links["bluesky"].startswith("https://bsky.app/intent/compose?")
    assert parse_qs(urlsplit(links["facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["linkedin"]).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["x"]).query) == {"text": ["Soup & bread"], "url": [url]}
    section = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    assert section.count("<svg") == 7 and "<img" not in section and "<script" not in section
    assert f'data-share-url="{url}"' in section and "hidden>" in section  # Copy link: shown by site.js
    # Nothing on the page loads from another host: every src and stylesheet is our own.
    assert re.findall(r'(?:src|href)="(https?://(?!blog\.test)[^"]+)"', html.replace(section, "")) == []
    assert '<meta property="og:url" content="' + url + '">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Soup &amp; bread">' in html


def test_the_mastodon_page_asks_for_the_readers_server(client, make_post):
    post = make_post("Soup & bread")
    url = "http://blog.test" + permalink(post)
    page = client.get(f"/posts/{post.id}/share/mastodon")
    assert page.status_code == 200 and "Your Mastodon server" in page.text
    for typed in ("mastodon.social", "https://Mastodon.Social/", "@someone@mastodon.social"):
        answer = client.get(f"/posts/{post.id}/share/mastodon", query_string={"server": typed})
        assert answer.status_code == 302, typed
        target = urlsplit(answer.headers["Location"])
        assert (target.scheme, target.netloc, target.path) == ("https", "mastodon.social", "/share")
        assert parse_qs(target.query) == {"text": [f"Soup & bread {url}"]}
    for typed in ("", "not a server", "javascript:alert(1)", "evil.example/path?x=1", "x" * 400):
        refused = client.get(f"/posts/{post.id}/share/mastodon", query_string={"server": typed})
        assert refused.status_code == 422, typed
        assert 'aria-invalid="true"' in refused.text
    kept = client.get(f"/posts/{post.id}/share/mastodon", query_string={"server": "not a server"})
    assert 'value="not a server"' in kept.text
    assert client.get("/posts/999/share/mastodon").status_code == 404


def test_drafts_have_no_share_page(client, make_post):
    draft = make_post("Secret draft", draft=True)
    assert client.get(f"/posts/{draft.id}/share/mastodon").status_code == 404


def test_a_private_blog_offers_email_and_copy_link_only(app, client, member, make_post):
    post = make_post("Family news")
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    sign_in(client, member.email)
    html = client.get(permalink(post)).text
    assert list(share_links(html)) == ["email"]
    assert "Copy link" in html
    assert client.get(f"/posts/{post.id}/share/mastodon").status_code == 404
