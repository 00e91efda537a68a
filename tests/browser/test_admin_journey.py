"""The admin writes in a real browser: a backdated post with two labels, watched in the live preview,
published everywhere a reader looks (home under its date, month archive, labels, feed, sitemap);
an edit and a restored revision; a draft's preview and autosave; a post scheduled a few seconds
ahead that appears only when due; an image dropped onto the body; axe on the dashboard and editor."""

import re
import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.support.accounts import sign_in


def test_admin_writes_publishes_edits_and_restores_a_post(page, page_errors, live_server, admin, axe_check):
    sign_in(page, "admin@example.test", base=live_server)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Posts per week")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="New post").click()
    expect(page.get_by_role("heading", name="New post", level=1)).to_be_visible()
    page.get_by_label("Title").fill("Harbour lights")
    page.get_by_label("Labels").fill("travel, night")
    page.get_by_label("Publish date").fill("2024-10-23T21:30")
    preview = page.locator("#live-preview")
    body = page.get_by_label("Body")
    body.press_sequentially("The boats are **bright**", delay=15)
    expect(preview.locator(".post-body strong")).to_have_text("bright")
    expect(preview.locator(".post-title")).to_have_text("Harbour lights")
    expect(preview.locator(".date-header")).to_have_text("Wednesday, October 23, 2024")
    body.press_sequentially(" and the water is *dark*.", delay=15)
    expect(preview.locator(".post-body em")).to_have_text("dark")  # the preview follows the typing
    axe_check(page)

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published.")).to_be_visible()
    expect(page.get_by_role("heading", name="Edit post", level=1)).to_be_visible()

    # Where readers find it.
    page.goto(live_server + "/")
    day = page.locator("section.day", has=page.get_by_role("link", name="Harbour lights"))
    expect(day.locator("h2.date-header")).to_have_text("Wednesday, October 23, 2024")
    page.goto(live_server + "/2024/10/")
    expect(page.get_by_role("link", name="Harbour lights")).to_be_visible()
    for label in ("travel", "night"):
        page.goto(f"{live_server}/search/label/{label}")
        expect(page.get_by_role("link", name="Harbour lights")).to_be_visible()
    feed = page.request.get(live_server + "/feeds/posts/default")
    assert feed.ok and "Harbour lights" in feed.text()
    sitemap = page.request.get(live_server + "/sitemap.xml")
    assert sitemap.ok and "/2024/10/harbour-lights.html" in sitemap.text()

    # Edit from the post itself; the edit is a revision, and the first version can be restored.
    page.goto(live_server + "/2024/10/harbour-lights.html")
    page.get_by_role("link", name="Edit post").click()
    page.get_by_label("Body").fill("Rewritten: the harbour is *quiet* tonight.")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Updated.")).to_be_visible()
    page.goto(live_server + "/2024/10/harbour-lights.html")
    expect(page.locator(".post-body")).to_contain_text("Rewritten")

    page.get_by_role("link", name="Edit post").click()
    page.get_by_role("link", name="Revisions").click()
    rows = page.locator("table.admin-table tbody tr")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link").click()  # the older one
    expect(page.locator(".revision .post-body strong")).to_have_text("bright")
    page.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_text(re.compile("^Restored the version saved"))).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value("The boats are **bright** and the water is *dark*.")
    page.goto(live_server + "/2024/10/harbour-lights.html")
    expect(page.locator(".post-body strong")).to_have_text("bright")
    page.goto(live_server + "/admin/posts")
    page.get_by_role("link", name="Harbour lights").click()
    page.get_by_role("link", name="Revisions").click()
    expect(rows).to_have_count(3)  # restoring made a new revision

    assert not page_errors, "\n".join(page_errors)


def test_a_draft_autosaves_and_a_scheduled_post_appears_when_due(page, page_errors, live_server, admin):
    sign_in(page, "admin@example.test", base=live_server)
    page.goto(live_server + "/admin/posts/new")
    page.get_by_label("Title").fill("Coming soon")
    page.get_by_label("Body").fill("Wait for it.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+/edit$"))  # the saved draft's own address

    # Autosave: a few seconds after typing stops, the draft is saved and the status line says so.
    page.get_by_label("Body").press("Control+End")
    page.get_by_label("Body").press_sequentially(" Almost there.", delay=10)
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=20_000)

    # The Preview link shows the draft as it will look; the public site does not have it.
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.locator("article .post-body")).to_have_text("Wait for it. Almost there.")
    page.get_by_role("link", name="Back to the editor").click()

    due = datetime.now(UTC) + timedelta(seconds=6)  # the blog's timezone is UTC
    page.get_by_label("Publish date").fill(due.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".flash").filter(has_text=re.compile("^Scheduled for"))).to_be_visible()

    page.goto(live_server + "/")
    expect(page.get_by_role("link", name="Coming soon")).to_have_count(0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and page.get_by_role("link", name="Coming soon").count() == 0:
        assert datetime.now(UTC) < due + timedelta(seconds=20)
        time.sleep(1)
        page.reload()
    expect(page.get_by_role("link", name="Coming soon")).to_be_visible()
    assert datetime.now(UTC) >= due - timedelta(seconds=1)  # not before its time

    # Delete from the editor: the browser asks first (hx-confirm), then the list says it is gone.
    page.goto(live_server + "/admin/posts")
    page.get_by_role("link", name="Coming soon").click()
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("link", name="Delete").click()
    expect(page).to_have_url(re.compile(r"/admin/posts$"))
    expect(page.get_by_text("Deleted “Coming soon”.")).to_be_visible()
    assert messages == ["Delete “Coming soon”? This cannot be undone."]
    expect(page.get_by_role("link", name="Coming soon")).to_have_count(0)

    assert not page_errors, "\n".join(page_errors)


def test_an_image_dropped_onto_the_body_is_uploaded_and_inserted(page, page_errors, live_server, admin):
    sign_in(page, "admin@example.test", base=live_server)
    page.goto(live_server + "/admin/posts/new")
    page.get_by_label("Body").fill("Before the picture.")
    # A real drop: a PNG made in the page (a 2x2 canvas), carried by a DataTransfer.
    page.evaluate("""async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 2; canvas.height = 2;
        canvas.getContext("2d").fillRect(0, 0, 2, 2);
        const blob = await new Promise(done => canvas.toBlob(done, "image/png"));
        const data = new DataTransfer();
        data.items.add(new File([blob], "Dropped dot.png", { type: "image/png" }));
        const body = document.getElementById("body");
        const options = { dataTransfer: data, bubbles: true, cancelable: true };
        body.dispatchEvent(new DragEvent("dragover", options));
        body.dispatchEvent(new DragEvent("drop", options));
    }""")
    expect(page.get_by_label("Body")).to_have_value(
        re.compile(r"^Before the picture\.\n\n!\[Dropped dot\]\(/media/[0-9a-f]{32}\.png\)$")
    )
    expect(page.locator("#upload-result")).to_contain_text("Uploaded")
    image = page.locator("#live-preview .post-body img")
    expect(image).to_have_attribute("alt", "Dropped dot")
    # Loaded, not broken (a busy machine may still be fetching it when the alt text is in place).
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    source = image.get_attribute("src")
    assert page.request.get(live_server + source).headers["content-type"] == "image/png"

    # The plain file input works the same way.
    page.get_by_label("Image").set_input_files(
        {
            "name": "second.gif",
            "mimeType": "image/gif",
            "buffer": (
                b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
                b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
            ),
        }
    )
    page.get_by_role("button", name="Upload image").click()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"!\[second\]\(/media/[0-9a-f]{32}\.gif\)$"))

    assert not page_errors, "\n".join(page_errors)
