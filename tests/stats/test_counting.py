"""DESIGN.md, "Stats without trackers": what is a view, what is a visitor, what is a referrer."""

import pytest
from werkzeug.test import EnvironBuilder

from blog.web import cache_front
from tests.stats.conftest import CHROME, GOOGLEBOT, day_rows, flush, path_rows, read, referrer_rows
from tests.support.accounts import make_author, sign_in
from tests.support.content import permalink


def test_a_post_page_is_a_view_and_its_reader_a_visitor(app, client, post):
    path = permalink(post)
    assert read(client, path).status_code == 200
    flush(app)
    assert path_rows(app) == {path: (1, 1)}
    [(_day, views, visitors)] = day_rows(app)
    assert (views, visitors) == (1, 1)


def test_a_page_cache_hit_counts_like_any_other_answer(app, client, post):
    hits = []
    cache_front.on_hit(app, lambda environ, status: hits.append(status))
    path = permalink(post)
    read(client, path)
    assert read(client, path).status_code == 200
    assert read(client, path, If_None_Match=read(client, path).headers["ETag"]).status_code == 304
    assert hits == [200, 200, 304]  # three answers came from the cache, the first from the view
    flush(app)
    assert path_rows(app) == {path: (4, 1)}


@pytest.mark.parametrize(
    "ua", [GOOGLEBOT, "", "curl/8.5.0", "python-requests/2.34.2", "facebookexternalhit/1.1"]
)
def test_bots_are_not_counted(app, client, post, ua):
    assert read(client, permalink(post), ua=ua).status_code == 200
    flush(app)
    assert path_rows(app) == {}


def test_what_is_not_a_view(app, client, post):
    path = permalink(post)
    answers = [
        read(client, path, method="HEAD"),
        read(client, "/2020/01/no-such-post.html"),
        read(client, "/feeds/posts/default"),
        read(client, "/sitemap.xml"),
        read(client, "/static/css/site.css"),
        read(client, "/signin"),
        read(client, path, Sec_Purpose="prefetch;prerender"),
        read(client, path, Purpose="prefetch"),
        read(client, path, HX_Request="true"),  # an htmx fragment request
        read(client, f"/posts/{post.id}/comments"),  # the comment section alone
    ]
    assert [a.status_code for a in answers][:2] == [200, 404]
    flush(app)
    assert path_rows(app) == {}


def test_boosted_navigation_is_a_view(app, client, post):
    read(client, "/", HX_Request="true", HX_Boosted="true")
    flush(app)
    assert path_rows(app) == {"/": (1, 1)}


def test_every_kind_of_reading_page_counts(app, client, post, make_page):
    make_page()
    paths = ["/", permalink(post), f"/{post.year}/", f"/{post.year}/{post.month:02d}/", "/p/about.html"]
    paths += ["/search?q=read", f"/profile/{post.author_id}"]
    for path in paths:
        assert read(client, path).status_code == 200, path
    flush(app)
    assert set(path_rows(app)) == {p.split("?")[0] for p in paths}  # the path, never the query


def test_staff_reading_their_blog_are_not_counted_but_members_are(app, client, admin, member, post):
    path = permalink(post)
    sign_in(client, admin.email)
    read(client, path)
    read(client, "/admin/")
    read(client, f"/admin/posts/{post.id}/preview")
    flush(app)
    assert path_rows(app) == {}
    other = app.test_client()
    sign_in(other, member.email)
    read(other, path)
    flush(app)
    assert path_rows(app) == {path: (1, 1)}


def test_an_author_is_not_counted(app, post):
    author = make_author(app)
    client = app.test_client()
    sign_in(client, author.email)
    read(client, permalink(post))
    flush(app)
    assert path_rows(app) == {}


def test_visitors_are_address_and_browser_pairs_once_a_day(app, client, post):
    path = permalink(post)
    read(client, path)
    read(client, path)  # the same reader again
    read(client, "/")
    read(client, path, ua=CHROME)  # another browser on the same address
    flush(app)
    read(client, path, address="198.51.100.1")  # another address, in a later batch
    read(client, path)  # the first reader once more, in a later batch
    flush(app)
    assert path_rows(app) == {path: (5, 3), "/": (1, 1)}
    [(_day, views, visitors)] = day_rows(app)
    assert (views, visitors) == (6, 3)


def test_referrers_are_other_sites_hosts(app, client, post):
    path = permalink(post)
    read(client, path, Referer="https://WWW.Example.org/links?x=1")
    read(client, path, Referer="http://news.example.net/item")
    read(client, path, Referer="http://localhost/")  # this blog
    read(client, path, Referer=f"http://localhost{path}")
    read(client, path, Referer="android-app://com.example")  # not a web page
    flush(app)
    assert referrer_rows(app) == [(path, "example.org", 1), (path, "news.example.net", 1)]


@pytest.mark.parametrize("app_config", [{"BASE_URL": "https://blog.example.org"}])
def test_the_blogs_own_address_is_never_a_referrer(app, client, post):
    read(client, permalink(post), Referer="https://www.blog.example.org/", Host="blog.example.org")
    flush(app)
    assert referrer_rows(app) == []
    assert path_rows(app) == {permalink(post): (1, 1)}


def test_a_reader_gets_no_cookie(app, client, post):
    for path in ("/", permalink(post), permalink(post)):
        response = read(client, path)
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("app_config", [{"STATS_ENABLED": False}])
def test_counting_off_counts_nothing(app, client, post):
    read(client, permalink(post))
    read(client, permalink(post))
    flush(app)
    assert path_rows(app) == {}


def test_a_layer_in_front_of_flask_counts_through_count_environ(app, post):
    """The contract for a WSGI layer answering cache hits before Flask: call the counter with the
    hit's environ and status, outside any app or request context."""
    count = app.extensions["stats"].count_environ
    path = permalink(post)
    hit = EnvironBuilder(
        path=path, headers={"User-Agent": CHROME, "Referer": "https://example.org/"}
    ).get_environ()
    head = EnvironBuilder(path=path, method="HEAD", headers={"User-Agent": CHROME}).get_environ()
    bot = EnvironBuilder(path=path, headers={"User-Agent": GOOGLEBOT}).get_environ()
    assert count(hit, "200 OK") is True
    assert count(hit, 304) is True
    assert count(head, "200 OK") is False
    assert count(bot, "200 OK") is False
    assert count(hit, "404 NOT FOUND") is False
    flush(app)
    assert path_rows(app) == {path: (2, 1)}
    assert referrer_rows(app) == [(path, "example.org", 2)]
