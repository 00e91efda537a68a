"""The JSON documents the blog shows the fediverse: its actor and each post's Article."""

from flask import url_for

from blog.fediverse import urls
from blog.fediverse.keys import public_pem
from blog.models import Post
from blog.site_settings import get_settings

CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTIVITY_JSON = "application/activity+json"


def iso(moment) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def actor() -> dict:
    """The blog as an actor (a Service, as Ghost's and WordPress's blogs are), with its public key."""
    settings = get_settings()
    uri = urls.actor_uri()
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "Service",
        "preferredUsername": urls.username(),
        "name": settings.title,
        "summary": settings.description,
        "url": urls.require_base() + "/",
        "inbox": urls.inbox_uri(),
        "outbox": urls.absolute("fediverse.outbox"),
        "followers": urls.followers_uri(),
        "endpoints": {"sharedInbox": urls.inbox_uri()},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "icon": {
            "type": "Image",
            "mediaType": "image/svg+xml",
            "url": urls.require_base() + url_for("static", filename="favicon.svg"),
        },
        "publicKey": {"id": urls.key_id(), "owner": uri, "publicKeyPem": public_pem()},
    }


def article(post: Post) -> dict:
    """A post as an Article: the same id whether sent in a Create or fetched from its permalink."""
    uri = urls.post_uri(post)
    document = {
        "id": uri,
        "type": "Article",
        "url": uri,
        "name": post.title,
        "content": post.body_html,
        "published": iso(post.published_at),
        "updated": iso(post.updated_at),
        "attributedTo": urls.actor_uri(),
        "to": [PUBLIC],
        "cc": [urls.followers_uri()],
        "tag": [{"type": "Hashtag", "name": "#" + label.name.replace(" ", "")} for label in post.labels],
    }
    return document


def with_context(document: dict) -> dict:
    return {"@context": CONTEXT, **document}
