"""The translations' compiled catalogs: blog/translations/<lang>/LC_MESSAGES/messages.mo from the
messages.po beside it (gettext reads only the .mo).

The .po files are in git and are what translators edit; the .mo files are build output, never in
git and never edited: written when the app starts and one is missing or older than its .po (a
read-only install is left alone), by `flask translations compile`, or by scripts/translations
compile (which scripts/test and scripts/serve run when a .po changed)."""

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

FOLDER = Path(__file__).resolve().parent.parent / "translations"


def fresh(compiled: Path, source: Path) -> bool:
    return compiled.is_file() and compiled.stat().st_mtime >= source.stat().st_mtime


def compile_catalogs(folder: Path = FOLDER) -> int:
    """Write the missing or stale .mo files; how many were written."""
    written = 0
    for source in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        compiled = source.with_suffix(".mo")
        if fresh(compiled, source):
            continue
        with source.open("rb") as po:
            catalog = read_po(po, locale=source.parent.parent.name)
        temporary = compiled.with_name(f".{compiled.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as mo:
            # Like pybabel compile: an entry a translator marked fuzzy is not used yet.
            write_mo(mo, catalog, use_fuzzy=False)
        os.replace(temporary, compiled)  # several workers may start at once: each file appears whole
        written += 1
    return written
