"""Stats in a real browser: the demo's month of figures on the Stats screen (axe finds nothing
serious), the period switched in place by htmx with the address following, and Export CSV."""

from playwright.sync_api import expect

from blog.commands.demo import load_demo
from blog.extensions import db
from tests.support.accounts import sign_in


def test_the_stats_screen_with_a_month_of_demo_figures(page, page_errors, app, live_server, axe_check):
    with app.app_context():
        load_demo()
        db.session.remove()
    sign_in(page, "admin@demo.example", "demo-admin-password", base=live_server)
    page.goto(live_server + "/admin/")
    page.get_by_role("link", name="Stats", exact=True).click()
    expect(page.get_by_role("heading", name="Stats", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Views per day")).to_be_visible()
    expect(page.get_by_role("img", name="Visitors per day")).to_be_visible()
    axe_check(page)

    top = page.locator("#stats-tables")
    expect(top.get_by_role("link", name="Last 30 days")).to_have_attribute("aria-current", "page")
    page.evaluate("window.stillHere = true")
    top.get_by_role("link", name="Last 7 days").click()
    expect(page.locator("#stats-tables").get_by_role("link", name="Last 7 days")).to_have_attribute(
        "aria-current", "page"
    )
    assert page.url.endswith("/admin/stats?period=7")
    assert page.evaluate("window.stillHere") is True  # swapped in place, no page load
    expect(page.locator("#stats-tables table").first).to_be_visible()
    axe_check(page)

    csv_text = page.request.get(live_server + "/admin/stats.csv").text()
    assert csv_text.startswith("date,path,views,visitors\n") and csv_text.count("\n") > 100
    assert page_errors == []
