"""Static pages in the admin: write, publish, unpublish, slug clashes, live preview, delete."""

from sqlalchemy import select

from blog.extensions import db
from blog.models import Page
from tests.support.web import HTMX, csrf_from


def page_fields(token, action="draft", **fields):
    data = {
        "csrf_token": token,
        "action": action,
        "title": "About me",
        "body": "I *write*.",
        "slug": "",
        "position": "0",
    }
    data.update(fields)
    return data


def test_admin_writes_publishes_and_unpublishes_a_static_page(app, client, admin_token):
    editor = client.get("/admin/pages/new")
    assert editor.status_code == 200 and "Labels" not in editor.text and "Menu position" in editor.text
    response = client.post("/admin/pages/new", data=page_fields(admin_token, "draft"))
    assert response.status_code == 302
    with app.app_context():
        page = db.session.scalar(select(Page))
        page_id, slug = page.id, page.slug
    assert slug == "about-me"
    assert client.get("/p/about-me.html").status_code == 404
    assert "<em>write</em>" in client.get(f"/admin/pages/{page_id}/preview").text
    client.post(f"/admin/pages/{page_id}/edit", data=page_fields(admin_token, "publish", slug="about"))
    public = client.get("/p/about.html")
    assert public.status_code == 200 and "<em>write</em>" in public.text
    assert 'href="/p/about.html">About me</a>' in client.get("/").text  # in the menu
    client.post(f"/admin/pages/{page_id}/edit", data=page_fields(admin_token, "unpublish", slug="about"))
    assert client.get("/p/about.html").status_code == 404


def test_page_slug_clash_and_live_preview(app, client, admin_token, make_page):
    make_page("Contact", slug="contact")
    data = page_fields(admin_token, "publish", title="Mine", slug="contact")
    response = client.post("/admin/pages/new", data=data)
    assert response.status_code == 422 and "Another page already uses this slug." in response.text
    # A slug made from a title that clashes gets a number instead.
    response = client.post("/admin/pages/new", data=page_fields(admin_token, "publish", title="Contact"))
    assert response.status_code == 302
    assert client.get("/p/contact-2.html").status_code == 200
    preview = client.post("/admin/preview/page", headers=HTMX, data=page_fields(admin_token, body="**Hi**"))
    assert "<strong>Hi</strong>" in preview.text and "<html" not in preview.text


def test_delete_a_static_page(app, client, admin_token, make_page):
    page = make_page("Old page", slug="old-page")
    confirm = client.get(f"/admin/pages/{page.id}/delete")
    assert "Delete “Old page”?" in confirm.text
    client.post(f"/admin/pages/{page.id}/delete", data={"csrf_token": csrf_from(confirm.text)})
    assert client.get("/p/old-page.html").status_code == 404
