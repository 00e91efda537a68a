"""A blog set to German, in a real browser: a reader sees every German name DESIGN.md lists (the
sign-in link, the post lists' paging, "Keine Kommentare", the members-only notice), and a member signs
in, posts a comment inline with "Kommentar veröffentlichen" and signs out with "Abmelden"."""

from datetime import datetime

from playwright.sync_api import expect

from tests.support.accounts import PASSWORD
from tests.support.comments import comments
from tests.support.content import permalink, set_settings

NOTICE = "Hinweis: Nur ein Mitglied dieses Blogs kann einen Kommentar posten."


def test_a_german_blog_in_the_browser(app, page, page_errors, live_server, member, make_post):
    set_settings(app, language="de", posts_per_page=1, comment_interval_seconds=0)
    make_post("Erster Post", when=datetime(2026, 5, 1, 12, 0))
    post = make_post("Zweiter Post", when=datetime(2026, 5, 2, 12, 0))

    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("link", name="Ältere Posts").click()
    expect(page.get_by_role("link", name="Erster Post")).to_be_visible()
    page.get_by_role("link", name="Neuere Posts").click()
    page.get_by_role("link", name="Zweiter Post").click()
    expect(page.locator("#comments-heading")).to_have_text("Keine Kommentare:")
    expect(page.get_by_text(NOTICE)).to_be_visible()

    page.get_by_role("link", name="Anmelden").first.click()
    page.get_by_label("E-Mail", exact=True).fill(member.email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    assert page.url == live_server + permalink(post)  # back on the post, signed in
    box = page.get_by_label("Kommentar", exact=True)
    box.fill("Schöner Post!")
    with page.expect_response(lambda r: r.url.endswith(f"/posts/{post.id}/comments")):
        page.get_by_role("button", name="Kommentar veröffentlichen").click()
    [stored] = comments(app)
    expect(page.locator(f"#c{stored.id}")).to_contain_text("Schöner Post!")
    expect(page.locator("#comments-heading")).to_have_text("1 Kommentar:")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden").first).to_be_visible()
    assert not page_errors, "\n".join(page_errors)
