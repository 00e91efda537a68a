"""The theme's stylesheet: CSS variables over site.css's, the layout, a self-hosted font's faces, and
the owner's own CSS last. It is a file of the blog's own origin (no inline style: the CSP allows
none) whose URL holds a hash of its text, so browsers keep it for a year and a change is a new URL."""

import hashlib

from flask import g, render_template, url_for

from blog.models import Theme
from blog.theme import colors, fonts

VARIANTS = {"blog": True, "admin": False}  # variant -> with the owner's CSS


def accent_of(theme: Theme) -> str:
    return theme.accent_color if colors.HEX.fullmatch(theme.accent_color or "") else ""


def changes_nothing(theme: Theme, variant: str = "blog") -> bool:
    """True when the stylesheet would only repeat site.css (the default theme): pages then link none,
    so a first view costs no extra request."""
    return (
        not accent_of(theme)
        and fonts.font(theme.font) is fonts.FONTS["system"]
        and fonts.WIDTHS.get(theme.page_width) in (None, fonts.WIDTHS["normal"])
        and theme.sidebar_side not in ("left", "none")
        and not (VARIANTS[variant] and theme.custom_css)
    )


def build_css(theme: Theme, owners_css: bool = True) -> str:
    """The stylesheet's text; without the owner's CSS for the admin area, so a rule gone wrong there
    (`body { display: none }`) can always be undone from the Theme screen."""
    accent = accent_of(theme)
    return render_template(
        "theme/theme.css",
        theme=theme,
        owners_css=theme.custom_css if owners_css else "",
        font=fonts.font(theme.font),
        faces=fonts.faces(theme.font),
        width=fonts.WIDTHS.get(theme.page_width, fonts.WIDTHS["normal"])[1],
        light=colors.for_scheme(accent, dark=False) if accent else None,
        dark=colors.for_scheme(accent, dark=True) if accent else None,
    )


def digest(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()[:16]


def css_and_digest(theme: Theme, variant: str = "blog") -> tuple[str, str]:
    """The stylesheet of `theme` and its hash, computed once per request, theme and variant."""
    cached = g.setdefault("theme_css", {})
    key = (id(theme), variant)
    if key not in cached:
        css = build_css(theme, owners_css=VARIANTS[variant])
        cached[key] = (css, digest(css))
    return cached[key]


def stylesheet_url(theme: Theme, variant: str = "blog") -> str:
    """The URL of the theme's stylesheet: the preview's when a draft is shown, else the public one;
    "" when the theme changes nothing."""
    if g.get("theme_draft") is theme:
        return url_for("admin.theme_preview_css", v=css_and_digest(theme)[1])
    if changes_nothing(theme, variant):
        return ""
    return url_for("theme.stylesheet", variant=variant, digest=css_and_digest(theme, variant)[1])
