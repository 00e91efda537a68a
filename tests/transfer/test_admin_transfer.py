"""The admin area's Import and export screen: upload an export and watch it import, download an export."""

import io
import time

import pytest
from lxml import etree
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import AuditEntry, Post
from tests.support.accounts import make_user, sign_in
from tests.support.transfer import fixture, snapshot
from tests.support.web import HTMX, csrf_from


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, admin.email)
    return client


def upload(client, name: str, content: bytes | None = None, **extra):
    page = client.get("/admin/transfer")
    data = {"csrf_token": csrf_from(page.text), **extra}
    if content is not None or name:
        data["upload"] = (
            io.BytesIO(content if content is not None else fixture(name).read_bytes()),
            name or "x",
        )
    return client.post("/admin/transfer/import", data=data, content_type="multipart/form-data")


def wait_for(client, location: str) -> str:
    """Poll the status fragment as htmx does until the import has finished."""
    for _ in range(200):
        fragment = client.get(location, headers=HTMX)
        assert fragment.status_code == 200
        if "data-hx-trigger" not in fragment.text:
            return fragment.text
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


@pytest.mark.parametrize("who", ["anonymous", "member", "author"])
@pytest.mark.parametrize(
    "path", ["/admin/transfer", "/admin/transfer/export/atom", "/admin/transfer/export/jsonl"]
)
def test_only_admins_reach_import_and_export(app, client, admin, who, path):
    if who != "anonymous":
        make_user(app, f"{who}@example.test", who.title(), who)
        sign_in(client, f"{who}@example.test")
    response = client.get(path)
    assert response.status_code == (302 if who == "anonymous" else 403)


def test_an_author_cannot_import(app, client, admin):
    make_user(app, "author@example.test", "Ann", "author")
    sign_in(client, "author@example.test")
    token = csrf_from(client.get("/").text)
    before = snapshot(app)
    response = client.post(
        "/admin/transfer/import",
        data={
            "csrf_token": token,
            "upload": (io.BytesIO(fixture("blogger-classic.xml").read_bytes()), "b.xml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert snapshot(app) == before


def test_the_screen_has_the_form_the_downloads_and_a_nav_link(admin_client):
    page = admin_client.get("/admin/transfer")
    assert page.status_code == 200
    assert 'href="/admin/transfer"' in page.text and "Import and export" in page.text
    assert (
        'enctype="multipart/form-data"' in page.text
        and '<label for="upload">Export file</label>' in page.text
    )
    assert 'href="/admin/transfer/export/atom" data-hx-boost="false" download' in page.text


def test_uploading_an_export_imports_it_with_progress_and_a_summary(app, admin_client):
    response = upload(admin_client, "blogger-classic.xml")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/admin/transfer/import/")
    whole = admin_client.get(location)
    assert whole.status_code == 200 and "Importing blogger-classic.xml" in whole.text
    summary = wait_for(admin_client, location)
    assert "<html" not in summary and 'id="import-status"' in summary
    assert "Imported 3 post(s), 1 page(s), 4 comment(s), 2 new label(s)" in summary
    assert admin_client.get("/2021/02/night-train-to-zurich.html").status_code == 200
    fragment = admin_client.get(location, headers=HTMX)
    assert "HX-Request" in fragment.headers["Vary"]
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "blog.import"


def test_posts_without_an_account_can_be_credited_to_the_admin(app, admin_client, admin):
    response = upload(admin_client, "blogger-takeout.atom", credit_me="y")
    assert "Imported 2 post(s)" in wait_for(admin_client, response.headers["Location"])
    with app.app_context():
        assert set(db.session.scalars(select(Post.author_id))) == {admin.id}


def test_a_running_import_polls_and_a_finished_one_stops_polling(app, admin_client):
    from blog.transfer import jobs

    with app.test_request_context():
        job = jobs.Job(id="a" * 24, filename="big.xml", kind="blogger", total=200, done=50)
        jobs.folder().mkdir(parents=True, exist_ok=True)
        jobs.save(job, jobs.folder())
    running = admin_client.get(f"/admin/transfer/import/{'a' * 24}", headers=HTMX)
    assert 'data-hx-trigger="every 1s"' in running.text and 'value="25"' in running.text
    page = admin_client.get(f"/admin/transfer/import/{'a' * 24}")
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
    assert admin_client.get("/admin/transfer/import/not-a-job").status_code == 404


def test_uploading_a_truncated_file_reports_the_refusal_and_changes_nothing(app, admin_client):
    before = snapshot(app)
    response = upload(admin_client, "hostile/truncated.xml")
    summary = wait_for(admin_client, response.headers["Location"])
    assert "Refused." in summary and "not well-formed XML" in summary and "Nothing was imported." in summary
    after = snapshot(app)
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("hostile/billion-laughs.xml", None, "declares a DTD"),
        ("notes.txt", b"just some text", "not well-formed XML"),
        ("", None, "Choose the export file to import."),
    ],
)
def test_refused_uploads_show_the_form_again_with_the_reason(app, admin_client, name, content, message):
    before = snapshot(app)
    response = upload(admin_client, name, content)
    assert response.status_code == 422
    assert message in response.text and '<form method="post"' in response.text
    assert snapshot(app) == before


def test_an_upload_without_a_csrf_token_is_refused(app, admin_client):
    response = admin_client.post(
        "/admin/transfer/import",
        data={"upload": (io.BytesIO(b"<feed/>"), "x.xml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_downloads_are_attachments_that_import_again(app, admin_client, make_post):
    make_post("Downloadable", labels=["Kept"])
    # The export is sent from a temporary file, which closes (and disappears) with the response.
    atom = admin_client.get("/admin/transfer/export/atom")
    body = atom.get_data()
    atom.close()
    assert atom.status_code == 200 and atom.mimetype == "application/atom+xml"
    assert (
        "attachment" in atom.headers["Content-Disposition"] and ".atom" in atom.headers["Content-Disposition"]
    )
    feed = etree.fromstring(body)
    assert [
        e.findtext("{http://www.w3.org/2005/Atom}title")
        for e in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ] == ["Downloadable"]
    jsonl = admin_client.get("/admin/transfer/export/jsonl")
    body = jsonl.get_data()
    jsonl.close()
    assert jsonl.status_code == 200 and body.startswith(b'{"comment_policy"')
    assert admin_client.get("/admin/transfer/export/csv").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 1
