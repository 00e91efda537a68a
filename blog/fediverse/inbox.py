"""The inbox: POSTs from other servers, accepted (202) only when signed by the activity's actor.

In order, each refusal changing nothing: too large (413), not an activity (400), from a blocked
server (403), too many from one server (429, Flask-Limiter per host), unsigned or badly signed (401:
the covered headers, a Date within the hour, the Digest of the body, the RSA signature by a key
whose owner is the activity's actor). Verifying may fetch the sender's key, so the view reads first
and takes the database's write lock only to act (blog/db.py, @reads_first).
"""

import json
from urllib.parse import urlsplit

from flask import abort, current_app, jsonify, request

from blog.db import reads_first, write
from blog.extensions import csrf, limiter
from blog.fediverse import activities, blocklist, remote, urls
from blog.fediverse.blueprint import bp
from blog.fediverse.fetch import FetchError
from blog.fediverse.signatures import (
    SignatureError,
    check_request_shape,
    load_public_key,
    parse_signature,
    verify,
)


def signature_header() -> str | None:
    """The Signature header, or the same parameters sent as `Authorization: Signature ...`."""
    authorization = request.headers.get("Authorization", "")
    if authorization[:10].lower() == "signature ":
        return authorization[10:]
    return request.headers.get("Signature")


def sender_host() -> str:
    """Rate limits count per server: the host of the signing key (else of the client address)."""
    try:
        key_id = parse_signature(signature_header() or "").get("keyId", "")
    except SignatureError:
        key_id = ""
    return urlsplit(key_id).netloc.lower() or (request.remote_addr or "unknown")


def inbox_limit() -> str:
    return current_app.config["FEDIVERSE_INBOX_LIMIT"]


def refuse(status: int, reason: str):
    current_app.logger.info("inbox refused (%s): %s", status, reason)
    response = jsonify(error=reason)
    response.status_code = status
    abort(response)


def read_activity() -> dict:
    if (request.content_length or 0) > current_app.config["FEDIVERSE_INBOX_MAX_BYTES"]:
        refuse(413, "too large")
    body = request.get_data(cache=True)
    if len(body) > current_app.config["FEDIVERSE_INBOX_MAX_BYTES"]:
        refuse(413, "too large")
    try:
        activity = json.loads(body)
    except ValueError:
        refuse(400, "not JSON")
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        refuse(400, "not an activity")
    return activity


def actor_of(activity: dict) -> str:
    actor = activity.get("actor")
    if isinstance(actor, dict):
        actor = actor.get("id")
    if not isinstance(actor, str) or urlsplit(actor).scheme not in ("http", "https"):
        refuse(400, "the activity names no actor")
    return actor


def verified_sender(actor: str, body: bytes) -> remote.ActorInfo:
    """The actor whose key signed this request, who must be the activity's actor; else 401."""
    header = signature_header()
    if not header:
        refuse(401, "no signature")
    headers = {name.lower(): value for name, value in request.headers.items()}
    target = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    try:
        params = parse_signature(header)
        check_request_shape(params, headers, body)
        cached = remote.cached_by_key(params["keyId"])
        info = cached or remote.fetch_key_owner(params["keyId"])
        try:
            verify(load_public_key(info.public_key_pem), params, request.method, target, headers)
        except SignatureError:
            if cached is None:
                raise
            info = remote.fetch_key_owner(params["keyId"])  # rotated since we cached it: once more
            verify(load_public_key(info.public_key_pem), params, request.method, target, headers)
    except (SignatureError, FetchError) as error:
        refuse(401, str(error))
    if info.uri != actor:
        refuse(401, "the signing key is not the activity's actor's")
    return info


def is_unknown_account_deleted(activity: dict, actor: str) -> bool:
    deleted = activity.get("object")
    deleted = deleted.get("id") if isinstance(deleted, dict) else deleted
    return activity["type"] == "Delete" and deleted == actor and remote.cached(actor) is None


@bp.post("/fediverse/inbox")
@reads_first
@csrf.exempt  # signed by the sending server instead: no browser session is involved
@limiter.limit(inbox_limit, key_func=sender_host)
def inbox():
    urls.require_base()
    activity = read_activity()
    actor = actor_of(activity)
    if blocklist.is_blocked(actor) or blocklist.is_blocked(sender_host()):
        activities.refuse_blocked(activity, actor)
        refuse(403, "this server is blocked")
    if is_unknown_account_deleted(activity, actor):
        return "", 202  # Mastodon tells every server of a deleted account; its key is gone too
    sender = verified_sender(actor, request.get_data(cache=True))
    write()
    activities.handle(activity, remote.remember(sender))
    return "", 202
