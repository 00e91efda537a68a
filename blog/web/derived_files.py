"""Files the app makes from others when it starts (the static files' compressed copies, the
translations' compiled catalogs): made again when missing or older than their source, and written
whole, since several workers may start at once."""

import os
from pathlib import Path


def fresh(derived: Path, source: Path) -> bool:
    return derived.is_file() and derived.stat().st_mtime >= source.stat().st_mtime


def write_whole(path: Path, data: bytes) -> None:
    """Write under a temporary name, then rename: a reader sees the old file or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
