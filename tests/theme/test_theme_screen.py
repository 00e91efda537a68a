"""The Theme screen: accent color with a contrast check, font, width, sidebar side, images, the owner's
CSS, preview and reset; the stylesheet readers get, and that they get a change at once."""

import io
import re

import pytest

from blog.theme.colors import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, contrast, for_scheme
from tests.support.accounts import sign_in
from tests.support.content import permalink
from tests.support.web import HTMX
from tests.theme.conftest import look_fields, png, post_multipart

STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/theme/(blog|admin)-([0-9a-f]{16})\.css)">')


def stylesheet_of(client, path="/"):
    found = STYLESHEET.search(client.get(path).text)
    assert found, "the page links the theme's stylesheet"
    return found.group(1)


def css_of(client, path="/"):
    return client.get(stylesheet_of(client, path)).text


def links_no_theme_stylesheet(client, path="/"):
    return not STYLESHEET.search(client.get(path).text)


def test_the_default_theme_costs_no_request_of_its_own(client, admin_token):
    assert links_no_theme_stylesheet(client, "/") and links_no_theme_stylesheet(client, "/admin/theme")
    client.post("/admin/theme", data=look_fields(admin_token, page_width="wide"))
    assert ".wrap { max-width: 84rem; }" in css_of(client)


def test_the_theme_screen_is_for_admins_only(client, author, admin):
    assert client.get("/admin/theme").status_code == 302
    sign_in(client, author.email)
    assert client.get("/admin/theme").status_code == 403
    assert client.get("/admin/theme/sidebar").status_code == 403
    assert client.post("/admin/theme/reset", data={}).status_code in (400, 403)


def test_screen_names_its_fields(client, admin_token):
    page = client.get("/admin/theme").text
    for name in ("Accent color", "Font", "Page width", "Sidebar", "Header image", "Favicon", "Your own CSS"):
        assert f">{name}</label>" in page, name
    assert (
        "Reset to default" in page and "Save theme" in page and 'data-hx-post="/admin/theme/preview"' in page
    )


@pytest.mark.parametrize(
    "color", ["#000000", "#ffffff", "#ffff00", "#1a73e8", "#808080", "#b3400b", "#00ff00"]
)
def test_every_accent_passes_aa_in_both_schemes(color):
    for dark, backgrounds in ((False, LIGHT_BACKGROUNDS), (True, DARK_BACKGROUNDS)):
        scheme = for_scheme(color, dark)
        for background in (*backgrounds, scheme.soft):
            assert contrast(scheme.accent, background) >= 4.5, (color, dark, background)
        assert contrast(scheme.on_accent, scheme.accent) >= 4.5


def test_a_color_that_reads_well_is_kept_and_one_that_does_not_is_adjusted():
    assert for_scheme("#b3400b", dark=False).accent == "#b3400b"
    yellow = for_scheme("#ffff00", dark=False)
    assert yellow.adjusted and yellow.accent != "#ffff00"
    assert not for_scheme("#ffff00", dark=True).adjusted


def test_saving_an_accent_reaches_readers_at_once_page_cache_included(app, client, admin_token, make_post):
    post = make_post("Colored")
    reader = app.test_client()
    assert links_no_theme_stylesheet(reader) and links_no_theme_stylesheet(reader, permalink(post))
    # both pages are now in the page cache
    saved = client.post("/admin/theme", data=look_fields(admin_token, accent_color="#1A73E8"))
    assert saved.status_code == 302
    for path in ("/", permalink(post)):
        url = stylesheet_of(reader, path)
        css = reader.get(url)
        assert css.headers["Content-Type"].startswith("text/css")
        assert (
            "max-age=31536000" in css.headers["Cache-Control"] and "immutable" in css.headers["Cache-Control"]
        )
        light, dark = for_scheme("#1a73e8", dark=False), for_scheme("#1a73e8", dark=True)
        assert f"--accent: {light.accent};" in css.text and f"--accent: {dark.accent};" in css.text


def test_a_bad_color_is_refused_with_the_form_kept(client, admin_token):
    answer = client.post(
        "/admin/theme", data=look_fields(admin_token, accent_color="red", custom_css=".x { color: red }")
    )
    assert answer.status_code == 422
    assert "Enter a color as #rrggbb" in answer.text
    assert ".x { color: red }" in answer.text and 'value="red"' in answer.text


def test_built_in_colors_leave_site_css_alone(client, admin_token):
    client.post(
        "/admin/theme",
        data=look_fields(admin_token, accent_color="#1a73e8", builtin_colors="y", page_width="wide"),
    )
    assert "--accent" not in css_of(client)


def test_font_width_and_side_are_in_the_stylesheet(client, admin_token):
    client.post(
        "/admin/theme",
        data=look_fields(admin_token, font="atkinson", page_width="wide", sidebar_side="left"),
    )
    css = css_of(client)
    assert "Atkinson Hyperlegible" in css and ".wrap { max-width: 84rem; }" in css
    assert "grid-template-columns: 17rem minmax(0, 1fr)" in css
    font = re.search(
        r'url\("(/static/fonts/atkinson-hyperlegible-latin-400-normal\.woff2\?v=[0-9a-f]+)"\)', css
    )
    served = client.get(font.group(1))
    served.close()
    assert served.status_code == 200


def test_no_sidebar_means_no_aside(client, admin_token):
    client.post("/admin/theme", data=look_fields(admin_token, sidebar_side="none"))
    assert '<aside class="sidebar"' not in client.get("/").text


def test_owners_css_is_a_stylesheet_for_readers_not_for_the_admin_area(app, client, admin_token):
    rule = "body { display: none }"
    saved = client.post("/admin/theme", data=look_fields(admin_token, custom_css=rule, builtin_colors="y"))
    assert saved.status_code == 302
    reader = app.test_client()
    home = reader.get("/")
    assert rule in css_of(reader)
    assert "unsafe-inline" not in home.headers["Content-Security-Policy"]
    assert "style-src 'self'" in home.headers["Content-Security-Policy"]
    assert " style=" not in home.text and "<style" not in home.text
    assert links_no_theme_stylesheet(client, "/admin/theme")  # the admin area's theme changes nothing
    client.post("/admin/theme", data=look_fields(admin_token, custom_css=rule, accent_color="#1a73e8"))
    admin_css = stylesheet_of(client, "/admin/theme")
    assert "/theme/admin-" in admin_css and rule not in client.get(admin_css).text


def test_an_older_hash_gets_todays_css_uncached(client, admin_token):
    client.post("/admin/theme", data=look_fields(admin_token, accent_color="#0f7b6c"))
    old = stylesheet_of(client)
    client.post("/admin/theme", data=look_fields(admin_token, accent_color="#1a73e8"))
    stale = client.get(old)
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"
    assert for_scheme("#1a73e8", dark=False).accent in stale.text
    assert client.get("/theme/other-0123456789abcdef.css").status_code == 404


def test_reset_is_one_click(client, admin_token):
    client.post(
        "/admin/theme", data=look_fields(admin_token, accent_color="#1a73e8", font="serif", custom_css="p{}")
    )
    assert client.post("/admin/theme/reset", data={"csrf_token": admin_token}).status_code == 302
    assert "The theme is back to the default." in client.get("/admin/theme").text
    assert links_no_theme_stylesheet(client)


def test_header_image_and_favicon_are_reencoded_and_shown(app, client, admin_token):
    data = look_fields(admin_token, header_image_alt="A misty canal at dawn")
    data["header_image"] = (io.BytesIO(png()), "header.png")
    data["favicon"] = (io.BytesIO(png((32, 32))), "icon.png")
    assert post_multipart(client, "/admin/theme", data).status_code == 302
    home = app.test_client().get("/").text
    header = re.search(
        r'<img class="header-image" src="(/media/[0-9a-f]{32}\.png)" alt="A misty canal at dawn">', home
    )
    assert header
    assert re.search(r'<link rel="icon" href="/media/[0-9a-f]{32}\.png">', home)
    served = client.get(header.group(1))
    served.close()
    assert served.status_code == 200


def test_a_file_that_is_not_an_image_is_refused_with_the_form_kept(client, admin_token):
    data = look_fields(admin_token, custom_css="h1 { color: teal }")
    data["header_image"] = (io.BytesIO(b"<html>not an image</html>"), "header.png")
    answer = post_multipart(client, "/admin/theme", data)
    assert answer.status_code == 422
    assert "That file is not a PNG, JPEG, GIF or WebP image." in answer.text
    assert "h1 { color: teal }" in answer.text
    assert "header-image" not in client.get("/").text


def test_preview_shows_the_draft_and_readers_see_nothing(app, client, admin_token):
    reader = app.test_client()
    fragment = client.post(
        "/admin/theme/preview",
        data=look_fields(admin_token, accent_color="#0f7b6c", custom_css="em{}"),
        headers=HTMX,
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    frame = re.search(r'<iframe src="([^"]+)"', fragment.text).group(1).replace("&amp;", "&")
    preview = client.get(frame)
    assert preview.status_code == 200
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    css_url = re.search(r'href="(/admin/theme/preview\.css\?v=[0-9a-f]+)"', preview.text).group(1)
    draft_css = client.get(css_url).text
    assert for_scheme("#0f7b6c", dark=False).accent in draft_css and "em{}" in draft_css
    assert links_no_theme_stylesheet(reader)  # nothing saved


def test_preview_without_javascript_keeps_the_form(client, admin_token):
    answer = client.post(
        "/admin/theme", data=look_fields(admin_token, action="preview", accent_color="#0f7b6c")
    )
    assert answer.status_code == 200 and 'value="#0f7b6c"' in answer.text
    assert links_no_theme_stylesheet(client)


def test_an_invalid_preview_says_why(client, admin_token):
    answer = client.post(
        "/admin/theme/preview", data=look_fields(admin_token, accent_color="nope"), headers=HTMX
    )
    assert answer.status_code == 422 and "Enter a color as #rrggbb" in answer.text
