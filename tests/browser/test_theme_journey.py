"""The owner changes the look in a real browser, and an anonymous reader sees it at once: the accent
color of links, a hidden sidebar section, the owner's own CSS (no inline style or script), and axe
finds nothing serious with a custom accent in the light and the dark scheme."""

import re

from playwright.sync_api import expect

from blog.theme.colors import for_scheme, rgb
from tests.support.accounts import sign_in
from tests.support.content import permalink

ACCENT = "#1a73e8"


def css_rgb(color: str) -> str:
    r, g, b = (round(c * 255) for c in rgb(color))
    return f"rgb({r}, {g}, {b})"


def change_and_wait_for_preview(page, action) -> None:
    """Make a change on the Theme screen and wait for the preview to follow it, so saving right after
    does not cut a preview request short (htmx logs an aborted request as an error)."""
    with page.expect_response(lambda r: "/admin/theme/preview.css?v=" in r.url):
        action()


def link_color(page, selector=".post-footer .comment-link") -> str:
    return page.locator(selector).first.evaluate("a => getComputedStyle(a).color")


def test_a_new_accent_colors_links_for_a_reader_at_once(
    browser, page, page_errors, live_server, admin, make_post
):
    post = make_post("Colored links", labels=["paint"])
    reader = browser.new_page()  # its own context: anonymous, no session cookie, page cache in play
    reader.goto(live_server + "/")
    before = link_color(reader)
    assert before == css_rgb("#b3400b")

    sign_in(page, admin.email, base=live_server)
    page.goto(live_server + "/admin/theme")
    change_and_wait_for_preview(page, lambda: page.get_by_label("Use the blog's built-in colors").uncheck())
    change_and_wait_for_preview(page, lambda: page.get_by_label("Accent color").fill(ACCENT))
    page.get_by_role("button", name="Save theme").click()
    expect(page.get_by_text("Theme saved: readers see it now.")).to_be_visible()

    reader.goto(live_server + "/")
    assert link_color(reader) == css_rgb(for_scheme(ACCENT, dark=False).accent)
    reader.goto(live_server + permalink(post))
    label = reader.locator(".post-footer a[href*='/search/label/']").first
    assert label.evaluate("a => getComputedStyle(a).color") != css_rgb("#b3400b")
    reader.close()
    assert not page_errors, "\n".join(page_errors)


def test_the_preview_follows_the_form_before_saving(page, page_errors, live_server, admin, make_post):
    make_post("Preview me")
    sign_in(page, admin.email, base=live_server)
    page.goto(live_server + "/admin/theme")
    frame = page.frame_locator("#theme-preview iframe")
    expect(frame.locator(".comment-link").first).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/admin/theme/preview")):
        page.get_by_label("Use the blog's built-in colors").uncheck()
    # At once, while that answer may still be being swapped in: a change made then must not be lost.
    with page.expect_request(
        lambda r: r.url.endswith("/admin/theme/preview") and "0f7b6c" in (r.post_data or "")
    ):
        page.get_by_label("Accent color").fill("#0f7b6c")
    expected = css_rgb(for_scheme("#0f7b6c", dark=False).accent)
    expect(frame.locator(".comment-link").first).to_have_css("color", expected, timeout=10_000)
    page.goto(live_server + "/")  # nothing was saved
    assert link_color(page) == css_rgb("#b3400b")
    assert not page_errors, "\n".join(page_errors)


def test_hiding_a_section_removes_it_for_readers_everywhere(
    browser, page, page_errors, live_server, admin, make_post
):
    post = make_post("Sidebar post", labels=["soup"])
    reader = browser.new_page()
    for path in ("/", permalink(post)):
        reader.goto(live_server + path)
        expect(reader.get_by_role("heading", name="Follow by email")).to_be_visible()

    sign_in(page, admin.email, base=live_server)
    page.goto(live_server + "/admin/theme/sidebar")
    hide = page.get_by_role("button", name="Hide Follow by email")
    hide.focus()
    page.keyboard.press("Enter")  # the keyboard, in place with htmx
    show = page.get_by_role("button", name="Show Follow by email")
    expect(show).to_be_focused()
    move = page.get_by_role("button", name="Move up Labels")
    move.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move down Labels")).to_be_focused()  # at the top now

    for path in ("/", permalink(post), "/search/label/soup"):
        reader.goto(live_server + path)
        expect(reader.locator("aside.sidebar")).to_be_visible()
        expect(reader.get_by_role("heading", name="Follow by email")).to_have_count(0)
        assert reader.locator("aside.sidebar h2").first.inner_text().lower() == "labels"
    reader.close()
    assert not page_errors, "\n".join(page_errors)


def test_the_owners_css_applies_without_inline_style_or_script(
    browser, page, page_errors, live_server, admin, make_post
):
    post = make_post("Styled")
    sign_in(page, admin.email, base=live_server)
    page.goto(live_server + "/admin/theme")
    css = ".site-title a { color: rgb(0, 90, 60); letter-spacing: 3px; }"
    change_and_wait_for_preview(page, lambda: page.get_by_label("Your own CSS").fill(css))
    page.get_by_role("button", name="Save theme").click()
    expect(page.get_by_text("Theme saved: readers see it now.")).to_be_visible()
    assert (
        page.locator(".site-title a").evaluate("a => getComputedStyle(a).letterSpacing") != "3px"
    )  # not in admin

    reader = browser.new_page()
    violations = []
    reader.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    for path in ("/", permalink(post)):
        reader.goto(live_server + path)
        title = reader.locator(".site-title a")
        expect(title).to_have_css("color", "rgb(0, 90, 60)")
        expect(title).to_have_css("letter-spacing", "3px")
        inline = reader.evaluate(
            "document.querySelectorAll('[style], style, script:not([src]):not([type=\"application/ld+json\"])').length"
        )
        assert inline == 0
    reader.close()
    assert violations == []
    assert not page_errors, "\n".join(page_errors)


def test_axe_finds_nothing_serious_with_a_custom_accent(
    browser, page, live_server, admin, make_post, axe_check
):
    post = make_post("Accessible", body="A [link](https://example.org/) and *words*.", labels=["colour"])
    sign_in(page, admin.email, base=live_server)
    page.goto(live_server + "/admin/theme")
    change_and_wait_for_preview(page, lambda: page.get_by_label("Use the blog's built-in colors").uncheck())
    # Too light for a light page: adjusted.
    change_and_wait_for_preview(page, lambda: page.get_by_label("Accent color").fill("#ffcc00"))
    page.get_by_role("button", name="Save theme").click()
    expect(page.get_by_text("Theme saved: readers see it now.")).to_be_visible()
    axe_check(page)  # the Theme screen itself
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        reader = context.new_page()
        for path in ("/", permalink(post)):
            reader.goto(live_server + path)
            expected = for_scheme("#ffcc00", dark=scheme == "dark").accent
            assert link_color(reader, ".post-body a") == css_rgb(expected), (scheme, path)
            axe_check(reader)
        context.close()
    assert re.match(r"#[0-9a-f]{6}", for_scheme("#ffcc00", dark=False).accent)
