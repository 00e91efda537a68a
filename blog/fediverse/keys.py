"""The blog's RSA key pair: made once, on first use, and kept in the database (so a backup carries
it and every process and worker signs with the same key). Only the public half is ever shown."""

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from blog.db import insert_missing, write_now
from blog.extensions import db
from blog.fediverse.signatures import load_private_key
from blog.models import FediverseKey

KEY_BITS = 2048  # what Mastodon makes for its own actors


def new_key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def key_row() -> FediverseKey:
    """The key pair, made now if the blog has none: two processes racing keep the first one's."""
    row = db.session.get(FediverseKey, 1)
    if row is None:
        private_pem, public_pem = new_key_pair()
        write_now(
            insert_missing(FediverseKey.__table__, id=1, private_pem=private_pem, public_pem=public_pem)
        )
        db.session.expire_all()
        row = db.session.get(FediverseKey, 1)
    if row is None:  # a read snapshot older than the insert (SQLite): read it on a fresh connection
        with db.engine.connect() as connection:
            found = connection.execute(db.select(FediverseKey.__table__).where(FediverseKey.id == 1)).one()
        row = FediverseKey(id=1, private_pem=found.private_pem, public_pem=found.public_pem)
    return row


def public_pem() -> str:
    return key_row().public_pem


def private_key():
    return parsed_private_key(key_row().private_pem)


@lru_cache(maxsize=4)
def parsed_private_key(pem: str):
    # Parsing a PEM costs more than signing; the text is the cache key, so a restored backup's
    # different key is parsed afresh.
    return load_private_key(pem)
