"""Outgoing requests to other servers, guarded against SSRF.

An inbox POST names URLs we then fetch (the sender's key, its actor): an attacker could name
http://127.0.0.1:6379/ or a cloud metadata address. So every request:
- is https (plain http only with FEDIVERSE_ALLOW_PRIVATE, for tests);
- resolves the name itself and refuses if any address is private, loopback, link-local, multicast
  or otherwise not global, then connects to that very address (the name is sent as Host and SNI,
  and the certificate is checked against the name), so a second DNS answer cannot swap in another;
- follows redirects itself, checking each hop the same way (POSTs follow none);
- gives up after FEDIVERSE_TIMEOUT seconds and reads at most FEDIVERSE_MAX_BYTES;
- and, for a GET, accepts only a JSON answer.
"""

import ipaddress
import json
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from flask import current_app

JSON_TYPES = ("application/activity+json", "application/ld+json", "application/json", "application/jrd+json")
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_REDIRECTS = 3
USER_AGENT = "blog (ActivityPub; +{base})"  # servers like to know whose requests they see


class FetchError(Exception):
    """The request was refused before it left, or its answer was unusable."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str


def allow_private() -> bool:
    return bool(current_app.config["FEDIVERSE_ALLOW_PRIVATE"])


def approved_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host name, port, address to connect to) of a URL we may reach, else FetchError."""
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private() else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise FetchError(f"refused: only {' or '.join(schemes)} URLs are fetched ({url[:200]})")
    if parts.username or parts.password:
        raise FetchError("refused: a URL with a user name")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"cannot resolve {parts.hostname}: {error}") from error
    addresses = [info[4][0] for info in infos]
    if not allow_private():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise FetchError(f"refused: {parts.hostname} resolves to a private address ({address})")
    return parts.scheme, parts.hostname, port, addresses[0]


def pool_for(scheme: str, name: str, port: int, address: str):
    timeout = urllib3.Timeout(total=float(current_app.config["FEDIVERSE_TIMEOUT"]))
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, server_hostname=name, assert_hostname=name, cert_reqs="CERT_REQUIRED", **options
        )
    return urllib3.HTTPConnectionPool(address, port, **options)


def read_limited(response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.stream(16384):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"refused: the answer is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def request(method: str, url: str, headers: dict[str, str], body: bytes | None = None) -> Answer:
    """One request to an approved address (redirects followed for GET only, each hop checked)."""
    limit = int(current_app.config["FEDIVERSE_MAX_BYTES"])
    for _ in range(MAX_REDIRECTS + 1):
        scheme, name, port, address = approved_address(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        agent = USER_AGENT.format(base=current_app.config["BASE_URL"] or "")
        sent = {"Host": parts.netloc, "User-Agent": agent, **headers}
        pool = pool_for(scheme, name, port, address)
        try:
            response = pool.urlopen(
                method, target, body=body, headers=sent, redirect=False, preload_content=False
            )
            try:
                location = response.headers.get("Location")
                if method == "GET" and response.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                data = read_limited(response, limit)
            finally:
                response.release_conn()
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{name}: {error}") from error
        finally:
            pool.close()
        return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, data, url)
    raise FetchError("refused: too many redirects")


def get_json(url: str, headers: dict[str, str] | None = None) -> tuple[dict, str]:
    """The JSON object at url, and the URL it finally came from; FetchError otherwise."""
    answer = request("GET", url, {"Accept": ACCEPT, **(headers or {})})
    if answer.status != 200:
        raise FetchError(f"{url[:200]} answered {answer.status}")
    kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in JSON_TYPES:
        raise FetchError(f"refused: {url[:200]} answered {kind or 'no type'}, not JSON")
    try:
        document = json.loads(answer.body)
    except ValueError as error:
        raise FetchError(f"{url[:200]} answered broken JSON") from error
    if not isinstance(document, dict):
        raise FetchError(f"{url[:200]} answered JSON that is not an object")
    return document, answer.url
