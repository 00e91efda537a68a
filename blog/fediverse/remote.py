"""Other servers' actors: fetched (through fetch.py), read, and cached in remote_actors.

A key is fetched once and cached; inbox.py fetches it again, once, when a signature fails with the
cached key (the sender may have rotated it). A key counts only as its owner's: the owner's actor
document must name the same key id, so one actor's key cannot sign for another.
"""

from dataclasses import dataclass, fields
from urllib.parse import urldefrag, urlsplit

from sqlalchemy import select

from blog.db import insert_missing
from blog.extensions import db
from blog.fediverse import keys, urls
from blog.fediverse.fetch import FetchError, get_json
from blog.fediverse.signatures import signed_headers
from blog.models import RemoteActor, utcnow


@dataclass
class ActorInfo:
    uri: str
    key_id: str
    public_key_pem: str
    inbox: str
    shared_inbox: str | None
    name: str
    handle: str
    profile_url: str
    icon_url: str | None
    host: str


def text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def link(value) -> str | None:
    """A URL from an ActivityStreams value: a string, a Link object, or the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("href") or value.get("url")
        return link(value)
    if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
        return value[:500]
    return None


def read_actor(document: dict) -> ActorInfo:
    """The parts of an actor document we keep; FetchError if it is not a usable actor."""
    uri = document.get("id")
    key = document.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    if not isinstance(uri, str) or not isinstance(key, dict) or not link(document.get("inbox")):
        raise FetchError("not an actor with an inbox and a public key")
    if key.get("owner", uri) != uri or not isinstance(key.get("publicKeyPem"), str):
        raise FetchError("the actor's key belongs to someone else")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    host = urlsplit(uri).netloc.lower()
    username = text(document.get("preferredUsername"), 100)
    return ActorInfo(
        uri=uri[:500],
        key_id=text(key.get("id"), 500) or uri[:500],
        public_key_pem=key["publicKeyPem"],
        inbox=link(document.get("inbox")),
        shared_inbox=link(endpoints.get("sharedInbox")),
        name=text(document.get("name"), 200),
        handle=f"{username}@{host}" if username else host,
        profile_url=link(document.get("url")) or uri[:500],
        icon_url=link(document.get("icon")),
        host=host,
    )


def signed_get_headers(url: str) -> dict[str, str]:
    """Sign our fetches too: servers in "authorized fetch" mode answer only signed GETs."""
    if urls.base() is None:
        return {}
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = signed_headers(keys.private_key(), urls.key_id(), "GET", parts.netloc, target, None)
    return {"Date": headers["date"], "Signature": headers["signature"]}


def fetch_actor(uri: str) -> ActorInfo:
    document, _ = get_json(uri, signed_get_headers(uri))
    info = read_actor(document)
    if urlsplit(info.uri).netloc.lower() != urlsplit(uri).netloc.lower():
        raise FetchError("the actor document came from another server than its id")
    return info


def fetch_key_owner(key_id: str) -> ActorInfo:
    """The actor a key id belongs to: the key's document (often the actor itself, the part before
    the #) names its owner, and the owner's document must list this very key."""
    url = urldefrag(key_id).url
    document, _ = get_json(url, signed_get_headers(url))
    if document.get("type") in ("Key", "CryptographicKey") or "owner" in document and "inbox" not in document:
        owner = document.get("owner")
        if not isinstance(owner, str):
            raise FetchError("the key names no owner")
        info = fetch_actor(owner)
    else:
        info = read_actor(document)
    if info.key_id != key_id:
        raise FetchError("the key is not its actor's key")
    return info


def cached_by_key(key_id: str) -> ActorInfo | None:
    row = db.session.scalar(select(RemoteActor).where(RemoteActor.key_id == key_id))
    if row is None:
        return None
    return ActorInfo(**{f.name: getattr(row, f.name) for f in fields(ActorInfo)})


def cached(uri: str) -> RemoteActor | None:
    return db.session.scalar(select(RemoteActor).where(RemoteActor.uri == uri))


def remember(info: ActorInfo) -> RemoteActor:
    """Insert or refresh the cached actor (needs a writing transaction: call db.write() first)."""
    values = {f.name: getattr(info, f.name) for f in fields(ActorInfo)}
    db.session.execute(insert_missing(RemoteActor.__table__, fetched_at=utcnow(), **values))
    row = cached(info.uri)
    for name, value in values.items():
        setattr(row, name, value)
    row.fetched_at = utcnow()
    db.session.flush()
    return row
