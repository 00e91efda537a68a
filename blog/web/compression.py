"""Compressed answers: brotli or gzip, as the request's Accept-Encoding allows, done once.

A page the page cache keeps is compressed when it is stored (both encodings), so a hit compresses
nothing; a page answered directly (a signed-in member's) is compressed on the way out. Each
encoding gets its own ETag ("abc-br"), so a cache never matches one encoding's validator with
another's body. nginx in front asks for identity (deploy/nginx.conf) and compresses itself.
"""

import gzip
from dataclasses import dataclass

import brotli
from flask import Flask, Response, current_app, g, request

COMPRESSIBLE = ("text/", "application/atom+xml", "application/rss+xml", "application/xml", "application/json")
MIN_BYTES = 512  # below this the headers cost more than the saving
BROTLI_QUALITY = 5  # a 60 KB page in about a millisecond, within a few percent of the best
GZIP_LEVEL = 6
SUFFIX = {"br": "-br", "gzip": "-gz"}
COPIES = ("br", "gzip")


@dataclass
class Encoded:
    """One body in every encoding worth sending (a small or incompressible body: identity only)."""

    identity: bytes
    br: bytes | None = None
    gzip: bytes | None = None

    def body(self, encoding: str) -> bytes:
        return getattr(self, encoding) if encoding != "identity" else self.identity

    @property
    def size(self) -> int:
        return len(self.identity) + len(self.br or b"") + len(self.gzip or b"")


def encode(body: bytes) -> Encoded:
    if len(body) < MIN_BYTES:
        return Encoded(body)
    return Encoded(
        body, brotli.compress(body, quality=BROTLI_QUALITY), gzip.compress(body, GZIP_LEVEL, mtime=0)
    )


def accepted(accept_encoding: str) -> set[str]:
    """The encodings an Accept-Encoding header accepts (q=0 refuses one)."""
    names = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        names.add(name.strip())
    return names


def preferred(accept_encoding: str, available) -> str:
    """br, then gzip, when the client accepts it and it is available; else identity."""
    names = accepted(accept_encoding) if accept_encoding else ()
    return next((e for e in ("br", "gzip") if e in names and e in available), "identity")


def chosen(accept_encoding: str, encoded: Encoded) -> str:
    """The encoding to send of a body kept in several."""
    return preferred(accept_encoding, [e for e in ("br", "gzip") if encoded.body(e) is not None])


def variant_etag(etag: str | None, encoding: str) -> str | None:
    """The validator of one encoding: the identity body's ETag with a suffix inside the quotes."""
    if not etag or encoding == "identity":
        return etag
    return etag[:-1] + SUFFIX[encoding] + '"'


def compressible(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and response.mimetype.startswith(COMPRESSIBLE)
    )


def apply(response: Response, encoded: Encoded) -> Response:
    """Send the best encoding the request accepts; answer 304 when its own validator matches."""
    response.vary.add("Accept-Encoding")
    encoding = chosen(request.headers.get("Accept-Encoding", ""), encoded)
    if encoding == "identity":
        return response
    response.set_data(encoded.body(encoding))
    response.headers["Content-Encoding"] = encoding
    etag = variant_etag(response.headers.get("ETag"), encoding)
    if etag:
        response.headers["ETag"] = etag
    return response


def init_app(app: Flask) -> None:
    # Registered before the page cache's store hook, so it runs after it (Flask runs them in reverse)
    # and finds the encodings the store made in g.
    app.after_request(compress)


def compress(response: Response) -> Response:
    if not current_app.config["COMPRESSION_ENABLED"] or not compressible(response):
        return response
    encoded = g.pop("page_encoded", None)
    if encoded is None:
        if preferred(request.headers.get("Accept-Encoding", ""), COPIES) == "identity":
            response.vary.add("Accept-Encoding")
            return response  # nothing to compress for
        encoded = encode(response.get_data())
    return apply(response, encoded)
