"""The accent color, made readable: WCAG 2 contrast, and the shade of the owner's color each scheme uses.

One color rarely reads well on both a light and a dark page, so the owner's color is kept as given
where it passes and otherwise adjusted, hue and saturation kept: darkened for the light scheme,
lightened for the dark one, until links and buttons reach AA (4.5:1) against every background they
sit on (the page, the cards, and the soft accent tint behind notices)."""

import colorsys
import re
from dataclasses import dataclass

AA = 4.5
HEX = re.compile(r"#[0-9a-fA-F]{6}")
# static/css/site.css: the page and the cards of each scheme.
LIGHT_BACKGROUNDS = ("#fbfaf8", "#ffffff")
DARK_BACKGROUNDS = ("#15171a", "#1d2024")
DARK_TEXT = "#14110f"  # button text on a light accent (the dark scheme)


@dataclass(frozen=True)
class SchemeAccent:
    accent: str  # links, primary buttons' background
    hover: str
    soft: str  # the tint behind notices and badges
    on_accent: str  # text on a primary button
    adjusted: bool  # the owner's color did not pass as given

    def contrast(self) -> float:
        return round(contrast(self.accent, self.soft), 2)


def rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))


def to_hex(channels) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in channels)


def luminance(color: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: str, b: str, amount: float) -> str:
    """`amount` of a in b."""
    return to_hex(x * amount + y * (1 - amount) for x, y in zip(rgb(a), rgb(b), strict=True))


def with_lightness(color: str, lightness: float) -> str:
    h, _, s = colorsys.rgb_to_hls(*rgb(color))
    return to_hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness)), s))


def lightness(color: str) -> float:
    return colorsys.rgb_to_hls(*rgb(color))[1]


def for_scheme(color: str, dark: bool) -> SchemeAccent:
    """The owner's color as one scheme shows it, adjusted until it passes AA on all its backgrounds."""
    backgrounds = DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS
    step = 0.01 if dark else -0.01
    accent, level = color.lower(), lightness(color)

    def tint(accent: str) -> str:
        return mix(accent, backgrounds[0], 0.14 if dark else 0.1)

    soft = tint(accent)
    while min(contrast(accent, bg) for bg in (*backgrounds, soft)) < AA and 0 <= level + step <= 1:
        level += step
        accent = with_lightness(color, level)
        soft = tint(accent)
    hover = with_lightness(accent, lightness(accent) + (0.1 if dark else -0.1))
    on_accent = max(("#ffffff", DARK_TEXT), key=lambda text: contrast(text, accent))
    return SchemeAccent(accent, hover, soft, on_accent, adjusted=accent != color.lower())
