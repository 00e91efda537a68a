"""HTTP Signatures as Mastodon makes and checks them (draft-cavage-http-signatures-12, rsa-sha256).

A signature covers a "signing string": one `name: value` line per covered header, in the order the
`headers` parameter lists them, with the pseudo-header `(request-target)` as `post /inbox?x=y`.
We sign `(request-target) host date digest` (Mastodon's choice) and, verifying, insist that at
least those are covered when there is a body, so a signature cannot be replayed onto another
body, path or host. The RSA work is the `cryptography` package's (PKCS#1 v1.5 over SHA-256);
this module only builds the string. tests/fediverse/test_signature_vectors.py checks it against
the draft's own published test vectors, not only against our signer.
"""

import base64
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNED_HEADERS = ("(request-target)", "host", "date", "digest")
MAX_SKEW = timedelta(hours=1)  # DESIGN: a Date over an hour off is stale
PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


class SignatureError(Exception):
    """Why a request's signature is refused (said in the 401 and the log)."""


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(when: datetime | None = None) -> str:
    return format_datetime(when or datetime.now(UTC), usegmt=True)


def signing_string(method: str, target: str, headers: Mapping[str, str], names: list[str]) -> str:
    """The text a signature covers. `target` is the path with its query; `headers` by lower-case name."""
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name in headers:
            lines.append(f"{name}: {headers[name].strip()}")
        else:
            raise SignatureError(f"the signed header {name!r} is missing")
    return "\n".join(lines)


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA key")
    return key


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise SignatureError("the actor's public key cannot be read") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("the actor's key is not an RSA key")
    return key


def sign(private_key: rsa.RSAPrivateKey, key_id: str, text: str, names: list[str]) -> str:
    """The Signature header's value for a signing string."""
    signature = private_key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    encoded = base64.b64encode(signature).decode()
    return f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",signature="{encoded}"'


def signed_headers(
    private_key: rsa.RSAPrivateKey, key_id: str, method: str, host: str, target: str, body: bytes | None
) -> dict[str, str]:
    """Host, Date, Digest (with a body) and Signature for a request, as Mastodon sends them."""
    headers = {"host": host, "date": http_date()}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest_header(body)
        names.append("digest")
    headers["signature"] = sign(private_key, key_id, signing_string(method, target, headers, names), names)
    return headers


def parse_signature(value: str) -> dict[str, str]:
    params = {}
    for match in PARAM.finditer(value):
        params[match.group(1)] = match.group(2)
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("the Signature header names no keyId or signature")
    return params


def covered(params: Mapping[str, str]) -> list[str]:
    # The draft's default when "headers" is absent is the Date header alone.
    return params.get("headers", "date").lower().split()


def verify(
    public_key: rsa.RSAPublicKey,
    params: Mapping[str, str],
    method: str,
    target: str,
    headers: Mapping[str, str],
) -> None:
    """Raise SignatureError unless the signature in params is the key's over these headers."""
    if params.get("algorithm", "rsa-sha256").lower() not in ("rsa-sha256", "hs2019"):
        raise SignatureError("only rsa-sha256 signatures are accepted")
    text = signing_string(method, target, headers, covered(params))
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        public_key.verify(signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError) as error:
        raise SignatureError("the signature does not match") from error


def check_request_shape(
    params: Mapping[str, str], headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> None:
    """What Mastodon insists on besides the RSA check: the covered headers, a fresh Date, the Digest."""
    names = covered(params)
    missing = [name for name in SIGNED_HEADERS if name not in names]
    if missing:
        raise SignatureError("the signature does not cover " + ", ".join(missing))
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as error:
        raise SignatureError("the Date header cannot be read") from error
    if sent.tzinfo is None:
        raise SignatureError("the Date header has no time zone")
    if abs((now or datetime.now(UTC)) - sent) > MAX_SKEW:
        raise SignatureError("the Date header is stale")
    # Digest may list several algorithms ("SHA-256=...,SHA-512=..."): the SHA-256 one must match.
    sent_digests = [part.strip() for part in headers.get("digest", "").split(",")]
    sha256 = [d for d in sent_digests if d[:8].upper() == "SHA-256="]
    if not sha256 or any(d[8:] != digest_header(body)[8:] for d in sha256):
        raise SignatureError("the Digest does not match the body")
