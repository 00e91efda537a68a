"""Discovery: WebFinger, the actor with its key, NodeInfo, collections, and a permalink answering
ActivityPub clients with its Article while browsers (and the page cache) keep getting the page."""

import pytest
from sqlalchemy import func, select

from blog import create_app
from blog.config import TestConfig
from blog.extensions import db
from blog.models import FediverseKey
from tests.fediverse.conftest import ACTOR, BASE
from tests.support.content import permalink

MASTODON_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1'
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_webfinger_finds_the_blog_by_its_handle(client, app):
    answer = client.get("/.well-known/webfinger?resource=acct:blog@localhost")
    assert answer.status_code == 200
    assert answer.mimetype == "application/jrd+json"
    self_link = next(link for link in answer.json["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": "application/activity+json", "href": ACTOR}
    assert client.get("/.well-known/webfinger?resource=acct:someone@localhost").status_code == 404


def test_the_handle_follows_the_fediverse_username_setting(client, app):
    from tests.support.content import set_settings

    set_settings(app, fediverse_username="notes")
    assert client.get("/.well-known/webfinger?resource=acct:notes@localhost").status_code == 200
    assert client.get("/.well-known/webfinger?resource=acct:blog@localhost").status_code == 404
    assert client.get("/fediverse/actor").json["preferredUsername"] == "notes"


def test_the_actor_document(client, app):
    from tests.support.content import set_settings

    set_settings(app, title="Field Notes", description="Notes from the field.")
    actor = client.get("/fediverse/actor", headers={"Accept": "application/activity+json"})
    assert actor.status_code == 200 and actor.mimetype == "application/activity+json"
    doc = actor.json
    assert doc["id"] == ACTOR and doc["type"] == "Service"
    assert doc["name"] == "Field Notes" and doc["summary"] == "Notes from the field."
    assert doc["url"] == BASE + "/"
    assert doc["inbox"] == BASE + "/fediverse/inbox"
    assert doc["endpoints"]["sharedInbox"] == BASE + "/fediverse/inbox"
    assert doc["icon"]["url"].startswith(BASE + "/static/")
    assert doc["publicKey"]["owner"] == ACTOR and doc["publicKey"]["id"].startswith(ACTOR)
    assert doc["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in actor.get_data(as_text=True)
    outbox = client.get("/fediverse/outbox").json
    assert outbox["type"] == "OrderedCollection"
    followers = client.get("/fediverse/followers").json
    assert followers["type"] == "OrderedCollection" and followers["totalItems"] == 0


def test_the_key_pair_is_made_once_and_kept_in_the_database(client, app):
    first = client.get("/fediverse/actor").json["publicKey"]["publicKeyPem"]
    assert client.get("/fediverse/actor").json["publicKey"]["publicKeyPem"] == first
    with app.app_context():
        assert db.session.scalar(select(func.count(FediverseKey.id))) == 1
        assert db.session.get(FediverseKey, 1).public_pem == first


def test_nodeinfo(client, app, make_post):
    make_post("One")
    links = client.get("/.well-known/nodeinfo").json["links"]
    info = client.get(links[0]["href"].removeprefix(BASE)).json
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "blog"
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["localPosts"] == 1


def test_without_base_url_the_fediverse_urls_answer_404(app, tmp_path):
    config = {k: v for k, v in app.config.items() if k in ("SQLALCHEMY_DATABASE_URI",)}
    other = create_app(TestConfig, **config)
    client = other.test_client()
    try:
        for url in (
            "/.well-known/webfinger?resource=acct:blog@localhost",
            "/fediverse/actor",
            "/.well-known/nodeinfo",
        ):
            assert client.get(url).status_code == 404, url
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("accept", [MASTODON_ACCEPT, "application/activity+json", "application/ld+json"])
def test_a_permalink_answers_activitypub_clients_with_the_article(client, make_post, accept):
    post = make_post("Hello fediverse", body="Some **words**.", labels=["travel"])
    answer = client.get(permalink(post), headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.mimetype == "application/activity+json"
    assert "Accept" in answer.headers["Vary"]
    article = answer.json
    assert article["type"] == "Article" and article["id"] == BASE + permalink(post)
    assert article["url"] == BASE + permalink(post)
    assert article["name"] == "Hello fediverse"
    assert "<strong>words</strong>" in article["content"]
    assert article["attributedTo"] == ACTOR
    assert "https://www.w3.org/ns/activitystreams#Public" in article["to"]


def test_browsers_get_the_page_and_the_page_cache_keeps_the_two_apart(client, make_post):
    post = make_post("Both ways")
    for _ in range(2):  # the second round is served from the page cache
        page = client.get(permalink(post), headers={"Accept": BROWSER_ACCEPT})
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert "Accept" in page.headers["Vary"]
        plain = client.get(permalink(post))
        assert plain.mimetype == "text/html"
        json_answer = client.get(permalink(post), headers={"Accept": MASTODON_ACCEPT})
        assert json_answer.mimetype == "application/activity+json"
        assert json_answer.json["name"] == "Both ways"


def test_the_key_pair_travels_with_a_backup(client, app, runner, tmp_path):
    """Restored from a backup, the blog signs with the same key its followers know."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from blog.commands import backup

            backup.postgres_tool("pg_dump")  # the suite's PostgreSQL run has the tools
    before = client.get("/fediverse/actor").json["publicKey"]["publicKeyPem"]
    path = tmp_path / "blog.tar"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    with app.app_context():
        db.session.execute(db.delete(FediverseKey))
        db.session.commit()
    assert client.get("/fediverse/actor").json["publicKey"]["publicKeyPem"] != before  # a new one was made
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert client.get("/fediverse/actor").json["publicKey"]["publicKeyPem"] == before
