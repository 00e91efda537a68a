"""A reader's journey in a real browser: home, a post, an archive; no console errors; axe clean."""

import re
from datetime import datetime

from playwright.sync_api import expect


def test_reader_goes_from_home_to_a_post_and_an_archive(page, page_errors, live_server, make_post, axe_check):
    make_post(
        "Autumn walk",
        body="Leaves **everywhere**.",
        when=datetime(2024, 10, 23, 9, 0),
        labels=["walks", "autumn"],
    )
    make_post(
        "Harvest notes", body="Apples and pears.", when=datetime(2024, 10, 25, 18, 30), labels=["garden"]
    )
    make_post("Winter plans", body="Skis and *soup*.", when=datetime(2024, 12, 1, 8, 0), labels=["walks"])

    page.goto(live_server + "/")
    expect(page.locator("h2.date-header").first).to_have_text("Sunday, December 1, 2024")
    expect(page.locator("h2.date-header")).to_have_count(3)
    assert page.evaluate("htmx.version") == "2.0.11"
    axe_check(page)

    page.get_by_role("link", name="Autumn walk").click()
    expect(page).to_have_url(re.compile(r"/2024/10/autumn-walk\.html$"))
    expect(page.locator("h1.post-title")).to_have_text("Autumn walk")
    expect(page.locator(".post-body strong")).to_have_text("everywhere")
    expect(page.get_by_text("No comments:")).to_be_visible()
    assert page.evaluate("htmx.version") == "2.0.11"
    axe_check(page)

    archive = page.locator("aside .archive")
    expect(archive.locator("details").first).to_have_attribute("open", "")  # the newest year is open
    archive.get_by_role("link", name="December 2024").click()
    expect(page).to_have_url(re.compile(r"/2024/12/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts from December 2024")
    expect(page.get_by_role("link", name="Winter plans")).to_be_visible()
    expect(page.get_by_role("link", name="Autumn walk")).to_have_count(0)

    assert not page_errors, "\n".join(page_errors)


def test_dark_theme_passes_axe(page, page_errors, live_server, make_post, axe_check):
    post = make_post("Night reading", body="A [link](https://example.org/) in the dark.", labels=["night"])
    page.emulate_media(color_scheme="dark")
    page.goto(live_server + "/")
    axe_check(page)
    page.goto(f"{live_server}/{post.year:04d}/{post.month:02d}/{post.slug}.html")
    expect(page.locator("h1.post-title")).to_have_text("Night reading")
    axe_check(page)
    assert not page_errors, "\n".join(page_errors)
