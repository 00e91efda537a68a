"""Every word the blog writes, in gettext catalogs (Flask-Babel; the catalogs in blog/translations,
compiled by catalogs.py). Which language a request gets:

- reader pages, feeds and everything else: the blog's language setting (the one that also picks the
  language of dates, dates.py), so a cached page is the same for everyone;
- the admin area and the account page: the signed-in person's own choice (User.language, set on the
  account page), else the blog's;
- mail, whoever's request or job sends it: the blog's (in_blog_language()).

A language without a catalog (the setting offers every language Babel knows) reads in English, with
its dates still in that language."""

from contextlib import contextmanager

from babel import Locale, UnknownLocaleError
from flask import Flask, has_request_context, request
from flask_babel import Babel, force_locale
from flask_login import current_user

from blog.site_settings import get_settings
from blog.web.catalogs import FOLDER, compile_catalogs

# The languages the blog's own words are written in (English is the source, in the code).
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
# Where the person's own choice wins over the blog's: pages only staff or the person see, never cached.
OWN_CHOICE_BLUEPRINTS = {"admin"}
OWN_CHOICE_ENDPOINTS = {"accounts.account", "accounts.following"}

babel = Babel()


def blog_locale() -> str:
    """The blog's language setting as a Babel locale name ('pt-BR' -> 'pt_BR'); 'en' if Babel does
    not know it (an imported blog may carry anything there)."""
    name = (get_settings().language or "en").replace("-", "_")
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return "en"
    return name


def own_choice() -> str | None:
    if not has_request_context():
        return None
    if request.blueprint not in OWN_CHOICE_BLUEPRINTS and request.endpoint not in OWN_CHOICE_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return None
    return current_user.language or None


def select_locale() -> str:
    """Flask-Babel's locale selector, asked once per request (or app context)."""
    return own_choice() or blog_locale()


def page_language() -> str:
    """The page's lang attribute: the person's own choice where it applies, else the blog's setting as
    written there (a language without a catalog still tells browsers and screen readers the truth)."""
    return own_choice() or get_settings().language or "en"


@contextmanager
def in_blog_language():
    """Write what is inside (a mail's subject and body) in the blog's language, whoever asks."""
    with force_locale(blog_locale()):
        yield


def init_app(app: Flask) -> None:
    try:
        compile_catalogs(FOLDER)
    except OSError as error:  # a read-only install: its .mo files were compiled when it was built
        app.logger.info("translations not compiled: %s", error)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(FOLDER))
    # {% trans %} blocks may wrap over several lines: their message is the text on one line, as
    # babel.cfg extracts it (trimmed = true).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["page_language"] = page_language
