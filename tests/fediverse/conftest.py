"""The fediverse tests: the blog at http://localhost (the test client's host), allowed to reach the
fake server on 127.0.0.1 (FEDIVERSE_ALLOW_PRIVATE, for tests only)."""

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.fediverse.keys import key_row
from blog.models import FediverseFollower, RemoteActor

BASE = "http://localhost"
INBOX = BASE + "/fediverse/inbox"
ACTOR = BASE + "/fediverse/actor"


@pytest.fixture
def app_config():
    return {"BASE_URL": BASE, "FEDIVERSE_ALLOW_PRIVATE": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def blog_key(app, fake_server) -> str:
    """The blog's public key, made now and given to the fake server to check deliveries with."""
    with app.app_context():
        pem = key_row().public_pem
        db.session.commit()
    fake_server.blog_key_pem = pem
    return pem


def post_activity(client, fake, name: str, activity: dict, **sign):
    body, headers = fake.sign(name, INBOX, activity, **sign)
    return client.post("/fediverse/inbox", data=body, headers=headers)


def follow(client, fake, name: str) -> dict:
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{fake.actor_uri(name)}#follows/1",
        "type": "Follow",
        "actor": fake.actor_uri(name),
        "object": ACTOR,
    }
    response = post_activity(client, fake, name, activity)
    assert response.status_code == 202, response.get_data(as_text=True)
    return activity


def follower_uris(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(RemoteActor.uri).join(FediverseFollower, FediverseFollower.actor_id == RemoteActor.id)
            )
        )
