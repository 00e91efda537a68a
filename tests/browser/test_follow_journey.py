"""Follow by email in a real browser, with the real parts behind it: the reader follows from the
sidebar box (inline with htmx, and as a plain form with JavaScript off), the confirmation mail
reaches the test SMTP server through a worker process, the reader opens its link and presses
"Confirm"; the admin publishes a post in the editor and it arrives; the reader unsubscribes from
the link in that mail."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.accounts import sign_in
from tests.support.live import free_port
from tests.support.queue import SmtpSink, Worker, queue_app_config
from tests.support.queue import queue_redis as queue_redis  # a fixture

SMTP_PORT = free_port()
READERS = {"with JavaScript": "js@example.test", "without JavaScript": "nojs@example.test"}


@pytest.fixture
def app_config(tmp_path, queue_redis):
    return queue_app_config(tmp_path, queue_redis, SMTP_PORT)


@pytest.fixture
def sink():
    server = SmtpSink(SMTP_PORT).start()
    yield server
    server.stop()


@pytest.fixture
def worker(app, live_server, tmp_path, sink):
    app.config["BASE_URL"] = live_server  # the worker's links (post mails) lead to this server
    process = Worker(app, tmp_path)
    yield process
    process.stop()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, path: str) -> str:
    match = re.search(r"https?://\S+" + re.escape(path) + r"\S+", text_of(message))
    assert match, text_of(message)
    return match.group(0)


def mail_to(sink, address: str, subject: str):
    """The one mail with this subject the SMTP server got for address (waiting for the worker)."""
    deadline_messages = sink.wait_for(1, timeout=60)
    assert deadline_messages
    for _ in range(600):
        found = [m for m in sink.to(address) if m["Subject"] == subject]
        if found:
            assert len(found) == 1, f"{len(found)} copies of {subject!r} for {address}"
            return found[0]
        sink.wait_for(len(sink.messages) + 1, timeout=60)
    raise AssertionError(f"no {subject!r} for {address}")


def follow_from_the_sidebar(page, base: str, email: str, javascript: bool) -> None:
    page.goto(base + "/")
    box = page.locator("#follow-box")
    expect(box.get_by_role("heading", name="Follow by email")).to_be_visible()
    box.get_by_label("Your email address").fill(email)
    if javascript:
        page.evaluate("window.stillHere = true")
        box.get_by_role("button", name="Follow").click()
        expect(page.locator("#follow-box [role=status]")).to_contain_text("Check your email")
        assert page.evaluate("window.stillHere") is True, "the page was reloaded"
        assert page.url == base + "/"
    else:
        box.get_by_role("button", name="Follow").click()
        expect(page.get_by_role("heading", name="Follow by email", level=1)).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Check your email")


def test_a_reader_follows_confirms_gets_the_post_and_unsubscribes(
    browser, live_server, worker, sink, admin, make_post, axe_check
):
    make_post("Already here")
    pages = {
        how: browser.new_context(java_script_enabled=how == "with JavaScript").new_page() for how in READERS
    }
    for how, email in READERS.items():
        follow_from_the_sidebar(pages[how], live_server, email, javascript=how == "with JavaScript")

    for how, email in READERS.items():
        page = pages[how]
        confirm = mail_to(sink, email, "Confirm that you want to follow this blog")
        page.goto(link_in(confirm, "/follow/confirm/"))
        expect(
            page.get_by_role("button", name="Confirm")
        ).to_be_visible()  # opening the link confirms nothing
        axe_check(page) if how == "with JavaScript" else None
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="You are following this blog")).to_be_visible()

    editor = browser.new_context().new_page()
    sign_in(editor, admin.email, base=live_server, expect=None)
    editor.goto(live_server + "/admin/posts/new")
    editor.get_by_label("Title").fill("News for followers")
    editor.get_by_label("Body").fill("Something *happened* today.")
    editor.get_by_role("button", name="Publish", exact=True).click()
    expect(editor.get_by_text("Published.")).to_be_visible()

    for how, email in READERS.items():
        page = pages[how]
        post = mail_to(sink, email, "News for followers")
        assert "Something happened today." in text_of(post)
        assert post["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        page.goto(link_in(post, "/follow/unsubscribe/"))
        expect(page.get_by_text(f"{email} gets each new post of this blog by email.")).to_be_visible()
        page.get_by_role("button", name="Unsubscribe").click()
        expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert [m["Subject"] for m in sink.messages].count("Already here") == 0  # old news is not mailed
