"""How other servers find the blog: WebFinger, NodeInfo, the actor and its collections."""

import json

from flask import Response, abort, request
from sqlalchemy import func, select

from blog.extensions import db
from blog.fediverse import documents, urls
from blog.fediverse.blueprint import bp
from blog.models import FediverseFollower, Post
from blog.models.post import visible_posts

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def json_answer(document: dict, mimetype: str = documents.ACTIVITY_JSON) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False), mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/webfinger")
def webfinger():
    """acct:USERNAME@HOST (or the actor's URL) -> the actor."""
    urls.require_base()
    resource = request.args.get("resource", "").strip()
    accepted = {f"acct:{urls.username()}@{urls.host()}".lower(), urls.actor_uri().lower()}
    if resource.lower() not in accepted:
        abort(404)
    return json_answer(
        {
            "subject": f"acct:{urls.username()}@{urls.host()}",
            "aliases": [urls.actor_uri()],
            "links": [
                {"rel": "self", "type": documents.ACTIVITY_JSON, "href": urls.actor_uri()},
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": urls.base() + "/",
                },
            ],
        },
        "application/jrd+json",
    )


@bp.get("/.well-known/nodeinfo")
def nodeinfo_links():
    urls.require_base()
    href = urls.absolute("fediverse.nodeinfo")
    return json_answer({"links": [{"rel": NODEINFO_SCHEMA, "href": href}]}, "application/json")


@bp.get("/nodeinfo/2.1")
def nodeinfo():
    urls.require_base()
    posts = db.session.scalar(visible_posts().with_only_columns(func.count(Post.id)))
    document = {
        "version": "2.1",
        "software": {"name": "blog", "version": "0.1.0"},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": False,
        "usage": {"users": {"total": 1}, "localPosts": posts},
        "metadata": {},
    }
    return json_answer(document, f'application/json; profile="{NODEINFO_SCHEMA}#"')


@bp.get("/fediverse/actor")
def actor():
    return json_answer(documents.actor())


@bp.get("/fediverse/outbox")
def outbox():
    """The newest posts, as Create activities (the first page only: Mastodon reads no more)."""
    posts = db.session.scalars(
        visible_posts().order_by(Post.published_at.desc(), Post.id.desc()).limit(20)
    ).all()
    total = db.session.scalar(visible_posts().with_only_columns(func.count(Post.id)))
    items = [
        {
            "id": urls.post_uri(post) + "#create",
            "type": "Create",
            "actor": urls.actor_uri(),
            "published": documents.iso(post.published_at),
            "to": [documents.PUBLIC],
            "cc": [urls.followers_uri()],
            "object": documents.article(post),
        }
        for post in posts
    ]
    uri = urls.absolute("fediverse.outbox")
    return json_answer(
        documents.with_context(
            {"id": uri, "type": "OrderedCollection", "totalItems": total, "orderedItems": items}
        )
    )


@bp.get("/fediverse/followers")
def followers():
    """How many follow the blog from the fediverse (who they are is theirs to show, not ours)."""
    total = db.session.scalar(select(func.count(FediverseFollower.id)))
    uri = urls.followers_uri()
    return json_answer(documents.with_context({"id": uri, "type": "OrderedCollection", "totalItems": total}))
