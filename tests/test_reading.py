"""Reader pages: home, permalinks, archives, labels, static pages, profiles, 404s."""
from datetime import datetime, timedelta

from blog.models import utcnow


def permalink(post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


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
    assert "Only a member of this blog may post a comment." in page.text
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
