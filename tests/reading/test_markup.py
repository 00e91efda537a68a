"""Markdown to safe HTML: nothing a writer types can run script or drive htmx."""

from html.parser import HTMLParser

import pytest

from blog.markup import render_comment, render_post

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="color:red">styled</p>',
    "<body onload=alert(1)>",
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><input name=x></form>",
    '<meta http-equiv=refresh content="0;url=https://evil.example">',
    '<meta name="htmx-config" content=\'{"selfRequestsOnly":false,"allowEval":true}\'>',
    "<base href=https://evil.example/>",
    "<style>body{display:none}</style>",
    '<a hx-post="/signout" hx-trigger="load">x</a>',
    '<div data-hx-get="/admin" data-hx-trigger="load" data-hx-target="body">x</div>',
    '<button hx-on:click="alert(1)">x</button>',
    '<div hx-get="/x" hx-trigger="every 1s">x</div>',
    "<div hx-vals='js:{a:alert(1)}' hx-post=\"/x\">x</div>",
    '<form hx-boost="true" action="https://evil.example">x</form>',
    '<img src="x" srcset="javascript:alert(1)">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '![x](x" onerror="alert(1))',
    "![x](javascript:alert(1))",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)" data-x="1" class="evil">ok</a>',
    "`<script>alert(1)</script>`",
    "<!--more--><script>alert(1)</script>",
]

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "meta",
    "base",
    "style",
    "svg",
    "math",
    "body",
    "noscript",
    "link",
}
URL_ATTRS = {"href", "src", "action", "formaction"}


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_safe(html: str) -> None:
    for tag, attrs in Elements(html).found:
        assert tag not in FORBIDDEN_TAGS, html
        for name, value in attrs:
            assert not name.startswith(("on", "hx-", "data-")), html
            assert name not in ("style", "srcdoc", "srcset", "class", "formaction"), html
            if name in URL_ATTRS:
                scheme = (value or "").split(":", 1)[0].lower() if ":" in (value or "") else ""
                assert scheme in ("", "http", "https", "mailto") or "/" in scheme, html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_post_rendering_is_safe(payload):
    rendered = render_post(f"Before\n\n{payload}\n\nAfter")
    assert_safe(rendered.html)
    assert_safe(rendered.excerpt_html or "")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_comment_rendering_is_safe(payload):
    html = render_comment(payload)
    assert_safe(html)
    assert "<img" not in html and "<h1" not in html


def test_code_shows_markup_as_text():
    html = render_post("`<script>alert(1)</script>`").html
    assert "&lt;script&gt;" in html


def test_posts_keep_ordinary_markdown():
    html = render_post(
        "# Title\n\n**bold** _em_ [link](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    ).html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert '<a href="https://example.com" rel="noopener">link</a>' in html
    assert "<table>" in html


def test_comment_links_are_nofollow_ugc():
    html = render_comment("see [this](https://example.com) and `code`\n\n> quoted")
    assert 'rel="nofollow ugc noopener"' in html
    assert "<code>code</code>" in html and "<blockquote>" in html


def test_comment_subset_has_no_headings_or_images():
    html = render_comment("# Big\n\n![pic](https://example.com/a.png)\n\n<b>raw</b>")
    assert "<h1" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html
