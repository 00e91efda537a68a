"""Versioned static URLs: each carries a hash of the file, so browsers may cache it for a year."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    static = Path(app.static_folder)

    @cache
    def version(filename: str) -> str | None:
        path = (static / filename).resolve()
        if not path.is_relative_to(static.resolve()) or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            v = version(values.get("filename", ""))
            if v:
                values["v"] = v
