"""Feeds (Atom and RSS for posts, labels and comments), sitemap.xml and robots.txt."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest

from blog.extensions import db
from blog.markup import render_comment
from blog.models import BlogSettings, Comment, utcnow
from blog.site_settings import ensure_settings

BASE = "http://localhost"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def permalink(post) -> str:
    return f"{BASE}/{post.year:04d}/{post.month:02d}/{post.slug}.html"


def add_comment(
    app,
    post,
    body="Nice post.",
    author=None,
    author_name="",
    status="published",
    when: datetime | None = None,
) -> int:
    """Insert a comment row directly (posting comments is another module's job); returns its id."""
    with app.app_context():
        comment = Comment(
            post_id=post.id,
            author_id=author.id if author else None,
            author_name=author_name,
            body_source=body,
            body_html=render_comment(body),
            status=status,
            created_at=when or utcnow(),
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


def set_language(app, language: str) -> None:
    with app.app_context():
        ensure_settings()
        db.session.get(BlogSettings, 1).language = language
        db.session.commit()


def fetch(client, url: str, version: str):
    """GET a feed, check its Content-Type, parse it and insist it is well-formed."""
    response = client.get(url)
    assert response.status_code == 200, url
    expected = {"atom10": "application/atom+xml", "rss20": "application/rss+xml"}[version]
    assert response.headers["Content-Type"] == f"{expected}; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    return parsed


@pytest.fixture
def blog_posts(make_post):
    """Two visible posts, a draft and a scheduled post that is not yet due."""
    return {
        "old": make_post(
            "Older post", body="An *older* one.", when=utcnow() - timedelta(days=40), labels=["life"]
        ),
        "new": make_post(
            "Newer post",
            body="The **full** body.\n\n<!--more-->\n\nAfter the break.",
            labels=["news", "life"],
        ),
        "draft": make_post("Secret draft", labels=["news", "hidden"], draft=True),
        "future": make_post("Not yet", when=utcnow() + timedelta(days=1), labels=["news", "later"]),
    }


@pytest.mark.parametrize(
    ("query", "version"),
    [
        ("", "atom10"),
        ("?alt=rss", "rss20"),
        ("?alt=atom", "atom10"),
    ],
)
def test_posts_feed_has_visible_posts_newest_first_with_full_content(client, blog_posts, query, version):
    feed = fetch(client, f"/feeds/posts/default{query}", version)
    assert [e.title for e in feed.entries] == ["Newer post", "Older post"]
    newest = feed.entries[0]
    assert newest.link == permalink(blog_posts["new"])
    assert newest.id == permalink(blog_posts["new"])
    body = newest.content[0].value if version == "atom10" else newest.description
    assert "<strong>full</strong>" in body and "After the break." in body  # the whole post, not the excerpt
    assert sorted(t.term for t in newest.tags) == ["life", "news"]
    assert newest.author == "Ada Admin"
    assert newest.published_parsed
    if version == "atom10":
        assert newest.updated_parsed >= newest.published_parsed
    assert feed.feed.link == f"{BASE}/"
    assert feed.feed.title == "My Blog"


def test_drafts_and_future_posts_never_appear_in_feeds(client, blog_posts):
    for url in ("/feeds/posts/default", "/feeds/posts/default?alt=rss", "/feeds/posts/default/-/news"):
        body = client.get(url).text
        assert "Secret draft" not in body and "Not yet" not in body, url


def test_feed_language_follows_the_blog_setting(app, client, blog_posts):
    assert fetch(client, "/feeds/posts/default?alt=rss", "rss20").feed.language == "en"
    set_language(app, "de")
    assert fetch(client, "/feeds/posts/default", "atom10").feed.language == "de"
    assert fetch(client, "/feeds/posts/default?alt=rss", "rss20").feed.language == "de"
    assert fetch(client, "/feeds/comments/default", "atom10").feed.language == "de"


def test_posts_feed_holds_the_newest_25(client, make_post):
    start = utcnow() - timedelta(days=60)
    for n in range(30):
        make_post(f"Post {n}", when=start + timedelta(days=n))
    feed = fetch(client, "/feeds/posts/default", "atom10")
    assert len(feed.entries) == 25
    assert feed.entries[0].title == "Post 29" and feed.entries[-1].title == "Post 5"


def test_feed_updated_is_its_newest_entry(client, make_post):
    make_post("Only", when=datetime(2017, 10, 23, 9, 0))
    feed = fetch(client, "/feeds/posts/default", "atom10")
    assert feed.feed.updated == feed.entries[0].updated


def test_empty_feeds_are_still_valid(client):
    fetch(client, "/feeds/posts/default", "atom10")
    fetch(client, "/feeds/posts/default?alt=rss", "rss20")
    fetch(client, "/feeds/comments/default", "atom10")


@pytest.mark.parametrize("version", ["atom10", "rss20"])
def test_label_feed_has_only_that_labels_visible_posts(client, blog_posts, version):
    query = "?alt=rss" if version == "rss20" else ""
    feed = fetch(client, f"/feeds/posts/default/-/news{query}", version)
    assert [e.title for e in feed.entries] == ["Newer post"]
    assert feed.feed.link == f"{BASE}/search/label/news"


def test_label_feed_works_for_a_name_with_spaces_and_accents(client, make_post):
    make_post("Café notes", labels=["Café au lait"])
    feed = fetch(client, "/feeds/posts/default/-/Caf%C3%A9%20au%20lait", "atom10")
    assert [e.title for e in feed.entries] == ["Café notes"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/posts/default/-/nosuchlabel",
        "/feeds/posts/default/-/hidden",  # only a draft carries it
        "/feeds/posts/default/-/later",  # only a scheduled post carries it
        "/feeds/posts/default?alt=json",
        "/feeds/9999/comments/default",
    ],
)
def test_unknown_feeds_are_404(client, blog_posts, url):
    assert client.get(url).status_code == 404


@pytest.fixture
def commented(app, blog_posts, member):
    """Comments of every kind: published ones on a visible post, and ones that must never show."""
    new, old = blog_posts["new"], blog_posts["old"]
    ids = {
        "first": add_comment(
            app, old, "First **comment**.", author=member, when=utcnow() - timedelta(hours=3)
        ),
        "guest": add_comment(
            app,
            new,
            "Imported <b>guest</b> words.",
            author_name="Gustav Guest",
            when=utcnow() - timedelta(hours=2),
        ),
        "latest": add_comment(app, new, "Latest comment.", author=member, when=utcnow() - timedelta(hours=1)),
        "pending": add_comment(app, new, "Pending comment.", author=member, status="pending"),
        "spam": add_comment(app, new, "Spam comment.", author_name="Spammer", status="spam"),
        "removed": add_comment(app, new, "Removed comment.", author=member, status="removed"),
    }
    with app.app_context():
        # Comments on posts readers cannot see (left over from an unpublish, or a scheduled post).
        for hidden in (blog_posts["draft"], blog_posts["future"]):
            db.session.add(
                Comment(
                    post_id=hidden.id,
                    author_name="X",
                    body_source="Hidden comment.",
                    body_html=render_comment("Hidden comment."),
                    status="published",
                )
            )
        db.session.commit()
    return ids


@pytest.mark.parametrize(("query", "version"), [("", "atom10"), ("?alt=rss", "rss20")])
def test_comments_feed_has_recent_published_comments_on_visible_posts(
    client, blog_posts, commented, query, version
):
    feed = fetch(client, f"/feeds/comments/default{query}", version)
    new, old = permalink(blog_posts["new"]), permalink(blog_posts["old"])
    assert [e.link for e in feed.entries] == [
        f"{new}#c{commented['latest']}",
        f"{new}#c{commented['guest']}",
        f"{old}#c{commented['first']}",
    ]
    assert [e.author for e in feed.entries] == ["Max Member", "Gustav Guest", "Max Member"]
    assert feed.entries[0].title == "Latest comment."
    assert "&lt;b&gt;guest&lt;/b&gt;" in feed.entries[1].description  # escaped, never markup
    body = client.get(f"/feeds/comments/default{query}").text
    for word in ("Pending", "Spam", "Removed", "Hidden"):
        assert f"{word} comment" not in body


@pytest.mark.parametrize(("query", "version"), [("", "atom10"), ("?alt=rss", "rss20")])
def test_post_comments_feed_has_that_posts_published_comments(client, blog_posts, commented, query, version):
    post = blog_posts["new"]
    feed = fetch(client, f"/feeds/{post.id}/comments/default{query}", version)
    assert [e.link for e in feed.entries] == [
        f"{permalink(post)}#c{commented['latest']}",
        f"{permalink(post)}#c{commented['guest']}",
    ]
    assert feed.feed.link == permalink(post)


@pytest.mark.parametrize("which", ["draft", "future"])
def test_post_comments_feed_of_a_hidden_post_is_404(client, blog_posts, commented, which):
    assert client.get(f"/feeds/{blog_posts[which].id}/comments/default").status_code == 404


def test_a_long_comment_gets_a_shortened_title(app, client, blog_posts):
    add_comment(app, blog_posts["new"], "word " * 100)
    title = fetch(client, "/feeds/comments/default", "atom10").entries[0].title
    assert len(title) <= 80 and title.endswith("…")


def test_feeds_cost_the_same_queries_however_many_entries(app, client, make_post, member, count_queries):
    app.config["PAGE_CACHE_ENABLED"] = False  # count what a feed costs, not a cache hit

    def costs() -> list[int]:
        counts = []
        for url in (
            "/feeds/posts/default",
            "/feeds/posts/default/-/news",
            "/feeds/comments/default",
            f"/feeds/{first.id}/comments/default",
        ):
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    first = make_post("First", labels=["news"])
    add_comment(app, first, "One.", author=member)
    few = costs()
    for n in range(6):
        post = make_post(f"More {n}", labels=["news", f"extra {n}"])
        add_comment(app, post, "Another.", author=member)
        add_comment(app, first, f"Reply {n}.", author_name=f"Guest {n}")
    assert max(few) <= 4
    assert costs() == few


def test_sitemap_lists_home_posts_pages_labels_and_months(client, blog_posts, make_page):
    make_page("About", "about")
    make_page("Hidden page", "hidden-page", published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ElementTree.fromstring(response.data)
    entries = {u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod") for u in root}
    new, old = blog_posts["new"], blog_posts["old"]
    assert f"{BASE}/" in entries
    assert entries[permalink(new)] and entries[permalink(old)]  # posts carry lastmod
    assert f"{BASE}/p/about.html" in entries
    assert f"{BASE}/search/label/news" in entries and f"{BASE}/search/label/life" in entries
    assert f"{BASE}/{new.year:04d}/{new.month:02d}/" in entries
    assert f"{BASE}/{old.year:04d}/{old.month:02d}/" in entries
    text = response.text
    for hidden in ("secret-draft", "not-yet", "hidden-page", "/search/label/hidden", "/search/label/later"):
        assert hidden not in text


def test_sitemap_of_an_empty_blog_has_the_home_page(client):
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert [u.findtext(f"{SITEMAP_NS}loc") for u in root] == [f"{BASE}/"]


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin", "/signin", "/search"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /search/label/" in lines  # label pages are in the sitemap
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/posts/default",
        "/feeds/posts/default?alt=rss",
        "/feeds/posts/default/-/news",
        "/feeds/comments/default",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_conditional_get_answers_304(client, blog_posts, commented, url):
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_a_new_post_changes_the_feeds_etag(client, make_post):
    make_post("First")
    etag = client.get("/feeds/posts/default").headers["ETag"]
    make_post("Second")
    assert client.get("/feeds/posts/default", headers={"If-None-Match": etag}).status_code == 200
