"""Static files with pre-compressed copies: `site.css.br` and `site.css.gz` next to `site.css`.

The copies are made at the highest settings, once: when the app starts and a copy is missing or
older than its file (a read-only folder is left alone), or by `flask assets compress`. The app sends
a copy when the browser accepts its encoding; nginx sends the `.gz` ones itself (`gzip_static` in
deploy/nginx.conf). They are not in git: they are made from the files, so they cannot go stale.
"""

import gzip
import mimetypes
from pathlib import Path

import brotli
from flask import Flask, request, send_from_directory

from blog.web.compression import preferred
from blog.web.derived_files import fresh, write_whole

COMPRESSED_TYPES = (".css", ".js", ".svg", ".txt")
COPIES = {"br": ".br", "gzip": ".gz"}


def squeeze(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, 9, mtime=0)


def compress_static(folder: Path) -> int:
    """Write the missing or stale copies; how many were written."""
    written = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix not in COMPRESSED_TYPES or not path.is_file():
            continue
        for encoding, suffix in COPIES.items():
            copy = path.with_name(path.name + suffix)
            if fresh(copy, path):
                continue
            write_whole(copy, squeeze(path.read_bytes(), encoding))
            written += 1
    return written


def init_app(app: Flask) -> None:
    static = Path(app.static_folder)
    try:
        compress_static(static)
    except OSError as error:  # a read-only install: the files are sent as they are
        app.logger.info("static files not pre-compressed: %s", error)
    plain = app.view_functions["static"]

    def static_file(filename: str):
        """A static file, as its pre-compressed copy when the browser accepts one."""
        original = (static / filename).resolve()
        if original.suffix not in COMPRESSED_TYPES or not original.is_relative_to(static.resolve()):
            return plain(filename=filename)
        have = [
            e for e, suffix in COPIES.items() if fresh(original.with_name(original.name + suffix), original)
        ]
        encoding = (
            preferred(request.headers.get("Accept-Encoding", ""), have) if original.is_file() else "identity"
        )
        if encoding == "identity":
            response = plain(filename=filename)
        else:
            response = send_from_directory(static, filename + COPIES[encoding])
            response.mimetype = mimetypes.guess_type(original.name)[0] or "application/octet-stream"
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        return response

    app.view_functions["static"] = static_file
