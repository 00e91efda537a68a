"""The font choices: system stacks (nothing to download) and one self-hosted family (static/fonts/,
SIL Open Font License), never a font CDN. `body` is the text, `headings` the titles and post bodies
(site.css's --font and --serif)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext

SYSTEM_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
SYSTEM_SERIF = 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif'
OLD_STYLE = '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, Palatino, Georgia, serif'
HUMANIST = 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif'
ATKINSON = f'"Atkinson Hyperlegible", {SYSTEM_SANS}'


@dataclass(frozen=True)
class Font:
    label: str
    body: str
    headings: str
    files: tuple[str, ...] = ()  # self-hosted woff2 files under static/fonts/: name-latin[-ext]-weight-style


FONTS = {
    "system": Font(lazy_gettext("System sans-serif text, serif titles (default)"), SYSTEM_SANS, SYSTEM_SERIF),
    "serif": Font(lazy_gettext("Serif throughout (Charter, Georgia)"), SYSTEM_SERIF, SYSTEM_SERIF),
    "sans": Font(lazy_gettext("Sans-serif throughout (the system's own)"), SYSTEM_SANS, SYSTEM_SANS),
    "oldstyle": Font(lazy_gettext("Old-style serif (Iowan, Palatino)"), OLD_STYLE, OLD_STYLE),
    "humanist": Font(
        lazy_gettext("Humanist sans-serif (Seravek, Gill Sans, Ubuntu, Calibri)"), HUMANIST, HUMANIST
    ),
    "atkinson": Font(
        lazy_gettext("Atkinson Hyperlegible (served by the blog, made for legibility)"),
        ATKINSON,
        ATKINSON,
        files=(
            "latin-400-normal",
            "latin-400-italic",
            "latin-700-normal",
            "latin-700-italic",
            "latin-ext-400-normal",
            "latin-ext-700-normal",
        ),
    ),
}
# fontsource's subsets (static/fonts/ holds the files; their unicode-range says when each is fetched).
UNICODE_RANGES = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
    "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,"
    "U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
}
WIDTHS = {
    "narrow": (lazy_gettext("Narrow (60rem, about 960 pixels)"), "60rem"),
    "normal": (lazy_gettext("Normal (72rem, about 1150 pixels; default)"), "72rem"),
    "wide": (lazy_gettext("Wide (84rem, about 1350 pixels)"), "84rem"),
    "full": (lazy_gettext("The whole window"), "none"),
}
SIDES = {
    "right": lazy_gettext("On the right (default)"),
    "left": lazy_gettext("On the left"),
    "none": lazy_gettext("No sidebar"),
}


def font(key: str) -> Font:
    return FONTS.get(key, FONTS["system"])


def faces(key: str) -> list[dict]:
    """The @font-face rules a font needs, as template data: file, weight, style, unicode range."""
    found = []
    for name in font(key).files:
        *subset, weight, style = name.split("-")
        found.append(
            {
                "file": f"fonts/atkinson-hyperlegible-{name}.woff2",
                "weight": weight,
                "style": style,
                "range": UNICODE_RANGES["-".join(subset)],
            }
        )
    return found
