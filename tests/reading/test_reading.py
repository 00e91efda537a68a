"""Reader pages: home, permalinks, archives, labels, static pages, profiles, 404s."""

from datetime import datetime, timedelta

from blog.models import utcnow
from tests.support.content import permalink, set_settings


def test_home_lists_published_posts_under_date_headers(client, make_post):
    make_post("Autumn walk", when=datetime(2017, 10, 23, 9, 0))
    make_post("Winter plans", when=datetime(2017, 12, 1, 9, 0))
    page = client.get("/")
    assert page.status_code == 200
    assert "Monday, October 23, 2017" in page.text
    assert "Friday, December 1, 2017" in page.text
    assert page.text.index("Winter plans") < page.text.index("Autumn walk")


def test_post_permalink_shows_the_post_and_no_comments(client, make_post):
    post = make_post("Hello world", body="The **first** post.", labels=["news", "life"])
    page = client.get(permalink(post))
    assert page.status_code == 200
    assert "<strong>first</strong>" in page.text
    assert "No comments:" in page.text
    assert "Note: Only a member of this blog may post a comment." in page.text
    assert 'href="/search/label/news"' in page.text


def test_drafts_and_future_posts_are_not_found(client, make_post):
    draft = make_post("Secret draft", draft=True)
    future = make_post("Not yet", when=utcnow() + timedelta(days=1))
    assert client.get(permalink(future)).status_code == 404
    home = client.get("/").text
    assert "Secret draft" not in home and "Not yet" not in home
    assert draft.year is None


def test_unknown_urls_get_the_404_page(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "does not exist" in page.text


def test_date_headers_follow_the_blog_timezone_across_a_day_boundary(app, client, make_post):
    set_settings(app, timezone="America/New_York")
    # 03:30 UTC on the 24th is still the evening of the 23rd in New York (UTC-4 in October).
    post = make_post("Late night", when=datetime(2017, 10, 24, 3, 30))
    make_post("Next morning", when=datetime(2017, 10, 24, 13, 0))
    home = client.get("/").text
    assert "Monday, October 23, 2017" in home
    assert "Tuesday, October 24, 2017" in home
    assert home.index("Tuesday, October 24, 2017") < home.index("Monday, October 23, 2017")
    # The permalink's month is fixed in the blog's timezone too.
    assert (post.year, post.month) == (2017, 10)
    assert "11:30" in client.get(permalink(post)).text


def test_post_permalink_month_uses_blog_timezone(app, make_post):
    set_settings(app, timezone="America/Los_Angeles")
    post = make_post("New year's eve", when=datetime(2018, 1, 1, 5, 0))  # 21:00 on Dec 31 in LA
    assert (post.year, post.month) == (2017, 12)


def test_dates_in_the_blog_language(app, client, make_post):
    set_settings(app, language="de")
    make_post("Herbst", when=datetime(2017, 10, 23, 9, 0))
    home = client.get("/").text
    assert '<html lang="de">' in home
    assert "Montag, 23. Oktober 2017" in home


def test_home_pagination_edges(app, client, make_post):
    set_settings(app, posts_per_page=3)
    for day in range(1, 8):  # 7 posts: pages of 3, 3, 1
        make_post(f"Post {day}", when=datetime(2020, 5, day, 12, 0))
    first = client.get("/").text
    assert "Older posts" in first and "Newer posts" not in first
    assert "Post 7" in first and "Post 5" in first and "Post 4" not in first
    second = client.get("/?page=2").text
    assert "Older posts" in second and "Newer posts" in second
    assert 'href="/"' in second  # "Newer posts" from page 2 goes back to the plain home URL
    third = client.get("/?page=3").text
    assert "Post 1" in third and "Older posts" not in third and "Newer posts" in third
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_exactly_one_full_page_has_no_older_link(app, client, make_post):
    set_settings(app, posts_per_page=2)
    make_post("One", when=datetime(2020, 5, 1))
    make_post("Two", when=datetime(2020, 5, 2))
    page = client.get("/").text
    assert "Older posts" not in page and "Newer posts" not in page


def test_archive_counts_and_pages(client, make_post):
    make_post("Jan A", when=datetime(2019, 1, 5))
    make_post("Jan B", when=datetime(2019, 1, 20))
    make_post("Spring thaw", when=datetime(2019, 3, 2))
    make_post("Next year", when=datetime(2020, 2, 2))
    make_post("Hidden draft", draft=True)
    make_post("Future", when=utcnow() + timedelta(days=3))
    home = client.get("/").text
    assert "(3)" in home and "(2)" in home  # 2019 has 3 posts, January 2019 has 2
    assert 'href="/2019/01/">January 2019</a> <span class="count">(2)</span>' in home
    assert 'href="/2019/03/">March 2019</a> <span class="count">(1)</span>' in home
    assert '<summary>2019 <span class="count">(3)</span></summary>' in home
    assert 'href="/2019/">All of 2019</a>' in home
    january = client.get("/2019/01/").text
    assert "Jan A" in january and "Jan B" in january and "Spring thaw" not in january
    year = client.get("/2019/").text
    assert "Jan A" in year and "Spring thaw" in year and "Next year" not in year
    assert client.get("/2018/").status_code == 404
    assert client.get("/2019/02/").status_code == 404


def test_label_pages_list_only_visible_posts(client, make_post):
    make_post("Soup", labels=["cooking"])
    make_post("Bread", labels=["cooking", "baking"])
    make_post("Draft stew", labels=["cooking"], draft=True)
    page = client.get("/search/label/cooking").text
    assert "Soup" in page and "Bread" in page and "Draft stew" not in page
    assert client.get("/search/label/nothing-here").status_code == 404


def test_scheduled_post_appears_when_its_time_comes(app, client, make_post):
    from blog.extensions import db
    from blog.models import Post

    post = make_post("Tomorrow's news", when=utcnow() + timedelta(hours=1))
    assert "Tomorrow" not in client.get("/").text
    assert client.get(permalink(post)).status_code == 404
    with app.app_context():  # time passes: move the publish time into the past, no job runs
        db.session.get(Post, post.id).published_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "Tomorrow" in client.get("/").text
    assert client.get(permalink(post)).status_code == 200


def test_jump_break_shows_an_excerpt_with_a_read_more_link(client, make_post):
    post = make_post("Long read", body="Intro paragraph.\n\n<!--more-->\n\nThe rest of the story.")
    home = client.get("/").text
    assert "Intro paragraph." in home and "The rest of the story." not in home
    assert f"{permalink(post)}#more" in home
    full = client.get(permalink(post)).text
    assert "Intro paragraph." in full and "The rest of the story." in full and 'id="more"' in full


def test_post_page_links_newer_older_and_home(client, make_post):
    old = make_post("Old", when=datetime(2020, 1, 1))
    middle = make_post("Middle", when=datetime(2020, 1, 2))
    new = make_post("New", when=datetime(2020, 1, 3))
    page = client.get(permalink(middle)).text
    assert f'href="{permalink(new)}"' in page and "Newer post" in page
    assert f'href="{permalink(old)}"' in page and "Older post" in page
    assert "Home" in page


def test_list_pages_show_comment_counts(app, client, make_post, member):
    from blog.extensions import db
    from blog.models import Comment

    post = make_post("Talked about")
    make_post("Quiet")
    with app.app_context():
        for status in ("published", "published", "pending"):
            db.session.add(
                Comment(
                    post_id=post.id, author_id=member.id, body_source="x", body_html="<p>x</p>", status=status
                )
            )
        db.session.commit()
    home = client.get("/").text
    assert f'{permalink(post)}#comments">2 comments</a>' in home
    assert ">No comments</a>" in home
    assert "2 comments:" in client.get(permalink(post)).text


def test_static_page_and_menu(client, make_page):
    make_page("About me", slug="about")
    make_page("Unlisted", slug="secret", published=False)
    home = client.get("/").text
    assert 'href="/p/about.html"' in home and "/p/secret.html" not in home
    assert "About me" in client.get("/p/about.html").text
    assert client.get("/p/secret.html").status_code == 404


def test_author_profile_page(client, make_post, admin):
    make_post("By Ada")
    page = client.get(f"/profile/{admin.id}")
    assert page.status_code == 200
    assert "Ada Admin" in page.text and "By Ada" in page.text
    assert client.get("/profile/9999").status_code == 404


def test_every_page_has_the_common_parts(client, make_post, make_page):
    post = make_post("Anything", labels=["misc"])
    make_page("Colophon", slug="colophon")
    for url in ["/", permalink(post), "/search/label/misc", f"/{post.year}/", "/p/colophon.html", "/nowhere"]:
        html = client.get(url).text
        assert "My Blog" in html, url
        assert 'role="search"' in html, url
        assert 'href="/p/colophon.html"' in html, url
        assert "Blog Archive" in html, url
        assert "Sign in" in html, url
        assert 'rel="icon"' in html, url
