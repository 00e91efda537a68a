"""Every dashboard, post, page, preview, revision and image endpoint refuses members and anonymous
users, with or without HX-Request, and changes nothing; static pages refuse authors too."""

import io

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Image, Page, Post
from tests.support.accounts import make_author, sign_in
from tests.support.content import load_post, revisions_of
from tests.support.web import HTMX, csrf_from, token_for

# (method, path); {post}, {revision} and {page} are filled in with real ids.
ENDPOINTS = [
    ("GET", "/admin/"),
    ("GET", "/admin/posts"),
    ("GET", "/admin/posts/new"),
    ("POST", "/admin/posts/new"),
    ("GET", "/admin/posts/{post}/edit"),
    ("POST", "/admin/posts/{post}/edit"),
    ("POST", "/admin/posts/{post}/autosave"),
    ("GET", "/admin/posts/{post}/preview"),
    ("GET", "/admin/posts/{post}/delete"),
    ("POST", "/admin/posts/{post}/delete"),
    ("GET", "/admin/posts/{post}/revisions"),
    ("GET", "/admin/posts/{post}/revisions/{revision}"),
    ("POST", "/admin/posts/{post}/revisions/{revision}/restore"),
    ("POST", "/admin/preview/post"),
    ("POST", "/admin/preview/page"),
    ("GET", "/admin/pages"),
    ("GET", "/admin/pages/new"),
    ("POST", "/admin/pages/new"),
    ("GET", "/admin/pages/{page}/edit"),
    ("POST", "/admin/pages/{page}/edit"),
    ("GET", "/admin/pages/{page}/preview"),
    ("GET", "/admin/pages/{page}/delete"),
    ("POST", "/admin/pages/{page}/delete"),
    ("POST", "/admin/images"),
]
PAGE_ENDPOINTS = [(method, path) for method, path in ENDPOINTS if "/pages" in path or path.endswith("/page")]
# What an admin screen or fragment would contain; a refusal contains none of it.
MARKERS = (
    'class="admin-nav"',
    'id="editor-form"',
    'id="live-preview"',
    'id="post-table"',
    "Saved at",
    'class="stat-cards"',
    "Revisions of",
    "![",
)
MY_MODULES = {
    "blog.admin.dashboard",
    "blog.admin.posts",
    "blog.admin.pages",
    "blog.admin.preview",
    "blog.admin.revisions",
    "blog.admin.images",
}


@pytest.fixture
def targets(app, admin, make_page):
    """A post with a revision (saved through the editor, in the admin's own browser) and a page."""
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    token = token_for(admin_client, "/")
    response = admin_client.post(
        "/admin/posts/new",
        data={
            "csrf_token": token,
            "action": "publish",
            "title": "Guarded post",
            "body": "Body",
            "labels": "x",
        },
    )
    post_id = int(response.headers["Location"].split("/")[-2])
    page = make_page("Guarded page", slug="guarded")
    return {"post": post_id, "revision": revisions_of(app, post_id)[0].id, "page": page.id}


def request_as_outsider(client, method: str, path: str, token: str, htmx: bool):
    headers = {**(HTMX if htmx else {}), "X-CSRFToken": token}
    if method == "GET":
        return client.get(path, headers=headers)
    data = {
        "csrf_token": token,
        "action": "publish",
        "title": "Hijacked",
        "body": "pwned",
        "slug": "",
        "image-csrf_token": token,
        "image-image": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "x.png"),
    }
    return client.post(path, headers=headers, data=data, content_type="multipart/form-data")


def assert_nothing_changed(app, targets):
    post = load_post(app, targets["post"])
    assert post is not None and post.title == "Guarded post" and post.body_source == "Body"
    assert len(revisions_of(app, targets["post"])) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1
        page = db.session.get(Page, targets["page"])
        assert page is not None and page.title == "Guarded page"
        assert db.session.scalar(select(func.count()).select_from(Page)) == 1
        assert db.session.scalar(select(func.count()).select_from(Image)) == 0


def assert_refused(response):
    assert not any(marker in response.text for marker in MARKERS), response.text[:500]


# Each test asks twice, as a page and as an htmx fragment (HX-Request), to keep the sweep quick.


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_anonymous_users_are_sent_to_sign_in(app, client, targets, method, path):
    token = csrf_from(client.get("/signin").text)
    page = request_as_outsider(client, method, path.format(**targets), token, htmx=False)
    assert page.status_code == 302 and page.headers["Location"].startswith("/signin")
    fragment = request_as_outsider(client, method, path.format(**targets), token, htmx=True)
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"].startswith("/signin")
    assert_refused(page)
    assert_refused(fragment)
    assert_nothing_changed(app, targets)


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_members_are_forbidden(app, client, targets, member, method, path):
    sign_in(client, member.email)
    token = token_for(client, "/")
    for htmx in (False, True):
        response = request_as_outsider(client, method, path.format(**targets), token, htmx)
        assert response.status_code == 403
        assert_refused(response)
    assert_nothing_changed(app, targets)


@pytest.mark.parametrize("method, path", PAGE_ENDPOINTS)
def test_authors_cannot_touch_static_pages(app, client, targets, method, path):
    sign_in(client, make_author(app).email)
    token = token_for(client, "/")
    for htmx in (False, True):
        response = request_as_outsider(client, method, path.format(**targets), token, htmx)
        assert response.status_code == 403
        assert_refused(response)
    assert_nothing_changed(app, targets)


def test_every_editor_route_is_in_the_sweep(app):
    """A new route in these modules must be added to ENDPOINTS above."""
    swept = {
        (
            method,
            path.replace("{post}", "<int:post_id>")
            .replace("{revision}", "<int:revision_id>")
            .replace("{page}", "<int:page_id>"),
        )
        for method, path in ENDPOINTS
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if view.__module__ in MY_MODULES:
            routes |= {(method, rule.rule) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == swept
