"""The vendored htmx is exactly the file whose checksum is recorded next to it, with its licence."""

import hashlib
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
HTMX = VENDOR / "htmx-2.0.11.min.js"


def test_htmx_matches_its_recorded_sha256():
    recorded, name = (VENDOR / "htmx-2.0.11.min.js.sha256").read_text().split()
    assert name == HTMX.name
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == recorded


def test_htmx_is_the_pinned_version():
    assert b'version:"2.0.11"' in HTMX.read_bytes()


def test_htmx_licence_is_shipped():
    licence = (VENDOR / "htmx-2.0.11.LICENSE").read_text()
    assert "Zero-Clause BSD" in licence and "Permission to use, copy, modify" in licence
