"""The self-hosted font: exactly the files whose checksums are recorded beside them (from the npm package
@fontsource/atkinson-hyperlegible 5.3.0), with their licence, and every file a font choice names."""

import hashlib
from pathlib import Path

from blog.theme.fonts import FONTS, faces

FONTS_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def test_font_files_match_their_recorded_sha256():
    lines = (FONTS_DIR / "atkinson-hyperlegible.sha256").read_text().splitlines()
    assert len(lines) == 6
    for line in lines:
        recorded, name = line.split()
        assert hashlib.sha256((FONTS_DIR / name).read_bytes()).hexdigest() == recorded, name


def test_every_face_a_font_names_is_shipped_with_its_licence():
    assert "SIL Open Font License" in (FONTS_DIR / "atkinson-hyperlegible.LICENSE").read_text()
    for key in FONTS:
        for face in faces(key):
            assert (FONTS_DIR.parent / face["file"]).is_file(), face["file"]
