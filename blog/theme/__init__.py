"""The blog's look: the theme (colors, font, width, sidebar side, header image, favicon, the owner's
CSS) and the sidebar's layout, for every page. The admin area's Theme screens change them."""

from flask import Flask, request

from blog.theme import sidebar
from blog.theme.current import current_theme
from blog.theme.popular import popular_posts
from blog.theme.stylesheet import stylesheet_url


def init_app(app: Flask) -> None:
    @app.context_processor
    def look():
        # Lazy, as the sidebar's: a fragment or a feed reads no theme at all.
        return {
            "theme": current_theme,
            "theme_stylesheet": theme_stylesheet,
            "sidebar_sections": sidebar_sections,
            "popular_posts": popular_posts,
        }


def theme_stylesheet() -> str:
    """The admin area is never styled by the owner's own CSS (a rule gone wrong stays easy to undo)."""
    return stylesheet_url(current_theme(), "admin" if request.blueprint == "admin" else "blog")


def sidebar_sections() -> list[str]:
    """The keys of the sections this page's sidebar shows, in order; none without a sidebar."""
    theme = current_theme()
    return [] if theme.sidebar_side == "none" else sidebar.shown(theme.sidebar)
