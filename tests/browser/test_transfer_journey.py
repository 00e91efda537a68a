"""An admin moves a Blogger blog in through the browser: uploads the export, watches the import finish
in place (htmx polling), reads an imported post at its old address, and downloads an export."""

from playwright.sync_api import expect

from tests.support.accounts import sign_in

FIXTURE = "tests/fixtures/transfer/blogger-classic.xml"


def test_admin_imports_a_blogger_export_and_downloads_one(
    page, page_errors, live_server, admin, axe_check, tmp_path
):
    sign_in(page, admin.email, base=live_server)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Import and export").click()
    expect(page.get_by_role("heading", name="Import and export", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_label("Export file").set_input_files(FIXTURE)
    page.get_by_role("button", name="Import").click()
    status = page.locator("#import-status")
    expect(status).to_contain_text("Done.", timeout=15_000)
    expect(status).to_contain_text("Imported 3 post(s), 1 page(s), 4 comment(s)")
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download for Blogger (Atom)").click()
    saved = tmp_path / "export.atom"
    download.value.save_as(saved)
    assert b"night-train-to-zurich" in saved.read_bytes()

    assert page_errors == []
    page.goto(live_server + "/2021/02/night-train-to-zurich.html")
    expect(page.get_by_role("heading", name="Night train to Zürich — über alles")).to_be_visible()
    # The imported post shows an image from example.com, which this offline machine cannot reach.
    assert [error for error in page_errors if "ERR_NAME_NOT_RESOLVED" not in error] == []
