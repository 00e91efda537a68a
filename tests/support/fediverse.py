"""A fake fediverse server for the tests: a real threaded HTTP server on 127.0.0.1 with its own RSA
keys, serving its actors' documents and keeping what arrives at its inboxes. It signs and verifies
as Mastodon does (draft-cavage, rsa-sha256 over (request-target) host date digest), written here
apart from blog/fediverse/signatures.py so that neither side only agrees with itself."""

import base64
import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.support.live import free_port

SMALL_KEY_BITS = 1024  # the tests' own keys: quick to make, same algorithm


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=SMALL_KEY_BITS)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def mastodon_signature(key, key_id: str, method: str, url: str, body: bytes, date: str | None = None) -> dict:
    """The headers Mastodon puts on a signed POST (its Request#sign!)."""
    parts = urlsplit(url)
    date = date or format_datetime(datetime.now(UTC), usegmt=True)
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    text = (
        f"(request-target): {method.lower()} {target}\nhost: {parts.netloc}\ndate: {date}\ndigest: {digest}"
    )
    signature = base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    return {
        "Host": parts.netloc,
        "Date": date,
        "Digest": digest,
        "Content-Type": "application/activity+json",
        "Signature": f'keyId="{key_id}",algorithm="rsa-sha256",headers="(request-target) host date digest",'
        f'signature="{signature}"',
    }


def mastodon_verifies(public_key_pem: str, method: str, path: str, headers: dict, body: bytes) -> bool:
    """Mastodon's check of a signed POST: the listed headers, the Digest of the body, the RSA signature."""
    params = dict(part.split("=", 1) for part in headers.get("signature", "").split(",") if "=" in part)
    params = {k.strip(): v.strip().strip('"') for k, v in params.items()}
    names = params.get("headers", "date").split()
    if not {"(request-target)", "host", "date", "digest"} <= set(names):
        return False
    expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    if headers.get("digest") != expected:
        return False
    lines = [
        f"(request-target): {method.lower()} {path}"
        if name == "(request-target)"
        else f"{name}: {headers[name]}"
        for name in names
    ]
    key = serialization.load_pem_public_key(public_key_pem.encode())
    try:
        key.verify(
            base64.b64decode(params["signature"]),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True


class FakeServer:
    """A fediverse server at http://127.0.0.1:PORT: actors at /users/NAME, each with a personal inbox
    and the server's shared inbox at /inbox. `answer` sets the status its inboxes reply with;
    `hold` (a threading.Event) makes inbox POSTs wait until it is set."""

    def __init__(self):
        self.port = free_port()
        self.netloc = f"127.0.0.1:{self.port}"
        self.root = f"http://{self.netloc}"
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.received: list[dict] = []  # accepted POSTs: {"path", "headers", "activity", "verified"}
        self.lock = threading.Lock()
        self.answer = 202
        self.hold: threading.Event | None = None
        # on_post(fake, path, activity) may answer a POST itself (a status) instead of accepting it.
        self.on_post = None
        self.blog_key_pem: str | None = None  # set by a test: inbox POSTs are checked against it
        self.fetches: list[str] = []
        self.documents: dict[str, tuple[int, str, bytes]] = {}  # extra paths: (status, type, body)
        self.redirects: dict[str, str] = {}  # extra paths answering 302 to a location
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def actor_uri(self, name: str) -> str:
        return f"{self.root}/users/{name}"

    def key_id(self, name: str) -> str:
        return self.actor_uri(name) + "#main-key"

    def add_actor(self, name: str) -> str:
        self.keys[name] = new_key()
        return self.actor_uri(name)

    def actor_document(self, name: str) -> dict:
        uri = self.actor_uri(name)
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": uri,
            "type": "Person",
            "preferredUsername": name,
            "name": name.title(),
            "url": f"{self.root}/@{name}",
            "inbox": uri + "/inbox",
            "endpoints": {"sharedInbox": f"{self.root}/inbox"},
            "icon": {"type": "Image", "url": f"{self.root}/avatars/{name}.png"},
            "publicKey": {"id": self.key_id(name), "owner": uri, "publicKeyPem": public_pem(self.keys[name])},
        }

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                with fake.lock:
                    fake.fetches.append(self.path)
                if self.path in fake.redirects:
                    self.send_response(302)
                    self.send_header("Location", fake.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if self.path in fake.documents:
                    status, kind, body = fake.documents[self.path]
                    return self.reply(status, body, kind)
                name = (
                    self.path.split("/users/", 1)[-1].split("#")[0] if self.path.startswith("/users/") else ""
                )
                if name in fake.keys:
                    body = json.dumps(fake.actor_document(name)).encode()
                    return self.reply(200, body, "application/activity+json")
                self.reply(404, b"{}", "application/json")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = fake.blog_key_pem is not None and mastodon_verifies(
                    fake.blog_key_pem, "POST", self.path, headers, body
                )
                if fake.hold is not None:
                    fake.hold.wait(60)
                if fake.on_post is not None:
                    status = fake.on_post(fake, self.path, json.loads(body))
                    if status:
                        return self.reply(status, b"", "text/plain")
                if not 200 <= fake.answer < 300:  # refused: not received
                    return self.reply(fake.answer, b"", "text/plain")
                with fake.lock:
                    fake.received.append(
                        {
                            "path": self.path,
                            "headers": headers,
                            "activity": json.loads(body),
                            "verified": verified,
                        }
                    )
                self.reply(fake.answer, b"", "text/plain")

            def reply(self, status: int, body: bytes, kind: str):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def start(self) -> "FakeServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()

    def activities(self, kind: str | None = None) -> list[dict]:
        with self.lock:
            return [r["activity"] for r in self.received if kind is None or r["activity"].get("type") == kind]

    def wait_for(self, count: int, kind: str | None = None, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.activities(kind)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{len(self.activities(kind))} {kind or 'activities'} arrived, not {count}")

    def sign_raw(self, activity: dict) -> tuple[bytes, dict]:
        """(body, headers) signed by a key nobody can fetch (a deleted account's)."""
        body = json.dumps(activity).encode()
        key_id = activity["actor"] + "#main-key"
        return body, mastodon_signature(new_key(), key_id, "POST", "http://localhost/fediverse/inbox", body)

    def sign(self, name: str, url: str, activity: dict, date: str | None = None, key_name: str | None = None):
        """(body, headers) of a POST of the activity to url, signed by the actor's key (or another's)."""
        body = json.dumps(activity).encode()
        signer = key_name or name
        return body, mastodon_signature(self.keys[signer], self.key_id(signer), "POST", url, body, date)


@pytest.fixture
def fake_server():
    server = FakeServer().start()
    yield server
    server.stop()
