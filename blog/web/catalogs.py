"""The translations' compiled catalogs: blog/translations/<lang>/LC_MESSAGES/messages.mo from the
messages.po beside it (gettext reads only the .mo).

The .po files are in git and are what translators edit; the .mo files are build output, never in
git and never edited: written when the app starts and one is missing or older than its .po (a
read-only install is left alone), by `flask translations compile`, or by scripts/translations
compile (which scripts/test and scripts/serve run when a .po changed)."""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from blog.web.derived_files import fresh, write_whole

FOLDER = Path(__file__).resolve().parent.parent / "translations"


def compile_catalogs(folder: Path = FOLDER) -> int:
    """Write the missing or stale .mo files; how many were written."""
    written = 0
    for source in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        compiled = source.with_suffix(".mo")
        if fresh(compiled, source):
            continue
        with source.open("rb") as po:
            catalog = read_po(po, locale=source.parent.parent.name)
        mo = io.BytesIO()
        write_mo(mo, catalog, use_fuzzy=False)  # like pybabel compile: a fuzzy entry is not used yet
        write_whole(compiled, mo.getvalue())
        written += 1
    return written
