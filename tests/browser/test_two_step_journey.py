"""Two-step verification in a real browser: set it up from the account page (the key as text, the
QR code drawn inline, no request leaves the site), save the recovery codes, then sign in with the
Code; the same with JavaScript off; axe on the setup page and the Code step."""

import re
import time
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import expect

from tests.support.accounts import sign_in


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def set_up_two_step(page, base: str, check=lambda page: None) -> tuple[str, list[str]]:
    """From the account page to the recovery codes (check(page) runs on the setup page);
    returns the secret key and the codes."""
    page.goto(base + "/account")
    page.get_by_role("link", name="Set up two-step verification").click()
    page.get_by_role("button", name="Set up two-step verification").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check(page)
    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Two-step verification is on")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    return secret, codes


def test_member_sets_up_two_step_and_signs_in_with_the_code(
    page, page_errors, live_server, member, axe_check
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    sign_in(page, member.email, base=live_server, expect=None)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    secret, codes = set_up_two_step(page, live_server, check=axe_check)
    sign_out(page)

    sign_in(page, member.email, base=live_server, expect=None)
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)
    page.get_by_label("Code", exact=True).fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert hosts == {urlsplit(live_server).netloc}, f"requests left the site: {hosts}"
    unexpected = [e for e in page_errors if "status of 422" not in e]  # the wrong code's answer
    assert not unexpected, "\n".join(unexpected)


def test_two_step_works_with_javascript_off(browser, live_server, member):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member.email, base=live_server, expect=None)
    secret, codes = set_up_two_step(page, live_server)
    sign_out(page)
    sign_in(page, member.email, base=live_server, expect=None)
    page.get_by_label("Code", exact=True).fill(codes[0])  # a recovery code, as after losing the phone
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(live_server + "/account/two-step")
    expect(page.get_by_text("You have 9 recovery codes left.")).to_be_visible()
    context.close()
