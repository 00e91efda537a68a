"""Members commenting in a real browser: inline without a reload, the same with JavaScript off,
replies, edits, deletes, previews, load more, keyboard only, and axe on pages with comments."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.accounts import sign_in
from tests.support.comments import add_comment, comments
from tests.support.content import permalink, set_settings


@pytest.fixture
def post(app, make_post, member):
    set_settings(app, comment_interval_seconds=0)
    return make_post("Garden diary", body="The *roses* are out.")


def comment_box(page):
    return page.get_by_label("Comment", exact=True)


def test_member_posts_a_comment_without_a_reload(app, page, page_errors, live_server, member, post):
    sign_in(page, member.email, base=live_server, next=permalink(post))
    expect(page.locator("#comments-heading")).to_have_text("No comments:")
    page.evaluate("window.marker = 'still-here'")
    comment_box(page).fill("What a **lovely** garden")
    with page.expect_response(lambda r: r.url.endswith(f"/posts/{post.id}/comments")) as answer:
        page.get_by_role("button", name="Post comment").click()
    assert answer.value.status == 200
    assert answer.value.request.header_value("x-csrftoken")
    [stored] = comments(app)
    new = page.locator(f"#c{stored.id}")
    expect(new.locator("strong")).to_have_text("lovely")
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    expect(comment_box(page)).to_have_value("")
    expect(new).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Your comment was posted.")
    assert page.evaluate("window.marker") == "still-here"  # no page load happened
    page.reload()
    expect(page.locator("#comment-list article.comment")).to_have_count(1)
    expect(page.get_by_text("What a lovely garden")).to_have_count(1)
    assert not page_errors, "\n".join(page_errors)


def test_member_posts_with_javascript_off(app, browser, live_server, member, post):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member.email, base=live_server, next=permalink(post))
    comment_box(page).fill("Plain *forms* still work")
    page.get_by_role("button", name="Post comment").click()
    [stored] = comments(app)
    expect(page).to_have_url(re.compile(rf"{re.escape(permalink(post))}#c{stored.id}$"))
    expect(page.get_by_text("Your comment was posted.")).to_be_visible()
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    page.reload()
    expect(page.locator(f"#c{stored.id} em")).to_have_text("forms")
    expect(page.locator("#comment-list article.comment")).to_have_count(1)

    # Reply, preview, edit and delete as plain forms and links too.
    page.locator(f"#c{stored.id}").get_by_role("link", name="Reply").click()
    page.get_by_label("Reply", exact=True).fill("Answering *myself*")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".comment-preview em")).to_have_text("myself")
    page.get_by_role("button", name="Post reply").click()
    reply = comments(app)[-1]
    expect(page.locator(f"#c{reply.id}")).to_contain_text("Answering myself")
    page.locator(f"#c{reply.id}").get_by_role("link", name="Edit").click()
    page.get_by_label("Edit comment").fill("Answering, edited")
    page.get_by_role("button", name="Save comment").click()
    expect(page.locator(f"#c{reply.id}")).to_contain_text("(edited)")
    page.locator(f"#c{reply.id}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#c{reply.id}")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    context.close()


def test_anonymous_reader_sees_the_notice_and_no_form(
    page, page_errors, live_server, member, post, app, axe_check
):
    add_comment(app, post, member, "A visible comment")
    page.goto(live_server + permalink(post))
    expect(page.get_by_text("Only a member of this blog may post a comment.")).to_be_visible()
    expect(page.locator("#comments form")).to_have_count(0)
    expect(page.locator("#comments textarea")).to_have_count(0)
    expect(page.locator("#comments").get_by_role("link", name="Sign in")).to_be_visible()
    axe_check(page)
    assert not page_errors, "\n".join(page_errors)


def test_reply_edit_preview_and_delete_in_place(app, page, page_errors, live_server, member, post):
    top = add_comment(app, post, member, "First thoughts")
    sign_in(page, member.email, base=live_server, next=permalink(post))
    page.evaluate("window.marker = 'same page'")

    page.locator(f"#c{top}").get_by_role("link", name="Reply").click()
    reply_box = page.get_by_label("Reply", exact=True)
    expect(reply_box).to_be_focused()
    page.locator(f"#reply-form-{top}").get_by_role("link", name="Cancel").click()
    expect(page.locator(f"#reply-form-{top}")).to_have_count(0)
    page.locator(f"#c{top}").get_by_role("link", name="Reply").click()
    expect(reply_box).to_be_visible()
    reply_box.fill("Second *thoughts*")
    page.locator(f"#reply-form-{top}").get_by_role("button", name="Preview").click()
    expect(page.locator(f"#reply-form-{top}-preview em")).to_have_text("thoughts")
    assert len(comments(app)) == 1
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#comments-heading")).to_have_text("2 comments:")
    reply = comments(app)[-1]
    expect(page.locator(f"#t{top} .replies #c{reply.id}")).to_contain_text("Second thoughts")
    expect(page.locator(f"#c{reply.id}")).to_be_focused()

    page.locator(f"#c{reply.id}").get_by_role("link", name="Edit").click()
    edit_box = page.get_by_label("Edit comment")
    expect(edit_box).to_have_value("Second *thoughts*")
    edit_box.fill("Second thoughts, revised")
    page.get_by_role("button", name="Save comment").click()
    expect(page.locator(f"#c{reply.id}")).to_contain_text("(edited)")
    expect(page.locator(f"#c{reply.id}")).to_contain_text("revised")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#c{top}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#c{top}")).to_contain_text("This comment has been removed by the author.")
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    assert page.evaluate("window.marker") == "same page"
    assert not page_errors, "\n".join(page_errors)


def test_load_more_appends_the_next_page(app, page, page_errors, live_server, member, post):
    set_settings(app, comments_per_page=3)
    for n in range(1, 8):
        add_comment(app, post, member, f"Note number {n}")
    page.goto(live_server + permalink(post))
    page.evaluate("window.marker = 1")
    expect(page.locator("#comment-list > li")).to_have_count(3)
    page.get_by_role("link", name="Load more…").click()
    expect(page.locator("#comment-list > li")).to_have_count(6)
    page.get_by_role("link", name="Load more…").click()
    expect(page.locator("#comment-list > li")).to_have_count(7)
    expect(page.get_by_role("link", name="Load more…")).to_have_count(0)
    expect(page.locator(".comment-number").last).to_have_text("7.")
    assert page.evaluate("window.marker") == 1
    assert not page_errors, "\n".join(page_errors)


def test_keyboard_only_member_can_post(app, page, page_errors, live_server, member, post):
    sign_in(page, member.email, base=live_server, next=permalink(post))
    box = comment_box(page)
    for _ in range(80):  # Tab through the page until the comment box has focus
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Tab")  # "Email me replies"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    expect(page.locator("#comment-list")).to_contain_text("Typed without a mouse")
    expect(page.locator("#comment-list article.comment")).to_be_focused()
    assert not page_errors, "\n".join(page_errors)


def test_flood_limit_message_shows_in_the_section(app, page, live_server, member, post):
    set_settings(app, comment_interval_seconds=60)
    sign_in(page, member.email, base=live_server, next=permalink(post))
    comment_box(page).fill("One")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    comment_box(page).fill("Two, too soon")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-form-message")).to_contain_text("commenting too fast")
    expect(comment_box(page)).to_have_value("Two, too soon")
    assert len(comments(app)) == 1


def test_invalid_comment_shows_the_message_next_to_the_box(app, page, live_server, member, post):
    sign_in(page, member.email, base=live_server, next=permalink(post))
    expect(comment_box(page)).to_have_attribute("maxlength", "4096")  # the server says so too (422)
    comment_box(page).fill("   ")  # passes the browser's `required`, not the server's check
    with page.expect_response(lambda r: r.url.endswith(f"/posts/{post.id}/comments")) as answer:
        page.get_by_role("button", name="Post comment").click()
    assert answer.value.status == 422
    expect(page.locator("#comment-form-body-error")).to_have_text("Write something first.")
    expect(comment_box(page)).to_be_focused()
    expect(page.locator("#comments-heading")).to_have_text("No comments:")
    comment_box(page).fill("Now with words")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments-heading")).to_have_text("1 comment:")
    expect(page.locator("#comment-form-body-error")).to_have_count(0)
    assert [c.body_source for c in comments(app)] == ["Now with words"]


def test_axe_on_a_post_with_comments_for_a_member(app, page, live_server, member, post, axe_check):
    top = add_comment(app, post, member, "Top comment with a [link](https://example.org)")
    add_comment(app, post, member, "A reply", parent_id=top)
    sign_in(page, member.email, base=live_server, next=permalink(post))
    expect(page.locator("#comment-form")).to_be_visible()
    axe_check(page)
    page.locator(f"#c{top}").get_by_role("link", name="Reply").click()
    expect(page.get_by_label("Reply", exact=True)).to_be_visible()
    axe_check(page)


def test_an_expired_form_says_so_in_the_section(app, page, live_server, member, post):
    sign_in(page, member.email, base=live_server, next=permalink(post))
    page.evaluate("""() => {
        document.body.setAttribute('data-hx-headers', JSON.stringify({'X-CSRFToken': 'expired'}));
        document.querySelector('#comment-form input[name=csrf_token]').value = 'expired';
    }""")
    comment_box(page).fill("Left open overnight")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-form-message")).to_contain_text("expired")
    expect(comment_box(page)).to_have_value("Left open overnight")
    assert comments(app) == []


def test_guest_comments_under_the_anyone_policy(app, page, page_errors, live_server, post):
    set_settings(app, comment_policy="anyone")
    page.goto(live_server + permalink(post))
    page.get_by_role("link", name="Write a comment").click()
    expect(page.get_by_label("Name")).to_be_focused()
    page.get_by_label("Name").fill("Gus Guest")
    comment_box(page).fill("Hello from a guest")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments-status")).to_contain_text("will appear once it has been approved")
    expect(page.locator("#comments-heading")).to_have_text("No comments:")
    [held] = comments(app)
    assert held.status == "pending" and held.author_name == "Gus Guest"
    assert not page_errors, "\n".join(page_errors)
