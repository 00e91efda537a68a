"""The admin moderates in a real browser: a held comment is approved in place and shows on the post,
a bulk delete is undone, axe finds nothing serious on the queue; a banned member is told why."""

import re

from playwright.sync_api import expect

from tests.support.accounts import sign_in
from tests.support.comments import add_comment, status_of
from tests.support.content import permalink


def test_admin_approves_in_place_and_bulk_deletes_with_undo(
    page, page_errors, live_server, app, admin, member, make_post, axe_check
):
    post = make_post("Garden diary", body="Tomatoes are *in*.")
    held = add_comment(app, post, member, "Lovely tomatoes, what variety?", status="pending")
    first = add_comment(app, post, member, "First of two to delete", status="pending")
    second = add_comment(app, post, member, "Second of two to delete", status="pending")

    sign_in(page, "admin@example.test", base=live_server)
    page.goto(live_server + "/admin/comments")
    expect(page.get_by_role("heading", name="Garden diary")).to_be_visible()
    expect(page.locator(".mod-comment")).to_have_count(3)
    axe_check(page)

    page.evaluate("window.marker = 'no reload'")
    row = page.locator(f"#mod-c{held}")
    expect(row.get_by_role("link", name=re.compile("View on post"))).to_have_attribute(
        "href", permalink(post) + f"#c{held}"
    )
    row.get_by_role("button", name=re.compile("^Approve")).click()
    expect(row).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Approved 1 comment.")).to_be_visible()
    expect(page.locator("#mod-tabs a[aria-current=page] .tab-count")).to_have_text("2")
    assert page.evaluate("window.marker") == "no reload"
    assert status_of(app, held) == "published"

    # Bulk: tick both, choose Delete, apply; then undo from the status message.
    page.locator(f"#pick-{first}").check()
    page.locator(f"#pick-{second}").check()
    page.get_by_label("Bulk action").select_option("delete")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_role("status").filter(has_text="Deleted 2 comments.")).to_be_visible()
    expect(page.locator(".mod-comment")).to_have_count(0)
    assert [status_of(app, first), status_of(app, second)] == ["removed", "removed"]
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").filter(has_text="Undone: 2 comments restored.")).to_be_visible()
    expect(page.locator(".mod-comment")).to_have_count(2)
    assert [status_of(app, first), status_of(app, second)] == ["pending", "pending"]
    assert page.evaluate("window.marker") == "no reload"
    axe_check(page)

    # The approved comment is on the post, for everyone.
    reader = page.context.browser.new_page()
    reader.goto(live_server + permalink(post))
    expect(reader.locator(f"#c{held}")).to_contain_text("Lovely tomatoes, what variety?")
    expect(reader.get_by_text("First of two to delete")).to_have_count(0)
    reader.close()
    assert page_errors == []


def test_a_banned_member_is_told_why_and_cannot_comment(
    page, page_errors, live_server, app, admin, member, make_post, browser, axe_check
):
    post = make_post("Open thread")
    sign_in(page, "admin@example.test", base=live_server)
    page.goto(live_server + "/admin/members")
    axe_check(page)
    page.get_by_role("link", name="Max Member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Max Member")
    axe_check(page)
    page.get_by_label("Reason").fill("Repeated insults in the comments")
    page.get_by_role("button", name="Ban from commenting").click()
    expect(page.get_by_text("Max Member can no longer comment.")).to_be_visible()

    context = browser.new_context()
    member_page = context.new_page()
    sign_in(member_page, "member@example.test", base=live_server)
    member_page.goto(live_server + permalink(post))
    comments = member_page.locator("#comments")
    expect(comments).to_contain_text("Repeated insults in the comments")
    expect(comments.get_by_label("Comment", exact=True)).to_have_count(0)
    expect(comments.get_by_role("button", name="Post comment")).to_have_count(0)
    context.close()
    assert page_errors == []
