"""Every word a template writes goes through gettext (tests/i18n/untranslated.py says how it looks)."""

from pathlib import Path

import pytest

from tests.i18n.untranslated import untranslated

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Written for machines, not people: crawlers' rules and the sitemap.
MACHINE_FILES = {"feeds/robots.txt", "feeds/sitemap.xml"}
# schema.org types in a post's JSON-LD: names the vocabulary fixes, never shown.
NOT_WORDS = {("reading/post.html", "Person"), ("reading/post.html", "Organization")}


def templates() -> list[str]:
    return sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt", ".xml")
        and path.relative_to(TEMPLATES).as_posix() not in MACHINE_FILES
    )


def test_no_template_writes_words_outside_a_translation(app):
    found = [
        finding
        for name in templates()
        for finding in untranslated(app.jinja_env, (TEMPLATES / name).read_text(), name)
        if (finding.template, finding.text) not in NOT_WORDS
    ]
    assert not found, "words outside {% trans %} or _():\n" + "\n".join(map(str, found))


@pytest.mark.parametrize(
    "source",
    [
        "<p>Hello</p>",
        "<p>{% trans %}Hello{% endtrans %}</p> <p>Goodbye</p>",
        '<img src="x.png" alt="A cat">',
        '<input type="text" placeholder="Your name">',
        '<input type="submit" value="Send">',
        '<a href="/" title="Home">{{ _("Home") }}</a>',
        '<a href="/" data-hx-confirm="Delete it?">{{ _("Delete") }}</a>',
        '<nav aria-label="Pages"></nav>',
        "<label>Name <input name=n></label>",
        '{{ field(form.bio, hint="A few words about yourself.") }}',
        '{{ "Published" if post.published else _("Draft") }}',
        "<p>You have {{ count }} comments.</p>",
        "{% block page_title %}Your account{% endblock %}",
    ],
)
def test_the_check_finds_words_a_reader_would_see(app, source):
    assert untranslated(app.jinja_env, source, "fixture.html")


@pytest.mark.parametrize(
    "source",
    [
        "<p>{% trans %}Hello{% endtrans %}</p>",
        '<p class="button primary" data-hx-swap="outerHTML">{{ _("Hello") }}</p>',
        "<a href=\"{{ url_for('reading.index') }}\" title=\"{{ _('Home') }}\">{{ blog.title }}</a>",
        "<p>{% trans count=n %}{{ count }} comment{% pluralize %}{{ count }} comments{% endtrans %}</p>",
        "{% block body_class %}layout-admin{% endblock %}",
        "<p>{% trans %}Run{% endtrans %} <code>flask import</code></p>",
        "<td>/p/{{ page.slug }}.html</td>",
        '<script>document.body.dataset.ready = "yes";</script>',
        '<input type="hidden" name="action" value="preview">',
        '{{ url_for("admin.posts", status="draft") }}',
    ],
)
def test_the_check_passes_what_is_translated_or_not_words(app, source):
    assert untranslated(app.jinja_env, source, "fixture.html") == []


def test_a_mail_template_is_all_words(app):
    assert untranslated(app.jinja_env, "Hello {{ name }},\n\n{{ link }}\n", "fixture.txt")
    assert (
        untranslated(
            app.jinja_env, "{% trans %}Hello {{ name }},{% endtrans %}\n\n{{ link }}\n", "fixture.txt"
        )
        == []
    )
