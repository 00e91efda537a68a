"""The content API: every field of a post, pagination, label and search filters, only what a
signed-out reader may see, ETag and 304, JSON errors, CORS, the rate limit and the OpenAPI document."""

from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from blog.models import utcnow
from tests.support.comments import add_comment
from tests.support.content import permalink, set_settings


@pytest.fixture
def app_config():
    return {"BASE_URL": "http://blog.test"}


@pytest.fixture
def posts(app, make_post, author, member):
    """Three visible posts (one by an author, with labels and comments), a draft and a scheduled post."""
    now = utcnow()
    old = make_post("Oldest", body="Soup *weather*.", when=now - timedelta(days=3), labels=["Food"])
    middle = make_post(
        "Middle",
        body="Bread and **soup**.",
        when=now - timedelta(days=2),
        labels=["Food", "Bread"],
        author=author,
    )
    new = make_post("Newest", body="Bikes.", when=now - timedelta(days=1), labels=["Bikes"])
    make_post("Unfinished soup", body="Draft soup.", draft=True, labels=["Food"])
    make_post("Tomorrow's soup", body="Scheduled soup.", when=now + timedelta(days=1), labels=["Food"])
    first = add_comment(app, middle, author=member, body="Lovely")
    add_comment(app, middle, author=member, body="A reply", parent_id=first)
    add_comment(app, middle, author=member, body="Held", status="pending")
    return {"old": old, "middle": middle, "new": new}


def titles(response) -> list[str]:
    return [post["title"] for post in response.json["posts"]]


def test_a_post_has_every_field(client, posts, author):
    middle = posts["middle"]
    response = client.get(f"/api/v1/posts/{middle.id}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    post = response.json
    assert set(post) == {
        "id",
        "title",
        "url",
        "published",
        "updated",
        "labels",
        "html",
        "author",
        "comment_count",
    }
    assert post["id"] == middle.id and post["title"] == "Middle"
    assert post["url"] == "http://blog.test" + permalink(middle)
    assert post["published"] == middle.published_at.isoformat() + "+00:00"
    assert post["updated"] >= post["published"]
    assert post["labels"] == ["Bread", "Food"]
    assert post["html"] == "<p>Bread and <strong>soup</strong>.</p>\n"
    assert post["author"] == {"name": "Ann Author", "url": f"http://blog.test/profile/{author.id}"}
    assert post["comment_count"] == 2  # the held comment is not counted
    assert client.get("/api/v1/posts").json["posts"][1] == post  # the list holds the same object


def test_posts_come_newest_first_and_page_with_links(app, client, posts):
    set_settings(app, posts_per_page=2)
    first = client.get("/api/v1/posts")
    assert titles(first) == ["Newest", "Middle"]
    assert first.json["page"] == 1 and first.json["previous"] is None
    assert first.json["next"] == "http://blog.test/api/v1/posts?page=2"
    assert first.headers["Link"] == '<http://blog.test/api/v1/posts?page=2>; rel="next"'
    second = client.get("/api/v1/posts?page=2")
    assert titles(second) == ["Oldest"]
    assert second.json["next"] is None and second.json["previous"] == "http://blog.test/api/v1/posts"
    assert client.get("/api/v1/posts?page=3").status_code == 404
    assert client.get("/api/v1/posts?page=zero").status_code == 404


def test_label_and_search_filters(app, client, posts):
    assert titles(client.get("/api/v1/posts?label=Food")) == ["Middle", "Oldest"]
    assert titles(client.get("/api/v1/posts?label=Bikes")) == ["Newest"]
    assert client.get("/api/v1/posts?label=Nothing").status_code == 404
    assert sorted(titles(client.get("/api/v1/posts?q=soup"))) == ["Middle", "Oldest"]
    assert titles(client.get("/api/v1/posts?q=zebra")) == []
    both = client.get("/api/v1/posts?q=soup&label=Food")
    assert both.status_code == 400 and both.json["error"] == "bad_request"
    set_settings(app, posts_per_page=1)
    paged = client.get("/api/v1/posts?label=Food")
    assert paged.json["next"] == "http://blog.test/api/v1/posts?label=Food&page=2"
    assert titles(client.get(paged.json["next"].removeprefix("http://blog.test"))) == ["Oldest"]


def test_drafts_and_scheduled_posts_never_appear(app, client, posts):
    everything = client.get("/api/v1/posts").get_data(as_text=True)
    everything += client.get("/api/v1/posts?q=soup").get_data(as_text=True)
    everything += client.get("/api/v1/posts?label=Food").get_data(as_text=True)
    everything += client.get("/api/v1/labels").get_data(as_text=True)
    assert "Unfinished" not in everything and "Tomorrow" not in everything
    assert "Draft soup" not in everything and "Scheduled soup" not in everything
    hidden_ids = range(posts["new"].id + 1, posts["new"].id + 3)
    for post_id in hidden_ids:
        for url in (f"/api/v1/posts/{post_id}", f"/api/v1/posts/{post_id}/comments"):
            response = client.get(url)
            assert response.status_code == 404 and response.json["error"] == "not_found"


def test_comments_pages_and_labels(app, client, posts, member):
    middle = posts["middle"]
    comments = client.get(f"/api/v1/posts/{middle.id}/comments").json
    assert [c["html"] for c in comments["comments"]] == ["<p>Lovely</p>", "<p>A reply</p>"]
    first, reply = comments["comments"]
    assert reply["parent_id"] == first["id"] and first["parent_id"] is None
    assert first["author"] == {"name": "Max Member", "url": None}
    assert first["url"] == f"http://blog.test{permalink(middle)}#c{first['id']}"
    assert set(first) == {"id", "url", "parent_id", "author", "published", "updated", "html"}
    set_settings(app, comments_per_page=1)
    assert client.get(f"/api/v1/posts/{middle.id}/comments?page=2").json["previous"] is not None

    labels = client.get("/api/v1/labels").json["labels"]
    assert [(label["name"], label["count"]) for label in labels] == [("Bikes", 1), ("Bread", 1), ("Food", 2)]
    assert labels[2]["posts"] == "http://blog.test/api/v1/posts?label=Food"


def test_static_pages(client, make_page):
    make_page(title="About", slug="about", body="Who writes here.")
    make_page(title="Hidden", slug="hidden", body="Not yet.", published=False)
    pages = client.get("/api/v1/pages").json["pages"]
    assert [(p["title"], p["url"]) for p in pages] == [("About", "http://blog.test/p/about.html")]
    assert pages[0]["html"] == "<p>Who writes here.</p>\n" and set(pages[0]) == {
        "id",
        "title",
        "url",
        "updated",
        "html",
    }


def test_etag_and_304(app, client, posts, make_post):
    first = client.get("/api/v1/posts")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = client.get("/api/v1/posts", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    make_post("Even newer")
    changed = client.get("/api/v1/posts", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_errors_are_json_never_a_page(client, posts):
    for url in ("/api/v1/posts/999999", "/api/v1/nothing/here", "/api/v1/posts/999999/comments"):
        response = client.get(url)
        assert response.status_code == 404 and response.mimetype == "application/json", url
        assert response.json == {"error": "not_found", "message": response.json["message"], "status": 404}
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    refused = client.post("/api/v1/posts")
    assert refused.status_code in (400, 405) and refused.mimetype == "application/json"


def test_cors_lets_any_site_read(client, posts):
    response = client.get("/api/v1/posts", headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/posts",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "set-cookie" not in {name.lower() for name in response.headers.keys()}


def test_the_openapi_document_is_valid_and_describes_every_route(client, posts):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert set(document["paths"]) == {
        "/posts",
        "/posts/{post_id}",
        "/posts/{post_id}/comments",
        "/pages",
        "/labels",
    }
    post_fields = document["components"]["schemas"]["Post"]["properties"]
    assert set(post_fields) == set(client.get(f"/api/v1/posts/{posts['old'].id}").json)
    assert set(document["components"]["schemas"]["Author"]["properties"]) == {"name", "url"}
    params = {p["name"] for p in document["paths"]["/posts"]["get"]["parameters"]}
    assert params == {"page", "label", "q"}
    assert document["servers"] == [{"url": "http://blog.test/api/v1"}]


@pytest.mark.parametrize("app_config", [{"BASE_URL": "http://blog.test", "API_RATE_LIMIT": "3 per minute"}])
def test_the_api_is_rate_limited_per_address(client, app_config):
    for _ in range(3):
        assert client.get("/api/v1/labels").status_code == 200
    refused = client.get("/api/v1/labels")
    assert refused.status_code == 429 and refused.json["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    other = client.get("/api/v1/labels", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 200


def test_a_list_costs_the_same_queries_however_many_posts(app, client, make_post, count_queries):
    def cost() -> int:
        with count_queries() as queries:
            assert client.get("/api/v1/posts").status_code == 200
        return len(queries)

    make_post("One", labels=["a"])
    few = cost()
    for n in range(8):
        make_post(f"More {n}", labels=["a", f"b{n}"])
    assert cost() == few
