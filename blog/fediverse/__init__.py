"""The fediverse (ActivityPub): the blog is an actor people follow from Mastodon and the like.

- discovery.py: WebFinger, NodeInfo, the actor, its outbox and followers; negotiation.py answers a
  permalink asked for as ActivityPub JSON with the post's Article;
- signatures.py and keys.py: HTTP Signatures (draft-cavage, rsa-sha256) with the blog's key pair;
- fetch.py: every outgoing request, guarded against SSRF; remote.py: other actors and their keys;
- inbox.py verifies what arrives and activities.py acts on it (follows, replies, likes, boosts);
- outbox.py decides what to send about each post, once; delivery.py sends it on the job queue,
  one row per activity and inbox, claimed atomically (the same bookkeeping as email).
"""

from blog.fediverse import discovery, inbox  # noqa: F401  (their routes register on bp)
from blog.fediverse.blueprint import bp
from blog.fediverse.negotiation import init_app

__all__ = ["bp", "init_app"]
