"""A post page in a real browser: every request it makes goes to the blog itself (share links
included: they are plain links), and "Copy link" copies the permalink, or is not there without JavaScript."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.comments import add_comment
from tests.support.content import permalink


def test_a_post_page_makes_no_request_to_another_host(
    app, page, page_errors, live_server, make_post, member, axe_check
):
    post = make_post("Soup weather", body="Warm **soup**.", labels=["food"])
    add_comment(app, post, author=member, body="Lovely")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + permalink(post))
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("link", name="Mastodon")).to_be_visible()
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {urlsplit(live_server).netloc}, requested
    assert len(requested) >= 4  # the page, its stylesheet and its two scripts at least
    axe_check(page)
    assert not page_errors, "\n".join(page_errors)


def test_copy_link_copies_the_permalink(page, page_errors, live_server, make_post):
    post = make_post("Soup weather")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server + permalink(post))
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("#announcer")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == live_server + permalink(post)
    assert not page_errors, "\n".join(page_errors)


def test_without_javascript_there_is_no_copy_button(browser, live_server, make_post):
    post = make_post("Soup weather")
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(live_server + permalink(post))
        expect(plain.get_by_role("link", name="Email")).to_be_visible()
        expect(plain.get_by_role("button", name="Copy link")).to_have_count(0)
    finally:
        context.close()
